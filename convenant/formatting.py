"""Dutch notation for money, counts and dates, independent of the active locale.

Contractual documents must read the same whatever language a request runs in,
so these do not go through Django's localisation machinery.
"""

import datetime
from decimal import Decimal

MAANDEN = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)


def _groepeer(geheel: int) -> str:
    return f"{geheel:,}".replace(",", ".")


def aantal(value) -> str:
    """101446 → '101.446'."""
    if value is None or value == "":
        return ""
    return _groepeer(int(value))


def euro(value, symbool: bool = True) -> str:
    """Decimal('15216.9') → '€ 15.216,90'; negative amounts as '€ -1.234,50'."""
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        raise TypeError("bedragen zijn Decimal, geen float")
    bedrag = Decimal(value).quantize(Decimal("0.01"))
    teken = "-" if bedrag < 0 else ""
    geheel, _, centen = f"{abs(bedrag):.2f}".partition(".")
    tekst = f"{teken}{_groepeer(int(geheel))},{centen}"
    return f"€ {tekst}" if symbool else tekst


def tarief(value) -> str:
    """Decimal('0.15') → '€ 0,15' (at least two decimals, more when the rate has them)."""
    bedrag = Decimal(value).normalize()
    decimalen = max(2, -bedrag.as_tuple().exponent)
    return "€ " + f"{Decimal(value):.{decimalen}f}".replace(".", ",")


def datum(value: datetime.date | None) -> str:
    """date(2023, 1, 10) → '10 januari 2023'."""
    if not value:
        return ""
    return f"{value.day} {MAANDEN[value.month - 1]} {value.year}"


def dag_maand(maand: int, dag: int) -> str:
    """(9, 1) → '1 september'."""
    return f"{dag} {MAANDEN[maand - 1]}"


def procent(value) -> str:
    """Decimal('13.33') → '13,33 %'."""
    if value is None or value == "":
        return ""
    return f"{euro(value, symbool=False)} %"
