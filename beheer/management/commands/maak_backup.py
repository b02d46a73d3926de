from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from beheer import backup


class Command(BaseCommand):
    help = "Maakt een back-up: de database (pg_dump of SQLite-kopie), alle documenten en een manifest met SHA-256."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, metavar="MAP", help="nieuwe of lege map voor de back-up")

    def handle(self, *args, out, **options):
        try:
            manifest = backup.maak_backup(Path(out), melding=self.stdout.write)
        except backup.BackupFout as e:
            raise CommandError(str(e)) from None
        if manifest["ontbrekende_documenten"]:
            raise CommandError("Back-up gemaakt, maar deze documenten ontbraken al in MEDIA_ROOT:\n  "
                               + "\n  ".join(manifest["ontbrekende_documenten"]))
        self.stdout.write(self.style.SUCCESS(f"Back-up klaar in {out}."))
