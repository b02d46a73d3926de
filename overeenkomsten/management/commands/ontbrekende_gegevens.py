"""python manage.py ontbrekende_gegevens --convenant SLUG [--format csv|xlsx] [--out BESTAND]"""

from overeenkomsten import rapportages

from ._rapportage import RapportageCommand


class Command(RapportageCommand):
    help = (
        "Wat er per gemeente nog ontbreekt voor de definitieve overeenkomst (en haar verzending), met de "
        "kolommen van importeer_gemeentegegevens en importeer_register: ingevuld terug te lezen."
    )

    def add_arguments(self, parser):
        parser.add_argument("--convenant", required=True, help="kenmerk, bijv. 2023-2027")
        super().add_arguments(parser)

    def handle(self, *args, **opts):
        self.schrijf(rapportages.ontbrekende_gegevens(self.convenant(opts["convenant"])), opts)
