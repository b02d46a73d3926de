"""python manage.py exporteer_facturen --jaar 2024 [--format csv|xlsx] [--out BESTAND]"""

from convenant.uitvoer import controleer_bestand
from facturen import overzicht
from overeenkomsten.resources import FORMATEN, schrijf_uitvoer

from ._basis import FactuurCommand, jaar


class Command(FactuurCommand):
    help = ("Exporteert de facturen en creditnota's over een jaar voor de financiële administratie: factuurnummer, "
            "factuurdatum, vervaldatum, gemeente, cbs_code, omschrijving, bedrag_excl_btw, btw_percentage, "
            "btw_bedrag, bedrag_incl_btw, verrekening, status, betaald_op.")

    def add_arguments(self, parser):
        parser.add_argument("--jaar", type=int, required=True, help="convenantjaar, bijv. 2024")
        parser.add_argument("--format", choices=FORMATEN, default="csv", help="csv (standaard) of xlsx")
        parser.add_argument("--out", metavar="BESTAND", help="schrijf naar dit bestand (zonder: CSV naar stdout)")

    def handle(self, *args, **opts):
        if opts["out"]:
            controleer_bestand(opts["out"])  # before any work
        schrijf_uitvoer(self, overzicht.export(jaar(opts["jaar"])), opts["format"], opts["out"])
