"""Production configuration: check --deploy is clean, security headers and CSP are sent, static files."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

import pytest

BASIS = Path(__file__).resolve().parent.parent

# The README's production settings ("Productie"), with a real random key.
PRODUCTIE = {
    "DEBUG": "False",
    "ALLOWED_HOSTS": "g40.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://g40.example.org",
    "ACHTER_PROXY": "True",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
}


def productie_env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_", "OTP_", "SESSION_"))}
    env.update(PRODUCTIE, SECRET_KEY=secrets.token_urlsafe(50), DJANGO_SETTINGS_MODULE="config.settings",
               DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", MEDIA_ROOT=str(tmp_path / "media"), **extra)
    return env


def test_check_deploy_zonder_meldingen(tmp_path):
    uit = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                         cwd=BASIS, env=productie_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert uit.returncode == 0, uit.stdout + uit.stderr
    assert "System check identified no issues (0 silenced)." in uit.stdout


def test_productie_instellingen(tmp_path):
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, "
            "s.OTP_VERPLICHT, s.AXES_ENABLED, s.STORAGES['staticfiles']['BACKEND'])")
    uit = subprocess.run([sys.executable, "-c", code], cwd=BASIS, env=productie_env(tmp_path),
                         capture_output=True, text=True, check=True, timeout=60).stdout.strip()
    assert uit == ("False True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https') True True "
                   "whitenoise.storage.CompressedManifestStaticFilesStorage")


def test_zonder_secret_key_start_productie_niet(tmp_path):
    env = productie_env(tmp_path)
    env.pop("SECRET_KEY")
    uit = subprocess.run([sys.executable, "manage.py", "check"], cwd=BASIS, env=env, capture_output=True,
                         text=True, timeout=60)
    assert uit.returncode != 0 and "SECRET_KEY ontbreekt" in uit.stderr


def test_csp_en_beveiligingskoppen(beheerder_client, referentiedata):
    r = beheerder_client.get("/")
    assert r.status_code == 200
    csp = r["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("url", ["/", "/rapportages/", "/jaarplannen/kalender/"])
def test_geen_inline_script_of_stijl(beheerder_client, referentiedata, url):
    """The policy forbids inline script and style; our pages must not need them."""
    html = beheerder_client.get(url, follow=True).text
    for verboden in ("<style", " style=", " onclick=", " onchange=", "javascript:"):
        assert verboden not in html, (url, verboden)
    import re

    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url


def test_statische_bestanden_via_whitenoise(client, db):
    r = client.get("/static/g40/g40.css")
    assert r.status_code == 200 and b".g40-kaart" in b"".join(r.streaming_content)


def test_gezond_buiten_de_https_omleiding(tmp_path):
    code = ("import django; django.setup(); from django.test import Client; "
            "r = Client().get('/gezond/', HTTP_HOST='g40.example.org'); print(r.status_code, r.content.decode()); "
            "r = Client().get('/', HTTP_HOST='g40.example.org'); print(r.status_code, r['Location'])")
    env = productie_env(tmp_path)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=BASIS, env=env, check=True, timeout=120)
    uit = subprocess.run([sys.executable, "-c", code], cwd=BASIS, env=env, capture_output=True, text=True,
                         timeout=60)
    assert uit.stdout.split("\n")[:2] == ["200 ok", "301 https://g40.example.org/"], uit.stdout + uit.stderr


def test_wsgi_laadt_de_urls_vooraf(tmp_path):
    code = "import sys, config.wsgi; print('weasyprint' in sys.modules)"
    uit = subprocess.run([sys.executable, "-c", code], cwd=BASIS, env=productie_env(tmp_path),
                         capture_output=True, text=True, timeout=60)
    assert uit.stdout.strip() == "True", uit.stderr


def test_gezond_is_anoniem_bereikbaar(client, db):
    assert client.get(reverse("gezond")).content == b"ok"
