"""Downloads of an invoice's documents: login, active staff, `facturen.view_factuur`, and only the
own municipality's for a G40-coördinator (404 for another's: its existence is not revealed)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from convenant.pdf import pdf_response
from convenant.toegang import vereist

from . import documenten, toegang
from .models import Factuur


def _factuur(request, pk) -> Factuur:
    qs = toegang.facturen_voor(request.user).select_related("gemeente", "crediteert", "vervangt")
    return get_object_or_404(qs, pk=pk)


@vereist(toegang.BEKIJKEN)
def factuur_pdf(request, pk):
    f = _factuur(request, pk)
    return pdf_response(documenten.pdf(f), documenten.bestandsnaam(f, "pdf"),
                        bijlage=request.GET.get("download") == "1")


@vereist(toegang.BEKIJKEN)
def factuur_xml(request, pk):
    f = _factuur(request, pk)
    response = HttpResponse(documenten.ubl(f), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{documenten.bestandsnaam(f, "xml")}"'
    return response
