"""python manage.py importeer_gemeentegegevens BESTAND [--dry-run] [--gebruiker NAAM]"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from gemeenten import gegevens


class Command(BaseCommand):
    help = (
        "Vult gemeentegegevens aan uit een CSV- of XLSX-bestand (cbs_code of gemeente, adres, plaats, "
        "contact_email). Lege cellen veranderen niets. Alles of niets."
    )

    def add_arguments(self, parser):
        parser.add_argument("bestand", help="CSV- of XLSX-bestand")
        parser.add_argument("--dry-run", action="store_true", help="alleen tonen wat er zou gebeuren")
        parser.add_argument("--gebruiker", help="gebruikersnaam die in de geschiedenis komt te staan")

    def handle(self, *args, **opts):
        gebruiker = None
        if opts["gebruiker"]:
            try:
                gebruiker = get_user_model().objects.get(username=opts["gebruiker"])
            except get_user_model().DoesNotExist:
                raise CommandError(f"Gebruiker ‘{opts['gebruiker']}’ bestaat niet.") from None
        pad = Path(opts["bestand"])
        try:
            inhoud = pad.read_bytes()
        except OSError as exc:
            raise CommandError(f"Kan {pad} niet lezen: {exc.strerror}.") from None
        uitkomst = gegevens.importeer(inhoud, pad.name, opslaan=not opts["dry_run"], gebruiker=gebruiker)
        for regel in uitkomst.samenvatting():
            self.stdout.write(regel)
        if not uitkomst.geldig:
            for fout in uitkomst.fouten:
                self.stderr.write(str(fout))
            raise CommandError(f"Import geweigerd: {len(uitkomst.fouten)} fout(en). Er is niets opgeslagen.")
        for w in uitkomst.wijzigingen:
            self.stdout.write(f"{uitkomst.regelnaam} {w.regel} {w.gemeente}: " + "; ".join(
                f"{veld} ‘{oud}’ → ‘{nieuw}’" for veld, (oud, nieuw) in w.velden.items()))
        if opts["dry_run"]:
            self.stdout.write(self.style.WARNING("Proefdraai (--dry-run): er is niets opgeslagen."))
        elif uitkomst.wijzigingen:
            self.stdout.write(self.style.SUCCESS("Opgeslagen."))
