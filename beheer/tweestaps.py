"""Login protection: the admin login with a TOTP code, and two-factor for every page.

With settings.OTP_VERPLICHT (default: on unless DEBUG) a staff login needs the
password and a code from an authenticator app (django-otp TOTP device) or one of
the account's backup codes (static device). Sessions that were not verified by a
second factor reach only the login, logout, password-reset, enrolment (invitation link)
and health pages.
"""

import base64
import hashlib
import re
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from django_otp import devices_for_user
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


class TweestapsLoginForm(AdminAuthenticationForm):
    """Admin login: username, password and the code of the account's authenticator app."""

    otp_token = forms.CharField(
        label="Verificatiecode", required=False, max_length=16,
        help_text="De zescijferige code uit uw authenticator-app, of een van uw reservecodes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None:
            user.otp_device = self._verifieer(user, (cleaned.get("otp_token") or "").replace(" ", ""))
        return cleaned

    def _verifieer(self, user, code):
        if not code:
            raise forms.ValidationError("Vul de verificatiecode uit uw authenticator-app in.", code="token_required")
        # Six digits: the authenticator app; anything else: a backup code. Trying only the
        # devices of that kind keeps a failed attempt from throttling the others.
        soort = TOTPDevice if re.fullmatch(r"\d{6}", code) else StaticDevice
        apparaten = [d for d in devices_for_user(user, confirmed=True) if isinstance(d, soort)]
        if not any(isinstance(d, TOTPDevice) for d in devices_for_user(user, confirmed=True)):
            raise forms.ValidationError(
                "Voor dit account is nog geen tweestapsverificatie ingesteld. Open de link in de e-mail "
                "‘Tweestapsverificatie instellen’, of vraag de beheerder om die e-mail (opnieuw) te sturen.",
                code="no_device")
        for apparaat in apparaten:
            toegestaan, extra = apparaat.verify_is_allowed()
            if not toegestaan:
                raise forms.ValidationError(
                    "Te veel foute verificatiecodes; wacht even en probeer het opnieuw.", code="throttled")
            if apparaat.verify_token(code):
                return apparaat
        raise forms.ValidationError("De verificatiecode klopt niet of is verlopen.", code="invalid_token")


class G40AdminSite(OTPAdminSite):
    """The admin site; demands a verified second factor when settings.OTP_VERPLICHT is on.

    Decided at request time, so a test can switch it with the ``settings`` fixture.
    """

    login_template = "beheer/login.html"

    @property
    def login_form(self):
        return TweestapsLoginForm if settings.OTP_VERPLICHT else AdminAuthenticationForm

    def has_permission(self, request):
        if settings.OTP_VERPLICHT:
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)


VRIJE_URLS = ("admin:login", "admin:logout", "gezond", "admin_password_reset", "password_reset_done",
              "password_reset_complete")
VRIJE_PREFIXEN = ("/wachtwoord/", "/tweestaps/", "/static/")


class TweestapsMiddleware:
    """A logged-in user whose session was not verified by a second factor goes back to the login.

    Needs django_otp.middleware.OTPMiddleware before it (it sets user.is_verified).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.OTP_VERPLICHT and self._geweigerd(request):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"), REDIRECT_FIELD_NAME)
        return self.get_response(request)

    @staticmethod
    def _geweigerd(request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return False
        pad = request.path_info
        if pad.startswith(VRIJE_PREFIXEN):
            return False
        return pad not in {reverse(naam) for naam in VRIJE_URLS}


def client_ip(request):
    """The client's address for django-axes: REMOTE_ADDR, or behind our own proxy the address it saw."""
    if settings.ACHTER_PROXY:
        doorgegeven = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if doorgegeven:
            return doorgegeven.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")


def richt_totp_in(user, naam="authenticator-app"):
    """A new TOTP device for the user, unconfirmed until a first code from the app matches it.

    Replaces the user's earlier TOTP devices (a lost phone is handled by enrolling again).
    """
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=naam, confirmed=False)


def bevestig_totp(apparaat, code):
    """Confirm an enrolled device with a first code from the app; True when it matched."""
    if apparaat.verify_token(code.replace(" ", "")):
        apparaat.confirmed = True
        apparaat.save(update_fields=["confirmed"])
        return True
    return False


def maak_reservecodes(user, aantal=10):
    """Replace the user's backup codes with `aantal` new single-use ones; returns them."""
    import secrets

    apparaat, _ = StaticDevice.objects.get_or_create(user=user, name="reservecodes")
    apparaat.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(aantal)]
    for code in codes:
        apparaat.token_set.create(token=code)
    return codes


# --- enrolment by invitation -------------------------------------------------------------
# An administrator sends an account an invitation link (admin action on Gebruikers, or
# `manage.py tweestapsverificatie NAAM --uitnodigen`); its owner opens it, scans the QR code
# and confirms with the account's password and a first code from the app. The link is signed,
# valid TWEESTAPS_UITNODIGING_DAGEN days, and bound to the account's confirmed authenticator
# apps: once an app is confirmed (through this link or otherwise) every earlier link is void.

UITNODIGING_ZOUT = "beheer.tweestaps.uitnodiging"


def _app_staat(user) -> str:
    bevestigd = sorted(TOTPDevice.objects.filter(user=user, confirmed=True).values_list("pk", flat=True))
    return hashlib.sha256(f"{user.pk}|{bevestigd}".encode()).hexdigest()[:24]


def uitnodiging_token(user) -> str:
    return signing.dumps([user.pk, _app_staat(user)], salt=UITNODIGING_ZOUT, compress=False)


def uitnodiging_geldig_dagen() -> int:
    return int(getattr(settings, "TWEESTAPS_UITNODIGING_DAGEN", 3))


def gebruiker_bij_uitnodiging(token: str):
    """The active staff account the link was made for, or None (forged, expired, used, or account closed)."""
    try:
        pk, staat = signing.loads(token, salt=UITNODIGING_ZOUT, max_age=timedelta(days=uitnodiging_geldig_dagen()))
    except (signing.BadSignature, ValueError, TypeError):
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=True, is_staff=True).first()
    if user is None or not constant_time_compare(str(staat), _app_staat(user)):
        return None
    return user


def app_voor_uitnodiging(user):
    """The unconfirmed app the invitation page shows; the same one on every visit until confirmed."""
    apparaat = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return apparaat or TOTPDevice.objects.create(user=user, name="authenticator-app", confirmed=False)


def handmatige_sleutel(apparaat) -> str:
    """The app's secret in base32, in groups of four, for typing it in instead of scanning."""
    sleutel = base64.b32encode(apparaat.bin_key).decode("ascii").rstrip("=")
    return " ".join(sleutel[i:i + 4] for i in range(0, len(sleutel), 4))


def qr_svg(tekst: str) -> str:
    """A QR code as inline SVG (no image request, no inline style: fits the Content-Security-Policy)."""
    import qrcode
    import qrcode.image.svg

    return qrcode.make(tekst, image_factory=qrcode.image.svg.SvgPathImage, border=2).to_string(encoding="unicode")


@transaction.atomic
def rond_uitnodiging_af(apparaat, code: str, nieuw_wachtwoord: str | None = None) -> list[str] | None:
    """Confirm the app with a first code; the account's other apps go, new backup codes come.

    `nieuw_wachtwoord`: the password chosen for an account made without one, set only
    when the code matches. Returns the backup codes, or None when the code did not match
    (django-otp's throttling counts the failure). All or nothing: a failure leaves the
    earlier app working and the account as it was.
    """
    if not bevestig_totp(apparaat, code):  # also False while django-otp throttles the device
        return None
    user = apparaat.user
    TOTPDevice.objects.filter(user=user).exclude(pk=apparaat.pk).delete()
    if nieuw_wachtwoord:
        user.set_password(nieuw_wachtwoord)
        user.save(update_fields=["password"])
    return maak_reservecodes(user)


def stuur_uitnodiging(user, basis_url: str) -> None:
    """Mail the account its invitation link; `basis_url` is the site's address (scheme and host)."""
    from django.core.mail import EmailMessage
    from django.template.loader import render_to_string

    if not (user.is_active and user.is_staff):
        raise ValueError(f"‘{user.get_username()}’ is geen actief medewerkersaccount.")
    if not user.email:
        raise ValueError(f"Account ‘{user.get_username()}’ heeft geen e-mailadres.")
    link = basis_url.rstrip("/") + reverse("tweestaps_instellen", args=[uitnodiging_token(user)])
    context = {"user": user, "link": link, "dagen": uitnodiging_geldig_dagen()}
    EmailMessage(
        subject="Tweestapsverificatie instellen voor de G40-convenantadministratie",
        body=render_to_string("beheer/tweestaps_uitnodiging.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email],
    ).send()
