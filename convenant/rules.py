"""The convenant's rules of calculation, in one place.

Everything contractual that is derived from data (amounts, termination dates,
deadlines) is computed here and nowhere else, so a template or a view never
carries its own copy of a rule.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


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
