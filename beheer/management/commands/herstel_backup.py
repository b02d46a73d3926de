from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from beheer import backup


class Command(BaseCommand):
    help = ("Zet een back-up van maak_backup terug in een LEGE database en een lege documentenmap "
            "en controleert het manifest ervoor en erna.")

    def add_arguments(self, parser):
        parser.add_argument("map", metavar="MAP")

    def handle(self, *args, map, **options):
        try:
            backup.herstel_backup(Path(map), melding=self.stdout.write)
        except backup.BackupFout as e:
            raise CommandError(str(e)) from None
        self.stdout.write(self.style.SUCCESS("Herstel klaar."))
