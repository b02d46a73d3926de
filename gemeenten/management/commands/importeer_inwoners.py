"""python manage.py importeer_inwoners FILE --peildatum YYYY-MM-DD [--dry-run] [--werk-concepten-bij]"""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from convenant import formatting
from gemeenten import importeren


def _datum(tekst: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(tekst)
    except ValueError:
        raise CommandError(f"--peildatum ‘{tekst}’ is geen datum; schrijf JJJJ-MM-DD, bijv. 2022-01-01.") from None


class Command(BaseCommand):
    help = (
        "Importeert CBS-inwonertallen voor één peildatum uit een StatLine-download, een CBS "
        "open-data-export of een eigen lijst (cbs_code,inwoners; CSV of XLSX). Alles of niets: "
        "bij één foute regel wordt niets opgeslagen."
    )

    def add_arguments(self, parser):
        parser.add_argument("bestand", help="CSV- of XLSX-bestand")
        parser.add_argument("--peildatum", required=True, help="JJJJ-MM-DD, bijv. 2022-01-01")
        parser.add_argument("--dry-run", action="store_true", help="alleen het voorbeeld tonen, niets opslaan")
        parser.add_argument(
            "--werk-concepten-bij", action="store_true",
            help="ook het inwonertal en bedrag van concept-overeenkomsten op deze peildatum bijwerken",
        )

    def handle(self, *args, **opts):
        pad = Path(opts["bestand"])
        peildatum = _datum(opts["peildatum"])
        try:
            inhoud = pad.read_bytes()
        except OSError as exc:
            raise CommandError(f"Kan {pad} niet lezen: {exc.strerror}.") from None

        voorstel = importeren.importeer(
            inhoud, pad.name, peildatum,
            opslaan=not opts["dry_run"], werk_concepten_bij=opts["werk_concepten_bij"],
        )
        self._toon(voorstel, uitgebreid=opts["verbosity"] >= 2)

        if not voorstel.geldig:
            for fout in voorstel.fouten:
                self.stderr.write(str(fout))
            raise CommandError(
                f"Import geweigerd: {len(voorstel.fouten)} fout(en). Er is niets opgeslagen."
            )
        if voorstel.opgeslagen:
            self.stdout.write(self.style.SUCCESS(
                f"Opgeslagen met bron “{voorstel.bron}”."
            ))
        else:
            self.stdout.write(self.style.WARNING("Proefdraai (--dry-run): er is niets opgeslagen."))

    def _toon(self, voorstel, uitgebreid: bool):
        for regel in voorstel.samenvatting():
            self.stdout.write(regel)
        rijen = [c for c in voorstel.cijfers if uitgebreid or c.actie != importeren.ONGEWIJZIGD]
        if rijen:
            self.stdout.write("")
            self.stdout.write(f"{'gemeente':<22} {voorstel.regelnaam:>6} {'huidig':>10} {'bestand':>10}  actie")
            for c in rijen:
                self.stdout.write(
                    f"{c.gemeente.naam:<22} {c.regel:>6} {formatting.aantal(c.huidig) or '–':>10} "
                    f"{formatting.aantal(c.aantal):>10}  {c.actie_omschrijving}"
                    + (f" – {c.toelichting}" if c.toelichting and c.actie == importeren.BEHOUDEN else "")
                )
        if len(voorstel.ontbrekend) > 5:
            self.stdout.write("")
            self.stdout.write("Ontbreekt in het bestand: " + ", ".join(
                f"{o.gemeente} ({o.toelichting})" for o in voorstel.ontbrekend) + ".")
        for verschil in voorstel.concepten:
            self.stdout.write(
                f"{verschil.omschrijving} ({verschil.status.lower()}): {formatting.aantal(verschil.oud)} "
                f"→ {formatting.aantal(verschil.nieuw)} inwoners – {verschil.toelichting}"
            )
