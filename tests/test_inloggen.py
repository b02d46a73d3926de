"""Login protection: lockout after failed attempts, two-factor login, password reset, health URL."""

import re
import time

from django.core import mail
from django.core.management import call_command
from django.db import DatabaseError
from django.urls import reverse

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from beheer import tweestaps

LOGIN = "/admin/login/?next=/"
WACHTWOORD = "Juist-wachtwoord-42"


def code(apparaat):
    return str(totp(apparaat.bin_key, step=apparaat.step, t0=apparaat.t0, digits=apparaat.digits)).zfill(
        apparaat.digits)


@pytest.fixture
def medewerker(db, django_user_model):
    return django_user_model.objects.create_superuser("medewerker", "medewerker@example.org", WACHTWOORD)


@pytest.fixture
def met_app(medewerker):
    return TOTPDevice.objects.create(user=medewerker, name="authenticator-app", confirmed=True)


def inloggen(client, wachtwoord=WACHTWOORD, gebruiker="medewerker", **extra):
    return client.post(LOGIN, {"username": gebruiker, "password": wachtwoord, "next": "/", **extra}, **{
        k: v for k, v in extra.items() if k == "REMOTE_ADDR"})


# --- lockout (django-axes, on as in every configuration) ---------------------------------------

def test_vijf_foute_wachtwoorden_blokkeren_het_account_ook_voor_het_juiste(client, medewerker, settings):
    assert settings.AXES_ENABLED and settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert inloggen(client, "fout").status_code == 200
    r = inloggen(client, "fout")
    assert r.status_code == 429
    assert "Account tijdelijk geblokkeerd" in r.text and "5 keer een verkeerd wachtwoord" in r.text
    assert "30 minuten" in r.text
    r = inloggen(client)
    assert r.status_code == 429
    assert "_auth_user_id" not in client.session

    call_command("axes_reset_username", "medewerker")
    r = inloggen(client)
    assert r.status_code == 302 and r.url == "/"
    assert client.get("/").status_code in (200, 403)  # logged in: no redirect to the login page


def test_blokkade_per_account_geldt_vanaf_elk_adres(client, medewerker):
    """Rotating addresses does not buy more attempts on one account."""
    for i in range(5):
        client.post(LOGIN, {"username": "medewerker", "password": "fout"}, REMOTE_ADDR=f"10.0.0.{i + 1}")
    r = client.post(LOGIN, {"username": "medewerker", "password": WACHTWOORD}, REMOTE_ADDR="10.0.9.9")
    assert r.status_code == 429


def test_achter_de_proxy_telt_het_adres_dat_de_proxy_doorgeeft(rf, settings):
    verzoek = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.7")
    settings.ACHTER_PROXY = False
    assert tweestaps.client_ip(verzoek) == "127.0.0.1"
    settings.ACHTER_PROXY = True
    assert tweestaps.client_ip(verzoek) == "192.0.2.7"  # the entry our proxy added, not the spoofable first


# --- two-factor login -------------------------------------------------------------------------

@pytest.fixture
def otp_aan(settings):
    settings.OTP_VERPLICHT = True


def test_zonder_debug_is_tweestapsverificatie_de_standaard():
    import subprocess
    import sys

    uit = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                               "print(settings.OTP_VERPLICHT, settings.DEBUG)"],
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": "x" * 50, "DEBUG": "False",
             "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, check=True)
    assert uit.stdout.split() == ["True", "False"]


def test_wachtwoord_alleen_is_niet_genoeg(client, met_app, otp_aan):
    r = inloggen(client)
    assert r.status_code == 200
    assert "Vul de verificatiecode uit uw authenticator-app in." in r.text
    assert "_auth_user_id" not in client.session
    r = inloggen(client, otp_token="000000" if code(met_app) != "000000" else "111111")
    assert "De verificatiecode klopt niet of is verlopen." in r.text
    assert "_auth_user_id" not in client.session


def test_wachtwoord_en_code_geven_toegang(client, met_app, otp_aan):
    r = client.get(LOGIN)
    assert 'name="otp_token"' in r.text and "Verificatiecode" in r.text
    r = inloggen(client, otp_token=code(met_app))
    assert r.status_code == 302 and r.url == "/"
    assert client.get("/").status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_reservecode_werkt_een_keer(client, medewerker, met_app, otp_aan):
    [eerste, *_] = tweestaps.maak_reservecodes(medewerker)
    assert StaticDevice.objects.get(user=medewerker).token_set.count() == 10
    assert inloggen(client, otp_token=eerste).status_code == 302
    client.logout()
    r = inloggen(client, otp_token=eerste)
    assert "De verificatiecode klopt niet" in r.text


def test_account_zonder_app_krijgt_uitleg(client, medewerker, otp_aan):
    r = inloggen(client, otp_token="123456")
    assert "nog geen tweestapsverificatie ingesteld" in r.text
    assert "_auth_user_id" not in client.session


def test_sessie_zonder_tweede_factor_komt_nergens(client, medewerker, otp_aan):
    """A session logged in without a verified device (e.g. from before the switch) is sent to the login."""
    client.force_login(medewerker)
    for url in ["/", reverse("admin:index"), "/rapportages/", reverse("jaarplannen:kalender")]:
        r = client.get(url)
        assert r.status_code == 302 and r.url.startswith(reverse("admin:login")), url
    assert client.get(reverse("gezond")).status_code == 200


def test_zonder_verplichting_is_het_wachtwoord_genoeg(client, medewerker, settings):
    settings.OTP_VERPLICHT = False
    assert 'name="otp_token"' not in client.get(LOGIN).text
    assert inloggen(client).status_code == 302


def test_instellen_met_het_commando(medewerker, capsys, client, otp_aan):
    call_command("tweestapsverificatie", "medewerker", "--reservecodes")
    uit = capsys.readouterr().out
    assert "otpauth://totp/" in uit and "Bevestig daarna met" in uit
    assert "Reservecodes" in uit
    apparaat = TOTPDevice.objects.get(user=medewerker)
    assert not apparaat.confirmed
    # Unconfirmed: not yet usable to log in.
    assert "nog geen tweestapsverificatie" in inloggen(client, otp_token=code(apparaat)).text
    with pytest.raises(Exception, match="De code klopt niet"):
        call_command("tweestapsverificatie", "medewerker", "--bevestig", "abcdef")
    time.sleep(1.1)  # django-otp throttles: after one wrong code the next try waits a second
    call_command("tweestapsverificatie", "medewerker", "--bevestig", code(apparaat))
    apparaat.refresh_from_db()
    assert apparaat.confirmed
    assert "Tweestapsverificatie ingesteld voor ‘medewerker’." in capsys.readouterr().out


def test_beheerder_ziet_qr_code_in_het_beheer(client, medewerker, met_app):
    client.force_login(medewerker)
    r = client.get(reverse("admin:otp_totp_totpdevice_qrcode", args=[met_app.pk]))
    assert r.status_code == 200 and r["Content-Type"].startswith("image/")


# --- password reset ---------------------------------------------------------------------------

def test_wachtwoord_vergeten_per_email(client, medewerker, django_user_model, settings, otp_aan):
    django_user_model.objects.create_user("buiten", "buiten@example.org", "x-Wachtwoord-1")  # not staff
    login = client.get(LOGIN).text
    assert f'href="{reverse("admin_password_reset")}"' in login and "Wachtwoord vergeten?" in login
    r = client.get(reverse("admin_password_reset"))
    assert r.status_code == 200 and "Wachtwoord" in r.text
    r = client.post(reverse("admin_password_reset"), {"email": "buiten@example.org"})
    assert r.status_code == 302 and len(mail.outbox) == 0  # non-staff: no mail (and no hint either)
    r = client.post(reverse("admin_password_reset"), {"email": "medewerker@example.org"}, follow=True)
    assert r.status_code == 200
    [bericht] = mail.outbox
    assert bericht.subject == "Nieuw wachtwoord voor de G40-convenantadministratie"
    assert bericht.to == ["medewerker@example.org"] and "Beste medewerker" in bericht.body
    link = re.search(r"https?://[^/]+(/wachtwoord/nieuw/\S+)", bericht.body).group(1)
    r = client.get(link, follow=True)
    assert r.status_code == 200 and 'name="new_password1"' in r.text
    r = client.post(r.redirect_chain[-1][0], {"new_password1": "Nieuw-wachtwoord-77", "new_password2":
                                              "Nieuw-wachtwoord-77"}, follow=True)
    assert r.status_code == 200
    medewerker.refresh_from_db()
    assert medewerker.check_password("Nieuw-wachtwoord-77")
    assert "_auth_user_id" not in client.session  # no login without the second factor


# --- health URL and pages that need a login ---------------------------------------------------

def test_gezond_zonder_inloggen(client, db):
    r = client.get("/gezond/")
    assert r.status_code == 200 and r.content == b"ok"
    assert client.post("/gezond/").status_code == 405


def test_gezond_meldt_503_als_de_database_niet_antwoordt(client, db, monkeypatch):
    from beheer import views

    class Onbereikbaar:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr(views, "connection", Onbereikbaar())
    r = client.get("/gezond/")
    assert r.status_code == 503 and b"ok" not in r.content


@pytest.mark.parametrize("url", ["/", "/rapportages/", "/jaarplannen/kalender/", "/admin/"])
def test_anoniem_alleen_naar_de_login(client, db, url):
    r = client.get(url)
    assert r.status_code == 302 and r.url.startswith(reverse("admin:login"))
