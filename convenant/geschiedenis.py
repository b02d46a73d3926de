"""The admin's history pages and messages, in Dutch as people read them.

`GeschiedenisAdmin` is simple-history's admin with:
- changes shown as values, not codes: "leeg → 1 december 2026", "Concept →
  Verzonden" (choice labels), "ja"/"nee", amounts and counts in Dutch notation,
  a related row by its name;
- Django's "De {naam} … is gewijzigd" with the right article for the het-words
  (het jaarplan, het convenant, het inwonertal, …).
"""

import datetime
from decimal import Decimal

from django.db import models

from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from . import formatting

# verbose_names that take "het" (Django's Dutch admin messages say "De {name}").
HET_WOORDEN = {"jaarplan", "convenant", "inwonertal", "document", "projectblad", "bericht"}


def leesbaar(veld, waarde) -> str:
    """One field's value as a person reads it."""
    if waarde is None or waarde == "":
        return "leeg"
    if veld.choices:
        return str(dict(veld.flatchoices).get(waarde, waarde))
    if isinstance(veld, models.ForeignKey):
        rij = veld.related_model._base_manager.filter(pk=waarde).first()
        return str(rij) if rij is not None else f"#{waarde} (verwijderd)"
    if isinstance(waarde, bool):
        return "ja" if waarde else "nee"
    if isinstance(waarde, datetime.datetime):
        return f"{formatting.datum(waarde.date())} {waarde:%H:%M}"
    if isinstance(waarde, datetime.date):
        return formatting.datum(waarde)
    if isinstance(waarde, Decimal):
        return formatting.euro(waarde) if veld.decimal_places == 2 and "bedrag" in veld.name else str(waarde)
    if isinstance(waarde, int):
        return formatting.aantal(waarde)
    return str(waarde)


class NederlandseGeschiedenis(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        veld = self.model._meta.get_field(change.field)
        if isinstance(veld, models.ManyToManyField):
            return super().prepare_delta_change_value(change, value)
        return leesbaar(veld, value)


class GeschiedenisAdmin(SimpleHistoryAdmin):
    def get_historical_record_context_helper(self, request, historical_record):
        return NederlandseGeschiedenis(self.model, historical_record)

    def message_user(self, request, message, *args, **kwargs):
        naam = str(self.opts.verbose_name)
        if naam in HET_WOORDEN and str(message).startswith(f"De {naam} "):
            message = "Het" + str(message)[2:].replace(" U kunt deze hieronder", " U kunt dit hieronder")
        return super().message_user(request, message, *args, **kwargs)
