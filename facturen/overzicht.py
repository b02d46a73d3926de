"""Invoices as tables: the finance export per year and invoiced / paid / outstanding per year.

Both are :class:`overeenkomsten.rapportages.Tabel` objects, written as CSV or
XLSX by :mod:`overeenkomsten.resources` (dot decimals in CSV, real numbers in
XLSX) and shown by the desk's report pages.

Signs: a credit note's amounts are positive in the document itself and
negative here, so a column adds up to what is owed. ``verrekening`` is the part
of the row that settles the surplus (negative: a deduction); it is included in
``bedrag_excl_btw``.

Text cells that a spreadsheet would read as a formula (starting with ``=``,
``+``, ``-`` or ``@``) get a leading apostrophe.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from overeenkomsten.rapportages import BEDRAG, DATUM, TARIEF, Kolom, Tabel

from .constants import FactuurStatus
from .documenten import bedragen
from .models import Factuur

NUL = Decimal("0.00")
FORMULE_TEKENS = ("=", "+", "-", "@")

EXPORT_KOLOMMEN = [
    Kolom("factuurnummer", "Factuurnummer"),
    Kolom("factuurdatum", "Factuurdatum", DATUM),
    Kolom("vervaldatum", "Vervaldatum", DATUM),
    Kolom("gemeente", "Gemeente"),
    Kolom("cbs_code", "CBS-code"),
    Kolom("omschrijving", "Omschrijving"),
    Kolom("bedrag_excl_btw", "Bedrag excl. btw", BEDRAG, totaal=True),
    Kolom("btw_percentage", "Btw %", TARIEF),
    Kolom("btw_bedrag", "Btw", BEDRAG, totaal=True),
    Kolom("bedrag_incl_btw", "Bedrag incl. btw", BEDRAG, totaal=True),
    Kolom("verrekening", "Verrekening overschot", BEDRAG, totaal=True),
    Kolom("status", "Status"),
    Kolom("betaald_op", "Betaald op", DATUM),
]


def veilige_tekst(waarde: str) -> str:
    """Neutralise spreadsheet formulas in text: '=SUM(A1)' → \"'=SUM(A1)\"."""
    if isinstance(waarde, str) and waarde.startswith(FORMULE_TEKENS):
        return "'" + waarde
    return waarde


def facturen_van_jaar(jaar: int, queryset=None):
    qs = Factuur.objects.all() if queryset is None else queryset
    return (qs.filter(jaar=jaar).select_related("gemeente", "crediteert").prefetch_related("regels")
            .order_by("nummer"))


def rij(f: Factuur) -> dict:
    b = bedragen(f)
    t = f.teken
    return {
        "factuurnummer": f.nummer,
        "factuurdatum": f.factuurdatum,
        "vervaldatum": f.vervaldatum,
        "gemeente": veilige_tekst(f.gemeente.naam),
        "cbs_code": f.gemeente.cbs_code,
        "omschrijving": veilige_tekst(f.omschrijving),
        "bedrag_excl_btw": t * b["bedrag_excl_btw"],
        "btw_percentage": b["btw_percentage"],
        "btw_bedrag": t * b["btw_bedrag"],
        "bedrag_incl_btw": t * b["bedrag_incl_btw"],
        "verrekening": t * b["verrekening"],
        "status": f.status,
        "betaald_op": f.betaald_op,
    }


def export(jaar: int, queryset=None) -> Tabel:
    """One row per invoice or credit note over `jaar`: what finance books."""
    tabel = Tabel(f"Facturen {jaar}", f"facturen-{jaar}", EXPORT_KOLOMMEN)
    tabel.rijen = [rij(f) for f in facturen_van_jaar(jaar, queryset)]
    return tabel


# --- invoiced / paid / outstanding --------------------------------------------------------------

STAND_KOLOMMEN = [
    Kolom("jaar", "Jaar"),
    Kolom("aantal", "Facturen en creditnota's"),
    Kolom("concept", "Nog concept (excl. btw)", BEDRAG, totaal=True),
    Kolom("gefactureerd", "Gefactureerd (incl. btw)", BEDRAG, totaal=True),
    Kolom("betaald", "Betaald", BEDRAG, totaal=True),
    Kolom("openstaand", "Openstaand", BEDRAG, totaal=True),
    Kolom("vervallen", "Waarvan over de vervaldatum", BEDRAG, totaal=True),
]


def stand_per_jaar(queryset=None, vandaag: datetime.date | None = None) -> Tabel:
    """Per convenant year: invoiced (sent, incl. BTW, credit notes subtracted), paid, outstanding, overdue.

    A credit note counts as settled against its invoice: it lowers what was
    invoiced and what is outstanding. Concepts are not invoiced yet; they are
    shown apart.
    """
    vandaag = vandaag or timezone.localdate()
    qs = Factuur.objects.all() if queryset is None else queryset
    per_jaar: dict[int, dict] = {}
    for f in qs.prefetch_related("regels").order_by("jaar"):
        r = per_jaar.setdefault(f.jaar, {"jaar": f.jaar, "aantal": 0, "concept": NUL, "gefactureerd": NUL,
                                         "betaald": NUL, "openstaand": NUL, "vervallen": NUL})
        r["aantal"] += 1
        if f.status == FactuurStatus.CONCEPT:
            r["concept"] += f.teken * f.bedrag_excl_btw
            continue
        bedrag = f.teken * f.bedrag_incl_btw
        r["gefactureerd"] += bedrag
        if f.status == FactuurStatus.BETAALD:
            r["betaald"] += bedrag
        else:
            r["openstaand"] += bedrag
            if not f.is_creditnota and f.vervaldatum < vandaag:
                r["vervallen"] += bedrag
    tabel = Tabel("Facturen per jaar: gefactureerd, betaald, openstaand", "facturen-stand", STAND_KOLOMMEN)
    tabel.rijen = list(per_jaar.values())
    return tabel


def vervallen_facturen(vandaag: datetime.date | None = None, queryset=None):
    """Sent, unpaid invoices past their due date (for the calendar and the dashboard)."""
    vandaag = vandaag or timezone.localdate()
    qs = Factuur.objects.all() if queryset is None else queryset
    return (qs.filter(status=FactuurStatus.VERZONDEN, vervaldatum__lt=vandaag)
            .exclude(soort__in=["creditnota", "creditnota_verrekening"])
            .select_related("gemeente").order_by("vervaldatum"))


def facturering_stand(convenant, vandaag: datetime.date | None = None) -> dict | None:
    """For the dashboard: this year's invoicing in the first quarter (2019–2022 art. 7.6) and overdue payments.

    None when the convenant does not run this year. ``status`` is ``gedaan``
    (every invoiceable agreement has its invoice for the year), ``te_laat``
    (not yet, and 31 March has passed) or ``gepland``.
    """
    from .constants import FactuurSoort
    from .services import te_factureren

    vandaag = vandaag or timezone.localdate()
    jaar = vandaag.year
    if jaar not in convenant.jaren:
        return None
    kandidaten, _ = te_factureren(convenant, jaar)
    ids = {ov.pk for ov in kandidaten}
    gefactureerd = verzonden = 0
    for ov_id, status in Factuur.objects.filter(convenant=convenant, jaar=jaar,
                                                soort=FactuurSoort.JAARBIJDRAGE).values_list("overeenkomst_id",
                                                                                             "status"):
        gefactureerd += ov_id in ids
        verzonden += status != FactuurStatus.CONCEPT
    uiterlijk = datetime.date(jaar, 3, 31)
    klaar = gefactureerd >= len(kandidaten)
    return {
        "jaar": jaar,
        "uiterlijk": uiterlijk,
        "te_factureren": len(kandidaten),
        "gefactureerd": gefactureerd,
        "verzonden": verzonden,
        "status": "gedaan" if klaar else ("te_laat" if vandaag > uiterlijk else "gepland"),
        "vervallen": list(vervallen_facturen(vandaag, Factuur.objects.filter(convenant=convenant))),
    }
