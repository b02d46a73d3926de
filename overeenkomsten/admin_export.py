"""Export actions for the agreements' changelist.

``ExportAdminMixin`` adds two actions, “Exporteer geselecteerde overeenkomsten
(CSV)” and “(XLSX)”, that write the selection with exactly the columns of
``manage.py exporteer_overeenkomsten``. Use it as the first base:
``class SamenwerkingsovereenkomstAdmin(ExportAdminMixin, SimpleHistoryAdmin)``.
The actions are added in ``get_actions``, so they also appear when the admin
class sets its own ``actions``.
"""

from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR

from . import rapportages, resources


class ExportAdminMixin:
    export_acties = ("exporteer_csv", "exporteer_xlsx")

    def get_actions(self, request):
        acties = super().get_actions(request)
        if self.actions is None or IS_POPUP_VAR in request.GET or not self.has_view_permission(request):
            return acties
        for naam in self.export_acties:
            acties[naam] = self.get_action(naam)
        return acties

    @admin.action(description="Exporteer geselecteerde overeenkomsten (CSV)")
    def exporteer_csv(self, request, queryset):
        return self._exporteer(queryset, "csv")

    @admin.action(description="Exporteer geselecteerde overeenkomsten (XLSX)")
    def exporteer_xlsx(self, request, queryset):
        return self._exporteer(queryset, "xlsx")

    def _exporteer(self, queryset, formaat):
        return resources.download(rapportages.overzicht_van(queryset), formaat)
