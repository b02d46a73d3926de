import datetime
import re
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from import_export.admin import ExportMixin

from convenant import formatting
from convenant.admin_basis import HistorieAdmin
from convenant.admin_toegang import GemeenteBereikMixin, ImportExportRechtenMixin
from convenant.formules import EXPORTFORMATEN
from convenant.models import Convenant

from . import importeren
from .models import Gemeente, Inwonertal
from .resources import InwonertalResource

MAX_IMPORT_BYTES = 20 * 1024 * 1024


class InwonertalInline(admin.TabularInline):
    model = Inwonertal
    fields = ["peildatum", "aantal", "bron"]
    extra = 0


@admin.register(Gemeente)
class GemeenteAdmin(GemeenteBereikMixin, HistorieAdmin):
    gemeente_pad = "pk"
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


class CbsImportForm(forms.Form):
    bestand = forms.FileField(
        label="Bestand",
        help_text="CSV of XLSX: een download van CBS StatLine (tabel 03759ned), een CBS open-data-"
                  "export, of een eigen lijst met de kolommen cbs_code en inwoners.",
    )
    peildatum = forms.DateField(
        label="Peildatum", input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Bij CBS-bestanden met perioden: 1 januari van het jaar (periode 2022 = 1 januari 2022).",
    )
    werk_concepten_bij = forms.BooleanField(
        label="Ook concept-overeenkomsten op deze peildatum bijwerken", required=False,
        help_text="Getekende en verzonden overeenkomsten worden nooit gewijzigd.",
    )

    def clean_bestand(self):
        bestand = self.cleaned_data["bestand"]
        if bestand.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("Het bestand is groter dan 20 MB.")
        return bestand


# Uploads kept between an import's preview and its confirmation (also used by the
# register import of overeenkomsten, with its own folder).

def _uploadmap(map_naam: str = "cbs-import") -> Path:
    return Path(settings.MEDIA_ROOT) / map_naam


def _bewaar_upload(inhoud: bytes, map_naam: str = "cbs-import") -> str:
    """Keep the uploaded file between preview and confirmation; returns an opaque token."""
    token = secrets.token_hex(16)
    _uploadmap(map_naam).mkdir(parents=True, exist_ok=True)
    grens = time.time() - 24 * 3600
    for oud in _uploadmap(map_naam).glob("*.bin"):  # previews that were never confirmed
        if oud.stat().st_mtime < grens:
            oud.unlink(missing_ok=True)
    (_uploadmap(map_naam) / f"{token}.bin").write_bytes(inhoud)
    return token


def _lees_upload(token: str, map_naam: str = "cbs-import") -> bytes | None:
    if not re.fullmatch(r"[0-9a-f]{32}", token or ""):
        return None
    pad = _uploadmap(map_naam) / f"{token}.bin"
    return pad.read_bytes() if pad.exists() else None


def _verwijder_upload(token: str, map_naam: str = "cbs-import") -> None:
    if re.fullmatch(r"[0-9a-f]{32}", token or ""):
        (_uploadmap(map_naam) / f"{token}.bin").unlink(missing_ok=True)


bewaar_upload, lees_upload, verwijder_upload = _bewaar_upload, _lees_upload, _verwijder_upload


@admin.register(Inwonertal)
class InwonertalAdmin(GemeenteBereikMixin, ImportExportRechtenMixin, ExportMixin, HistorieAdmin):
    resource_classes = [InwonertalResource]
    export_formats = EXPORTFORMATEN  # text that could be a formula is neutralised
    change_list_template = "admin/gemeenten/inwonertal/change_list_cbs.html"
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

    # --- CBS import: upload → preview → confirm ---------------------------------

    def get_urls(self):
        return [
            path("importeer/", self.admin_site.admin_view(self.importeer_view),
                 name="gemeenten_inwonertal_importeer"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        extra_context["mag_importeren"] = self._mag_importeren(request)
        return super().changelist_view(request, extra_context)

    def _mag_importeren(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def importeer_view(self, request):
        if not self._mag_importeren(request):
            raise PermissionDenied
        sessie = request.session.get("cbs_import") or {}
        if request.method == "POST" and "bevestig" in request.POST:
            return self._bevestig(request, sessie)

        voorstel = token = None
        if request.method == "POST":
            form = CbsImportForm(request.POST, request.FILES)
            if form.is_valid():
                inhoud = form.cleaned_data["bestand"].read()
                naam = Path(form.cleaned_data["bestand"].name).name
                voorstel = importeren.importeer(
                    inhoud, naam, form.cleaned_data["peildatum"], opslaan=False,
                    werk_concepten_bij=form.cleaned_data["werk_concepten_bij"],
                )
                if voorstel.geldig:
                    _verwijder_upload(sessie.get("token"))
                    token = _bewaar_upload(inhoud)
                    request.session["cbs_import"] = {
                        "token": token, "naam": naam,
                        "peildatum": form.cleaned_data["peildatum"].isoformat(),
                        "werk_concepten_bij": form.cleaned_data["werk_concepten_bij"],
                    }
        else:
            laatste = Convenant.objects.order_by("-peildatum").values_list("peildatum", flat=True).first()
            form = CbsImportForm(initial={"peildatum": laatste})
        return self._toon(request, form, voorstel, token)

    def _bevestig(self, request, sessie):
        token = request.POST.get("token", "")
        inhoud = _lees_upload(token) if token == sessie.get("token") else None
        if inhoud is None:
            self.message_user(request, "Deze import is verlopen of al uitgevoerd; upload het bestand opnieuw.",
                              messages.WARNING)
            return redirect("admin:gemeenten_inwonertal_importeer")
        peildatum = datetime.date.fromisoformat(sessie["peildatum"])
        voorstel = importeren.importeer(
            inhoud, sessie["naam"], peildatum, opslaan=True, werk_concepten_bij=sessie["werk_concepten_bij"],
        )
        if not voorstel.geldig:  # the data changed since the preview: show why, nothing written
            return self._toon(request, CbsImportForm(initial={"peildatum": peildatum}), voorstel, None)
        _verwijder_upload(token)
        request.session.pop("cbs_import", None)
        self.message_user(request, " ".join(voorstel.samenvatting()), messages.SUCCESS)
        url = reverse("admin:gemeenten_inwonertal_changelist")
        return redirect(f"{url}?peildatum={peildatum.isoformat()}")

    def _toon(self, request, form, voorstel, token):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "CBS-inwonertallen importeren",
            "form": form,
            "voorstel": voorstel,
            "token": token,
            "acties": importeren,
        }
        return TemplateResponse(request, "admin/gemeenten/inwonertal/importeer.html", context)
