"""Shared options of the report commands."""

from django.core.management.base import BaseCommand, CommandError

from convenant.models import Convenant
from convenant.uitvoer import controleer_bestand
from overeenkomsten.resources import FORMATEN, schrijf_uitvoer


class RapportageCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATEN, default="csv", help="csv (standaard) of xlsx")
        parser.add_argument("--out", metavar="BESTAND", help="schrijf naar dit bestand (zonder: CSV naar stdout)")

    def execute(self, *args, **options):
        if options.get("out"):  # before any work
            controleer_bestand(options["out"])
        elif options.get("format") == "xlsx":
            raise CommandError("XLSX is een binair bestand: geef met --out aan waar het heen moet.")
        return super().execute(*args, **options)

    def convenant(self, slug: str) -> Convenant:
        try:
            return Convenant.objects.get(slug=slug)
        except Convenant.DoesNotExist:
            bekend = ", ".join(Convenant.objects.order_by("ingangsdatum").values_list("slug", flat=True))
            raise CommandError(f"Convenant ‘{slug}’ bestaat niet; kies uit: {bekend}.") from None

    def schrijf(self, tabel, opts):
        schrijf_uitvoer(self, tabel, opts["format"], opts["out"])
