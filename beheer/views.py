from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path, reverse_lazy
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET

from . import tweestaps


@never_cache
@require_GET
@transaction.non_atomic_requests
def gezond(request):
    """Health check for a load balancer or monitor: 200 "ok" when the database answers, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database onbereikbaar", status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


class MedewerkerWachtwoordForm(PasswordResetForm):
    """Password reset for staff accounts only (others cannot log in here anyway)."""

    def get_users(self, email):
        return (u for u in super().get_users(email) if u.is_staff)


wachtwoord_urls = [
    path("vergeten/", auth_views.PasswordResetView.as_view(
        form_class=MedewerkerWachtwoordForm,
        email_template_name="beheer/wachtwoord_email.txt",
        subject_template_name="beheer/wachtwoord_onderwerp.txt",
        success_url=reverse_lazy("password_reset_done"),
    ), name="admin_password_reset"),
    path("verzonden/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("nieuw/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        success_url=reverse_lazy("password_reset_complete"),
    ), name="password_reset_confirm"),
    path("gewijzigd/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]


class TweestapsInstellenForm(forms.Form):
    """Password (the current one, or a new one twice for an account made without) and the app's first code."""

    wachtwoord = forms.CharField(label="Uw wachtwoord", strip=False,
                                 widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    wachtwoord1 = forms.CharField(label="Kies een wachtwoord", strip=False,
                                  widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                  help_text=password_validation.password_validators_help_text_html())
    wachtwoord2 = forms.CharField(label="Herhaal het wachtwoord", strip=False,
                                  widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    code = forms.CharField(
        label="Code uit de app", max_length=8,
        help_text="De zescijferige code die de app na het scannen toont.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # An account the administrator made without a password ("password-based authentication:
        # disabled" in the admin): its owner chooses one here, the link being the only key.
        self.nieuw_wachtwoord = not user.has_usable_password()
        for naam in (("wachtwoord",) if self.nieuw_wachtwoord else ("wachtwoord1", "wachtwoord2")):
            del self.fields[naam]

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError("Vul de zes cijfers in die de app nu toont.")
        return code

    def clean_wachtwoord1(self):
        wachtwoord = self.cleaned_data["wachtwoord1"]
        password_validation.validate_password(wachtwoord, self.user)
        return wachtwoord

    def clean(self):
        cleaned = super().clean()
        eerste, tweede = cleaned.get("wachtwoord1"), cleaned.get("wachtwoord2")
        if eerste and tweede and eerste != tweede:
            self.add_error("wachtwoord2", "De twee wachtwoorden zijn niet gelijk.")
        return cleaned


@never_cache
@sensitive_post_parameters("wachtwoord", "wachtwoord1", "wachtwoord2", "code")
def tweestaps_instellen(request, token):
    """Enrolment by invitation: scan the QR code, confirm with password and a first code.

    Open without logging in (the account cannot log in yet), like the password-reset
    link; a link that is forged, expired or used shows only that it is invalid.
    """
    from django.contrib import admin  # the site's header and title, as on the login page

    basis = admin.site.each_context(request)
    user = tweestaps.gebruiker_bij_uitnodiging(token)
    if user is None:
        return render(request, "beheer/tweestaps_instellen.html", {**basis, "geldig": False, "title": "Link ongeldig"})
    apparaat = tweestaps.app_voor_uitnodiging(user)
    form = TweestapsInstellenForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        # authenticate() goes through django-axes: wrong passwords here count towards the lockout.
        # (A locked-out account gets the lockout page from AxesMiddleware instead of this one.)
        if not form.nieuw_wachtwoord and authenticate(
                request, username=user.get_username(), password=form.cleaned_data["wachtwoord"]) is None:
            form.add_error("wachtwoord", "Het wachtwoord klopt niet.")
        else:
            codes = tweestaps.rond_uitnodiging_af(apparaat, form.cleaned_data["code"],
                                                  nieuw_wachtwoord=form.cleaned_data.get("wachtwoord1"))
            if codes is None:
                form.add_error("code", "De code klopt niet of is verlopen. Controleer of de tijd op de telefoon "
                                       "klopt en vul de code in die de app nu toont.")
            else:
                return render(request, "beheer/tweestaps_instellen.html", {
                    **basis, "geldig": True, "klaar": True, "account": user, "reservecodes": codes,
                    "title": "Tweestapsverificatie ingesteld",
                })
    return render(request, "beheer/tweestaps_instellen.html", {
        **basis, "geldig": True, "account": user, "form": form, "title": "Tweestapsverificatie instellen",
        "qr": mark_safe(tweestaps.qr_svg(apparaat.config_url)),  # noqa: S308  SVG made by qrcode, no user text
        "sleutel": tweestaps.handmatige_sleutel(apparaat), "nieuw_wachtwoord": form.nieuw_wachtwoord,
    })
