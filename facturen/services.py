"""The work on invoices: making the year's invoices, sending, payment, crediting, the surplus.

Every function that writes does so in one transaction: a failure leaves
nothing half-written and gives no number away (numbers come from
:func:`volgend_nummer` inside the same transaction).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from convenant import formatting, rules
from convenant.models import Convenant
from overeenkomsten.models import Samenwerkingsovereenkomst

from .constants import FactuurSoort, FactuurStatus, RegelSoort
from .models import BtwTarief, ExtraBijdrage, Factuur, Factuurregel, Nummerreeks, Overschotverrekening


class OntbrekendeFactuurgegevens(ValidationError):
    """The invoice cannot be sent: it still lacks data (named, every one)."""

    def __init__(self, factuur: Factuur, velden: list[str]):
        self.factuur = factuur
        self.velden = velden
        super().__init__(
            f"Factuur {factuur.nummer} ({factuur.gemeente}) kan nog niet worden verzonden; "
            f"het blijft een concept. Vul eerst in: {', '.join(velden)}."
        )


def betaaltermijn_dagen() -> int:
    return int(getattr(settings, "FACTUUR_BETAALTERMIJN_DAGEN", 30))


def standaard_factuurdatum(jaar: int, vandaag: datetime.date | None = None) -> datetime.date:
    """Platform31 invoices in the first quarter of the convenant year (2019–2022 art. 7.6).

    Before the year: 1 January of the year; in its first quarter: today; later
    (invoicing after the fact): today as well, never a date in the past.
    """
    vandaag = vandaag or timezone.localdate()
    return max(vandaag, datetime.date(jaar, 1, 1))


def volgend_nummer(jaar: int) -> str:
    """The next number of the year's series (`2027-0001`), taken under a row lock.

    Must run inside the transaction that creates the invoice: if that
    transaction fails, the number is not used up either (no gaps).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Een factuurnummer wordt alleen binnen een transactie uitgegeven.")
    Nummerreeks.objects.get_or_create(jaar=jaar)
    reeks = Nummerreeks.objects.select_for_update().get(jaar=jaar)
    reeks.laatste += 1
    reeks.save(update_fields=["laatste"])
    return f"{jaar}-{reeks.laatste:04d}"


def _nieuwe_factuur(regels: list[dict], **velden) -> Factuur:
    factuurdatum = velden["factuurdatum"]
    velden.setdefault("vervaldatum", rules.vervaldatum(factuurdatum, betaaltermijn_dagen()))
    velden.setdefault("btw_percentage", BtwTarief.op(factuurdatum).percentage)
    factuur = Factuur(nummer=volgend_nummer(factuurdatum.year), **velden)
    factuur.full_clean(exclude=["nummer"], validate_unique=False, validate_constraints=False)
    factuur.save()
    for i, regel in enumerate(regels, start=1):
        Factuurregel.objects.create(factuur=factuur, volgorde=i, **regel)
    return factuur


# --- the year's invoices -------------------------------------------------------------------------

def jaarbijdrage_regel(ov: Samenwerkingsovereenkomst, jaar: int) -> dict:
    aantal, prijs = rules.jaarfactuur_aantal_en_prijs(
        ov.inwoners, ov.bijdrage_per_inwoner, jaar, ov.begint_op, ov.einddatum)
    return {
        "soort": RegelSoort.BIJDRAGE,
        "omschrijving": (f"Bijdrage {jaar} convenant G40-Stedennetwerk en Platform31 {ov.convenant.slug}: "
                         f"{formatting.aantal(ov.inwoners)} inwoners (CBS, peildatum "
                         f"{formatting.datum(ov.peildatum)}) × {formatting.tarief(ov.bijdrage_per_inwoner)}"),
        "aantal": Decimal(aantal),
        "eenheid": "inwoners",
        "prijs": prijs,
    }


@dataclass
class Facturering:
    convenant: Convenant
    jaar: int
    dry_run: bool
    nieuw: list = field(default_factory=list)        # Factuur (saved) or, in a dry run, (ov, line dict)
    bestaand: list[Factuur] = field(default_factory=list)
    overgeslagen: list[tuple] = field(default_factory=list)  # (agreement, reason)

    @property
    def totaal_nieuw(self) -> Decimal:
        if self.dry_run:
            return sum((rules.regelbedrag(r["aantal"], r["prijs"]) for _, r in self.nieuw), Decimal("0.00"))
        return sum((f.bedrag_excl_btw for f in self.nieuw), Decimal("0.00"))


def te_factureren(convenant: Convenant, jaar: int):
    """(invoiceable agreements, [(agreement, reason not invoiced)]) for `jaar`."""
    if jaar not in convenant.jaren:
        raise ValidationError(f"{jaar} valt buiten de looptijd van convenant {convenant.slug} "
                              f"({convenant.jaren[0]}–{convenant.jaren[-1]}).")
    ja, nee = [], []
    for ov in convenant.overeenkomsten.select_related("gemeente", "convenant").order_by("gemeente__naam"):
        if not ov.is_getekend:
            nee.append((ov, "nog niet getekend"))
        elif not ov.loopt_in_jaar(jaar):
            nee.append((ov, f"loopt niet in {jaar} (van {formatting.datum(ov.begint_op)} "
                            f"t/m {formatting.datum(ov.einddatum)})"))
        else:
            ja.append(ov)
    return ja, nee


def factureer(convenant: Convenant, jaar: int, dry_run: bool = False,
              factuurdatum: datetime.date | None = None) -> Facturering:
    """One invoice for every signed agreement that runs in `jaar`; existing ones are left alone."""
    factuurdatum = factuurdatum or standaard_factuurdatum(jaar)
    BtwTarief.op(factuurdatum)  # a clear error before anything happens
    resultaat = Facturering(convenant, jaar, dry_run)
    kandidaten, resultaat.overgeslagen = te_factureren(convenant, jaar)
    bestaand = {f.overeenkomst_id: f for f in Factuur.objects.filter(
        overeenkomst__in=kandidaten, jaar=jaar, soort=FactuurSoort.JAARBIJDRAGE)}
    with transaction.atomic():
        for ov in kandidaten:
            if ov.pk in bestaand:
                resultaat.bestaand.append(bestaand[ov.pk])
                continue
            regel = jaarbijdrage_regel(ov, jaar)
            if dry_run:
                resultaat.nieuw.append((ov, regel))
                continue
            resultaat.nieuw.append(_nieuwe_factuur(
                [regel], soort=FactuurSoort.JAARBIJDRAGE, convenant=convenant, jaar=jaar, gemeente=ov.gemeente,
                overeenkomst=ov, factuurdatum=factuurdatum,
                omschrijving=f"Bijdrage {jaar} convenant {convenant.slug}",
            ))
    return resultaat


# --- status -----------------------------------------------------------------------------------

def verzend(factuur: Factuur, op: datetime.date | None = None) -> Factuur:
    """Mark as sent (the document goes out by Peppol or mail; no e-mail is sent from here)."""
    op = op or timezone.localdate()
    with transaction.atomic():
        factuur = Factuur.objects.select_for_update().get(pk=factuur.pk)
        if factuur.status != FactuurStatus.CONCEPT:
            raise ValidationError(f"Factuur {factuur.nummer} is al {factuur.get_status_display().lower()}.")
        factuur.neem_partijen_over()
        if ontbrekend := factuur.ontbrekende_gegevens():
            raise OntbrekendeFactuurgegevens(factuur, ontbrekend)
        if op < factuur.factuurdatum:
            raise ValidationError(f"Factuur {factuur.nummer} kan niet vóór haar factuurdatum "
                                  f"({formatting.datum(factuur.factuurdatum)}) verzonden zijn.")
        factuur.status = FactuurStatus.VERZONDEN
        factuur.verzonden_op = op
        factuur.save()
    return factuur


def registreer_betaling(factuur: Factuur, op: datetime.date) -> Factuur:
    with transaction.atomic():
        factuur = Factuur.objects.select_for_update().get(pk=factuur.pk)
        if factuur.status != FactuurStatus.VERZONDEN:
            raise ValidationError(f"Alleen een verzonden factuur kan betaald worden; factuur {factuur.nummer} "
                                  f"is {factuur.get_status_display().lower()}.")
        if op < factuur.factuurdatum:
            raise ValidationError(f"De betaaldatum van factuur {factuur.nummer} ligt vóór de factuurdatum.")
        factuur.status = FactuurStatus.BETAALD
        factuur.betaald_op = op
        factuur.save()
    return factuur


def crediteer(factuur: Factuur, datum: datetime.date | None = None, nieuwe_factuur: bool = True):
    """Credit a sent invoice in full; with `nieuwe_factuur` also make a new concept to correct.

    Returns (credit note, new invoice or None). The credit note carries the
    same lines and BTW rate and refers to the invoice (EN 16931 BG-3); the new
    invoice starts as a copy, a concept, to be corrected and sent.
    """
    datum = datum or timezone.localdate()
    with transaction.atomic():
        factuur = Factuur.objects.select_for_update().get(pk=factuur.pk)
        if factuur.is_creditnota:
            raise ValidationError(f"{factuur.nummer} is zelf een creditnota en kan niet worden gecrediteerd.")
        if factuur.status == FactuurStatus.CONCEPT:
            raise ValidationError(f"Factuur {factuur.nummer} is nog een concept: pas haar aan in plaats van "
                                  "haar te crediteren.")
        if factuur.is_gecrediteerd:
            raise ValidationError(f"Factuur {factuur.nummer} is al gecrediteerd.")
        regels = [{"soort": r.soort, "omschrijving": r.omschrijving, "aantal": r.aantal, "eenheid": r.eenheid,
                   "prijs": r.prijs} for r in factuur.regels.all()]
        gemeen = {"convenant": factuur.convenant, "jaar": factuur.jaar, "gemeente": factuur.gemeente,
                  "overeenkomst": factuur.overeenkomst, "extra_bijdrage": factuur.extra_bijdrage,
                  "referentie": factuur.referentie, "inkoopordernummer": factuur.inkoopordernummer}
        credit = _nieuwe_factuur(
            regels, soort=FactuurSoort.CREDITNOTA, crediteert=factuur, factuurdatum=max(datum, factuur.factuurdatum),
            btw_percentage=factuur.btw_percentage, omschrijving=f"Creditering van factuur {factuur.nummer}", **gemeen,
        )
        nieuw = None
        if nieuwe_factuur:
            nieuw = _nieuwe_factuur(
                regels, soort=FactuurSoort.HERZIEN, vervangt=factuur, factuurdatum=max(datum, factuur.factuurdatum),
                omschrijving=f"{factuur.omschrijving} (vervangt {factuur.nummer})", **gemeen,
            )
    return credit, nieuw


# --- the surplus --------------------------------------------------------------------------------

@dataclass
class Verrekendeel:
    factuur: Factuur
    grondslag: Decimal   # the city's contribution invoiced for the last year
    deel: Decimal        # its part of the surplus
    hoe: str             # "aftrekregel", "creditnota" or "geen (0,00)"


def _facturen_laatste_jaar(convenant: Convenant):
    """The year's contribution invoices that still count: not credited (their replacement instead)."""
    facturen = (Factuur.objects.filter(convenant=convenant, jaar=convenant.laatste_jaar,
                                       soort__in=[FactuurSoort.JAARBIJDRAGE, FactuurSoort.HERZIEN])
                .select_related("gemeente").prefetch_related("regels", "creditnotas").order_by("gemeente__naam"))
    return [f for f in facturen if not any(c.soort == FactuurSoort.CREDITNOTA for c in f.creditnotas.all())]


def verdeling_overschot(convenant: Convenant, bedrag: Decimal) -> list[Verrekendeel]:
    """How a surplus divides over the cities invoiced in the convenant's last year (a preview)."""
    bedrag = Decimal(bedrag)
    if bedrag <= 0 or bedrag != rules.naar_cent(bedrag):
        raise ValidationError("Het overschot is een bedrag groter dan nul, in euro en centen (bijv. 12345.67).")
    facturen = _facturen_laatste_jaar(convenant)
    if not facturen:
        raise ValidationError(f"Over {convenant.laatste_jaar}, het laatste jaar van convenant {convenant.slug}, "
                              "zijn nog geen facturen gemaakt; factureer dat jaar eerst.")
    grondslagen = [sum((r.bedrag for r in f.regels.all() if r.soort == RegelSoort.BIJDRAGE), Decimal("0.00"))
                   for f in facturen]
    if sum(grondslagen) < bedrag:
        raise ValidationError(f"Het overschot ({formatting.euro(bedrag)}) is groter dan wat over "
                              f"{convenant.laatste_jaar} is gefactureerd ({formatting.euro(sum(grondslagen))}).")
    delen = rules.verdeel_naar_rato(bedrag, grondslagen)
    return [Verrekendeel(f, g, d, "geen (0,00)" if not d else "aftrekregel" if f.is_concept else "creditnota")
            for f, g, d in zip(facturen, grondslagen, delen, strict=True)]


def verreken_overschot(convenant: Convenant, bedrag: Decimal, vastgesteld_op: datetime.date,
                       dry_run: bool = False, door=None) -> list[Verrekendeel]:
    """Record the surplus and settle each city's part on its last-year invoice (or a credit note)."""
    if Overschotverrekening.objects.filter(convenant=convenant).exists():
        raise ValidationError(f"Voor convenant {convenant.slug} is al een overschot verrekend.")
    delen = verdeling_overschot(convenant, bedrag)
    if dry_run:
        return delen
    omschrijving = (f"Verrekening overschot convenant {convenant.slug} (vastgesteld "
                    f"{formatting.datum(vastgesteld_op)}), naar rato van de bijdrage {convenant.laatste_jaar}")
    with transaction.atomic():
        Overschotverrekening.objects.create(convenant=convenant, jaar=convenant.laatste_jaar, bedrag=bedrag,
                                            vastgesteld_op=vastgesteld_op, aangemaakt_door=door)
        for d in delen:
            if not d.deel:
                continue
            f = Factuur.objects.select_for_update().get(pk=d.factuur.pk)
            if f.is_concept:
                volgorde = (f.regels.order_by("-volgorde").values_list("volgorde", flat=True).first() or 0) + 1
                Factuurregel.objects.create(factuur=f, volgorde=volgorde, soort=RegelSoort.VERREKENING,
                                            omschrijving=omschrijving, aantal=Decimal("-1"), prijs=d.deel)
            else:
                d.creditnota = _nieuwe_factuur(
                    [{"soort": RegelSoort.VERREKENING, "omschrijving": omschrijving, "aantal": Decimal("1"),
                      "prijs": d.deel}],
                    soort=FactuurSoort.CREDITNOTA_VERREKENING, crediteert=f, convenant=convenant, jaar=f.jaar,
                    gemeente=f.gemeente, overeenkomst=f.overeenkomst, referentie=f.referentie,
                    inkoopordernummer=f.inkoopordernummer, btw_percentage=f.btw_percentage,
                    factuurdatum=max(timezone.localdate(), f.factuurdatum),
                    omschrijving=f"Verrekening overschot {convenant.slug} op factuur {f.nummer}",
                )
    return delen


# --- extra contributions --------------------------------------------------------------------------

def factureer_extra_bijdrage(extra: ExtraBijdrage, dry_run: bool = False,
                             factuurdatum: datetime.date | None = None) -> list:
    """One invoice per participating city for an extra contribution; again creates nothing new."""
    extra.full_clean()
    if not extra.bedrag_per_stad:
        raise ValidationError(f"Voor ‘{extra}’ wordt geen bijdrage gevraagd ({extra.get_uitgangspunt_display()}).")
    factuurdatum = factuurdatum or timezone.localdate()
    al = set(Factuur.objects.filter(extra_bijdrage=extra, soort=FactuurSoort.EXTRA_BIJDRAGE)
             .values_list("gemeente_id", flat=True))
    onderwerp = extra.activiteit or extra.projectblad
    nieuw = []
    with transaction.atomic():
        for gemeente in extra.deelnemers.order_by("naam"):
            if gemeente.pk in al:
                continue
            regel = {"soort": RegelSoort.EXTRA, "omschrijving": f"{extra.omschrijving} ({onderwerp})",
                     "aantal": Decimal("1"), "prijs": extra.bedrag_per_stad}
            if dry_run:
                nieuw.append((gemeente, regel))
                continue
            ov = Samenwerkingsovereenkomst.objects.filter(convenant=extra.convenant, gemeente=gemeente).first()
            nieuw.append(_nieuwe_factuur(
                [regel], soort=FactuurSoort.EXTRA_BIJDRAGE, extra_bijdrage=extra, convenant=extra.convenant,
                jaar=extra.jaar, gemeente=gemeente, overeenkomst=ov, factuurdatum=factuurdatum,
                omschrijving=f"Extra bijdrage: {extra.omschrijving}",
            ))
    return nieuw
