"""Documents of agreements: the PDF, its preview, stored files, Bijlage 3.

Thin: every rule lives in `pdf`, `documenten` and `bijlage`; these views check
who may see what and turn the result into a response.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from convenant import toegang
from convenant.models import Convenant
from convenant.pdf import beveilig_document, pdf_response, render_pdf

from . import bundels, pdf
from .bijlage import bijlage3
from .constants import BundelStatus, DocumentSoort
from .models import OvereenkomstDocument, PdfBundel, Samenwerkingsovereenkomst

# Bijlage 3 lists every participating city with its amount: like the reports, only for staff
# who see all municipalities (a G40-coördinator gets 403; see the README's role table).
BIJLAGE3 = toegang.vereist(toegang.BEKIJK_OVEREENKOMSTEN, alle_gemeenten=True)


def zichtbare_overeenkomsten(user):
    """The agreements this user may see: all, or a G40-coördinator's own (see convenant.toegang)."""
    return toegang.overeenkomsten_voor(user, Samenwerkingsovereenkomst.objects.all())


def overeenkomst_voor(request, pk) -> Samenwerkingsovereenkomst:
    qs = pdf.overeenkomsten_voor_pdf(zichtbare_overeenkomsten(request.user))
    return get_object_or_404(qs, pk=pk)


@transaction.non_atomic_requests  # reads only: no transaction (two round trips) around the render
@toegang.vereist()
def overeenkomst_pdf(request, pk):
    """The agreement as PDF: ?versie=definitief refuses an incomplete agreement."""
    ov = overeenkomst_voor(request, pk)
    definitief = request.GET.get("versie") == "definitief"
    try:
        data = pdf.render_overeenkomst_pdf(ov, definitief=definitief)
    except pdf.OntbrekendeGegevens as fout:
        messages.error(request, fout.messages[0])
        return redirect("overeenkomsten:voorbeeld", pk=ov.pk)
    return pdf_response(data, pdf.bestandsnaam(ov), bijlage=request.GET.get("download") == "1")


@toegang.vereist()
def overeenkomst_voorbeeld(request, pk):
    ov = overeenkomst_voor(request, pk)
    return render(request, "overeenkomsten/voorbeeld.html", {
        **admin.site.each_context(request),
        "ov": ov,
        "png_beschikbaar": pdf.eerste_pagina_png_mogelijk(),
        "ontbrekend": pdf.ontbrekende_velden(ov),
        "documenten": ov.documenten.select_related("aangemaakt_door"),
        "mag_documenten_zien": toegang.mag_documenten_zien(request.user),
        "bestandsnaam": pdf.bestandsnaam(ov),
    })


@toegang.vereist()
def overeenkomst_voorbeeld_png(request, pk):
    """The first page of the agreement's PDF as an image, for the preview page."""
    ov = overeenkomst_voor(request, pk)
    try:
        png = pdf.eerste_pagina_png(pdf.render_overeenkomst_pdf(ov))
    except pdf.GeenVoorbeeld as fout:
        return HttpResponse(str(fout), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@toegang.vereist(toegang.BEKIJK_DOCUMENTEN)
def document(request, pk):
    """A stored document (sent PDF or signed scan), never served from MEDIA_URL."""
    doc = get_object_or_404(
        toegang.documenten_voor(request.user, OvereenkomstDocument.objects.select_related("overeenkomst__gemeente")),
        pk=pk,
    )
    try:
        bestand = doc.bestand.open("rb")
    except FileNotFoundError:
        raise Http404("Het bestand ontbreekt op de server.") from None
    # Uploaded from outside: always a download, never shown in the site's origin (issue 9);
    # a kept e-mail (.eml) is opened in a mail program.
    eml = doc.soort == DocumentSoort.BERICHT
    response = FileResponse(
        bestand, content_type="message/rfc822" if eml else "application/pdf", as_attachment=True,
        filename=doc.bestand.name.rsplit("/", 1)[-1],
    )
    response["Cache-Control"] = "private, no-store"
    return beveilig_document(response)


@BIJLAGE3
def bijlage3_nieuwste(request):
    convenant = Convenant.objects.order_by("-ingangsdatum").first()
    if convenant is None:
        messages.error(request, "Er is nog geen convenant vastgelegd.")
        return redirect("admin:index")
    return redirect("overeenkomsten:bijlage3", slug=convenant.slug)


@BIJLAGE3
def bijlage3_pagina(request, slug):
    convenant = get_object_or_404(Convenant.objects.select_related("g40", "platform31"), slug=slug)
    return render(request, "overeenkomsten/bijlage3_pagina.html", {
        **admin.site.each_context(request),
        "b": bijlage3(convenant), "convenanten": Convenant.objects.all(), "link": True,
        "pdf_url": reverse("overeenkomsten:bijlage3_pdf", args=[slug]),
    })


@BIJLAGE3
def bijlage3_pdf(request, slug):
    convenant = get_object_or_404(Convenant.objects.select_related("g40", "platform31"), slug=slug)
    data = render_pdf("overeenkomsten/bijlage3.html", {
        "b": bijlage3(convenant), "stand": timezone.localdate(),
    })
    return pdf_response(data, f"bijlage3-deelnemende-steden-{slug}.pdf")


def bundel_voor(request, pk) -> PdfBundel:
    """The bundle, if this user may see it (else 404: its existence is not revealed)."""
    bundel = get_object_or_404(PdfBundel.objects.select_related("aangevraagd_door"), pk=pk)
    if not bundels.mag_bundel_zien(request.user, bundel):
        raise Http404("Geen PDF-bundel gevonden.")
    return bundel


@toegang.vereist()
def bundel_voortgang(request, pk):
    """Progress of a background ZIP of agreement PDFs, and its download when done."""
    bundel = bundel_voor(request, pk)
    response = render(request, "overeenkomsten/bundel.html", {
        **admin.site.each_context(request),
        "bundel": bundel,
        "bezig": bundel.status in (BundelStatus.WACHT, BundelStatus.BEZIG),
        "bewaardagen": settings.PDF_BUNDEL_BEWAARDAGEN,
    })
    response["Cache-Control"] = "private, no-store"
    return response


@toegang.vereist()
def bundel_zip(request, pk):
    bundel = bundel_voor(request, pk)
    if bundel.status != BundelStatus.KLAAR or not bundel.bestand:
        raise Http404("Deze PDF-bundel is (nog) niet klaar.")
    try:
        bestand = bundel.bestand.open("rb")
    except FileNotFoundError:
        raise Http404("Het bestand ontbreekt op de server.") from None
    response = FileResponse(bestand, content_type="application/zip", as_attachment=True,
                            filename=bundel.bestandsnaam)
    response["Cache-Control"] = "private, no-store"
    return response
