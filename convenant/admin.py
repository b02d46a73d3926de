from django.contrib import admin

from . import formatting
from .admin_basis import HistorieAdmin
from .admin_toegang import GemeenteBereikMixin
from .models import Convenant, Organisatie, Persoon, Pijler, Themagroep


@admin.register(Organisatie)
class OrganisatieAdmin(admin.ModelAdmin):
    list_display = ["naam", "statutaire_naam", "adres", "plaats", "rechtspersoon"]
    search_fields = ["naam", "statutaire_naam"]


@admin.register(Persoon)
class PersoonAdmin(GemeenteBereikMixin, admin.ModelAdmin):
    # Platform31's people have no municipality: only who sees all municipalities sees them.
    list_display = ["naam", "functie", "rol", "organisatie", "gemeente", "email", "actief"]
    list_filter = ["rol", "organisatie", "actief"]
    search_fields = ["naam", "functie", "email", "gemeente__naam"]
    list_select_related = ["organisatie", "gemeente"]
    autocomplete_fields = ["gemeente"]


@admin.register(Convenant)
class ConvenantAdmin(HistorieAdmin):
    list_display = ["slug", "titel", "looptijd", "tarief", "peildatum_nl", "streefdatum_nl"]
    search_fields = ["slug", "titel"]
    list_select_related = ["vertegenwoordiger_platform31", "vertegenwoordiger_g40"]
    autocomplete_fields = [
        "vertegenwoordiger_platform31", "vertegenwoordiger_g40", "secretaris_g40", "relatiemanager",
    ]
    fieldsets = [
        (None, {"fields": ["slug", "titel", "korte_titel", "sjabloon"]}),
        ("Partijen", {"fields": [
            "platform31", "vertegenwoordiger_platform31", "g40", "vertegenwoordiger_g40",
            "secretaris_g40", "relatiemanager",
        ]}),
        ("Ondertekening en looptijd", {"fields": [
            "ondertekend_te", "ondertekend_op", "ingangsdatum", "einddatum", "streefdatum_overeenkomsten",
        ]}),
        ("Bijdrage en opzegging", {"fields": [
            "bijdrage_per_inwoner", "peildatum", "opzeggen_voor_dag", "opzeggen_voor_maand",
        ]}),
    ]

    @admin.display(description="looptijd")
    def looptijd(self, obj):
        return f"{formatting.datum(obj.ingangsdatum)} t/m {formatting.datum(obj.einddatum)}"

    @admin.display(description="bijdrage per inwoner", ordering="bijdrage_per_inwoner")
    def tarief(self, obj):
        return formatting.tarief(obj.bijdrage_per_inwoner)

    @admin.display(description="peildatum", ordering="peildatum")
    def peildatum_nl(self, obj):
        return formatting.datum(obj.peildatum)

    @admin.display(description="streefdatum", ordering="streefdatum_overeenkomsten")
    def streefdatum_nl(self, obj):
        return formatting.datum(obj.streefdatum_overeenkomsten)


class ThemagroepInline(admin.TabularInline):
    model = Themagroep
    fields = ["naam", "volgorde"]
    extra = 0


@admin.register(Pijler)
class PijlerAdmin(admin.ModelAdmin):
    list_display = ["naam", "volgorde"]
    search_fields = ["naam"]
    inlines = [ThemagroepInline]


@admin.register(Themagroep)
class ThemagroepAdmin(admin.ModelAdmin):
    list_display = ["naam", "pijler", "raakt_aan_lijst"]
    list_filter = ["pijler"]
    search_fields = ["naam"]
    list_select_related = ["pijler"]
    filter_horizontal = ["raakt_aan"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("raakt_aan")

    @admin.display(description="raakt aan")
    def raakt_aan_lijst(self, obj):
        return ", ".join(t.naam for t in obj.raakt_aan.all())
