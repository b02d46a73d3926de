"""The admin base for the project's models with history (simple-history).

``HistorieAdmin`` is ``SimpleHistoryAdmin`` plus what every such page needs:

- a crafted object id (``abc``, ``%00``, ``-1`` for a model whose key is a
  number) or history id answers "does not exist", never a server error
  (simple-history passes them straight into a query);
- date-hierarchy parameters that are no year, month or day (``?peildatum__year=
  99999999999999999999``) are dropped with Django's own "invalid lookup"
  redirect (Django's date hierarchy raises OverflowError on them).
"""

import re

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

from simple_history.admin import SimpleHistoryAdmin

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


class HistorieAdmin(VeiligeIdsMixin, SimpleHistoryAdmin):
    pass
