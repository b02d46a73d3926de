"""python manage.py factuurlijst --jaar 2024 [--format csv|xlsx] [--out FILE]"""

from django.core.management.base import CommandError

from overeenkomsten import rapportages

from ._rapportage import RapportageCommand


class Command(RapportageCommand):
    help = (
        "Factuurlijst voor één jaar: wie wat verschuldigd is. Alle overeenkomsten die in dat jaar lopen "
        "(opzeggingen verwerkt); alleen getekende zijn factureerbaar, niet-getekende staan erbij met "
        "factureerbaar=nee en ‘nog niet getekend’."
    )

    def add_arguments(self, parser):
        parser.add_argument("--jaar", type=int, required=True, help="bijv. 2024")
        super().add_arguments(parser)

    def handle(self, *args, **opts):
        if not 1900 < opts["jaar"] < 2200:
            raise CommandError(f"--jaar {opts['jaar']} is geen geldig jaar.")
        self.schrijf(rapportages.factuurlijst(opts["jaar"]), opts)
