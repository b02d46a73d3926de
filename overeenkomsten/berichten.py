"""E-mail about an agreement: the agreement itself when it is sent, and reminders.

Every message is built once, kept byte for byte as an `.eml` document (with its
SHA-256) beside the PDF it carries, logged as a `Bericht`, and handed to the
mail server only after the transaction that recorded it has committed
(`transaction.on_commit`): a rolled-back step sends nothing. When the server
refuses or cannot be reached, the Bericht gets status ‘mislukt’ with the error;
the agreement's page shows it, and the step can be done again.

Who gets it (`ontvangers`): the municipality's G40 contact address, else its
active G40-coördinatoren. The salutation follows from that: “Geachte
G40-coördinator” only to coördinatoren, “Geachte heer, mevrouw” to a general
address. Replies go to the convenant's relatiemanager (`Convenant.contact`),
whose name and address are where the signed copy goes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from convenant.constants import Rol

from . import documenten
from .constants import BerichtSoort, BerichtStatus, DocumentSoort, Status
from .models import Bericht, OvereenkomstDocument

logger = logging.getLogger(__name__)

ALGEMEEN = "algemeen"
COORDINATOR = "coordinator"


@dataclass
class Ontvangers:
    """Where a municipality's mail goes, and how to address it."""

    adressen: list[str] = field(default_factory=list)
    soort: str = ALGEMEEN  # ALGEMEEN: the municipality's own address; COORDINATOR: its coördinator(s)

    @property
    def aanhef(self) -> str:
        return "Geachte G40-coördinator," if self.soort == COORDINATOR else "Geachte heer, mevrouw,"


def ontvangers(gemeente_ids) -> dict[int, Ontvangers]:
    """Per municipality id (in two queries): its G40 contact address, else its active coördinatoren."""
    from convenant.models import Persoon
    from gemeenten.models import Gemeente

    gemeente_ids = list(gemeente_ids)
    uitkomst: dict[int, Ontvangers] = {}
    for pk, email in Gemeente.objects.filter(pk__in=gemeente_ids).exclude(contact_email="").values_list(
        "pk", "contact_email"
    ):
        uitkomst[pk] = Ontvangers([email], ALGEMEEN)
    zonder = [pk for pk in gemeente_ids if pk not in uitkomst]
    if zonder:
        personen = (
            Persoon.objects.filter(gemeente_id__in=zonder, rol=Rol.COORDINATOR, actief=True)
            .exclude(email="").order_by("naam").values_list("gemeente_id", "email")
        )
        for pk, email in personen:
            uitkomst.setdefault(pk, Ontvangers([], COORDINATOR)).adressen.append(email)
    return uitkomst


def aanhef_voor(gemeente, adressen: list[str]) -> str:
    """The salutation for these addresses: only a message to coördinatoren alone opens with their title."""
    from convenant.models import Persoon

    coordinatoren = {
        e.lower() for e in Persoon.objects.filter(gemeente=gemeente, rol=Rol.COORDINATOR, actief=True)
        .exclude(email="").values_list("email", flat=True)
    }
    soort = COORDINATOR if adressen and all(a.lower() in coordinatoren for a in adressen) else ALGEMEEN
    return Ontvangers(adressen, soort).aanhef


def adressen_uit(tekst: str) -> list[str]:
    """The e-mail addresses in a recipient field (separated by commas, semicolons or spaces).

    Raises ValidationError naming what is not an address.
    """
    delen = [d.strip() for d in (tekst or "").replace(";", ",").replace(" ", ",").split(",") if d.strip()]
    fout = []
    for deel in delen:
        try:
            validate_email(deel)
        except ValidationError:
            fout.append(deel)
    if fout:
        raise ValidationError(
            f"Geen e-mailadres: {', '.join(f'‘{d}’' for d in fout)}. Om per e-mail te versturen: vul "
            f"e-mailadressen in, gescheiden door komma's (of zet ‘per e-mail versturen’ uit)."
        )
    if not delen:
        raise ValidationError("Vul het e-mailadres in waar de overeenkomst heen gaat.")
    return delen


class VastBericht(EmailMessage):
    """An EmailMessage whose MIME form (Message-ID, date, boundaries) is made once.

    Django builds a fresh MIME message on every `message()` call; caching it
    makes the stored `.eml` exactly what the backend sends.
    """

    _vast = None

    def message(self, *args, **kwargs):
        if self._vast is None:
            self._vast = super().message(*args, **kwargs)
        return self._vast


def terugsturen_naar(convenant) -> dict:
    """The relatiemanager and the address the signed copy goes to, for the mail texts."""
    relatiemanager = convenant.contact(Rol.RELATIEMANAGER)
    organisatie = (relatiemanager.organisatie if relatiemanager and relatiemanager.organisatie_id
                   else convenant.platform31)
    return {
        "relatiemanager": relatiemanager,
        "organisatie": organisatie,
        "adresregels": [r for r in (organisatie.statutaire_naam or organisatie.naam,
                                    f"t.a.v. {relatiemanager.naam}" if relatiemanager else "",
                                    organisatie.adres, organisatie.plaats) if r],
    }


def _antwoord_aan(convenant) -> list[str]:
    for rol in (Rol.RELATIEMANAGER, Rol.SECRETARIS_G40):
        persoon = convenant.contact(rol)
        if persoon and persoon.email:
            return [persoon.email]
    return []


def laatste_verzonden_pdf(ov) -> OvereenkomstDocument | None:
    return ov.documenten.filter(soort=DocumentSoort.VERZONDEN).order_by("-aangemaakt_op", "-pk").first()


def _maak_en_verstuur(ov, soort: str, adressen: list[str], pdf: OvereenkomstDocument, gebruiker,
                      sjabloon: str, onderwerp: str, extra: dict) -> Bericht:
    """Build the message, keep its .eml and the log row, send it once the transaction commits."""
    conv = ov.convenant
    with pdf.bestand.open("rb") as f:
        pdf_bytes = f.read()
    context = {"ov": ov, "convenant": conv, "aanhef": aanhef_voor(ov.gemeente, adressen),
               "bijlage": pdf.bestand.name.rsplit("/", 1)[-1], **terugsturen_naar(conv), **extra}
    antwoord = _antwoord_aan(conv)
    email = VastBericht(
        subject=onderwerp, body=render_to_string(sjabloon, context), from_email=settings.DEFAULT_FROM_EMAIL,
        to=adressen, reply_to=antwoord or None,
    )
    email.attach(context["bijlage"], pdf_bytes, "application/pdf")
    eml = email.message().as_bytes()
    with transaction.atomic():
        eml_doc = documenten.bewaar_bericht(ov, f"{soort}-{conv.slug}-{ov.gemeente.slug}.eml", eml, gebruiker)
        bericht = Bericht.objects.create(
            overeenkomst=ov, soort=soort, aan=", ".join(adressen)[:500], antwoord_aan=", ".join(antwoord),
            onderwerp=onderwerp[:300], eml=eml_doc, bijlage=pdf,
            verstuurd_door=gebruiker if getattr(gebruiker, "pk", None) else None,
        )
        transaction.on_commit(lambda: _verstuur(bericht.pk, email))
    return bericht


def _verstuur(bericht_pk: int, email: EmailMessage) -> None:
    """After commit: hand the message to the mail server and write down how that went."""
    try:
        if not email.send(fail_silently=False):
            raise RuntimeError("de mailserver nam het bericht niet aan")
    except Exception as fout:  # noqa: BLE001 — every failure is recorded, none may be lost
        logger.exception("Bericht %s niet verstuurd", bericht_pk)
        Bericht.objects.filter(pk=bericht_pk).update(
            status=BerichtStatus.MISLUKT, fout=f"{type(fout).__name__}: {fout}"[:2000],
        )
        return
    Bericht.objects.filter(pk=bericht_pk).update(status=BerichtStatus.VERSTUURD, verstuurd_op=timezone.now(),
                                                 fout="")


def verstuur_overeenkomst(ov, pdf: OvereenkomstDocument, adressen: list[str], gebruiker=None) -> Bericht:
    """Mail the final PDF just stored for this agreement (called by `workflow.markeer_verzonden`)."""
    conv = ov.convenant
    onderwerp = f"Samenwerkingsovereenkomst G40 en Platform31 {conv.slug} – {ov.gemeente.naam}"
    return _maak_en_verstuur(ov, BerichtSoort.OVEREENKOMST, adressen, pdf, gebruiker,
                             "g40/mail_overeenkomst.txt", onderwerp, {})


# --- reminders -----------------------------------------------------------------------------


@dataclass
class Herinneringen:
    """Who a reminder goes to under one convenant, and who not and why."""

    versturen: list = field(default_factory=list)  # (agreement, Ontvangers, sent PDF)
    zonder_adres: list = field(default_factory=list)
    zonder_pdf: list = field(default_factory=list)  # sent, but no PDF kept (e.g. loaded from the register)
    niet_verzonden: list = field(default_factory=list)  # concepts: for the relatiemanager, never mailed
    totaal: int = 0


def herinneringen(convenant) -> Herinneringen:
    """Sent and not yet signed: a reminder with the PDF again. Not yet sent: a separate list."""
    from .models import Samenwerkingsovereenkomst

    qs = Samenwerkingsovereenkomst.objects.filter(convenant=convenant)
    uit = Herinneringen(totaal=qs.count())
    open_ = list(qs.filter(status__in=(Status.CONCEPT, Status.VERZONDEN)).select_related("gemeente", "convenant")
                 .order_by("gemeente__naam"))
    adressen = ontvangers(ov.gemeente_id for ov in open_)
    pdfs = {}
    for doc in OvereenkomstDocument.objects.filter(
        overeenkomst__in=[ov for ov in open_ if ov.status == Status.VERZONDEN], soort=DocumentSoort.VERZONDEN,
    ).order_by("aangemaakt_op", "pk"):
        pdfs[doc.overeenkomst_id] = doc  # the last one sent wins
    for ov in open_:
        if ov.status == Status.CONCEPT:
            uit.niet_verzonden.append(ov)
        elif ov.gemeente_id not in adressen:
            uit.zonder_adres.append(ov)
        elif ov.pk not in pdfs:
            uit.zonder_pdf.append(ov)
        else:
            uit.versturen.append((ov, adressen[ov.gemeente_id], pdfs[ov.pk]))
    return uit


def herinner(ov, ontvangers_: Ontvangers, pdf: OvereenkomstDocument, gebruiker=None) -> Bericht:
    """One reminder: only for an agreement that was sent and is not yet signed."""
    from .models import Samenwerkingsovereenkomst

    with transaction.atomic():
        vers = Samenwerkingsovereenkomst._base_manager.select_for_update().select_related(
            "convenant", "gemeente").get(pk=ov.pk)
        if vers.status != Status.VERZONDEN:
            raise ValidationError(f"{vers.gemeente}: geen herinnering; de overeenkomst is "
                                  f"{vers.get_status_display().lower()}.")
        conv = vers.convenant
        onderwerp = f"Herinnering: samenwerkingsovereenkomst G40 en Platform31 {conv.slug} – {vers.gemeente.naam}"
        return _maak_en_verstuur(vers, BerichtSoort.HERINNERING, ontvangers_.adressen, pdf, gebruiker,
                                 "g40/herinnering.txt", onderwerp, {})


def verstuur_herinneringen(lijst: Herinneringen, gebruiker=None) -> list[Bericht]:
    """Every reminder of the list, each in its own transaction (one failure does not stop the rest)."""
    verstuurd = []
    for ov, ontv, pdf in lijst.versturen:
        try:
            verstuurd.append(herinner(ov, ontv, pdf, gebruiker))
        except ValidationError:
            continue  # signed in the meantime
    for bericht in verstuurd:
        bericht.refresh_from_db(fields=["status", "fout", "verstuurd_op"])
    return verstuurd


def samenvatting(berichten: list[Bericht]) -> str:
    gelukt = sum(b.status == BerichtStatus.VERSTUURD for b in berichten)
    mislukt = [b for b in berichten if b.status == BerichtStatus.MISLUKT]
    tekst = f"{gelukt} van {len(berichten)} bericht{'en' if len(berichten) != 1 else ''} verstuurd."
    if mislukt:
        tekst += " Mislukt: " + "; ".join(f"{b.overeenkomst.gemeente} ({b.fout})" for b in mislukt) + "."
    return tekst

