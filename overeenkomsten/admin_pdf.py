"""The agreement PDFs in the admin: a link per row, a ZIP of the selection (made in the background)."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from . import bundels


class PdfAdminMixin:
    actions = ["download_zip"]

    @admin.display(description="PDF")
    def pdf_links(self, obj):
        if obj.pk is None:
            return "–"
        return format_html(
            '<a href="{}">PDF</a> · <a href="{}">voorbeeld</a>',
            reverse("overeenkomsten:pdf", args=[obj.pk]),
            reverse("overeenkomsten:voorbeeld", args=[obj.pk]),
        )

    @admin.action(description="PDF’s van de geselecteerde overeenkomsten downloaden (ZIP)",
                  permissions=["view"])
    def download_zip(self, request, queryset):
        """Queued as a background task; the user follows its progress and downloads the ZIP there."""
        bundel = bundels.vraag_bundel_aan(request.user, queryset)
        messages.info(request, f"De PDF’s van {bundel.totaal} overeenkomst(en) worden op de achtergrond gemaakt.")
        return HttpResponseRedirect(reverse("overeenkomsten:bundel", args=[bundel.pk]))
