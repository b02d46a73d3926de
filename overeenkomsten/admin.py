import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from convenant import formatting, toegang
from convenant.admin_basis import HistorieAdmin
from convenant.admin_toegang import GemeenteBereikMixin

from . import bewaking, services, workflow
from .admin_export import ExportAdminMixin
from .admin_pdf import PdfAdminMixin
from .constants import Status
from .models import OvereenkomstDocument, Samenwerkingsovereenkomst
from .workflow_forms import FORMULIEREN, CorrectieForm

SNAPSHOT = ["inwoners", "peildatum", "bijdrage_per_inwoner", "bedrag_per_jaar"]
TEKSTVELDEN = [
    "vertegenwoordiger", "vertegenwoordiger_functie", "collegebesluit_op", "ondertekend_te", "ondertekend_op",
]

# Which permission each workflow step needs (see convenant/migrations/0003_rollen.py).
OVERGANG_RECHT = {
    "verzenden": toegang.VERZENDEN,
    "ontvangen": toegang.REGISTREER_STATUS,
    "opzeggen": toegang.REGISTREER_STATUS,
    "scan": toegang.REGISTREER_STATUS,
}


def _ids(tekst: str) -> list[int]:
    """The agreement ids of a workflow URL (``?ids=3,7``); anything else in it is ignored."""
    return [int(x) for x in tekst.split(",")[:1000] if re.fullmatch(r"[0-9]{1,18}", x)]


class NieuweOvereenkomstForm(forms.ModelForm):
    """On add, the amount's snapshot is taken from the reference data, never typed."""

    class Meta:
        model = Samenwerkingsovereenkomst
        fields = ["convenant", "gemeente", *TEKSTVELDEN, "opmerking"]

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


@admin.register(Samenwerkingsovereenkomst)
class SamenwerkingsovereenkomstAdmin(GemeenteBereikMixin, ExportAdminMixin, PdfAdminMixin, HistorieAdmin):
    list_display = [
        "gemeente", "convenant", "status", "inwoners_nl", "bedrag_nl",
        "verzonden_op", "ontvangen_op", "pdf_links",
    ]
    list_filter = ["convenant", "status"]
    search_fields = ["gemeente__naam", "gemeente__cbs_code", "vertegenwoordiger"]
    list_select_related = ["gemeente", "convenant"]
    autocomplete_fields = ["gemeente"]
    date_hierarchy = "ontvangen_op"
    inlines = [DocumentInline]
    actions = ["actie_verzenden", "actie_ontvangen", "actie_opzeggen", "actie_scan", "download_zip"]
    fieldsets = [
        (None, {"fields": ["convenant", "gemeente", "status", "pdf_links"]}),
        ("Bedrag (vastgelegd bij de overeenkomst)", {"fields": ["inwoners_nl", "peildatum", "tarief_nl", "bedrag_nl"]}),
        ("Gegevens voor de overeenkomst", {"fields": TEKSTVELDEN}),
        ("Verloop", {"fields": [
            "verzonden_op", "verzonden_aan", "ontvangen_op", "opzegging_ontvangen_op", "einddatum_nl",
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
                "convenant", "gemeente", *TEKSTVELDEN, "opmerking",
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
            velden += TEKSTVELDEN
        return velden

    # --- columns -------------------------------------------------------------------

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
        tekst = formatting.datum(obj.einddatum)
        return f"{tekst} (na opzegging)" if obj.opzegging_ontvangen_op else tekst

    # --- workflow: actions lead to a confirmation page --------------------------------

    def _naar_overgang(self, request, queryset, overgang):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        url = reverse(f"admin:{self._info}_overgang", args=[overgang])
        return HttpResponseRedirect(f"{url}?ids={ids}")

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
            path("workflow/<str:overgang>/", self.admin_site.admin_view(self.overgang_view),
                 name=f"{self._info}_overgang"),
            path("<int:pk>/corrigeer-inwoners/", self.admin_site.admin_view(self.correctie_view),
                 name=f"{self._info}_correctie"),
        ]
        return eigen + super().get_urls()

    def _changelist_url(self):
        return reverse(f"admin:{self._info}_changelist")

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
            return HttpResponseRedirect(self._changelist_url())
        rijen = [(ov, workflow.reden_weigering(ov, overgang)) for ov in overeenkomsten]
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
                        self.message_user(request, f"Niet uitgevoerd. {' '.join(fout.messages)}", messages.ERROR)
                        continue
                    gelukt += 1
                    self.message_user(request, tekst, messages.SUCCESS)
                self.message_user(
                    request, f"{workflow.OVERGANG_LABEL[overgang]}: {gelukt} van {len(rijen)} "
                             f"overeenkomst{'en' if len(rijen) != 1 else ''} bijgewerkt.",
                    messages.SUCCESS if gelukt == len(rijen) else messages.WARNING,
                )
                return HttpResponseRedirect(self._changelist_url())
        else:
            form = Form(overeenkomsten=toegestaan, **extra)

        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": workflow.OVERGANG_LABEL[overgang],
            "overgang": overgang,
            "rijen": [(ov, reden, form[f"aan_{ov.pk}"] if overgang == "verzenden" and not reden else None)
                      for ov, reden in rijen],
            "toegestaan": toegestaan,
            "form": form,
            "ids": ",".join(str(ov.pk) for ov in overeenkomsten),
            "changelist_url": self._changelist_url(),
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

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "mag_rapportages_zien": toegang.mag_rapportages_zien(request.user)}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        ov = self.get_object(request, object_id)
        if ov is not None:
            knoppen = []
            for overgang, recht in OVERGANG_RECHT.items():
                if workflow.mag(ov, overgang) and request.user.has_perm(recht):
                    url = reverse(f"admin:{self._info}_overgang", args=[overgang])
                    knoppen.append((f"{url}?ids={ov.pk}", workflow.OVERGANG_LABEL[overgang]))
            if request.user.has_perm(toegang.CORRIGEER_INWONERS):
                knoppen.append((reverse(f"admin:{self._info}_correctie", args=[ov.pk]), "Inwonertal corrigeren"))
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
