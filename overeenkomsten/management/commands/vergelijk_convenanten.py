"""python manage.py vergelijk_convenanten [--oud 2019-2022] [--nieuw 2023-2027] [--format csv|xlsx] [--out FILE]"""

from overeenkomsten import rapportages

from ._rapportage import RapportageCommand


class Command(RapportageCommand):
    help = (
        "Vergelijkt per gemeente het jaarbedrag onder twee convenanten en splitst het verschil in een "
        "tariefeffect ((t1 − t0) × inwoners0) en een bevolkingseffect (de rest, = t1 × (inwoners1 − inwoners0)); "
        "een gemeente in maar één van beide heeft een deelname-effect."
    )

    def add_arguments(self, parser):
        parser.add_argument("--oud", default="2019-2022", help="kenmerk van het eerdere convenant (2019-2022)")
        parser.add_argument("--nieuw", default="2023-2027", help="kenmerk van het latere convenant (2023-2027)")
        super().add_arguments(parser)

    def handle(self, *args, **opts):
        oud, nieuw = self.convenant(opts["oud"]), self.convenant(opts["nieuw"])
        self.schrijf(rapportages.vergelijking(oud, nieuw), opts)
