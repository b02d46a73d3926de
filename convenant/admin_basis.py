"""The admin base for the project's models with history (simple-history).

``HistorieAdmin`` is ``SimpleHistoryAdmin`` plus what every such page needs:

- **no lost edits**: the change form carries the version it was opened on (the
  newest history row of the object and of each inline with history, e.g. the
  activities on a jaarplan). A save is compared with the versions in the
  database while the object's row is locked (``select_for_update``, inside the
  admin's own transaction); when someone saved in between, the save is refused
  with a message naming who changed what and when, and the form comes back
  with the user's input (not a redirect). The hidden version then moves to the
  current one: saving again, after looking, is a conscious overwrite.

- a crafted object id (``abc``, ``%00``, ``-1`` for a model whose key is a
  number) or history id answers "does not exist", never a server error
  (simple-history passes them straight into a query);
- date-hierarchy parameters that are no year, month or day (``?peildatum__year=
  99999999999999999999``) are dropped with Django's own "invalid lookup"
  redirect (Django's date hierarchy raises OverflowError on them).
"""

import re

from django import forms
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import ValidationError
from django.forms.models import _get_foreign_key
from django.http import HttpResponseRedirect
from django.utils import timezone

from simple_history.admin import SimpleHistoryAdmin

from . import formatting

_DATUMDEEL = {"year": re.compile(r"[0-9]{4}"), "month": re.compile(r"[0-9]{1,2}"), "day": re.compile(r"[0-9]{1,2}")}
_HISTORIE_ID = re.compile(r"[0-9]{1,18}")


class VeiligeIdsMixin:
    def _geldige_sleutel(self, object_id) -> bool:
        try:
            waarde = self.model._meta.pk.to_python(unquote(str(object_id)))
        except (ValidationError, ValueError, TypeError):
            return False
        return not (isinstance(waarde, int) and not 0 < waarde < 2**63)

    def history_view(self, request, object_id, extra_context=None):
        if not self._geldige_sleutel(object_id):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not self._geldige_sleutel(object_id) or not _HISTORIE_ID.fullmatch(str(version_id)):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        if self.date_hierarchy:
            for deel, patroon in _DATUMDEEL.items():
                waarde = request.GET.get(f"{self.date_hierarchy}__{deel}")
                if waarde is not None and not patroon.fullmatch(waarde):
                    return HttpResponseRedirect(f"{request.path}?e=1")
        return super().changelist_view(request, extra_context)


VERSIEVELD = "g40_versie"
MAX_MELDINGEN = 6


def _gebruiker(rij) -> str:
    user = getattr(rij, "history_user", None)
    if user is None:
        return "iemand anders (geen gebruiker bekend)"
    return user.get_full_name() or user.get_username()


def _tijdstip(rij) -> str:
    moment = timezone.localtime(rij.history_date)
    return f"{formatting.datum(moment.date())} om {moment:%H:%M}"


def _velden(rij, model) -> str:
    if rij.history_type == "+":
        return "toegevoegd"
    if rij.history_type == "-":
        return "verwijderd"
    vorige = rij.prev_record
    if vorige is None:
        return "gewijzigd"
    namen = []
    for wijziging in rij.diff_against(vorige).changes:
        try:
            namen.append(str(model._meta.get_field(wijziging.field).verbose_name))
        except Exception:  # noqa: BLE001 - a field that no longer exists
            namen.append(wijziging.field)
    return ", ".join(namen) if namen else "opnieuw opgeslagen zonder wijziging"


class VersieControleMixin:
    """Refuse a save made from a stale change form (see the module's docstring)."""

    def _versiedelen(self, request, obj):
        """(label, model, historical queryset) for the object and each inline with history."""
        delen = [(None, self.model, self.model.history.filter(**{self.model._meta.pk.attname: obj.pk}))]
        for inline in self.get_inline_instances(request, obj):
            if not hasattr(inline.model, "history"):
                continue
            fk = _get_foreign_key(self.model, inline.model, fk_name=inline.fk_name)
            delen.append((inline.model._meta.verbose_name, inline.model,
                          inline.model.history.filter(**{fk.attname: obj.pk})))
        return delen

    def versie(self, request, obj) -> str:
        """The version token of the object as it is in the database now."""
        stukken = []
        for _, model, historie in self._versiedelen(request, obj):
            laatste = historie.order_by("-history_id").values_list("history_id", flat=True).first()
            stukken.append(f"{model._meta.model_name}:{laatste or 0}")
        return ";".join(stukken)

    def _wat_er_veranderde(self, request, obj, oud: str) -> list[str]:
        gezien = dict(stuk.split(":", 1) for stuk in oud.split(";") if ":" in stuk)
        meldingen = []
        for label, model, historie in self._versiedelen(request, obj):
            vanaf = gezien.get(model._meta.model_name, "0")
            vanaf = int(vanaf) if vanaf.isdecimal() else 0
            for rij in historie.filter(history_id__gt=vanaf).select_related("history_user").order_by("history_id"):
                wat = f"{label} ‘{rij.instance}’: " if label else ""
                meldingen.append(f"{_gebruiker(rij)} op {_tijdstip(rij)} ({wat}{_velden(rij, model)})")
        if len(meldingen) > MAX_MELDINGEN:
            meldingen = meldingen[:MAX_MELDINGEN] + [f"en nog {len(meldingen) - MAX_MELDINGEN} wijziging(en)"]
        return meldingen

    def controleer_versie(self, request, form) -> None:
        """Called from the form's clean(), inside the admin's transaction: lock, compare, refuse."""
        obj = form.instance
        if obj.pk is None:
            return
        self.model._default_manager.select_for_update().filter(pk=obj.pk).values_list("pk", flat=True).first()
        veld = form.add_prefix(VERSIEVELD)
        gezien = form.data.get(veld)
        nu = self.versie(request, obj)
        if gezien == nu:
            return
        data = form.data.copy()  # the next attempt compares with what the user has now seen
        data[veld] = nu
        form.data = data
        if not gezien:
            raise ValidationError(
                "Niet opgeslagen: het formulier mist de versie waarop het geopend werd, dus kan niet "
                "worden nagegaan of iemand anders intussen iets wijzigde. Controleer de gegevens en sla opnieuw op.",
                code="verouderd",
            )
        meldingen = self._wat_er_veranderde(request, obj, gezien)
        raise ValidationError(
            "Niet opgeslagen: dit is gewijzigd sinds u het formulier opende, door "
            + "; ".join(meldingen or ["iemand anders"])
            + ". Uw invoer staat hieronder nog. Vergelijk die met de geschiedenis "
            "(knop ‘Geschiedenis’) en sla opnieuw op als u de wijziging toch wilt doorvoeren.",
            code="verouderd",
        )

    def _met_versie(self, request, obj) -> bool:
        return obj is not None and obj.pk is not None and self.has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._met_versie(request, obj) or VERSIEVELD in flatten_fieldsets(fieldsets):
            return fieldsets
        (naam, opties), *rest = fieldsets
        return [(naam, {**opties, "fields": [*opties["fields"], VERSIEVELD]}), *rest]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if not self._met_versie(request, obj):
            return super().get_form(request, obj, change=change, **kwargs)
        admin = self
        basis = kwargs.get("form") or self.form

        class MetVersie(basis):
            g40_versie = forms.CharField(widget=forms.HiddenInput, required=False)

            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                self.fields[VERSIEVELD].initial = admin.versie(request, self.instance)

            def clean(self):
                cleaned = super().clean()
                admin.controleer_versie(request, self)
                return cleaned

        MetVersie.__name__ = basis.__name__
        kwargs["form"] = MetVersie
        return super().get_form(request, obj, change=change, **kwargs)


class HistorieAdmin(VersieControleMixin, VeiligeIdsMixin, SimpleHistoryAdmin):
    pass
