"""python manage.py exporteer_overeenkomsten --convenant 2023-2027 [--format csv|xlsx] [--out FILE]"""

from overeenkomsten import rapportages

from ._rapportage import RapportageCommand


class Command(RapportageCommand):
    help = (
        "Exporteert de overeenkomsten van een convenant, één rij per gemeente: gemeente, cbs_code, "
        "inwoners, peildatum, bedrag_per_jaar, status, verzonden_op, ondertekend_op en meer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--convenant", required=True, help="kenmerk, bijv. 2023-2027")
        super().add_arguments(parser)

    def handle(self, *args, **opts):
        self.schrijf(rapportages.overzicht(self.convenant(opts["convenant"])), opts)
