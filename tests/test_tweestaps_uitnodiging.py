"""Two-factor login set up by the account's owner, through an invitation link an administrator mails.

The flow a new G40-coördinator goes through: the administrator picks the account in
Gebruikers and e-mails the invitation; the coördinator opens the link, scans the QR
code, confirms with password and a first code, gets backup codes once, and logs in
with password and code. The link works once and a limited number of days.
"""

import re
import time

from django.core import mail, signing
from django.core.management import CommandError, call_command
from django.urls import reverse

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from beheer import tweestaps

WACHTWOORD = "Juist-wachtwoord-42"
LOGIN = "/admin/login/?next=/"


def code(apparaat):
    return str(totp(apparaat.bin_key, step=apparaat.step, t0=apparaat.t0, digits=apparaat.digits)).zfill(6)


@pytest.fixture
def otp_aan(settings):
    settings.OTP_VERPLICHT = True


@pytest.fixture
def coordinator(db, django_user_model):
    return django_user_model.objects.create_user(
        "coordinator", "g40@deventer.example", WACHTWOORD, is_staff=True, first_name="Kim", last_name="de Vries")


def uitnodigen_via_beheer(client, beheerder, *users):
    client.force_login(beheerder)
    r = client.post(reverse("admin:auth_user_changelist"), {
        "action": "stuur_tweestaps_uitnodiging", "_selected_action": [u.pk for u in users]}, follow=True)
    client.logout()
    return r


def link_uit(bericht):
    return re.search(r"https?://[^/\s]+(/tweestaps/instellen/\S+/)", bericht.body).group(1)


def test_van_uitnodiging_tot_inloggen(client, beheerder, coordinator, settings):
    oud = TOTPDevice.objects.create(user=coordinator, name="oude telefoon", confirmed=True)
    r = uitnodigen_via_beheer(client, beheerder, coordinator)
    settings.OTP_VERPLICHT = True  # from here on as in production (the administrator's own login aside)
    assert "Uitnodiging gemaild aan 1 account(s): coordinator. De link is 3 dagen geldig." in r.text
    [bericht] = mail.outbox
    assert bericht.to == ["g40@deventer.example"]
    assert bericht.subject == "Tweestapsverificatie instellen voor de G40-convenantadministratie"
    assert "Beste Kim de Vries" in bericht.body and "3 dagen geldig, één keer te gebruiken" in bericht.body
    link = link_uit(bericht)

    # The page: QR code as inline SVG, the key to type in, the form. Reloading shows the same app.
    pagina = client.get(link)
    assert pagina.status_code == 200 and pagina["Cache-Control"].startswith("max-age=0")
    assert '<div class="qr" role="img"' in pagina.text and "account <strong>coordinator</strong>" in pagina.text
    assert re.search(r'class="qr"[^>]*><svg ', pagina.text)
    nieuw = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    assert tweestaps.handmatige_sleutel(nieuw) in pagina.text
    client.get(link)
    assert TOTPDevice.objects.filter(user=coordinator, confirmed=False).get() == nieuw

    # Wrong password: refused, nothing confirmed; the old phone still works meanwhile.
    r = client.post(link, {"wachtwoord": "fout", "code": code(nieuw)})
    assert "Het wachtwoord klopt niet." in r.text
    nieuw.refresh_from_db()
    assert not nieuw.confirmed and TOTPDevice.objects.filter(pk=oud.pk).exists()
    # Not six digits: said before anything is checked.
    r = client.post(link, {"wachtwoord": WACHTWOORD, "code": "12ab"})
    assert "Vul de zes cijfers in die de app nu toont." in r.text
    # A wrong code: refused (and throttled by django-otp).
    fout = f"{(int(code(nieuw)) + 1) % 1_000_000:06d}"
    r = client.post(link, {"wachtwoord": WACHTWOORD, "code": fout})
    assert "De code klopt niet of is verlopen." in r.text
    time.sleep(1.1)  # django-otp: after one wrong code the next try waits a second

    eerste = code(nieuw)
    r = client.post(link, {"wachtwoord": WACHTWOORD, "code": eerste})
    assert r.status_code == 200 and "De authenticator-app is ingesteld voor ‘coordinator’." in r.text
    codes = re.findall(r"<li><code>([0-9a-f]{10})</code></li>", r.text)
    assert len(codes) == 10
    assert set(StaticDevice.objects.get(user=coordinator).token_set.values_list("token", flat=True)) == set(codes)
    # The new app replaced the old phone.
    assert list(TOTPDevice.objects.filter(user=coordinator).values_list("pk", "confirmed")) == [(nieuw.pk, True)]

    # The link worked once.
    r = client.get(link)
    assert "Deze link is ongeldig, verlopen of al gebruikt." in r.text and 'class="qr"' not in r.text

    # Logging in: the code that confirmed the app cannot be replayed (django-otp remembers its time
    # step); the app's next code, or a backup code, logs in.
    time.sleep(1.1)
    r = client.post(LOGIN, {"username": "coordinator", "password": WACHTWOORD, "otp_token": eerste, "next": "/"})
    assert "De verificatiecode klopt niet of is verlopen." in r.text and "_auth_user_id" not in client.session
    client.post(LOGIN, {"username": "coordinator", "password": WACHTWOORD, "otp_token": codes[0], "next": "/"})
    assert client.session.get("_auth_user_id") == str(coordinator.pk)


def test_vervalsde_verlopen_of_gesloten_links_tonen_niets(client, coordinator, monkeypatch, django_user_model):
    geldig = tweestaps.uitnodiging_token(coordinator)
    assert tweestaps.gebruiker_bij_uitnodiging(geldig) == coordinator
    vervalst = signing.dumps([coordinator.pk, "x" * 24], salt=tweestaps.UITNODIGING_ZOUT, compress=False)
    ander_zout = signing.dumps([coordinator.pk, tweestaps._app_staat(coordinator)], salt="iets anders")
    for token in (vervalst, ander_zout, geldig[:-2] + "xx", "ongeldig"):
        r = client.get(reverse("tweestaps_instellen", args=[token]))
        assert r.status_code == 200 and "Deze link is ongeldig" in r.text and "coordinator" not in r.text
    assert not TOTPDevice.objects.exists()  # no app made for an invalid link

    # Expired: made four days ago, valid three.
    nu = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: nu - 4 * 24 * 3600)
    oud = tweestaps.uitnodiging_token(coordinator)
    monkeypatch.undo()
    assert tweestaps.gebruiker_bij_uitnodiging(oud) is None

    # An account closed (or no longer staff) after the mail: the link stops working.
    django_user_model.objects.filter(pk=coordinator.pk).update(is_active=False)
    assert tweestaps.gebruiker_bij_uitnodiging(geldig) is None
    django_user_model.objects.filter(pk=coordinator.pk).update(is_active=True, is_staff=False)
    assert tweestaps.gebruiker_bij_uitnodiging(geldig) is None


def test_een_app_die_op_een_andere_manier_is_bevestigd_maakt_de_link_ongeldig(coordinator):
    token = tweestaps.uitnodiging_token(coordinator)
    apparaat = tweestaps.richt_totp_in(coordinator)
    assert tweestaps.gebruiker_bij_uitnodiging(token) == coordinator  # an unconfirmed app changes nothing
    assert tweestaps.bevestig_totp(apparaat, code(apparaat))
    assert tweestaps.gebruiker_bij_uitnodiging(token) is None


def test_foute_wachtwoorden_op_de_uitnodiging_tellen_voor_de_blokkade(client, coordinator, settings):
    link = reverse("tweestaps_instellen", args=[tweestaps.uitnodiging_token(coordinator)])
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert "Het wachtwoord klopt niet." in client.post(link, {"wachtwoord": "fout", "code": "123456"}).text
    r = client.post(link, {"wachtwoord": "fout", "code": "123456"})
    assert r.status_code == 429 and "Account tijdelijk geblokkeerd" in r.text
    assert "G40-convenantadministratie" in r.text and "Django-beheer" not in r.text  # the site's own header
    # Locked: the right password does not help either, and no app was confirmed.
    r = client.post(link, {"wachtwoord": WACHTWOORD, "code": "123456"})
    assert r.status_code == 429
    assert not TOTPDevice.objects.filter(user=coordinator, confirmed=True).exists()


def test_beheer_slaat_accounts_zonder_adres_of_medewerkerstatus_over_en_toont_wie_klaar_is(
    client, beheerder, coordinator, django_user_model,
):
    zonder_adres = django_user_model.objects.create_user("zonderadres", "", WACHTWOORD, is_staff=True)
    buiten = django_user_model.objects.create_user("buiten", "buiten@example.org", WACHTWOORD)
    TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    r = uitnodigen_via_beheer(client, beheerder, coordinator, zonder_adres, buiten)
    assert [m.to for m in mail.outbox] == [["g40@deventer.example"]]
    assert ("Geen uitnodiging voor: buiten (geen actief medewerkersaccount); zonderadres (geen e-mailadres)."
            in r.text)
    client.force_login(beheerder)
    lijst = client.get(reverse("admin:auth_user_changelist")).text
    assert "tweestapsverificatie" in lijst
    ingesteld = dict(re.findall(
        r'/change/">(\w+)</a></th>.*?<td class="field-tweestaps_ingesteld"><img [^>]*alt="(\w+)"', lijst))
    assert ingesteld == {"coordinator": "True", "zonderadres": "False", "buiten": "False", "testbeheerder": "False"}


def test_uitnodigen_met_het_commando(coordinator, capsys, django_user_model):
    call_command("tweestapsverificatie", "coordinator", "--uitnodigen", "https://g40.example.nl")
    assert "Uitnodiging gemaild aan g40@deventer.example (‘coordinator’), 3 dagen geldig." in capsys.readouterr().out
    [bericht] = mail.outbox
    assert "https://g40.example.nl/tweestaps/instellen/" in bericht.body
    with pytest.raises(CommandError, match="verwacht het adres van de site"):
        call_command("tweestapsverificatie", "coordinator", "--uitnodigen", "g40.example.nl")
    django_user_model.objects.create_user("zonderadres", "", WACHTWOORD, is_staff=True)
    with pytest.raises(CommandError, match="heeft geen e-mailadres"):
        call_command("tweestapsverificatie", "zonderadres", "--uitnodigen", "https://g40.example.nl")
    assert len(mail.outbox) == 1


def test_login_zonder_app_wijst_naar_de_uitnodiging(client, coordinator, otp_aan):
    r = client.post(LOGIN, {"username": "coordinator", "password": WACHTWOORD, "otp_token": "123456", "next": "/"})
    assert "Open de link in de e-mail ‘Tweestapsverificatie instellen’" in r.text


def test_nieuw_account_zonder_wachtwoord_kiest_het_hier(client, beheerder, django_user_model, settings):
    """The administrator makes the account with password-based login disabled and sends the invitation."""
    client.force_login(beheerder)
    r = client.post(reverse("admin:auth_user_add"), {
        "username": "nieuw", "usable_password": "false", "password1": "", "password2": ""}, follow=True)
    assert r.status_code == 200
    nieuw = django_user_model.objects.get(username="nieuw")
    assert not nieuw.has_usable_password()
    django_user_model.objects.filter(pk=nieuw.pk).update(email="nieuw@zwolle.example", is_staff=True)
    client.logout()
    uitnodigen_via_beheer(client, beheerder, django_user_model.objects.get(pk=nieuw.pk))
    [bericht] = mail.outbox
    assert "u kiest daar ook het wachtwoord van uw account" in bericht.body
    assert "wachtwoord vergeten" not in bericht.body.lower()  # a reset cannot help an account without one
    settings.OTP_VERPLICHT = True
    link = link_uit(bericht)

    pagina = client.get(link)
    assert 'name="wachtwoord1"' in pagina.text and 'name="wachtwoord2"' in pagina.text
    assert 'name="wachtwoord"' not in pagina.text
    apparaat = TOTPDevice.objects.get(user=nieuw)
    goed = "Lange-zin-voor-Zwolle-7"
    r = client.post(link, {"wachtwoord1": goed, "wachtwoord2": goed + "x", "code": code(apparaat)})
    assert "De twee wachtwoorden zijn niet gelijk." in r.text
    r = client.post(link, {"wachtwoord1": "12345678", "wachtwoord2": "12345678", "code": code(apparaat)})
    assert "Dit wachtwoord is te algemeen." in r.text  # Django's own validators, in Dutch
    r = client.post(link, {"wachtwoord1": "kort", "wachtwoord2": "kort", "code": code(apparaat)})
    assert "Dit wachtwoord is te kort. Het moet minstens 8 tekens bevatten." in r.text
    # A wrong code: the password is not set either (all or nothing).
    fout = f"{(int(code(apparaat)) + 1) % 1_000_000:06d}"
    r = client.post(link, {"wachtwoord1": goed, "wachtwoord2": goed, "code": fout})
    assert "De code klopt niet of is verlopen." in r.text
    nieuw.refresh_from_db()
    assert not nieuw.has_usable_password()
    time.sleep(1.1)

    r = client.post(link, {"wachtwoord1": goed, "wachtwoord2": goed, "code": code(apparaat)})
    assert "De authenticator-app is ingesteld voor ‘nieuw’." in r.text
    nieuw.refresh_from_db()
    assert nieuw.check_password(goed)
    [reserve, *_] = re.findall(r"<li><code>([0-9a-f]{10})</code></li>", r.text)
    client.post(LOGIN, {"username": "nieuw", "password": goed, "otp_token": reserve, "next": "/"})
    assert client.session.get("_auth_user_id") == str(nieuw.pk)
