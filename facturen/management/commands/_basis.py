"""Shared parsing for the invoice commands: clear Dutch errors, exit code 1."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from convenant.models import Convenant


def convenant(slug: str) -> Convenant:
    try:
        return Convenant.objects.get(slug=slug)
    except Convenant.DoesNotExist:
        bekend = ", ".join(Convenant.objects.order_by("ingangsdatum").values_list("slug", flat=True))
        raise CommandError(f"Convenant ‘{slug}’ bestaat niet; kies uit: {bekend}.") from None


def datum(tekst: str, optie: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(tekst)
    except ValueError:
        raise CommandError(f"{optie} ‘{tekst}’ is geen datum; schrijf JJJJ-MM-DD, bijv. 2027-06-30.") from None


def bedrag(tekst: str, optie: str) -> Decimal:
    try:
        waarde = Decimal(tekst.replace(",", ".")) if tekst.count(",") == 1 and "." not in tekst else Decimal(tekst)
    except InvalidOperation:
        raise CommandError(f"{optie} ‘{tekst}’ is geen bedrag; schrijf bijv. 12345.67.") from None
    if not waarde.is_finite():
        raise CommandError(f"{optie} ‘{tekst}’ is geen bedrag.")
    return waarde


def jaar(waarde: int) -> int:
    if not 1900 < waarde < 2200:
        raise CommandError(f"--jaar {waarde} is geen geldig jaar.")
    return waarde


class FactuurCommand(BaseCommand):
    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except ValidationError as fout:
            raise CommandError(" ".join(fout.messages)) from None
