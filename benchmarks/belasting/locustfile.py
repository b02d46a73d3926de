"""Locust scenario for `make belasting`: logged-in secretariaat users (password + TOTP code) on the
dashboard, the agreements' changelist, the reports and PDF downloads. Runs only against 127.0.0.1."""

import hashlib
import hmac
import itertools
import json
import os
import re
import struct
import time
from urllib.parse import urlparse

from locust import HttpUser, between, events, task

GEGEVENS = json.load(open(os.environ["BELASTING_GEBRUIKERS"]))
_volgende = itertools.count()


@events.test_start.add_listener
def alleen_loopback(environment, **kwargs):
    if urlparse(environment.host).hostname != "127.0.0.1":
        raise SystemExit("De belastingtest draait alleen tegen 127.0.0.1.")


def totp(sleutel_hex, stap=30, cijfers=6):
    """RFC 6238 code for a django-otp TOTPDevice key (hex)."""
    teller = struct.pack(">Q", int(time.time()) // stap)
    h = hmac.new(bytes.fromhex(sleutel_hex), teller, hashlib.sha1).digest()
    o = h[-1] & 0x0F
    return str((struct.unpack(">I", h[o:o + 4])[0] & 0x7FFFFFFF) % 10 ** cijfers).zfill(cijfers)


class Secretariaat(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        g = GEGEVENS["gebruikers"][next(_volgende) % len(GEGEVENS["gebruikers"])]
        r = self.client.get("/admin/login/", name="login (formulier)")
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', r.text).group(1)
        with self.client.post("/admin/login/?next=/", name="login (versturen)", allow_redirects=False, data={
            "csrfmiddlewaretoken": csrf, "username": g["naam"], "password": g["wachtwoord"],
            "otp_token": totp(g["totp_sleutel"]), "next": "/",
        }, headers={"Referer": f"{self.host}/admin/login/"}, catch_response=True) as r:
            if r.status_code != 302:
                r.failure(f"inloggen mislukt: {r.status_code}")
        self.pdf_ids = GEGEVENS["pdf_ids"]

    def _get(self, url, naam):
        with self.client.get(url, name=naam, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} op {url}")

    @task(4)
    def dashboard(self):
        self._get("/", "/ (dashboard)")

    @task(3)
    def overeenkomsten(self):
        self._get("/admin/overeenkomsten/samenwerkingsovereenkomst/", "/admin/…/samenwerkingsovereenkomst/")

    @task(2)
    def rapportages(self):
        self._get("/rapportages/", "/rapportages/")

    @task(2)
    def overzicht(self):
        self._get("/rapportages/overzicht/2023-2027/", "/rapportages/overzicht/2023-2027/")

    @task(1)
    def factuurlijst(self):
        self._get("/rapportages/factuurlijst/?jaar=2024", "/rapportages/factuurlijst/")

    @task(1)
    def pdf(self):
        pk = self.pdf_ids[int(time.time() * 1000) % len(self.pdf_ids)]
        self._get(f"/overeenkomsten/{pk}/pdf/", "/overeenkomsten/[id]/pdf/")
