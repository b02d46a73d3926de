"""python manage.py factureer --convenant 2023-2027 --jaar 2024 [--dry-run] [--factuurdatum JJJJ-MM-DD]"""

from convenant import formatting
from facturen import services

from ._basis import FactuurCommand, convenant, datum, jaar


class Command(FactuurCommand):
    help = ("Maakt de jaarfacturen: één factuur per getekende overeenkomst die in dat jaar loopt. "
            "Nogmaals draaien maakt niets nieuws. Met --dry-run wordt niets opgeslagen en geen nummer uitgegeven.")

    def add_arguments(self, parser):
        parser.add_argument("--convenant", required=True, help="kenmerk, bijv. 2023-2027")
        parser.add_argument("--jaar", type=int, required=True, help="convenantjaar, bijv. 2024")
        parser.add_argument("--factuurdatum", help="JJJJ-MM-DD (standaard: vandaag, niet vóór 1 januari van het jaar)")
        parser.add_argument("--dry-run", action="store_true", help="alleen tonen wat er gemaakt zou worden")

    def handle(self, *args, **opts):
        c = convenant(opts["convenant"])
        fd = datum(opts["factuurdatum"], "--factuurdatum") if opts["factuurdatum"] else None
        r = services.factureer(c, jaar(opts["jaar"]), dry_run=opts["dry_run"], factuurdatum=fd)
        for item in r.nieuw:
            if r.dry_run:
                ov, regel = item
                self.stdout.write(f"  (nieuw) {ov.gemeente.naam}: {formatting.euro(ov.bedrag_per_jaar)}")
            else:
                self.stdout.write(f"  {item.nummer} {item.gemeente.naam}: {formatting.euro(item.bedrag_excl_btw)}")
        for ov, reden in r.overgeslagen:
            self.stdout.write(f"  overgeslagen: {ov.gemeente.naam} ({reden})")
        wat = "zou maken" if r.dry_run else "gemaakt"
        self.stdout.write(
            f"{'Proefrun, niets opgeslagen. ' if r.dry_run else ''}Convenant {c.slug}, {r.jaar}: "
            f"{len(r.nieuw)} facturen {wat} ({formatting.euro(r.totaal_nieuw)} excl. btw), "
            f"{len(r.bestaand)} bestonden al, {len(r.overgeslagen)} overgeslagen."
        )
