"""End to end in a real browser: Debian's headless Chromium driven by Playwright against live_server."""

import datetime
import os
import re

from django.db import connections
from django.urls import reverse

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from convenant import toegang
from convenant.models import Convenant
from overeenkomsten.constants import DocumentSoort, Status
from overeenkomsten.models import Samenwerkingsovereenkomst

from .bureau import maak_gebruiker, zorg_voor_rollen

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM),
                       reason=f"{CHROMIUM} ontbreekt (Debian-pakket chromium); de browsertest kan niet draaien"),
]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()
            # While Playwright's sync API runs, the ORM works in another context and so on a
            # connection of its own; close it, or it outlives the test database.
            connections.close_all()


def test_secretaris_registreert_ontvangst_en_ziet_de_teller_stijgen(
    transactional_db, live_server, referentiedata, django_user_model, browser, tmp_path, settings,
):
    settings.OTP_VERPLICHT = True  # as in production: password and a code from the authenticator app
    zorg_voor_rollen()  # an earlier transactional test may have flushed what the migrations wrote
    secretaris = maak_gebruiker(django_user_model, toegang.SECRETARIAAT, "secretaris", wachtwoord="Geheim-voor-test-1")
    app = TOTPDevice.objects.create(user=secretaris, name="authenticator-app", confirmed=True)
    conv = Convenant.objects.get(slug="2023-2027")
    # Almere's agreement went out in January (as historic data, without rendering a PDF here).
    Samenwerkingsovereenkomst.objects.filter(convenant=conv, gemeente__naam="Almere").update(
        status=Status.VERZONDEN, verzonden_op=datetime.date(2023, 1, 16), verzonden_aan="griffie@almere.nl",
    )
    scan = tmp_path / "almere-getekend.pdf"
    # A real (one blank page) PDF: the upload check parses the scan, a bare header is refused.
    from pypdf import PdfWriter

    schrijver = PdfWriter()
    schrijver.add_blank_page(595, 842)
    with scan.open("wb") as f:
        schrijver.write(f)

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(20_000)
    # Content-Security-Policy: the browser reports every blocked inline script or style on the console.
    csp_meldingen = []
    page.on("console", lambda m: csp_meldingen.append(m.text) if "Content Security Policy" in m.text else None)

    # Anonymous: only the login page.
    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}{reverse('admin:login')}")
    page.fill("#id_username", "secretaris")
    page.fill("#id_password", "Geheim-voor-test-1")
    page.fill("#id_otp_token", str(totp(app.bin_key, step=app.step, t0=app.t0, digits=app.digits)).zfill(6))
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.inner_text("#aantal-ondertekend") == "1 van 41 ondertekend"

    # Select Almere in the changelist and pick the workflow action.
    page.goto(f"{live_server.url}{reverse('admin:overeenkomsten_samenwerkingsovereenkomst_changelist')}"
              f"?convenant__id__exact={conv.pk}")
    rij = page.locator("#result_list tbody tr", has=page.locator("th a, td a", has_text=re.compile("^Almere$")))
    rij.locator("input.action-select").check()
    page.select_option("select[name=action]", "actie_ontvangen")
    page.click("button[name=index]")

    # The confirmation page: date and scan, then confirm.
    page.wait_for_url(re.compile(r"/workflow/ontvangen/"))
    assert "Almere" in page.inner_text("#overgang-overeenkomsten")
    page.fill("input[name=ontvangen_op]", "2023-02-20")
    page.set_input_files("input[name=scan]", str(scan))
    page.click("input[name=bevestig]")
    page.wait_for_url(re.compile(r"/admin/overeenkomsten/samenwerkingsovereenkomst/"))
    assert "Almere: ondertekend ontvangen op 20 februari 2023." in page.inner_text("ul.messagelist")

    page.goto(f"{live_server.url}/")
    assert page.inner_text("#aantal-ondertekend") == "2 van 41 ondertekend"
    assert "Almere" not in page.inner_text("#ontbrekend")
    # The script from static/ ran (the progress bar got its width) and nothing was blocked.
    assert page.eval_on_selector("#voortgang .g40-balk span", "e => e.style.width") == f"{round(200 / 41)}%"
    page.goto(f"{live_server.url}{reverse('jaarplannen:kalender')}")
    assert csp_meldingen == []

    ov = Samenwerkingsovereenkomst.objects.get(convenant=conv, gemeente__naam="Almere")
    assert (ov.status, ov.ontvangen_op) == (Status.ONDERTEKEND, datetime.date(2023, 2, 20))
    assert ov.documenten.get().soort == DocumentSoort.GETEKEND
    assert ov.history.first().history_user.username == "secretaris"


# --- layout: no horizontal overflow at a laptop's 1366 px nor at a phone's 390 px -------------------

BREEDTES = {"laptop": (1366, 768), "telefoon": (390, 844)}


def test_geen_horizontale_overloop(transactional_db, live_server, referentiedata, django_user_model, browser):
    """Screenshots go to /tmp/g40-layout-*.png (looked at by hand when the layout changes)."""
    zorg_voor_rollen()
    maak_gebruiker(django_user_model, toegang.SECRETARIAAT, "secretaris", wachtwoord="Geheim-voor-test-1")
    conv = Convenant.objects.get(slug="2023-2027")
    paginas = {
        "overzicht": "/",
        "overeenkomsten": f"{reverse('admin:overeenkomsten_samenwerkingsovereenkomst_changelist')}"
                          f"?convenant__id__exact={conv.pk}",
        "rapport": reverse("rapportages:overzicht", args=[conv.slug]),
        "factuurlijst": f"{reverse('rapportages:factuurlijst')}?jaar=2024",
        "vergelijking": reverse("rapportages:vergelijking"),
    }
    overloop = []
    for apparaat, (breedte, hoogte) in BREEDTES.items():
        context = browser.new_context(viewport={"width": breedte, "height": hoogte})
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"{live_server.url}{reverse('admin:login')}")
        page.fill("#id_username", "secretaris")
        page.fill("#id_password", "Geheim-voor-test-1")
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        for naam, url in paginas.items():
            page.goto(f"{live_server.url}{url}")
            page.screenshot(path=f"/tmp/g40-layout-{naam}-{breedte}.png", full_page=True)
            scroll, venster = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if scroll > venster:
                overloop.append(f"{naam} op {breedte} px: {scroll} > {venster}")
            if apparaat == "laptop":  # on a laptop the tables fit; only a phone scrolls inside them
                for kader, breed, zichtbaar in page.evaluate(
                    "[...document.querySelectorAll('.results, .rapport-tabel, .g40-tabel')]"
                    ".map(e => [e.className, e.scrollWidth, e.clientWidth])"
                ):
                    if breed > zichtbaar + 1:
                        overloop.append(f"{naam} op {breedte} px: tabel in {kader} {breed} > {zichtbaar}")
        context.close()
    assert not overloop, overloop


def test_tweestaps_instellen_via_de_uitnodiging(transactional_db, live_server, django_user_model, browser, settings):
    """The invitation page in a real browser: the QR code shows, nothing is blocked, it fits a phone."""
    from beheer import tweestaps

    settings.OTP_VERPLICHT = True
    coordinator = django_user_model.objects.create_user(
        "coordinator", "g40@deventer.example", "Geheim-voor-test-1", is_staff=True)
    link = f"{live_server.url}{reverse('tweestaps_instellen', args=[tweestaps.uitnodiging_token(coordinator)])}"
    for apparaat, (breedte, hoogte) in BREEDTES.items():
        context = browser.new_context(viewport={"width": breedte, "height": hoogte})
        page = context.new_page()
        page.set_default_timeout(20_000)
        csp_meldingen = []
        page.on("console", lambda m, lijst=csp_meldingen: lijst.append(m.text)
                if "Content Security Policy" in m.text else None)
        page.goto(link)
        breedte_qr, hoogte_qr = page.eval_on_selector(".qr svg", "e => [e.clientWidth, e.clientHeight]")
        assert breedte_qr == hoogte_qr and breedte_qr >= 150, (breedte_qr, hoogte_qr)  # big enough to scan
        scroll, venster = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= venster, f"{apparaat}: {scroll} > {venster}"
        page.screenshot(path=f"/tmp/g40-layout-tweestaps-{breedte}.png", full_page=True)
        if apparaat == "telefoon":
            app = TOTPDevice.objects.get(user=coordinator, confirmed=False)
            page.fill("#id_wachtwoord", "Geheim-voor-test-1")
            page.fill("#id_code", str(totp(app.bin_key, step=app.step, t0=app.t0, digits=app.digits)).zfill(6))
            page.click("input[type=submit]")
            page.wait_for_selector(".reservecodes")
            assert len(page.locator(".reservecodes li").all()) == 10
            page.screenshot(path=f"/tmp/g40-layout-tweestaps-klaar-{breedte}.png", full_page=True)
            scroll, venster = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert scroll <= venster, f"{apparaat}, reservecodes: {scroll} > {venster}"
        assert csp_meldingen == []
        context.close()
    assert TOTPDevice.objects.get(user=coordinator).confirmed
