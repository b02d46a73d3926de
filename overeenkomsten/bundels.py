"""A ZIP of many agreement PDFs, made off the web request by a background task.

`vraag_bundel_aan` records the request (a `PdfBundel` with the selected ids) and
enqueues the task `maak_pdf_bundel` (Django's task framework, `django_tasks`; any
backend of that interface: database, RQ, Celery) once the request's transaction
commits; the worker (`manage.py db_worker`) runs `maak_bundel`, which renders on
all cores through the engine's cache and stores its progress after every PDF.
The admin shows that progress and, when done, a permission-checked download.
A ZIP is a convenience copy, not evidence (the sent PDFs are stored per agreement):
each new bundle removes the bundles older than `PDF_BUNDEL_BEWAARDAGEN` days, files
included, so MEDIA_ROOT and the backups do not grow with every download.
"""

from __future__ import annotations

import datetime
import io
import logging
import zipfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from django_tasks import task

from convenant import toegang
from convenant.pdf import render_veel

from . import pdf
from .constants import BundelStatus
from .models import PdfBundel, Samenwerkingsovereenkomst

logger = logging.getLogger(__name__)


def vraag_bundel_aan(user, queryset) -> PdfBundel:
    """Record the request and queue the work; returns the bundle (status: wacht)."""
    ids = sorted(toegang.overeenkomsten_voor(user, queryset).values_list("pk", flat=True))
    bundel = PdfBundel.objects.create(aangevraagd_door=user, overeenkomsten=ids, totaal=len(ids))

    def in_wachtrij():
        resultaat = maak_pdf_bundel.enqueue(str(bundel.pk))  # JSON-serialisable argument only
        PdfBundel.objects.filter(pk=bundel.pk).update(taak_id=str(resultaat.id))

    transaction.on_commit(in_wachtrij)
    return bundel


def ruim_oude_bundels_op(behalve=None) -> int:
    """Remove bundles (row and ZIP) older than PDF_BUNDEL_BEWAARDAGEN days; returns how many."""
    grens = timezone.now() - datetime.timedelta(days=settings.PDF_BUNDEL_BEWAARDAGEN)
    oud = PdfBundel.objects.filter(aangemaakt_op__lt=grens).exclude(pk=behalve)
    aantal = 0
    for bundel in oud:
        if bundel.bestand:
            bundel.bestand.delete(save=False)  # a file already gone is no error
        bundel.delete()
        aantal += 1
    return aantal


def maak_bundel(bundel_id: str, processen: int | None = None) -> dict:
    """Render the bundle's agreements into one ZIP, storing progress as it goes."""
    bundel = PdfBundel.objects.get(pk=bundel_id)
    if opgeruimd := ruim_oude_bundels_op(behalve=bundel.pk):
        logger.info("%s oude PDF-bundel(s) verwijderd", opgeruimd)
    PdfBundel.objects.filter(pk=bundel.pk).update(status=BundelStatus.BEZIG, klaar=0)
    try:
        documenten = pdf.maak_documenten(Samenwerkingsovereenkomst.objects.filter(pk__in=bundel.overeenkomsten))
        PdfBundel.objects.filter(pk=bundel.pk).update(totaal=len(documenten))

        def voortgang(klaar, totaal):
            PdfBundel.objects.filter(pk=bundel.pk).update(klaar=klaar)

        data = render_veel([d.html for d in documenten], processen=processen, voortgang=voortgang)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archief:
            for document, inhoud in zip(documenten, data, strict=True):
                archief.writestr(document.bestandsnaam, inhoud)
        bundel.refresh_from_db()
        bundel.bestand.save(bundel.bestandsnaam, ContentFile(buffer.getvalue()), save=False)
        bundel.status = BundelStatus.KLAAR
        bundel.klaar = bundel.totaal = len(documenten)
        bundel.concepten = sum(1 for d in documenten if d.concept)
        bundel.gereed_op = timezone.now()
        bundel.save()
    except Exception as fout:
        logger.exception("PDF-bundel %s mislukt", bundel_id)
        PdfBundel.objects.filter(pk=bundel_id).update(
            status=BundelStatus.MISLUKT, foutmelding=f"{type(fout).__name__}: {fout}", gereed_op=timezone.now(),
        )
        raise
    return {"bundel": str(bundel.pk), "pdfs": bundel.totaal, "concepten": bundel.concepten}


@task()
def maak_pdf_bundel(bundel_id: str) -> dict:
    """The background task: its one argument is JSON (the bundle's id as text)."""
    return maak_bundel(bundel_id)


def mag_bundel_zien(user, bundel: PdfBundel) -> bool:
    """The requester, or anyone who may see every agreement in it (a coördinator only their own)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if not bundel.overeenkomsten:  # nothing to compare rights against: only the requester
        return bundel.aangevraagd_door_id == user.pk
    zichtbaar = toegang.overeenkomsten_voor(
        user, Samenwerkingsovereenkomst.objects.filter(pk__in=bundel.overeenkomsten),
    ).count()
    return zichtbaar == len(set(bundel.overeenkomsten))
