from django.core.management.base import BaseCommand, CommandError

from beheer import backup


class Command(BaseCommand):
    help = "Controleert elk opgeslagen document tegen zijn SHA-256; exitcode 1 met de ontbrekende of gewijzigde."

    def handle(self, *args, **options):
        fouten = backup.controleer_documenten()
        if fouten:
            raise CommandError(f"{len(fouten)} document(en) niet in orde:\n  " + "\n  ".join(fouten))
        aantal = sum(m._default_manager.count() for m, _ in backup.documentmodellen())
        self.stdout.write(self.style.SUCCESS(f"Alle {aantal} documenten kloppen met hun SHA-256."))
