"""What was sent and what came back, kept as evidence.

When an agreement is sent, the exact PDF is stored with its SHA-256, so what a
city received can be reproduced and proven later. The signed scan a city returns
is accepted only if its *content* is a PDF (not its name), it is not too big and it
carries no active content (convenant.pdfcontrole).
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from convenant import formatting, pdfcontrole

from .constants import DocumentSoort
from .models import OvereenkomstDocument, Samenwerkingsovereenkomst
from .pdf import bestandsnaam, render_overeenkomst_pdf


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _bewaar(ov, soort, naam: str, data: bytes, gebruiker) -> OvereenkomstDocument:
    document = OvereenkomstDocument(
        overeenkomst=ov, soort=soort, sha256=sha256(data), grootte=len(data),
        aangemaakt_door=gebruiker if getattr(gebruiker, "pk", None) else None,
    )
    # The file is written first; if its row cannot be saved, the file is removed
    # again. (Should an enclosing transaction roll back later, an unreferenced
    # file may remain in MEDIA_ROOT; it is never shown, as documents are only
    # reached through their row.)
    document.bestand.save(naam, ContentFile(data), save=False)
    try:
        with transaction.atomic():
            document.save()
    except Exception:
        document.bestand.delete(save=False)
        raise
    return document


def bewaar_verzonden_pdf(ov: Samenwerkingsovereenkomst, gebruiker=None) -> OvereenkomstDocument:
    """Render the final agreement and keep exactly those bytes.

    Raises `OntbrekendeGegevens` (a ValidationError naming every missing field)
    when the agreement is not complete: a concept is never sent.
    """
    data = render_overeenkomst_pdf(ov, definitief=True)
    return _bewaar(ov, DocumentSoort.VERZONDEN, bestandsnaam(ov), data, gebruiker)


def controleer_pdf(bestand) -> bytes:
    """The uploaded file's bytes if it is a PDF of acceptable size; else ValidationError."""
    maximum = settings.MAX_SCAN_BYTES
    grootte = getattr(bestand, "size", None)
    if grootte is not None and grootte > maximum:
        raise ValidationError(
            f"Het bestand is {formatting.aantal(grootte)} bytes; het maximum is "
            f"{formatting.aantal(maximum)} bytes ({maximum // (1024 * 1024)} MB)."
        )
    bestand.seek(0)
    data = bestand.read(maximum + 1)
    if len(data) > maximum:
        raise ValidationError(
            f"Het bestand is groter dan het maximum van {maximum // (1024 * 1024)} MB."
        )
    if not data:
        raise ValidationError("Het bestand is leeg.")
    # A PDF starts with %PDF- (a few bytes of junk before it are tolerated by
    # readers, but not here) and ends with %%EOF, possibly followed by whitespace.
    if not data.startswith(b"%PDF-"):
        raise ValidationError(
            "Dit bestand is geen PDF (de inhoud begint niet met %PDF-), wat de naam ook zegt. "
            "Upload de getekende overeenkomst als PDF."
        )
    if b"%%EOF" not in data[-1024:]:
        raise ValidationError("Deze PDF is onvolledig (het einde ontbreekt). Upload het bestand opnieuw.")
    pdfcontrole.controleer_scan(data)  # no JavaScript, actions, embedded files or HTML
    return data


def bewaar_getekende_scan(ov: Samenwerkingsovereenkomst, bestand, gebruiker=None) -> OvereenkomstDocument:
    data = controleer_pdf(bestand)
    naam = f"getekend-{ov.convenant.slug}-{ov.gemeente.slug}.pdf"
    return _bewaar(ov, DocumentSoort.GETEKEND, naam, data, gebruiker)
