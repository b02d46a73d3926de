"""The convenant's rules of calculation, in one place.

Everything contractual that is derived from data (amounts, termination dates,
deadlines) is computed here and nowhere else, so a template or a view never
carries its own copy of a rule.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")

# Plausibility bounds for every figure that enters (admin, correction form, CBS import).
# The largest Dutch municipality (Amsterdam) has under a million inhabitants; twice that
# catches a typo or an extra zero while leaving room for growth and mergers.
MAX_INWONERS = 2_000_000
# The contributions are € 0,13 (2019) and € 0,15 (2023) per inhabitant; € 10 is far above
# any plausible rate and keeps MAX_INWONERS × rate (€ 20.000.000,00, 10 digits) inside the
# amount's column (12 digits, 2 after the point).
MAX_BIJDRAGE_PER_INWONER = Decimal("10.00")
BEDRAG_MAX_DIGITS = 12


def inwoners_fout(aantal) -> str | None:
    """Why a count of inhabitants is not plausible, in Dutch; None when it is."""
    if isinstance(aantal, bool) or not isinstance(aantal, int):
        return f"het aantal inwoners moet een geheel getal zijn, niet ‘{aantal}’"
    if aantal <= 0:
        return "het aantal inwoners moet groter dan nul zijn"
    if aantal > MAX_INWONERS:
        return (f"{aantal:,} inwoners is niet plausibel: geen Nederlandse gemeente heeft er meer dan "
                f"{MAX_INWONERS:,}".replace(",", "."))
    return None


def jaarbedrag(inwoners: int, bijdrage_per_inwoner: Decimal) -> Decimal:
    """Yearly contribution: rate × inhabitants, rounded to the cent, half up.

    >>> jaarbedrag(101446, Decimal("0.15"))
    Decimal('15216.90')
    """
    if isinstance(bijdrage_per_inwoner, float):
        raise TypeError("bijdrage_per_inwoner moet een Decimal zijn, geen float")
    return (Decimal(int(inwoners)) * Decimal(bijdrage_per_inwoner)).quantize(
        CENT, rounding=ROUND_HALF_UP
    )


def einddatum_na_opzegging(
    opzegging_verzonden: datetime.date,
    einddatum_overeenkomst: datetime.date,
    opzeggen_voor_maand: int = 9,
    opzeggen_voor_dag: int = 1,
) -> datetime.date:
    """Date on which a terminated agreement ends (art. 1.3 / convenant 2019 art. 7.5).

    Article 1.3: the notice "dient voor 1 september van het lopende jaar tegen
    1 januari van het komende kalenderjaar schriftelijk aan de andere partij
    gezonden te worden": the date it was *sent* decides, not the date it came in.
    A written notice sent *before* 1 September of year Y ends the agreement
    on 1 January of Y+1; one sent on or after 1 September, on 1 January of
    Y+2. The agreement never ends later than it would have without notice: then
    its own end is the day after its last day.
    """
    jaar = opzegging_verzonden.year
    grens = datetime.date(jaar, opzeggen_voor_maand, opzeggen_voor_dag)
    einde = datetime.date(jaar + 1 if opzegging_verzonden < grens else jaar + 2, 1, 1)
    natuurlijk_einde = einddatum_overeenkomst + datetime.timedelta(days=1)
    return min(einde, natuurlijk_einde)


def jaarplan_gereed_uiterlijk(jaar: int, ingangsdatum: datetime.date) -> datetime.date:
    """A jaarplan is ready by 1 January of its year; in the first year by the start date.

    For 2023–2027 the agreements start on 1 March 2023, so the 2023 plan is due
    1 March 2023 (convenant art. 2); every later plan on 1 January.
    """
    return max(datetime.date(jaar, 1, 1), ingangsdatum)


def jaarplan_vaststellen_uiterlijk(jaar: int) -> datetime.date:
    """The G40 DB adopts the plan in March at the latest."""
    return datetime.date(jaar, 3, 31)


def maand_periode(jaar: int, maand: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a month: `maand_periode(2024, 7)` → 1 and 31 July 2024."""
    begin = datetime.date(jaar, maand, 1)
    volgende = datetime.date(jaar + (maand == 12), maand % 12 + 1, 1)
    return begin, volgende - datetime.timedelta(days=1)


def jaarplan_evaluatie_periode(jaar: int, maand: int) -> tuple[datetime.date, datetime.date]:
    """A jaarplan is evaluated every year in July and in November (convenant art. 7c).

    The evaluation of month `maand` of the plan for `jaar` falls inside that month:
    31 July is in time for July, 1 August is not.
    """
    return maand_periode(jaar, maand)


def evaluatie_rapporteren_uiterlijk(einde_evaluatieperiode: datetime.date) -> datetime.date:
    """Planning date for reporting an evaluation to the directeur and the voorzitter.

    The convenant (art. 7b, 7c) says the outcome is reported but sets no date; the
    administration plans it by the end of the month after the evaluation period
    (July → 31 August, November → 31 December, first half of 2027 → 31 July 2027),
    so an unreported evaluation shows as overdue on the calendar.
    """
    volgende_maand = einde_evaluatieperiode + datetime.timedelta(days=1)
    return maand_periode(volgende_maand.year, volgende_maand.month)[1]


def convenant_evaluatie_periode(laatste_jaar: int) -> tuple[datetime.date, datetime.date]:
    """The convenant itself is evaluated in the first half of its last year."""
    return datetime.date(laatste_jaar, 1, 1), datetime.date(laatste_jaar, 6, 30)


def opzegtermijn_maanden(opzeggen_voor_maand: int, opzeggen_voor_dag: int = 1) -> int:
    """Whole months between the notice deadline and 1 January (1 September → 4)."""
    return 12 - opzeggen_voor_maand + (1 if opzeggen_voor_dag == 1 else 0)


# --- money on invoices ------------------------------------------------------------------------

def naar_cent(bedrag) -> Decimal:
    """Any Decimal amount to the cent, half up (the one rounding rule for money)."""
    if isinstance(bedrag, float):
        raise TypeError("bedragen zijn Decimal, geen float")
    return Decimal(bedrag).quantize(CENT, rounding=ROUND_HALF_UP)


def regelbedrag(aantal, prijs) -> Decimal:
    """An invoice line: quantity × unit price, to the cent (101446 × € 0,15 = € 15.216,90)."""
    return naar_cent(Decimal(aantal) * Decimal(prijs))


def btw_bedrag(bedrag_excl: Decimal, percentage: Decimal) -> Decimal:
    """BTW over the invoice total (one rate per invoice, as EN 16931 BR-S-09 computes it)."""
    return naar_cent(Decimal(bedrag_excl) * Decimal(percentage) / 100)


def vervaldatum(factuurdatum: datetime.date, betaaltermijn_dagen: int) -> datetime.date:
    return factuurdatum + datetime.timedelta(days=betaaltermijn_dagen)


def jaarfactuur_aantal_en_prijs(inwoners: int, bijdrage_per_inwoner: Decimal, jaar: int,
                                begint_op: datetime.date, einddatum: datetime.date) -> tuple[int, Decimal]:
    """What a year's invoice charges an agreement that runs in `jaar`: the full yearly amount.

    Art. 3.1 fixes an amount "per jaar" and neither convenant has a pro rata
    clause; a termination always takes effect on 1 January, so a last year is
    always whole. The first year of 2023–2027 (the agreements start on 1 March
    2023) is invoiced in full as well: January and February 2023 fell under the
    2019–2022 convenant, extended to 1 March 2023 without a contribution of its
    own (its agreements ran to 31 December 2022), so nothing is charged twice
    and nothing falls between. The same holds for a city that joins during the
    term. Returned as (quantity, unit price) so the invoice line reads
    "101.446 inwoners × € 0,15"; :func:`regelbedrag` of it equals :func:`jaarbedrag`.
    """
    if not begint_op.year <= jaar <= einddatum.year:
        raise ValueError(f"De overeenkomst loopt niet in {jaar}.")
    return int(inwoners), Decimal(bijdrage_per_inwoner)


def verdeel_naar_rato(totaal: Decimal, gewichten: list[Decimal]) -> list[Decimal]:
    """Divide `totaal` over parts in proportion to `gewichten`, to the cent (largest remainder).

    Every part is first the exact share rounded down to a whole cent; the cents
    left over go one each to the parts with the largest remainders (ties: the
    larger weight first, then the earlier part). The parts always add up to
    `totaal` exactly, and no part differs from its exact share by a cent or more.

    >>> verdeel_naar_rato(Decimal("0.01"), [Decimal("2"), Decimal("1")])
    [Decimal('0.01'), Decimal('0.00')]
    """
    from fractions import Fraction

    totaal = Decimal(totaal)
    if totaal != naar_cent(totaal):
        raise ValueError("Het te verdelen bedrag heeft meer dan twee decimalen.")
    if totaal < 0:
        raise ValueError("Het te verdelen bedrag kan niet negatief zijn.")
    if not gewichten:
        raise ValueError("Er is niets om over te verdelen.")
    if any(Decimal(g) < 0 for g in gewichten):
        raise ValueError("Een gewicht kan niet negatief zijn.")
    som = sum((Fraction(Decimal(g)) for g in gewichten), Fraction(0))
    if som == 0:
        raise ValueError("De gewichten zijn samen nul.")
    centen = int(totaal * 100)
    aandelen = [Fraction(centen) * Fraction(Decimal(g)) / som for g in gewichten]
    delen = [int(a) for a in aandelen]  # floor: shares are not negative
    over = centen - sum(delen)
    volgorde = sorted(range(len(aandelen)),
                      key=lambda i: (-(aandelen[i] - delen[i]), -Fraction(Decimal(gewichten[i])), i))
    for i in volgorde[:over]:
        delen[i] += 1
    return [(Decimal(d) / 100).quantize(CENT) for d in delen]


def procent(deel: Decimal, geheel: Decimal) -> Decimal | None:
    """`deel` as a percentage of `geheel`, to two decimals (2029 of 15217 → 13,33); None over zero."""
    if not geheel:
        return None
    return (Decimal(deel) * 100 / Decimal(geheel)).quantize(CENT, rounding=ROUND_HALF_UP)
