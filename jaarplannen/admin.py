from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from import_export.admin import ImportExportModelAdmin

from convenant import formatting
from convenant.admin_basis import HistorieAdmin
from convenant.admin_toegang import ImportExportRechtenMixin
from convenant.constants import Sjabloon
from convenant.models import Convenant

from . import services
from .models import (
    Activiteit,
    Bevinding,
    ConvenantEvaluatie,
    Evaluatie,
    Jaarplan,
    KalenderToken,
    Projectblad,
    ProjectbladPartij,
)
from .resources import EXPORTFORMATEN, IMPORTFORMATEN, ActiviteitResource

# Amounts are typed the Dutch way (7500,50) and shown so.
BEDRAG = {models.DecimalField: {"localize": True}}
KLEIN_TEKSTVAK = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 60})}, **BEDRAG}
PDF_FORMULIER = "jaarplannen/admin/change_form_pdf.html"

ACTIVITEIT_VOLGORDE = (
    "soort", F("themagroep__pijler__volgorde").asc(nulls_last=True), "themagroep__volgorde", "volgorde", "pk",
)


def _datum(value):
    return formatting.datum(value) if value else "–"


def _pdf_link(url):
    return format_html('<a href="{}" target="_blank" rel="noopener">PDF</a>', url)


def _activiteit_keuze(activiteit):
    return f"{activiteit.jaarplan.jaar} – {activiteit.titel}"


def _herkomst(activiteit):
    """Links to the findings an activity came from."""
    if not activiteit or not activiteit.pk:
        return "–"
    bevindingen = activiteit.herkomst.select_related("evaluatie__jaarplan")
    if not bevindingen:
        return "–"
    return format_html_join(
        mark_safe("<br>"), '<a href="{}">{}</a>: {}',
        (
            (reverse("admin:jaarplannen_evaluatie_change", args=[b.evaluatie_id]), str(b.evaluatie), str(b))
            for b in bevindingen
        ),
    )


class ActiviteitInline(admin.StackedInline):
    model = Activiteit
    extra = 0
    show_change_link = True
    autocomplete_fields = ["themagroep", "verantwoordelijke_g40", "verantwoordelijke_platform31"]
    fields = [
        ("soort", "themagroep"), ("titel", "status", "volgorde"), "doel", "acties",
        ("verantwoordelijke_g40", "verantwoordelijke_platform31"), ("planning", "budget"), "voortgekomen_uit",
    ]
    readonly_fields = ["voortgekomen_uit"]
    formfield_overrides = KLEIN_TEKSTVAK

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(
            "themagroep", "verantwoordelijke_g40", "verantwoordelijke_platform31",
        ).order_by(*ACTIVITEIT_VOLGORDE)

    @admin.display(description="voortgekomen uit bevinding")
    def voortgekomen_uit(self, obj):
        return _herkomst(obj)


class EvaluatieInline(admin.TabularInline):
    model = Evaluatie
    extra = 0
    max_num = 2
    show_change_link = True
    fields = [
        "moment", "datum", "samenvatting", "gerapporteerd_directeur_op", "gerapporteerd_voorzitter_op",
        "bevindingen_link",
    ]
    readonly_fields = ["bevindingen_link"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(aantal_bevindingen=Count("bevindingen"))

    @admin.display(description="bevindingen")
    def bevindingen_link(self, obj):
        if not obj or not obj.pk:
            return "Sla eerst op; daarna voegt u de bevindingen toe."
        aantal = getattr(obj, "aantal_bevindingen", None)
        if aantal is None:
            aantal = obj.bevindingen.count()
        return format_html(
            '<a href="{}">{} bevinding{} bewerken</a>',
            reverse("admin:jaarplannen_evaluatie_change", args=[obj.pk]), aantal, "" if aantal == 1 else "en",
        )


@admin.register(Jaarplan)
class JaarplanAdmin(HistorieAdmin):
    list_display = [
        "__str__", "convenant", "status", "gereed_uiterlijk_nl", "gereed_op_nl", "vastgesteld_op_nl",
        "aantal_activiteiten", "totaal_budget", "pdf",
    ]
    list_filter = ["convenant", "status"]
    search_fields = ["titel", "jaar"]
    list_select_related = ["convenant"]
    inlines = [ActiviteitInline, EvaluatieInline]
    change_form_template = PDF_FORMULIER
    readonly_fields = ["termijnen"]
    fieldsets = [
        (None, {"fields": ["convenant", "jaar", "titel", "toelichting"]}),
        ("Status", {
            "fields": ["termijnen", "status", "gereed_op", "vastgesteld_op"],
            "description": "Een jaarplan wordt pas vastgesteld als het gereed is; "
                           "bij vaststelling hoort de datum van het besluit van het G40-DB.",
        }),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            _aantal=Count("activiteiten"), _budget=Sum("activiteiten__budget"),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {})}
        if str(object_id).isdecimal() and str(object_id).isascii():  # a crafted id: Django's "does not exist"
            extra_context["pdf_url"] = reverse("jaarplannen:jaarplan_pdf", args=[object_id])
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="termijnen")
    def termijnen(self, obj):
        if not obj or not obj.pk:
            return "Volgen uit het convenant en het jaar."
        return (
            f"gereed uiterlijk {formatting.datum(obj.gereed_uiterlijk)}; "
            f"vaststellen uiterlijk {formatting.datum(obj.vaststellen_uiterlijk)}"
        )

    @admin.display(description="gereed uiterlijk")
    def gereed_uiterlijk_nl(self, obj):
        return formatting.datum(obj.gereed_uiterlijk)

    @admin.display(description="gereed op", ordering="gereed_op")
    def gereed_op_nl(self, obj):
        return _datum(obj.gereed_op)

    @admin.display(description="vastgesteld op", ordering="vastgesteld_op")
    def vastgesteld_op_nl(self, obj):
        return _datum(obj.vastgesteld_op)

    @admin.display(description="activiteiten", ordering="_aantal")
    def aantal_activiteiten(self, obj):
        return obj._aantal

    @admin.display(description="budget", ordering="_budget")
    def totaal_budget(self, obj):
        return formatting.euro(obj._budget) if obj._budget is not None else "–"

    @admin.display(description="document")
    def pdf(self, obj):
        return _pdf_link(reverse("jaarplannen:jaarplan_pdf", args=[obj.pk]))


@admin.register(Activiteit)
class ActiviteitAdmin(ImportExportRechtenMixin, ImportExportModelAdmin, HistorieAdmin):
    resource_classes = [ActiviteitResource]
    import_template_name = "jaarplannen/admin/import.html"
    import_formats = IMPORTFORMATEN
    export_formats = EXPORTFORMATEN
    list_display = ["titel", "jaarplan", "soort", "themagroep", "status", "budget_nl"]
    list_filter = ["jaarplan__convenant", "jaarplan__jaar", "soort", "themagroep__pijler", "status"]
    search_fields = ["titel", "doel", "acties"]
    list_select_related = ["jaarplan", "themagroep"]
    autocomplete_fields = ["themagroep", "verantwoordelijke_g40", "verantwoordelijke_platform31"]
    readonly_fields = ["voortgekomen_uit"]
    formfield_overrides = KLEIN_TEKSTVAK

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("jaarplan__jaar", *ACTIVITEIT_VOLGORDE)

    @admin.display(description="budget", ordering="budget")
    def budget_nl(self, obj):
        return formatting.euro(obj.budget) if obj.budget is not None else "–"

    @admin.display(description="voortgekomen uit bevinding")
    def voortgekomen_uit(self, obj):
        return _herkomst(obj)


class BevindingInline(admin.TabularInline):
    model = Bevinding
    fk_name = "evaluatie"
    extra = 1
    fields = ["activiteit", "tekst", "doorwerking", "wordt_activiteit", "volgorde"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 36})}}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("activiteit", "wordt_activiteit__jaarplan")

    def _evaluatie(self, request):
        if not hasattr(request, "_jaarplannen_evaluatie"):
            object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            request._jaarplannen_evaluatie = (
                Evaluatie.objects.select_related("jaarplan").filter(pk=object_id).first()
                if object_id and str(object_id).isdigit() else None
            )
        return request._jaarplannen_evaluatie

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        evaluatie = self._evaluatie(request)
        activiteiten = Activiteit.objects.select_related("jaarplan").order_by("jaarplan__jaar", *ACTIVITEIT_VOLGORDE)
        if db_field.name == "activiteit":
            kwargs["queryset"] = activiteiten.filter(jaarplan=evaluatie.jaarplan) if evaluatie else activiteiten
        elif db_field.name == "wordt_activiteit":
            if evaluatie:
                plan = evaluatie.jaarplan
                activiteiten = activiteiten.filter(Q(jaarplan=plan) | Q(jaarplan__jaar=plan.jaar + 1))
            kwargs["queryset"] = activiteiten
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name in ("activiteit", "wordt_activiteit"):
            field.label_from_instance = _activiteit_keuze
        return field


@admin.action(description="Bevindingen met doorwerking overnemen als activiteit")
def neem_bevindingen_over(modeladmin, request, queryset):
    """Carry each selected finding into its plan; report what failed and end with a count."""
    gelukt = 0
    for bevinding in queryset.select_related("evaluatie__jaarplan", "activiteit", "wordt_activiteit"):
        if bevinding.doorwerking == "geen" or bevinding.wordt_activiteit_id:
            continue
        try:
            services.neem_bevinding_over(bevinding)
        except ValidationError as exc:
            modeladmin.message_user(request, "; ".join(exc.messages), messages.ERROR)
        else:
            gelukt += 1
    modeladmin.message_user(request, f"{gelukt} bevinding(en) overgenomen als activiteit.", messages.SUCCESS)


@admin.register(Evaluatie)
class EvaluatieAdmin(HistorieAdmin):
    list_display = [
        "__str__", "jaarplan", "moment", "datum_nl", "gerapporteerd_directeur_op_nl",
        "gerapporteerd_voorzitter_op_nl", "aantal_bevindingen",
    ]
    list_filter = ["moment", "jaarplan__convenant", "jaarplan__jaar"]
    search_fields = ["samenvatting", "bevindingen__tekst"]
    list_select_related = ["jaarplan"]
    autocomplete_fields = ["directeur_platform31", "voorzitter_g40"]
    inlines = [BevindingInline]
    actions = ["bevindingen_overnemen"]
    formfield_overrides = KLEIN_TEKSTVAK
    fieldsets = [
        (None, {"fields": ["jaarplan", "moment", "datum", "samenvatting"]}),
        ("Rapportage aan de directeur van Platform31 en de voorzitter van de G40", {"fields": [
            ("directeur_platform31", "gerapporteerd_directeur_op"),
            ("voorzitter_g40", "gerapporteerd_voorzitter_op"),
        ]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_bevindingen=Count("bevindingen"))

    @admin.display(description="datum", ordering="datum")
    def datum_nl(self, obj):
        return _datum(obj.datum)

    @admin.display(description="aan directeur", ordering="gerapporteerd_directeur_op")
    def gerapporteerd_directeur_op_nl(self, obj):
        return _datum(obj.gerapporteerd_directeur_op)

    @admin.display(description="aan voorzitter", ordering="gerapporteerd_voorzitter_op")
    def gerapporteerd_voorzitter_op_nl(self, obj):
        return _datum(obj.gerapporteerd_voorzitter_op)

    @admin.display(description="bevindingen", ordering="_bevindingen")
    def aantal_bevindingen(self, obj):
        return obj._bevindingen

    @admin.action(description="Bevindingen met doorwerking overnemen als activiteit")
    def bevindingen_overnemen(self, request, queryset):
        neem_bevindingen_over(self, request, Bevinding.objects.filter(evaluatie__in=queryset))


@admin.register(Bevinding)
class BevindingAdmin(HistorieAdmin):
    list_display = ["__str__", "evaluatie", "activiteit", "doorwerking", "wordt_activiteit"]
    list_filter = ["doorwerking", "evaluatie__jaarplan__jaar", "evaluatie__moment"]
    search_fields = ["tekst", "activiteit__titel", "wordt_activiteit__titel"]
    list_select_related = ["evaluatie__jaarplan", "activiteit", "wordt_activiteit"]
    autocomplete_fields = ["activiteit", "wordt_activiteit"]
    actions = [neem_bevindingen_over]


@admin.register(ConvenantEvaluatie)
class ConvenantEvaluatieAdmin(HistorieAdmin):
    list_display = ["convenant", "datum_nl", "gerapporteerd_directeur_op_nl", "gerapporteerd_voorzitter_op_nl"]
    autocomplete_fields = ["directeur_platform31", "voorzitter_g40"]
    list_select_related = ["convenant"]
    fieldsets = [
        (None, {
            "fields": ["convenant", "datum", "bevindingen"],
            "description": "Het convenant wordt geëvalueerd in de eerste helft van zijn laatste jaar.",
        }),
        ("Rapportage aan de directeur van Platform31 en de voorzitter van de G40", {"fields": [
            ("directeur_platform31", "gerapporteerd_directeur_op"),
            ("voorzitter_g40", "gerapporteerd_voorzitter_op"),
        ]}),
    ]

    @admin.display(description="datum", ordering="datum")
    def datum_nl(self, obj):
        return _datum(obj.datum)

    @admin.display(description="aan directeur", ordering="gerapporteerd_directeur_op")
    def gerapporteerd_directeur_op_nl(self, obj):
        return _datum(obj.gerapporteerd_directeur_op)

    @admin.display(description="aan voorzitter", ordering="gerapporteerd_voorzitter_op")
    def gerapporteerd_voorzitter_op_nl(self, obj):
        return _datum(obj.gerapporteerd_voorzitter_op)


class ProjectbladPartijInline(admin.TabularInline):
    model = ProjectbladPartij
    extra = 2
    formfield_overrides = BEDRAG
    fields = ["partij", "contactpersoon", "bijdrage", "volgorde"]


@admin.register(Projectblad)
class ProjectbladAdmin(HistorieAdmin):
    list_display = ["titel", "convenant", "jaar", "pijler", "themagroep", "totaal_budget_nl", "pdf"]
    list_filter = ["convenant", "jaar", "pijler"]
    search_fields = ["titel", "product"]
    list_select_related = ["convenant", "pijler", "themagroep"]
    autocomplete_fields = [
        "pijler", "themagroep", "ambtelijk_opdrachtgever_g40", "pijlersecretaris_g40", "bestuurder_g40",
        "projectleider_platform31", "programmamanager_platform31",
    ]
    inlines = [ProjectbladPartijInline]
    change_form_template = PDF_FORMULIER
    formfield_overrides = KLEIN_TEKSTVAK
    fieldsets = [
        (None, {"fields": ["convenant", "jaar", "titel", ("pijler", "themagroep"), "bijgewerkt_op"]}),
        ("Afspraken", {"fields": ["doel", "product", "aanpak", "planning"]}),
        ("G40", {"fields": ["ambtelijk_opdrachtgever_g40", "pijlersecretaris_g40", "bestuurder_g40"]}),
        ("Platform31", {"fields": ["projectleider_platform31", "programmamanager_platform31"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_budget=Sum("partijen__bijdrage"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "convenant":
            kwargs["queryset"] = Convenant.objects.filter(sjabloon=Sjabloon.UITVOERINGSOVEREENKOMST_2019)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {})}
        if str(object_id).isdecimal() and str(object_id).isascii():  # a crafted id: Django's "does not exist"
            extra_context["pdf_url"] = reverse("jaarplannen:projectblad_pdf", args=[object_id])
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="totaal budget", ordering="_budget")
    def totaal_budget_nl(self, obj):
        return formatting.euro(obj._budget) if obj._budget is not None else "–"

    @admin.display(description="document")
    def pdf(self, obj):
        return _pdf_link(reverse("jaarplannen:projectblad_pdf", args=[obj.pk]))


@admin.register(KalenderToken)
class KalenderTokenAdmin(admin.ModelAdmin):
    """Only to see and revoke subscriptions; users make their own on the calendar page."""

    list_display = ["gebruiker", "aangemaakt_op"]
    search_fields = ["gebruiker__username"]
    fields = ["gebruiker", "aangemaakt_op"]
    readonly_fields = ["gebruiker", "aangemaakt_op"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
