"""Shared options of the report commands."""

from django.core.management.base import BaseCommand, CommandError

from convenant.models import Convenant
from overeenkomsten.resources import FORMATEN, schrijf_uitvoer


class RapportageCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATEN, default="csv", help="csv (standaard) of xlsx")
        parser.add_argument("--out", metavar="BESTAND", help="schrijf naar dit bestand (zonder: CSV naar stdout)")

    def convenant(self, slug: str) -> Convenant:
        try:
            return Convenant.objects.get(slug=slug)
        except Convenant.DoesNotExist:
            bekend = ", ".join(Convenant.objects.order_by("ingangsdatum").values_list("slug", flat=True))
            raise CommandError(f"Convenant ‘{slug}’ bestaat niet; kies uit: {bekend}.") from None

    def schrijf(self, tabel, opts):
        schrijf_uitvoer(self, tabel, opts["format"], opts["out"])
