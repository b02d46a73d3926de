from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from simple_history.admin import SimpleHistoryAdmin

from convenant import formatting

from . import services
from .admin_export import ExportAdminMixin
from .admin_pdf import PdfAdminMixin
from .models import OvereenkomstDocument, Samenwerkingsovereenkomst

SNAPSHOT = ["inwoners", "peildatum", "bijdrage_per_inwoner", "bedrag_per_jaar"]


class NieuweOvereenkomstForm(forms.ModelForm):
    """On add, the amount's snapshot is taken from the reference data, never typed."""

    class Meta:
        model = Samenwerkingsovereenkomst
        exclude = SNAPSHOT

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("convenant") and cleaned.get("gemeente"):
            self.instance.convenant = cleaned["convenant"]
            self.instance.gemeente = cleaned["gemeente"]
            services.neem_snapshot(self.instance)
        return cleaned


class DocumentInline(admin.TabularInline):
    model = OvereenkomstDocument
    fields = ["soort", "openen", "sha256", "grootte", "aangemaakt_op", "aangemaakt_door"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="bestand")
    def openen(self, obj):
        return format_html('<a href="{}">openen</a>', reverse("overeenkomsten:document", args=[obj.pk]))


@admin.register(Samenwerkingsovereenkomst)
class SamenwerkingsovereenkomstAdmin(ExportAdminMixin, PdfAdminMixin, SimpleHistoryAdmin):
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
    fieldsets = [
        (None, {"fields": ["convenant", "gemeente", "status", "pdf_links"]}),
        ("Bedrag (vastgelegd bij de overeenkomst)", {"fields": SNAPSHOT}),
        ("Gegevens voor de overeenkomst", {"fields": [
            "vertegenwoordiger", "vertegenwoordiger_functie", "collegebesluit_op",
            "ondertekend_te", "ondertekend_op",
        ]}),
        ("Verloop", {"fields": [
            "verzonden_op", "verzonden_aan", "ontvangen_op", "opzegging_ontvangen_op", "opmerking",
        ]}),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = NieuweOvereenkomstForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": [
                "convenant", "gemeente", "vertegenwoordiger", "vertegenwoordiger_functie",
                "collegebesluit_op", "ondertekend_te", "ondertekend_op", "opmerking",
            ]})]
        return super().get_fieldsets(request, obj)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["convenant", "gemeente", *SNAPSHOT, "pdf_links"]

    @admin.display(description="inwoners", ordering="inwoners")
    def inwoners_nl(self, obj):
        return formatting.aantal(obj.inwoners)

    @admin.display(description="bedrag per jaar", ordering="bedrag_per_jaar")
    def bedrag_nl(self, obj):
        return formatting.euro(obj.bedrag_per_jaar)


@admin.register(OvereenkomstDocument)
class OvereenkomstDocumentAdmin(admin.ModelAdmin):
    list_display = ["overeenkomst", "soort", "openen", "sha256", "grootte", "aangemaakt_op", "aangemaakt_door"]
    list_filter = ["soort", "overeenkomst__convenant"]
    search_fields = ["overeenkomst__gemeente__naam", "sha256"]
    list_select_related = ["overeenkomst__gemeente", "overeenkomst__convenant", "aangemaakt_door"]
    fields = ["overeenkomst", "soort", "openen", "sha256", "grootte", "aangemaakt_op", "aangemaakt_door"]
    readonly_fields = fields
    openen = DocumentInline.openen

    def has_add_permission(self, request):
        return False  # documents are recorded by the workflow, not typed in
