"""The reports on agreements: the overview per convenant, the yearly invoice list, the comparison.

Each report is a :class:`Tabel`: named columns with a kind (text, count, money,
rate, date) and rows of plain Python values (``Decimal`` for money, ``date``
for dates). :mod:`overeenkomsten.resources` writes a table as CSV or XLSX,
the report pages show it with Dutch notation. Every report runs a fixed number
of queries, however many municipalities there are.

Choices made here (also in the README):

- **Overview**: one row per agreement under the convenant, with the amount as
  fixed in the agreement (its snapshot), not as recomputed from today's figures.
- **Invoice list for year Y**: every agreement that runs in Y
  (:meth:`Samenwerkingsovereenkomst.loopt_in_jaar`: its convenant covers Y and a
  termination has not yet taken effect). Only signed agreements (status
  ondertekend or opgezegd) are invoiceable; agreements that would run in Y but
  are not signed yet are listed with ``factureerbaar = nee``, the reason “nog
  niet getekend” and ``te_factureren = 0.00``, so finance sees who is still
  missing without invoicing them. The amount comes from
  :meth:`Samenwerkingsovereenkomst.te_factureren`, the one rule: the full yearly
  amount (the convenants fix an amount per year and set no pro rata rule; a
  termination always takes effect on 1 January; a city that joins during the
  convenant pays from the year of its own start date, that whole year).
- **Comparison of two convenants** per municipality, from the agreements'
  snapshots: with inhabitants i and rate t (old 0, new 1)::

      verschil         = bedrag1 − bedrag0
      tariefeffect     = (t1 − t0) × i0            (the old population at the new rate)
      bevolkingseffect = verschil − tariefeffect   (= t1 × (i1 − i0) when no rounding is involved)

  so tariefeffect + bevolkingseffect = verschil to the cent, always. A
  municipality in only one convenant (Amstelveen joined in 2022) has no rate or
  population effect: its whole amount is the ``deelnameeffect`` (+ for joining,
  − for leaving), so for every row and for the totals
  ``verschil = tariefeffect + bevolkingseffect + deelnameeffect``.

  Budget memos quote the change differently, so the comparison also shows,
  labelled: the change in percent of the *old* amount (``verschil_procent``;
  on the rate alone that would be € 0,02 / € 0,13 = 15,38 %), the rate rise times the
  *new* population (``tariefeffect_nieuw``: € 0,02 × 101.446 = € 2.028,92,
  Deventer's memo: "€ 2.029") and the rate rise in percent of the *new* rate
  (``tariefstijging_procent``: € 0,02 / € 0,15 = 13,33 %, the memo's figure).
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from convenant import formatting
from convenant.models import Convenant
from convenant.rules import CENT, procent

from .constants import Status
from .models import Samenwerkingsovereenkomst

TEKST, AANTAL, BEDRAG, TARIEF, DATUM, STATUS = "tekst", "aantal", "bedrag", "tarief", "datum", "status"
PROCENT = "procent"
GETEKEND = (Status.ONDERTEKEND, Status.OPGEZEGD)
NUL = Decimal("0.00")


@dataclass(frozen=True)
class Kolom:
    naam: str          # the header in files; a contract for the columns the issue names
    titel: str         # the header on a page
    soort: str = TEKST
    totaal: bool = False
    op_pagina: bool = True  # False: only in files (the page shows the same thing otherwise)


@dataclass
class Tabel:
    titel: str
    bestandsnaam: str  # without extension
    kolommen: list[Kolom]
    rijen: list[dict] = field(default_factory=list)

    def totalen(self) -> dict:
        return {k.naam: sum((r[k.naam] or 0 for r in self.rijen), NUL if k.soort == BEDRAG else 0)
                for k in self.kolommen if k.totaal}

    def waarden(self, rij: dict) -> list:
        return [rij[k.naam] for k in self.kolommen]


def _basis(ov: Samenwerkingsovereenkomst) -> dict:
    return {
        "gemeente": ov.gemeente.naam,
        "cbs_code": ov.gemeente.cbs_code,
        "inwoners": ov.inwoners,
        "peildatum": ov.peildatum,
        "bedrag_per_jaar": ov.bedrag_per_jaar,
        "status": ov.toestand(),  # ‘afgelopen’ once a signed agreement is past its end
        "verzonden_op": ov.verzonden_op,
        "ondertekend_op": ov.ondertekend_op,
        "convenant": ov.convenant.slug,
        "bijdrage_per_inwoner": ov.bijdrage_per_inwoner,
        "status_omschrijving": ov.toestand_label,
        "verzonden_aan": ov.verzonden_aan,
        "ontvangen_op": ov.ontvangen_op,
        "ontvangst_toelichting": "datum onbekend" if ov.datum_onbekend else "",
        "ingangsdatum": ov.begint_op,
        "opgezegd_door": ov.opgezegd_door,
        "opzegging_verzonden_op": ov.opzegging_verzonden_op,
        "opzegging_ontvangen_op": ov.opzegging_ontvangen_op,
        "einddatum": ov.laatste_dag,
        "pk": ov.pk,
    }


def _overeenkomsten(queryset=None):
    qs = Samenwerkingsovereenkomst.objects.all() if queryset is None else queryset
    return qs.select_related("gemeente", "convenant").order_by("gemeente__naam", "convenant__ingangsdatum")


# --- overview ------------------------------------------------------------------

OVERZICHT_KOLOMMEN = [
    # the columns the issue names, in its order
    Kolom("gemeente", "Gemeente"),
    Kolom("cbs_code", "CBS-code"),
    Kolom("inwoners", "Inwoners", AANTAL, totaal=True),
    Kolom("peildatum", "Peildatum", DATUM),
    Kolom("bedrag_per_jaar", "Bedrag per jaar", BEDRAG, totaal=True),
    Kolom("status", "Status", STATUS),
    Kolom("verzonden_op", "Verzonden op", DATUM),
    Kolom("ondertekend_op", "Ondertekend op", DATUM),
    # more
    # the page is one convenant's: its name and rate stand above the table, not in every row
    Kolom("convenant", "Convenant", op_pagina=False),
    Kolom("bijdrage_per_inwoner", "Bijdrage per inwoner", TARIEF, op_pagina=False),
    Kolom("status_omschrijving", "Status (omschrijving)", op_pagina=False),
    Kolom("verzonden_aan", "Verzonden aan", op_pagina=False),
    Kolom("ontvangen_op", "Getekend ontvangen op", DATUM),
    Kolom("ontvangst_toelichting", "Toelichting ontvangst"),
    Kolom("ingangsdatum", "Begint op", DATUM),
    Kolom("opgezegd_door", "Opgezegd door"),
    Kolom("opzegging_verzonden_op", "Opzegging verzonden op", DATUM),
    Kolom("opzegging_ontvangen_op", "Opzegging ontvangen op", DATUM),
    Kolom("einddatum", "Loopt tot en met", DATUM),
]


def overzicht(convenant: Convenant) -> Tabel:
    """One row per agreement under `convenant`: what the command and the report page export."""
    return overzicht_van(
        Samenwerkingsovereenkomst.objects.filter(convenant=convenant),
        titel=f"Overeenkomsten convenant {convenant.slug}",
        bestandsnaam=f"overeenkomsten-{convenant.slug}",
    )


def overzicht_van(queryset, titel="Overeenkomsten", bestandsnaam="overeenkomsten") -> Tabel:
    """The overview for any set of agreements (the admin's selection)."""
    tabel = Tabel(titel, bestandsnaam, OVERZICHT_KOLOMMEN)
    tabel.rijen = [_basis(ov) for ov in _overeenkomsten(queryset)]
    return tabel


# --- yearly invoice list ---------------------------------------------------------------

FACTUURLIJST_KOLOMMEN = [
    Kolom("jaar", "Jaar", op_pagina=False),
    Kolom("gemeente", "Gemeente"),
    Kolom("cbs_code", "CBS-code", op_pagina=False),  # in the files; the page stays within 1366 px
    Kolom("convenant", "Convenant"),
    Kolom("inwoners", "Inwoners", AANTAL),
    Kolom("peildatum", "Peildatum", DATUM),
    Kolom("bijdrage_per_inwoner", "Bijdrage per inwoner", TARIEF),
    Kolom("bedrag_per_jaar", "Bedrag per jaar", BEDRAG),
    Kolom("factureerbaar", "Factureerbaar", op_pagina=False),
    Kolom("te_factureren", "Te factureren", BEDRAG, totaal=True),
    Kolom("status", "Status", STATUS),
    Kolom("ondertekend_op", "Ondertekend op", DATUM),
    Kolom("ontvangen_op", "Getekend ontvangen op", DATUM),
    Kolom("ontvangst_toelichting", "Toelichting ontvangst", op_pagina=False),
    Kolom("ingangsdatum", "Begint op", DATUM),
    Kolom("opzegging_verzonden_op", "Opzegging verzonden op", DATUM),
    Kolom("opzegging_ontvangen_op", "Opzegging ontvangen op", DATUM, op_pagina=False),
    Kolom("einddatum", "Loopt tot en met", DATUM),
    Kolom("toelichting", "Toelichting"),
]


def factuurlijst(jaar: int) -> Tabel:
    """Who owes what in `jaar`: every agreement that runs in that year; only signed ones invoiceable."""
    tabel = Tabel(f"Factuurlijst {jaar}", f"factuurlijst-{jaar}", FACTUURLIJST_KOLOMMEN)
    kandidaten = _overeenkomsten(Samenwerkingsovereenkomst.objects.filter(
        convenant__ingangsdatum__lte=datetime.date(jaar, 12, 31),
        convenant__einddatum__gte=datetime.date(jaar, 1, 1),
    ))
    for ov in kandidaten:
        if not ov.loopt_in_jaar(jaar):
            continue  # terminated: the notice has taken effect before this year
        rij = _basis(ov)
        getekend = ov.status in GETEKEND
        delen = []
        if not getekend:
            delen.append("nog niet getekend")
        elif ov.status == Status.OPGEZEGD:
            delen.append(f"opgezegd; loopt tot en met {formatting.datum(ov.einddatum)}")
        if ov.ingangsdatum and ov.ingangsdatum != ov.convenant.ingangsdatum:
            delen.append(f"toegetreden per {formatting.datum(ov.ingangsdatum)}")
        if ov.datum_onbekend:
            delen.append("ondertekend, datum onbekend")
        rij.update(
            jaar=jaar,
            factureerbaar="ja" if getekend else "nee",
            te_factureren=ov.te_factureren(jaar),  # the one rule (full year; see the model)
            toelichting="; ".join(delen),
        )
        tabel.rijen.append(rij)
    tabel.rijen.sort(key=lambda r: (r["factureerbaar"] != "ja", r["gemeente"]))
    return tabel


# --- comparison of two convenants ------------------------------------------------------------

def vergelijking_kolommen(oud: str, nieuw: str) -> list[Kolom]:
    return [
        Kolom("gemeente", "Gemeente"),
        Kolom("cbs_code", "CBS-code", op_pagina=False),  # the page stays within 1366 px
        # The page keeps to 1366 px: inhabitants and the memo's figures are in the files (and explained).
        Kolom("inwoners_oud", f"Inwoners {oud}", AANTAL, totaal=True, op_pagina=False),
        Kolom("bijdrage_oud", f"Bijdrage per inwoner {oud}", TARIEF, op_pagina=False),
        Kolom("bedrag_oud", f"Bedrag per jaar {oud}", BEDRAG, totaal=True),
        Kolom("inwoners_nieuw", f"Inwoners {nieuw}", AANTAL, totaal=True, op_pagina=False),
        Kolom("bijdrage_nieuw", f"Bijdrage per inwoner {nieuw}", TARIEF, op_pagina=False),
        Kolom("bedrag_nieuw", f"Bedrag per jaar {nieuw}", BEDRAG, totaal=True),
        Kolom("verschil", "Verschil per jaar", BEDRAG, totaal=True),
        Kolom("verschil_procent", f"Verschil in % van het bedrag {oud}", PROCENT),
        Kolom("tariefeffect", "Tariefeffect", BEDRAG, totaal=True),
        Kolom("bevolkingseffect", "Bevolkingseffect", BEDRAG, totaal=True),
        Kolom("deelnameeffect", "Deelname-effect", BEDRAG, totaal=True),
        Kolom("tariefeffect_nieuw", "Tariefverhoging × nieuw inwonertal (zoals in het raadsvoorstel)", BEDRAG,
              totaal=True, op_pagina=False),
        Kolom("tariefstijging_procent", f"Tariefverhoging in % van het tarief {nieuw}", PROCENT, op_pagina=False),
        Kolom("peildatum_oud", f"Peildatum {oud}", DATUM, op_pagina=False),
        Kolom("peildatum_nieuw", f"Peildatum {nieuw}", DATUM, op_pagina=False),
        Kolom("status_oud", f"Status {oud}", STATUS, op_pagina=False),
        Kolom("status_nieuw", f"Status {nieuw}", STATUS, op_pagina=False),
        Kolom("toelichting", "Toelichting"),
    ]


def splits_verschil(oud, nieuw) -> dict:
    """Split the change in yearly amount into rate, population and participation effects.

    `oud` and `nieuw` are agreements (or None). See the module docstring for
    the decomposition; the parts always add up to the change exactly.
    """
    bedrag_oud = oud.bedrag_per_jaar if oud else NUL
    bedrag_nieuw = nieuw.bedrag_per_jaar if nieuw else NUL
    verschil = bedrag_nieuw - bedrag_oud
    if oud and nieuw:
        tarief = ((nieuw.bijdrage_per_inwoner - oud.bijdrage_per_inwoner) * oud.inwoners).quantize(
            CENT, rounding=ROUND_HALF_UP)
        stijging = nieuw.bijdrage_per_inwoner - oud.bijdrage_per_inwoner
        return {"verschil": verschil, "tariefeffect": tarief, "bevolkingseffect": verschil - tarief,
                "deelnameeffect": NUL, "verschil_procent": procent(verschil, bedrag_oud),
                "tariefeffect_nieuw": (stijging * nieuw.inwoners).quantize(CENT, rounding=ROUND_HALF_UP),
                "tariefstijging_procent": procent(stijging, nieuw.bijdrage_per_inwoner)}
    return {"verschil": verschil, "tariefeffect": NUL, "bevolkingseffect": NUL, "deelnameeffect": verschil,
            "verschil_procent": None, "tariefeffect_nieuw": None, "tariefstijging_procent": None}


def vergelijking(oud: Convenant, nieuw: Convenant) -> Tabel:
    tabel = Tabel(
        f"Vergelijking convenant {oud.slug} en {nieuw.slug}",
        f"vergelijking-{oud.slug}-{nieuw.slug}",
        vergelijking_kolommen(oud.slug, nieuw.slug),
    )
    per_gemeente: dict[int, dict] = {}
    for ov in _overeenkomsten(Samenwerkingsovereenkomst.objects.filter(convenant__in=[oud, nieuw])):
        paar = per_gemeente.setdefault(ov.gemeente_id, {"gemeente": ov.gemeente})
        paar["oud" if ov.convenant_id == oud.pk else "nieuw"] = ov
    for paar in per_gemeente.values():
        o, n = paar.get("oud"), paar.get("nieuw")
        if o and n:
            toelichting = ""
        elif n:
            toelichting = f"alleen in {nieuw.slug}"
        else:
            toelichting = f"niet in {nieuw.slug}"
        tabel.rijen.append({
            "gemeente": paar["gemeente"].naam,
            "cbs_code": paar["gemeente"].cbs_code,
            "inwoners_oud": o.inwoners if o else None,
            "bijdrage_oud": o.bijdrage_per_inwoner if o else None,
            "bedrag_oud": o.bedrag_per_jaar if o else None,
            "inwoners_nieuw": n.inwoners if n else None,
            "bijdrage_nieuw": n.bijdrage_per_inwoner if n else None,
            "bedrag_nieuw": n.bedrag_per_jaar if n else None,
            **splits_verschil(o, n),
            "peildatum_oud": o.peildatum if o else None,
            "peildatum_nieuw": n.peildatum if n else None,
            "status_oud": o.toestand() if o else "",
            "status_nieuw": n.toestand() if n else "",
            "toelichting": toelichting,
        })
    return tabel


# --- what is still missing for the final PDFs ----------------------------------------------

ONTBREKEND_KOLOMMEN = [
    # The import files' own column names, so the completed sheet goes back in as it is:
    # adres, plaats, contact_email → importeer_gemeentegegevens; the rest → importeer_register.
    Kolom("cbs_code", "CBS-code"),
    Kolom("gemeente", "Gemeente"),
    Kolom("status", "Status", STATUS),
    Kolom("ontbreekt", "Ontbreekt"),
    Kolom("adres", "Adres stadhuis"),
    Kolom("plaats", "Vestigingsplaats"),
    Kolom("contact_email", "E-mail G40-contact"),
    Kolom("vertegenwoordiger", "Vertegenwoordiger"),
    Kolom("vertegenwoordiger_functie", "Functie vertegenwoordiger"),
    Kolom("collegebesluit_op", "Datum collegebesluit", DATUM),
]


def ontbrekende_gegevens(convenant: Convenant) -> Tabel:
    """Per municipality whose agreement is not signed yet: what the final PDF (and its sending) still lacks.

    One row per such agreement with something missing; the known values are
    filled in, the empty cells are what the collector completes. ‘contact_email’
    is not in the PDF but is where the agreement is sent, so it counts too.
    """
    from .pdf import ontbrekende_kolommen  # the PDF's own list of what it needs

    tabel = Tabel(f"Ontbrekende gegevens convenant {convenant.slug}",
                  f"ontbrekende-gegevens-{convenant.slug}", ONTBREKEND_KOLOMMEN)
    qs = Samenwerkingsovereenkomst.objects.filter(convenant=convenant).exclude(status__in=GETEKEND)
    for ov in _overeenkomsten(qs):
        ontbreekt = ontbrekende_kolommen(ov)
        if not ov.gemeente.contact_email:
            ontbreekt.append("contact_email")
        if not ontbreekt:
            continue
        g = ov.gemeente
        tabel.rijen.append({
            "cbs_code": g.cbs_code, "gemeente": g.naam, "status": ov.status, "ontbreekt": ", ".join(ontbreekt),
            "adres": g.adres, "plaats": g.plaats, "contact_email": g.contact_email,
            "vertegenwoordiger": ov.vertegenwoordiger, "vertegenwoordiger_functie": ov.vertegenwoordiger_functie,
            "collegebesluit_op": ov.collegebesluit_op, "pk": ov.pk,
        })
    return tabel
