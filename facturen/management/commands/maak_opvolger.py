"""python manage.py maak_opvolger --van 2023-2027 --slug 2028-2032 --ingangsdatum 2028-01-01 --einddatum 2032-12-31
--bijdrage 0.17 --peildatum 2027-01-01"""

from convenant import formatting
from facturen.opvolger import maak_opvolger

from ._basis import FactuurCommand, bedrag, convenant, datum


class Command(FactuurCommand):
    help = ("Maakt het volgende convenant: dezelfde partijen en leden, een eigen looptijd, bijdrage en peildatum, "
            "en een concept-overeenkomst voor elke gemeente die op de ingangsdatum lid is.")

    def add_arguments(self, parser):
        parser.add_argument("--van", required=True, help="kenmerk van het huidige convenant, bijv. 2023-2027")
        parser.add_argument("--slug", required=True, help="kenmerk van het nieuwe convenant, bijv. 2028-2032")
        parser.add_argument("--ingangsdatum", required=True, help="JJJJ-MM-DD")
        parser.add_argument("--einddatum", required=True, help="JJJJ-MM-DD")
        parser.add_argument("--bijdrage", required=True, help="bijdrage per inwoner per jaar, bijv. 0.17")
        parser.add_argument("--peildatum", required=True, help="CBS-peildatum van de inwonertallen, JJJJ-MM-DD")
        parser.add_argument("--ondertekend-op", help="datum van ondertekening (standaard: de ingangsdatum; "
                                                     "pas aan zodra het convenant getekend is)")
        parser.add_argument("--streefdatum", help="uiterlijk dan alle overeenkomsten binnen (standaard: ingangsdatum)")

    def handle(self, *args, **o):
        r = maak_opvolger(
            convenant(o["van"]), o["slug"], datum(o["ingangsdatum"], "--ingangsdatum"),
            datum(o["einddatum"], "--einddatum"), bedrag(o["bijdrage"], "--bijdrage"),
            datum(o["peildatum"], "--peildatum"),
            ondertekend_op=datum(o["ondertekend_op"], "--ondertekend-op") if o["ondertekend_op"] else None,
            streefdatum=datum(o["streefdatum"], "--streefdatum") if o["streefdatum"] else None,
        )
        c = r.convenant
        self.stdout.write(
            f"Convenant {c.slug} gemaakt ({formatting.datum(c.ingangsdatum)} t/m {formatting.datum(c.einddatum)}, "
            f"{formatting.tarief(c.bijdrage_per_inwoner)} per inwoner, peildatum {formatting.datum(c.peildatum)}) "
            f"met {len(r.overeenkomsten)} concept-overeenkomsten.")
        if r.voorlopig:
            self.stdout.write(
                f"{len(r.voorlopig)} met een voorlopig inwonertal (nog geen CBS-cijfer op de peildatum); importeer "
                f"de cijfers met: manage.py importeer_inwoners BESTAND --peildatum {c.peildatum.isoformat()} "
                "--werk-concepten-bij")
