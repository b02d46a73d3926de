"""Enrol an account for two-factor login: a TOTP device for an authenticator app, plus backup codes."""

import io
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from django_otp.plugins.otp_totp.models import TOTPDevice

from beheer import tweestaps


class Command(BaseCommand):
    help = ("Stelt tweestapsverificatie in voor een account: toont een QR-code voor de authenticator-app "
            "en controleert een eerste code. Met --bevestig CODE wordt een eerder ingestelde app bevestigd.")

    def add_arguments(self, parser):
        parser.add_argument("gebruikersnaam")
        parser.add_argument("--bevestig", metavar="CODE", help="bevestig de app met een code die zij nu toont")
        parser.add_argument("--reservecodes", action="store_true", help="maak ook 10 nieuwe reservecodes")
        parser.add_argument(
            "--uitnodigen", metavar="URL",
            help="e-mail het account een link waarmee de eigenaar de app zelf instelt; URL is het adres van de "
                 "site, bijv. https://g40.example.nl")

    def handle(self, *args, gebruikersnaam, bevestig, reservecodes, uitnodigen=None, **options):
        try:
            user = get_user_model().objects.get(username=gebruikersnaam)
        except get_user_model().DoesNotExist:
            raise CommandError(f"Er is geen account ‘{gebruikersnaam}’.") from None
        if uitnodigen:
            if not uitnodigen.startswith(("http://", "https://")):
                raise CommandError(f"--uitnodigen verwacht het adres van de site (https://…), niet ‘{uitnodigen}’.")
            try:
                tweestaps.stuur_uitnodiging(user, uitnodigen)
            except ValueError as fout:
                raise CommandError(str(fout)) from None
            self.stdout.write(self.style.SUCCESS(
                f"Uitnodiging gemaild aan {user.email} (‘{gebruikersnaam}’), {tweestaps.uitnodiging_geldig_dagen()} "
                "dagen geldig."))
            return
        if bevestig:
            apparaat = TOTPDevice.objects.filter(user=user, confirmed=False).first()
            if apparaat is None:
                raise CommandError(f"‘{gebruikersnaam}’ heeft geen app die nog bevestigd moet worden.")
            self._bevestig(apparaat, bevestig)
        else:
            apparaat = tweestaps.richt_totp_in(user)
            self.stdout.write(f"Scan deze QR-code met een authenticator-app (bijv. FreeOTP, Google of Microsoft "
                              f"Authenticator) voor ‘{gebruikersnaam}’:\n")
            self.stdout.write(self._qr(apparaat.config_url))
            self.stdout.write(f"Of voer deze sleutel handmatig in: {apparaat.config_url}\n")
            if sys.stdin.isatty():
                self._bevestig(apparaat, input("Code die de app nu toont: "))
            else:
                self.stdout.write(f"Bevestig daarna met: python manage.py tweestapsverificatie {gebruikersnaam} "
                                  "--bevestig CODE")
        if reservecodes:
            codes = tweestaps.maak_reservecodes(user)
            self.stdout.write("Reservecodes (elk één keer te gebruiken; bewaar ze veilig):\n  " + "\n  ".join(codes))

    def _bevestig(self, apparaat, code):
        if not tweestaps.bevestig_totp(apparaat, code):
            raise CommandError("De code klopt niet. Controleer de tijd op de telefoon en probeer het opnieuw "
                               f"met --bevestig (account ‘{apparaat.user.get_username()}’).")
        self.stdout.write(self.style.SUCCESS(
            f"Tweestapsverificatie ingesteld voor ‘{apparaat.user.get_username()}’."))

    @staticmethod
    def _qr(tekst):
        import qrcode

        qr = qrcode.QRCode(border=1)
        qr.add_data(tekst)
        uit = io.StringIO()
        qr.print_ascii(out=uit, invert=True)
        return uit.getvalue()
