"""Create the first administrator without a fixed default password.

The password comes from G40_BEHEERDER_WACHTWOORD, or is generated and printed
once. An existing account is left alone.
"""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Maakt een beheerdersaccount aan (wachtwoord uit G40_BEHEERDER_WACHTWOORD of eenmalig gegenereerd)."

    def add_arguments(self, parser):
        parser.add_argument("--gebruikersnaam", default=os.environ.get("G40_BEHEERDER", "beheerder"))
        parser.add_argument("--email", default=os.environ.get("G40_BEHEERDER_EMAIL", ""))

    def handle(self, *args, gebruikersnaam, email, **options):
        User = get_user_model()
        if User.objects.filter(username=gebruikersnaam).exists():
            self.stdout.write(
                f"Account ‘{gebruikersnaam}’ bestaat al. Nieuw wachtwoord nodig? "
                f"python manage.py changepassword {gebruikersnaam}"
            )
            return
        wachtwoord = os.environ.get("G40_BEHEERDER_WACHTWOORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser(gebruikersnaam, email, wachtwoord)
        if os.environ.get("G40_BEHEERDER_WACHTWOORD"):
            self.stdout.write(self.style.SUCCESS(
                f"Beheerder ‘{gebruikersnaam}’ aangemaakt met het wachtwoord uit G40_BEHEERDER_WACHTWOORD."))
        else:
            self.stdout.write(self.style.SUCCESS(
                f"Beheerder aangemaakt.\n  gebruikersnaam: {gebruikersnaam}\n  wachtwoord:     {wachtwoord}\n"
                "Dit wachtwoord wordt maar één keer getoond; wijzig het na het inloggen."))
