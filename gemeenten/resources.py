"""django-import-export resources for the reference figures.

The export of inhabitants has exactly the columns the CBS import reads back as
a plain sheet (``cbs_code``, ``inwoners`` and a ``peildatum`` column), so a
figure can be exported, corrected in a spreadsheet and imported again.
"""

from import_export import resources
from import_export.fields import Field
from import_export.widgets import DateWidget, Widget

from .models import Inwonertal


class AantalWidget(Widget):
    """Plain digits in CSV (what the CBS import reads back), a number cell in XLSX."""

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type") and isinstance(value, int):
            return value
        return super().render(value, obj, **kwargs)


class InwonertalResource(resources.ModelResource):
    cbs_code = Field(attribute="gemeente__cbs_code", column_name="cbs_code", readonly=True)
    gemeente = Field(attribute="gemeente__naam", column_name="gemeente", readonly=True)
    peildatum = Field(attribute="peildatum", column_name="peildatum", widget=DateWidget("%Y-%m-%d"))
    inwoners = Field(attribute="aantal", column_name="inwoners", widget=AantalWidget())
    bron = Field(attribute="bron", column_name="bron")

    class Meta:
        model = Inwonertal
        fields = ("cbs_code", "gemeente", "peildatum", "inwoners", "bron")
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("gemeente").order_by("peildatum", "gemeente__naam")
