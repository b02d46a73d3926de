"""Admin mixins that apply the access rules of :mod:`convenant.toegang` to a ModelAdmin.

- ``GemeenteBereikMixin``: a model with a municipality (``gemeente_pad`` is the
  lookup from the model to it) shows a G40-coördinator only their own
  municipality's rows, in the changelist and on every page that looks an
  object up (change, history, delete), which Django does past
  ``get_queryset()`` for the history pages.
- ``ImportExportRechtenMixin``: django-import-export lets every staff account
  import and export unless told otherwise; here importing needs the model's
  add *and* change permission (an import creates and overwrites rows),
  exporting its view permission, and an export holds only the rows the user
  may see.
"""

from django.core.exceptions import PermissionDenied

from . import toegang


class GemeenteBereikMixin:
    gemeente_pad = "gemeente"

    def get_queryset(self, request):
        return toegang.beperk(request.user, super().get_queryset(request), self.gemeente_pad)

    def binnen_bereik(self, request, obj) -> bool:
        if obj is None or toegang.ziet_alle_gemeenten(request.user):
            return True
        gemeente = toegang.gemeente_van(request.user)
        if gemeente is None:
            return False
        if self.gemeente_pad == "pk":
            return obj.pk == gemeente.pk
        if "__" not in self.gemeente_pad:  # a foreign key on the object itself: no query
            return getattr(obj, f"{self.gemeente_pad}_id") == gemeente.pk
        return type(obj)._default_manager.filter(pk=obj.pk, **{self.gemeente_pad: gemeente}).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.binnen_bereik(request, obj)

    def history_view(self, request, object_id, extra_context=None):
        # Django's own history page looks the object up in the (scoped) queryset before it checks
        # any permission: without this, who may not see the model at all got "does not exist"
        # instead of 403, unlike every other page of the model.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.binnen_bereik(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.binnen_bereik(request, obj)


class ImportExportRechtenMixin:
    def has_import_permission(self, request):
        return (
            toegang.is_medewerker(request.user)
            and self.has_add_permission(request) and self.has_change_permission(request)
        )

    def has_export_permission(self, request):
        return toegang.is_medewerker(request.user) and self.has_view_permission(request)
