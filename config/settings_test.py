"""Settings for the test suite: the real settings plus a throw-away secret key.

Settings refuse to start without SECRET_KEY outside DEBUG; tests get a random
one per run rather than a fixed value in the repository.
"""

import os
import secrets

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(32))
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API in live_server tests

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Two-factor login is switched on by the tests that are about it (tests/test_inloggen.py,
# the browser test); elsewhere force_login stands for a completed login.
OTP_VERPLICHT = False

# Tests run with DEBUG off but without collectstatic: plain static storage (the
# manifest storage would fail on every {% static %}), and no HTTPS redirect for
# the test client and the live server.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
# WhiteNoise finds the files where they are (no collectstatic in tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
