from django.contrib import admin
from django.db.models import Prefetch

from simple_history.admin import SimpleHistoryAdmin

from convenant import formatting

from .models import Gemeente, Inwonertal


class InwonertalInline(admin.TabularInline):
    model = Inwonertal
    fields = ["peildatum", "aantal", "bron"]
    extra = 0


@admin.register(Gemeente)
class GemeenteAdmin(SimpleHistoryAdmin):
    list_display = ["naam", "cbs_code", "inwoners_laatst", "peildatum_laatst", "plaats", "lid_sinds"]
    search_fields = ["naam", "cbs_code", "cbs_naam"]
    list_filter = ["lid_tot"]
    prepopulated_fields = {"slug": ["naam"]}
    inlines = [InwonertalInline]
    fieldsets = [
        (None, {"fields": ["naam", "slug", "cbs_code", "cbs_naam"]}),
        ("Vestiging", {"fields": ["adres", "plaats"]}),
        ("Lidmaatschap en contact", {"fields": ["lid_sinds", "lid_tot", "contact_email", "opmerking"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(
            Prefetch("inwonertallen", queryset=Inwonertal.objects.order_by("-peildatum"))
        )

    def _laatste(self, obj):
        rijen = list(obj.inwonertallen.all())
        return rijen[0] if rijen else None

    @admin.display(description="inwoners (laatste peildatum)")
    def inwoners_laatst(self, obj):
        rij = self._laatste(obj)
        return formatting.aantal(rij.aantal) if rij else "–"

    @admin.display(description="peildatum")
    def peildatum_laatst(self, obj):
        rij = self._laatste(obj)
        return formatting.datum(rij.peildatum) if rij else "–"


@admin.register(Inwonertal)
class InwonertalAdmin(SimpleHistoryAdmin):
    list_display = ["gemeente", "peildatum_nl", "inwoners", "bron"]
    list_filter = ["peildatum"]
    search_fields = ["gemeente__naam", "gemeente__cbs_code"]
    list_select_related = ["gemeente"]
    autocomplete_fields = ["gemeente"]
    date_hierarchy = "peildatum"

    @admin.display(description="peildatum", ordering="peildatum")
    def peildatum_nl(self, obj):
        return formatting.datum(obj.peildatum)

    @admin.display(description="inwoners", ordering="aantal")
    def inwoners(self, obj):
        return formatting.aantal(obj.aantal)
