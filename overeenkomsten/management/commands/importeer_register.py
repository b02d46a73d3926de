"""python manage.py importeer_register BESTAND --convenant SLUG [--dry-run] [--gebruiker NAAM]"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from convenant.models import Convenant
from overeenkomsten import register


class Command(BaseCommand):
    help = (
        "Laadt het register van de overeenkomsten van één convenant (CSV of XLSX, één regel per gemeente: "
        "cbs_code of gemeente, verzonden_op, verzonden_aan, ontvangen_op, opzegging_verzonden_op, "
        "opzegging_ontvangen_op, opgezegd_door, vertegenwoordiger, vertegenwoordiger_functie, "
        "collegebesluit_op, ondertekend_te, ondertekend_op) via de stappen van de workflow. Alles of niets; "
        "wat al zo vastgelegd is wordt overgeslagen. Er wordt niets gemaild."
    )

    def add_arguments(self, parser):
        parser.add_argument("bestand", help="CSV- of XLSX-bestand")
        parser.add_argument("--convenant", required=True, help="kenmerk, bijv. 2023-2027")
        parser.add_argument("--dry-run", action="store_true", help="alleen tonen wat er zou gebeuren")
        parser.add_argument("--gebruiker", help="gebruikersnaam die in de geschiedenis komt te staan")

    def handle(self, *args, **opts):
        try:
            convenant = Convenant.objects.get(slug=opts["convenant"])
        except Convenant.DoesNotExist:
            bekend = ", ".join(Convenant.objects.order_by("ingangsdatum").values_list("slug", flat=True))
            raise CommandError(f"Convenant ‘{opts['convenant']}’ bestaat niet; kies uit: {bekend}.") from None
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

        uitkomst = register.importeer(inhoud, pad.name, convenant, opslaan=not opts["dry_run"], gebruiker=gebruiker)
        for regel in uitkomst.samenvatting():
            self.stdout.write(regel)
        if not uitkomst.geldig:
            for fout in uitkomst.fouten:
                self.stderr.write(str(fout))
            raise CommandError(f"Import geweigerd: {len(uitkomst.fouten)} fout(en). Er is niets opgeslagen.")
        for r in uitkomst.regels:
            if r.stappen or opts["verbosity"] >= 2:
                self.stdout.write(f"{uitkomst.regelnaam} {r.regel} {r.gemeente}: "
                                  + "; ".join(r.stappen or ["niets nieuws"])
                                  + (f" (al vastgelegd: {', '.join(r.overgeslagen)})" if r.overgeslagen else ""))
        if opts["dry_run"]:
            self.stdout.write(self.style.WARNING("Proefdraai (--dry-run): er is niets opgeslagen."))
        elif uitkomst.niets_gewijzigd:
            self.stdout.write(self.style.SUCCESS("Niets gewijzigd."))
        else:
            self.stdout.write(self.style.SUCCESS("Opgeslagen."))
