import datetime
from decimal import Decimal

import pytest

from convenant import formatting, rules


def test_jaarbedrag_deventer():
    assert rules.jaarbedrag(101446, Decimal("0.15")) == Decimal("15216.90")


@pytest.mark.parametrize(
    ("inwoners", "tarief", "verwacht"),
    [
        # 0.125 exactly half a cent: half up rounds away from zero (banker's would give 0.12)
        (1, Decimal("0.125"), Decimal("0.13")),
        (3, Decimal("0.005"), Decimal("0.02")),  # 0.015 -> 0.02
        (5, Decimal("0.005"), Decimal("0.03")),  # 0.025 -> 0.03 (banker's: 0.02)
        (159709, Decimal("0.13"), Decimal("20762.17")),  # Haarlem 2019-2022
    ],
)
def test_jaarbedrag_rondt_half_naar_boven(inwoners, tarief, verwacht):
    assert rules.jaarbedrag(inwoners, tarief) == verwacht


def test_jaarbedrag_weigert_float():
    with pytest.raises(TypeError):
        rules.jaarbedrag(100, 0.15)


EINDE_2027 = datetime.date(2027, 12, 31)


@pytest.mark.parametrize(
    ("ontvangen", "einde"),
    [
        (datetime.date(2024, 8, 31), datetime.date(2025, 1, 1)),  # last day before 1 September
        (datetime.date(2024, 9, 1), datetime.date(2026, 1, 1)),  # on 1 September: a year later
        (datetime.date(2024, 1, 1), datetime.date(2025, 1, 1)),
        (datetime.date(2026, 9, 1), datetime.date(2028, 1, 1)),  # = natural end, not later
        (datetime.date(2027, 3, 1), datetime.date(2028, 1, 1)),
        (datetime.date(2027, 10, 1), datetime.date(2028, 1, 1)),  # would be 2029: capped
    ],
)
def test_einddatum_na_opzegging(ontvangen, einde):
    assert rules.einddatum_na_opzegging(ontvangen, EINDE_2027) == einde


def test_jaarplan_gereed_uiterlijk():
    start = datetime.date(2023, 3, 1)
    assert rules.jaarplan_gereed_uiterlijk(2023, start) == datetime.date(2023, 3, 1)
    assert rules.jaarplan_gereed_uiterlijk(2024, start) == datetime.date(2024, 1, 1)
    assert rules.jaarplan_vaststellen_uiterlijk(2024) == datetime.date(2024, 3, 31)


def test_formatting():
    assert formatting.euro(Decimal("15216.9")) == "€ 15.216,90"
    assert formatting.euro(Decimal("784643.10")) == "€ 784.643,10"
    assert formatting.euro(Decimal("0.5")) == "€ 0,50"
    assert formatting.euro(Decimal("-1234.5")) == "€ -1.234,50"
    assert formatting.aantal(101446) == "101.446"
    assert formatting.aantal(5230954) == "5.230.954"
    assert formatting.tarief(Decimal("0.15")) == "€ 0,15"
    assert formatting.tarief(Decimal("0.125")) == "€ 0,125"
    assert formatting.datum(datetime.date(2023, 1, 10)) == "10 januari 2023"
    assert formatting.datum(datetime.date(2022, 12, 19)) == "19 december 2022"
