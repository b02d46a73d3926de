import re
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from convenant import formatting, toegang
from convenant.admin_basis import HistorieAdmin
from convenant.admin_toegang import GemeenteBereikMixin
from convenant.models import Convenant
from gemeenten.admin import MAX_IMPORT_BYTES, bewaar_upload, lees_upload, verwijder_upload

from . import bewaking, rapportages, register, resources, services, workflow
from .admin_export import ExportAdminMixin
from .admin_pdf import PdfAdminMixin
from .constants import BerichtStatus, DocumentSoort, Status
from .models import Bericht, OvereenkomstDocument, Samenwerkingsovereenkomst
from .workflow_forms import FORMULIEREN, CorrectieForm, TerugdraaienForm

REGISTER_MAP = "register-import"


class RegisterImportForm(forms.Form):
    convenant = forms.ModelChoiceField(label="Convenant", queryset=Convenant.objects.all(), empty_label=None)
    bestand = forms.FileField(
        label="Bestand",
        help_text="CSV (komma of puntkomma) of XLSX, één regel per gemeente: cbs_code of gemeente, en "
                  "naar keuze " + ", ".join(register.KOLOMMEN) + ". Datums als 2023-01-10 of 10-01-2023.",
    )

    def clean_bestand(self):
        bestand = self.cleaned_data["bestand"]
        if bestand.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("Het bestand is groter dan 20 MB.")
        return bestand

SNAPSHOT = ["inwoners", "peildatum", "bijdrage_per_inwoner", "bedrag_per_jaar"]
TEKSTVELDEN = [
    "vertegenwoordiger", "vertegenwoordiger_functie", "collegebesluit_op", "ondertekend_te", "ondertekend_op",
]
# The agreement's own start date (a city that joins during the convenant); fixed once signed.
INGANG = ["ingangsdatum"]

# Which permission each workflow step needs (see convenant/migrations/0003_rollen.py).
OVERGANG_RECHT = {
    "verzenden": toegang.VERZENDEN,
    "ontvangen": toegang.REGISTREER_STATUS,
    "opzeggen": toegang.REGISTREER_STATUS,
    "scan": toegang.REGISTREER_STATUS,
}


class ToestandFilter(admin.SimpleListFilter):
    """Lopend or afgelopen: derived from the end date, not a stored status."""

    title = "looptijd"
    parameter_name = "looptijd"

    def lookups(self, request, model_admin):
        return [("lopend", "Getekend en lopend"), ("afgelopen", "Afgelopen (einddatum voorbij)")]

    def queryset(self, request, queryset):
        if self.value() not in ("lopend", "afgelopen"):
            return queryset
        vandaag = workflow.vandaag()
        afgelopen = [ov.pk for ov in queryset.filter(status__in=bewaking.GETEKEND).select_related("convenant")
                     if ov.is_afgelopen(vandaag)]
        if self.value() == "afgelopen":
            return queryset.filter(pk__in=afgelopen)
        return queryset.filter(status__in=bewaking.GETEKEND).exclude(pk__in=afgelopen)


def _ids(tekst: str) -> list[int]:
    """The agreement ids of a workflow URL (``?ids=3,7``); anything else in it is ignored."""
    return [int(x) for x in tekst.split(",")[:1000] if re.fullmatch(r"[0-9]{1,18}", x)]


class NieuweOvereenkomstForm(forms.ModelForm):
    """On add, the amount's snapshot is taken from the reference data, never typed."""

    class Meta:
        model = Samenwerkingsovereenkomst
        fields = ["convenant", "gemeente", *INGANG, *TEKSTVELDEN, "opmerking"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("convenant") and cleaned.get("gemeente"):
            self.instance.convenant = cleaned["convenant"]
            self.instance.gemeente = cleaned["gemeente"]
            services.neem_snapshot(self.instance)
        return cleaned


def document_link(document):
    """A link to the permission-checked download view, never to MEDIA_URL."""
    if not document.pk:
        return ""
    naam = document.bestand.name.rsplit("/", 1)[-1]
    return format_html('<a href="{}">{}</a>', reverse("overeenkomsten:document", args=[document.pk]), naam)


class DocumentInline(admin.TabularInline):
    model = OvereenkomstDocument
    fields = ["soort", "bestand_link", "sha256", "grootte", "aangemaakt_op", "aangemaakt_door"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="bestand")
    def bestand_link(self, obj):
        return document_link(obj)


class ScanFilter(admin.SimpleListFilter):
    """Signed agreements with or without the signed scan kept (the dashboard's "nog zonder scan")."""

    title = "getekende scan"
    parameter_name = "scan"

    def lookups(self, request, model_admin):
        return [("zonder", "ondertekend, nog zonder scan"), ("met", "met getekende scan")]

    def queryset(self, request, queryset):
        scan = OvereenkomstDocument.objects.filter(overeenkomst=OuterRef("pk"), soort=DocumentSoort.GETEKEND)
        if self.value() == "zonder":
            return queryset.filter(status__in=[Status.ONDERTEKEND, Status.OPGEZEGD]).exclude(Exists(scan))
        if self.value() == "met":
            return queryset.filter(Exists(scan))
        return queryset


class BerichtInline(admin.TabularInline):
    """Every e-mail about the agreement: when, to whom, what, by whom, and whether it went."""

    model = Bericht
    verbose_name_plural = "berichten (e-mail)"
    fields = ["aangemaakt_op", "soort", "aan", "antwoord_aan", "onderwerp", "status_nl", "verstuurd_door",
              "eml_link", "bijlage_link"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("eml", "bijlage", "verstuurd_door")

    @admin.display(description="status")
    def status_nl(self, obj):
        if obj.status == BerichtStatus.MISLUKT:
            return format_html('<strong class="bericht-mislukt">Mislukt: {}</strong>', obj.fout)
        if obj.status == BerichtStatus.VERSTUURD and obj.verstuurd_op:
            moment = timezone.localtime(obj.verstuurd_op)
            return f"Verstuurd {formatting.datum(moment.date())}, {moment:%H:%M}"
        return obj.get_status_display()

    @admin.display(description="bericht")
    def eml_link(self, obj):
        return document_link(obj.eml)

    @admin.display(description="bijlage")
    def bijlage_link(self, obj):
        return document_link(obj.bijlage) if obj.bijlage else "–"


@admin.register(Samenwerkingsovereenkomst)
class SamenwerkingsovereenkomstAdmin(GemeenteBereikMixin, ExportAdminMixin, PdfAdminMixin, HistorieAdmin):
    list_display = [
        "gemeente", "convenant_kort", "toestand_nl", "inwoners_nl", "bedrag_nl",
        "verzonden_op", "ontvangen_nl", "pdf_links",
    ]
    list_filter = ["convenant", "status", ToestandFilter, ScanFilter]
    search_fields = ["gemeente__naam", "gemeente__cbs_code", "vertegenwoordiger"]
    list_select_related = ["gemeente", "convenant"]
    autocomplete_fields = ["gemeente"]
    date_hierarchy = "ontvangen_op"
    inlines = [DocumentInline, BerichtInline]
    actions = ["actie_verzenden", "actie_ontvangen", "actie_opzeggen", "actie_scan", "actie_terugdraaien",
               "download_zip"]
    fieldsets = [
        (None, {"fields": ["convenant", "gemeente", "status", "pdf_links"]}),
        ("Bedrag (vastgelegd bij de overeenkomst)", {"fields": ["inwoners_nl", "peildatum", "tarief_nl", "bedrag_nl"]}),
        ("Gegevens voor de overeenkomst", {"fields": [*INGANG, *TEKSTVELDEN]}),
        ("Verloop", {"fields": [
            "verzonden_op", "verzonden_aan", "ontvangen_op", "datum_onbekend",
            "opgezegd_door", "opzegging_verzonden_op", "opzegging_ontvangen_op", "einddatum_nl",
            "opmerking",
        ]}),
    ]

    # --- who sees what -------------------------------------------------------------

    def get_queryset(self, request):
        return toegang.overeenkomsten_voor(request.user, super().get_queryset(request))

    # has_view/change/delete_permission(obj) of GemeenteBereikMixin keep a coördinator to their
    # own municipality; they also guard the history pages, which look records up past get_queryset().

    def has_delete_permission(self, request, obj=None):
        # A sent or signed agreement is evidence: it is never deleted.
        if obj is not None and obj.status != Status.CONCEPT:
            return False
        return super().has_delete_permission(request, obj)

    def has_verzend_permission(self, request):
        return request.user.has_perm(toegang.VERZENDEN)

    def has_registreer_permission(self, request):
        return request.user.has_perm(toegang.REGISTREER_STATUS)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk delete would skip the per-agreement check
        return actions

    # --- forms -----------------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = NieuweOvereenkomstForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": [
                "convenant", "gemeente", *INGANG, *TEKSTVELDEN, "opmerking",
            ]})]
        return super().get_fieldsets(request, obj)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # Status and its dates change only through the workflow actions; what fixes the
        # amount only through ‘Inwonertal corrigeren’. Once signed, the text is what was signed.
        velden = ["convenant", "gemeente", *SNAPSHOT, "inwoners_nl", "tarief_nl", "bedrag_nl",
                  *bewaking.WORKFLOWVELDEN, "einddatum_nl", "pdf_links"]
        if obj.is_getekend:
            velden += TEKSTVELDEN + INGANG
        return velden

    # --- columns -------------------------------------------------------------------

    @admin.display(description="convenant", ordering="convenant__ingangsdatum")
    def convenant_kort(self, obj):
        return obj.convenant.slug  # "2023-2027", not "Convenant 2023-2027": the list fits at 1366 px

    @admin.display(description="inwoners", ordering="inwoners")
    def inwoners_nl(self, obj):
        return formatting.aantal(obj.inwoners)

    @admin.display(description="bedrag per jaar", ordering="bedrag_per_jaar")
    def bedrag_nl(self, obj):
        return formatting.euro(obj.bedrag_per_jaar)

    @admin.display(description="bijdrage per inwoner")
    def tarief_nl(self, obj):
        return formatting.tarief(obj.bijdrage_per_inwoner)

    @admin.display(description="loopt t/m")
    def einddatum_nl(self, obj):
        tekst = formatting.datum(obj.laatste_dag)
        if obj.opzegging_verzonden_op:
            tekst += " (na opzegging)"
        elif obj.laatste_dag != obj.einddatum:
            tekst += f" (convenant verlengd; de overeenkomst zelf t/m {formatting.datum(obj.einddatum)})"
        return f"{tekst} – afgelopen" if obj.is_afgelopen() else tekst

    @admin.display(description="status", ordering="status")
    def toestand_nl(self, obj):
        return obj.toestand_label

    @admin.display(description="getekend ontvangen op", ordering="ontvangen_op")
    def ontvangen_nl(self, obj):
        return obj.ontvangen_tekst or "–"

    # --- workflow: actions lead to a confirmation page --------------------------------

    def _naar_overgang(self, request, queryset, overgang):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        url = reverse(f"admin:{self._info}_overgang", args=[overgang])
        filters = self.get_preserved_filters(request)  # the list's filters, to return to afterwards
        return HttpResponseRedirect(f"{url}?ids={ids}" + (f"&{filters}" if filters else ""))

    @admin.action(description="Als verzonden vastleggen …", permissions=["verzend"])
    def actie_verzenden(self, request, queryset):
        return self._naar_overgang(request, queryset, "verzenden")

    @admin.action(description="Ondertekend ontvangen vastleggen …", permissions=["registreer"])
    def actie_ontvangen(self, request, queryset):
        return self._naar_overgang(request, queryset, "ontvangen")

    @admin.action(description="Opzegging vastleggen …", permissions=["registreer"])
    def actie_opzeggen(self, request, queryset):
        return self._naar_overgang(request, queryset, "opzeggen")

    @admin.action(description="Getekende scan toevoegen …", permissions=["registreer"])
    def actie_scan(self, request, queryset):
        return self._naar_overgang(request, queryset, "scan")

    @property
    def _info(self):
        return f"{self.opts.app_label}_{self.opts.model_name}"

    def get_urls(self):
        eigen = [
            # Not one transaction per request: each agreement's step commits on its own, so the
            # e-mail it sends (after commit) has gone, or failed, before the page reports it.
            path("workflow/<str:overgang>/",
                 transaction.non_atomic_requests(self.admin_site.admin_view(self.overgang_view)),
                 name=f"{self._info}_overgang"),
            path("<int:pk>/corrigeer-inwoners/", self.admin_site.admin_view(self.correctie_view),
                 name=f"{self._info}_correctie"),
            path("register/", self.admin_site.admin_view(self.register_view), name=f"{self._info}_register"),
            path("ontbrekende-gegevens/<slug:convenant>/", self.admin_site.admin_view(self.ontbrekend_view),
                 name=f"{self._info}_ontbrekend"),
            path("<int:pk>/terugdraaien/<str:stap>/", self.admin_site.admin_view(self.terugdraaien_view),
                 name=f"{self._info}_terugdraaien"),
        ]
        return eigen + super().get_urls()

    def _changelist_url(self, request=None):
        """The agreements list, with the filters it had when the step was chosen."""
        url = reverse(f"admin:{self._info}_changelist")
        if request is None:
            return url
        return add_preserved_filters({"preserved_filters": self.get_preserved_filters(request), "opts": self.opts},
                                     url)

    def overgang_view(self, request, overgang):
        """Confirmation page of one workflow step for the selected agreements, and its execution."""
        if overgang not in FORMULIEREN:
            raise Http404
        if not request.user.has_perm(OVERGANG_RECHT[overgang]):
            raise PermissionDenied
        ids = _ids(request.POST.get("ids") or request.GET.get("ids", ""))
        overeenkomsten = list(
            self.get_queryset(request).filter(pk__in=ids).select_related("gemeente", "convenant")
            .order_by("convenant__slug", "gemeente__naam")
        )
        if not overeenkomsten:
            self.message_user(request, "Geen (zichtbare) overeenkomsten gekozen.", messages.WARNING)
            return HttpResponseRedirect(self._changelist_url(request))
        rijen = [(ov, workflow.reden_weigering(ov, overgang)) for ov in overeenkomsten]
        fouten = {}  # agreement pk → why the workflow refused it on confirmation
        toegestaan = [ov for ov, reden in rijen if reden is None]
        Form = FORMULIEREN[overgang]
        extra = {}
        if overgang == "verzenden":
            extra["adressen"] = workflow.contactadressen(ov.gemeente_id for ov in toegestaan)

        if request.method == "POST" and "bevestig" in request.POST:
            form = Form(request.POST, request.FILES, overeenkomsten=toegestaan, **extra)
            if toegestaan and form.is_valid():
                gelukt = 0
                for ov, reden in rijen:
                    if reden:
                        self.message_user(request, f"{ov.gemeente}: niet uitgevoerd. {reden}", messages.ERROR)
                        continue
                    try:
                        with transaction.atomic():
                            tekst = form.voer_uit(ov, request.user)
                    except ValidationError as fout:
                        fouten[ov.pk] = " ".join(fout.messages)
                        continue
                    gelukt += 1
                    self.message_user(request, tekst, messages.SUCCESS)
                    gevolg = form.gevolg(ov)  # e.g. the e-mail, sent once the step committed
                    if gevolg:
                        self.message_user(request, gevolg[1], gevolg[0])
                self.message_user(
                    request, f"{workflow.OVERGANG_LABEL[overgang]}: {gelukt} van {len(rijen)} "
                             f"overeenkomst{'en' if len(rijen) != 1 else ''} bijgewerkt.",
                    messages.SUCCESS if gelukt == len(rijen) else messages.WARNING,
                )
                if not fouten:
                    return HttpResponseRedirect(self._changelist_url(request))
                # Refused on confirmation: show the same page again for those, with the reason
                # and what was typed (the bound form keeps it); a browser cannot keep a file.
                rijen = [(ov, None) for ov in toegestaan if ov.pk in fouten]
                toegestaan = [ov for ov, _ in rijen]
                if request.FILES:
                    form.add_error(None, "Het gekozen bestand is niet bewaard: kies het bestand opnieuw.")
        else:
            form = Form(overeenkomsten=toegestaan, **extra)

        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": workflow.OVERGANG_LABEL[overgang],
            "overgang": overgang,
            "rijen": [(ov, reden, form[f"aan_{ov.pk}"] if overgang == "verzenden" and not reden else None,
                       fouten.get(ov.pk)) for ov, reden in rijen],
            "toegestaan": toegestaan,
            "form": form,
            "ids": ",".join(str(ov.pk) for ov, _ in rijen),
            "changelist_url": self._changelist_url(request),
        }
        return TemplateResponse(request, "admin/overeenkomsten/samenwerkingsovereenkomst/overgang.html", context)

    def correctie_view(self, request, pk):
        """Correct a (signed) agreement's inhabitants, with a reason kept in its history."""
        if not request.user.has_perm(toegang.CORRIGEER_INWONERS):
            raise PermissionDenied
        ov = self.get_object(request, str(pk))
        if ov is None:
            raise Http404
        form = CorrectieForm(request.POST or None, initial={"inwoners": ov.inwoners})
        if request.method == "POST" and form.is_valid():
            oud = ov.bedrag_per_jaar
            try:
                with transaction.atomic():
                    workflow.corrigeer_inwoners(ov, form.cleaned_data["inwoners"], form.cleaned_data["reden"],
                                                request.user)
            except ValidationError as fout:
                form.add_error(None, fout)
            else:
                self.message_user(
                    request, f"{ov.gemeente}: inwonertal gecorrigeerd naar {formatting.aantal(ov.inwoners)}; "
                             f"bedrag per jaar {formatting.euro(oud)} → {formatting.euro(ov.bedrag_per_jaar)}.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse(f"admin:{self._info}_change", args=[ov.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Inwonertal corrigeren: {ov}",
            "ov": ov,
            "form": form,
            "changelist_url": self._changelist_url(),
        }
        return TemplateResponse(request, "admin/overeenkomsten/samenwerkingsovereenkomst/correctie.html", context)

    # --- the register in bulk: upload → preview → confirm ---------------------------

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "mag_rapportages_zien": toegang.mag_rapportages_zien(request.user)}
        extra_context["mag_register"] = request.user.has_perm(toegang.REGISTREER_STATUS)
        if toegang.ziet_alle_gemeenten(request.user):
            extra_context["ontbrekend_links"] = [
                (c.slug, reverse(f"admin:{self._info}_ontbrekend", args=[c.slug]))
                for c in Convenant.objects.order_by("-ingangsdatum")
            ]
        return super().changelist_view(request, extra_context)

    def register_view(self, request):
        if not request.user.has_perm(toegang.REGISTREER_STATUS):
            raise PermissionDenied
        sessie = request.session.get("register_import") or {}
        if request.method == "POST" and "bevestig" in request.POST:
            token = request.POST.get("token", "")
            inhoud = lees_upload(token, REGISTER_MAP) if token == sessie.get("token") else None
            if inhoud is None:
                self.message_user(request, "Deze import is verlopen of al uitgevoerd; upload het bestand opnieuw.",
                                  messages.WARNING)
                return redirect(f"admin:{self._info}_register")
            convenant = Convenant.objects.get(pk=sessie["convenant"])
            uitkomst = register.importeer(inhoud, sessie["naam"], convenant, opslaan=True, gebruiker=request.user)
            if uitkomst.geldig:
                verwijder_upload(token, REGISTER_MAP)
                request.session.pop("register_import", None)
                self.message_user(request, " ".join(uitkomst.samenvatting()), messages.SUCCESS)
                return redirect(f"{self._changelist_url()}?convenant__id__exact={convenant.pk}")
            form = RegisterImportForm(initial={"convenant": convenant})
            return self._toon_register(request, form, uitkomst, None)

        uitkomst = token = None
        if request.method == "POST":
            form = RegisterImportForm(request.POST, request.FILES)
            if form.is_valid():
                inhoud = form.cleaned_data["bestand"].read()
                naam = Path(form.cleaned_data["bestand"].name).name
                convenant = form.cleaned_data["convenant"]
                uitkomst = register.importeer(inhoud, naam, convenant, opslaan=False, gebruiker=request.user)
                if uitkomst.geldig and not uitkomst.niets_gewijzigd:
                    verwijder_upload(sessie.get("token"), REGISTER_MAP)
                    token = bewaar_upload(inhoud, REGISTER_MAP)
                    request.session["register_import"] = {"token": token, "naam": naam, "convenant": convenant.pk}
        else:
            laatste = Convenant.objects.order_by("-ingangsdatum").first()
            form = RegisterImportForm(initial={"convenant": laatste})
        return self._toon_register(request, form, uitkomst, token)

    def _toon_register(self, request, form, uitkomst, token):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Register van de overeenkomsten laden",
            "form": form,
            "uitkomst": uitkomst,
            "token": token,
            "kolommen": register.KOLOMMEN,
            "changelist_url": self._changelist_url(),
        }
        return TemplateResponse(request, "admin/overeenkomsten/samenwerkingsovereenkomst/register.html", context)

    def ontbrekend_view(self, request, convenant):
        """Download: what is still missing for the final PDFs of a convenant (CSV, or ?formaat=xlsx)."""
        if not (toegang.ziet_alle_gemeenten(request.user)
                and request.user.has_perm(toegang.BEKIJK_OVEREENKOMSTEN)):
            raise PermissionDenied
        c = Convenant.objects.filter(slug=convenant).first()
        if c is None:
            raise Http404
        formaat = request.GET.get("formaat", "csv")
        if formaat not in resources.FORMATEN:
            raise Http404
        return resources.download(rapportages.ontbrekende_gegevens(c), formaat)

    # --- undo a wrongly recorded step ----------------------------------------------

    @admin.action(description="Stap terugdraaien …", permissions=["registreer"])
    def actie_terugdraaien(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Draai een stap terug voor één overeenkomst tegelijk: kies er precies één.",
                              messages.WARNING)
            return None
        ov = queryset.get()
        stap = next((s for s, (status, _) in workflow.TERUG.items() if status == ov.status), None)
        if stap is None:
            self.message_user(request, f"{ov.gemeente}: er is geen stap om terug te draaien (concept).",
                              messages.WARNING)
            return None
        return HttpResponseRedirect(reverse(f"admin:{self._info}_terugdraaien", args=[ov.pk, stap]))

    def terugdraaien_view(self, request, pk, stap):
        if not request.user.has_perm(toegang.REGISTREER_STATUS):
            raise PermissionDenied
        if stap not in workflow.TERUG:
            raise Http404
        ov = self.get_object(request, str(pk))
        if ov is None:
            raise Http404
        weigering = workflow.reden_terugdraaien_geweigerd(ov, stap)
        form = TerugdraaienForm(request.POST or None)
        if request.method == "POST" and not weigering and form.is_valid():
            try:
                with transaction.atomic():
                    workflow.draai_terug(ov, stap, form.cleaned_data["reden"], request.user)
            except ValidationError as fout:
                form.add_error(None, fout)
            else:
                self.message_user(request, f"{ov.gemeente}: {workflow.TERUG[stap][1]} teruggedraaid; de "
                                           f"overeenkomst staat weer op ‘{ov.get_status_display()}’. De "
                                           f"bewaarde documenten blijven bewaard.", messages.SUCCESS)
                return HttpResponseRedirect(reverse(f"admin:{self._info}_change", args=[ov.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Stap terugdraaien: {ov}",
            "ov": ov,
            "stap": stap,
            "wat": workflow.TERUG[stap][1],
            "weigering": weigering,
            "vorige_verzending": workflow.vorige_verzending(ov) if stap == "verzenden" else None,
            "form": form,
            "changelist_url": self._changelist_url(),
        }
        return TemplateResponse(request, "admin/overeenkomsten/samenwerkingsovereenkomst/terugdraaien.html",
                                context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        ov = self.get_object(request, object_id)
        if ov is not None:
            knoppen = []
            for overgang, recht in OVERGANG_RECHT.items():
                if workflow.mag(ov, overgang) and request.user.has_perm(recht):
                    url = reverse(f"admin:{self._info}_overgang", args=[overgang])
                    filters = self.get_preserved_filters(request)
                    knoppen.append((f"{url}?ids={ov.pk}" + (f"&{filters}" if filters else ""),
                                    workflow.OVERGANG_LABEL[overgang]))
            if request.user.has_perm(toegang.CORRIGEER_INWONERS):
                knoppen.append((reverse(f"admin:{self._info}_correctie", args=[ov.pk]), "Inwonertal corrigeren"))
            if request.user.has_perm(toegang.REGISTREER_STATUS):
                for stap, (status, wat) in workflow.TERUG.items():
                    if ov.status == status:
                        knoppen.append((reverse(f"admin:{self._info}_terugdraaien", args=[ov.pk, stap]),
                                        f"Terugdraaien: {wat}"))
            extra_context["workflow_knoppen"] = knoppen
        return super().change_view(request, object_id, form_url, extra_context)

    # --- history: visible, never reverted (that would bypass the workflow) ------------

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(OvereenkomstDocument)
class OvereenkomstDocumentAdmin(GemeenteBereikMixin, admin.ModelAdmin):
    gemeente_pad = "overeenkomst__gemeente"

    list_display = ["overeenkomst", "soort", "bestand_link", "sha256", "grootte", "aangemaakt_op", "aangemaakt_door"]
    list_filter = ["soort", "overeenkomst__convenant"]
    search_fields = ["overeenkomst__gemeente__naam", "sha256"]
    list_select_related = ["overeenkomst__gemeente", "overeenkomst__convenant", "aangemaakt_door"]
    fields = ["overeenkomst", "soort", "bestand_link", "sha256", "grootte", "aangemaakt_op", "aangemaakt_door"]
    readonly_fields = fields

    def get_queryset(self, request):
        return toegang.documenten_voor(request.user, super().get_queryset(request))

    def has_add_permission(self, request):
        return False  # documents are recorded by the workflow, not typed in

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # what was sent and signed is kept

    @admin.display(description="bestand")
    def bestand_link(self, obj):
        return document_link(obj)
