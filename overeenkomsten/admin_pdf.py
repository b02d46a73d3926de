"""The agreement PDFs in the admin: a link per row, a ZIP of the selection."""

import io
import zipfile

from django.contrib import admin, messages
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from . import pdf


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
        documenten = pdf.maak_documenten(queryset)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archief:
            for document in documenten:
                archief.writestr(document.bestandsnaam, pdf.html_naar_pdf(document.html))
        concepten = [d for d in documenten if d.concept]
        if concepten:
            messages.warning(request, f"{len(concepten)} van de {len(documenten)} PDF’s zijn nog een concept.")
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        naam = f"samenwerkingsovereenkomsten-{timezone.localdate():%Y%m%d}.zip"
        response["Content-Disposition"] = f'attachment; filename="{naam}"'
        return response
