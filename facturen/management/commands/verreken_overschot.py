"""python manage.py verreken_overschot --convenant 2023-2027 --bedrag 12345.67 --vastgesteld-op 2027-06-30
[--dry-run]"""

from convenant import formatting
from facturen import services

from ._basis import FactuurCommand, bedrag, convenant, datum


class Command(FactuurCommand):
    help = ("Verrekent een door beide partijen vastgesteld overschot met de bijdragen over het laatste jaar van het "
            "convenant: naar rato van de bijdrage, op de cent (grootste rest). Een conceptfactuur krijgt een "
            "aftrekregel, een verzonden factuur een creditnota. Met --dry-run alleen de verdeling.")

    def add_arguments(self, parser):
        parser.add_argument("--convenant", required=True, help="kenmerk, bijv. 2023-2027")
        parser.add_argument("--bedrag", required=True, help="het overschot in euro, bijv. 12345.67")
        parser.add_argument("--vastgesteld-op", required=True,
                            help="JJJJ-MM-DD: wanneer beide partijen het vaststelden")
        parser.add_argument("--dry-run", action="store_true", help="alleen de verdeling tonen, niets opslaan")

    def handle(self, *args, **opts):
        c = convenant(opts["convenant"])
        te_verdelen = bedrag(opts["bedrag"], "--bedrag")
        op = datum(opts["vastgesteld_op"], "--vastgesteld-op")
        delen = services.verreken_overschot(c, te_verdelen, op, dry_run=opts["dry_run"])
        for d in delen:
            extra = f" (creditnota {d.creditnota.nummer})" if getattr(d, "creditnota", None) else ""
            self.stdout.write(f"  {d.factuur.nummer} {d.factuur.gemeente.naam}: bijdrage "
                              f"{formatting.euro(d.grondslag)}, deel {formatting.euro(d.deel)}: {d.hoe}{extra}")
        self.stdout.write(
            f"{'Proefrun, niets opgeslagen. ' if opts['dry_run'] else ''}Overschot {formatting.euro(te_verdelen)} "
            f"verdeeld over {len(delen)} facturen {c.laatste_jaar}; "
            f"samen {formatting.euro(sum(d.deel for d in delen))}."
        )
