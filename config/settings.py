"""Settings for the G40 convenant administration, read from the environment.

Development runs with DEBUG on and an embedded SQLite database; production
sets DEBUG off, a SECRET_KEY and a PostgreSQL DATABASE_URL (see README).
"""

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

import environ
from csp.constants import SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY ontbreekt. Zet SECRET_KEY in de omgeving of in .env "
            "(alleen met DEBUG=True is een ontwikkelsleutel toegestaan)."
        )
    SECRET_KEY = "alleen-voor-ontwikkeling-niet-in-productie-gebruiken"  # noqa: S105

ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "import_export",
    "simple_history",
    # Login protection (see "Inloggen en beveiliging" below)
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "beheer",
    "django_tasks",
    "django_tasks_db",
    "convenant",
    "gemeenten",
    "overeenkomsten",
    "jaarplannen",
    "facturen",
    "bureau",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files in production, right after security
    "convenant.middleware.GeenNultekensMiddleware",  # %00 in the address: 400, not a PostgreSQL error
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "beheer.tweestaps.TweestapsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Keep a worker's connection between requests (a new PostgreSQL connection per request costs a
# login round trip); checked before reuse, so a restarted server costs one failed check, no error.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "beheer.wachtwoorden.MinimumLengte"},  # Django's, with its message in Dutch
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "/"

# --- Inloggen en beveiliging (issue 9) -------------------------------------
# Throttling and lockout (django-axes), on in every configuration. An account is
# locked after AXES_FAILURE_LIMIT failed attempts from anywhere ("username"), and
# so is an address after that many failures on any accounts ("ip_address"); each
# entry of the list locks on its own. The lock ends after AXES_COOLOFF_TIME or with
# `manage.py axes_reset_username NAAM`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = True
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTEN", default=30))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "beheer/geblokkeerd.html"
AXES_HTTP_RESPONSE_CODE = 429
# Behind a reverse proxy every request comes from the proxy; with ACHTER_PROXY the
# client address is the last X-Forwarded-For entry, the one the proxy itself added.
ACHTER_PROXY = env.bool("ACHTER_PROXY", default=False)
AXES_CLIENT_IP_CALLABLE = "beheer.tweestaps.client_ip"

# Two-factor authentication (TOTP, django-otp) for every staff login, required
# unless DEBUG is on. Devices are enrolled by the account's owner through an invitation
# link (admin action on Gebruikers, or `manage.py tweestapsverificatie NAAM --uitnodigen`),
# valid TWEESTAPS_UITNODIGING_DAGEN days, or with the command at a terminal (see README).
OTP_VERPLICHT = env.bool("OTP_VERPLICHT", default=not DEBUG)
OTP_TOTP_ISSUER = "G40-convenant"
TWEESTAPS_UITNODIGING_DAGEN = env.int("TWEESTAPS_UITNODIGING_DAGEN", default=3)

# Password reset by e-mail (staff accounts only); the link is valid this long.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Dutch interface. Thousand separators are applied explicitly where a number is
# shown (see convenant.formatting), not globally: a global setting would also
# print years as "2.023" and ids as "1.234" in templates.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production serves hashed, compressed static files through WhiteNoise (after
# `collectstatic`, which `make serve` runs); development and tests use plain storage.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": (
        "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"  # never served publicly: documents go through permission-checked views

# Background tasks (Django's task framework, backport for 5.2): the database backend, run by
# `manage.py db_worker`. Another backend of the same interface (RQ, Celery) needs no code change.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Content cache of rendered PDFs (convenant.pdf): outside MEDIA_ROOT (it is not evidence) and
# outside git; bounded, least recently used entries are removed first. 0 switches it off.
PDF_CACHE_DIR = env.path("PDF_CACHE_DIR", default=BASE_DIR / "var" / "pdf-cache")
PDF_CACHE_MAX_BYTES = env.int("PDF_CACHE_MAX_BYTES", default=256 * 1024 * 1024)

# ZIP bundles of agreement PDFs (admin action, made in the background) are kept this many days;
# each new bundle removes older ones with their files.
PDF_BUNDEL_BEWAARDAGEN = env.int("PDF_BUNDEL_BEWAARDAGEN", default=7)

# Uploaded signed scans are limited in size (bytes).
MAX_SCAN_BYTES = env.int("MAX_SCAN_BYTES", default=20 * 1024 * 1024)
# Payment term of invoices to the municipalities, in days after the invoice date.
FACTUUR_BETAALTERMIJN_DAGEN = env.int("FACTUUR_BETAALTERMIJN_DAGEN", default=30)

# Mail: either one EMAIL_URL (django-environ, e.g. ``smtp+tls://user:password@mail.example.org:587``)
# or the separate variables below. Without either, messages go to the console.
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
    EMAIL_HOST = env("EMAIL_HOST", default="localhost")
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
    EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
if env("EMAIL_FILE_PATH", default=""):  # for django.core.mail.backends.filebased.EmailBackend
    EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="g40-secretariaat@localhost")

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Import creates and overwrites rows: add (and, per admin, change; convenant.admin_toegang) permission;
# export needs view. Fail closed for any admin that forgets the mixin.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# Not import-export's own formula escaping (it strips one '=' and turns numbers into text):
# every export format is convenant.formules.VeiligCSV/VeiligXLSX (tests/test_invoer_grenzen.py checks).
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False

# --- Productie: HTTPS, reverse proxy, Content-Security-Policy (issue 9) ------
# Behind a reverse proxy that terminates TLS (ACHTER_PROXY=True), the proxy tells
# Django the original scheme in X-Forwarded-Proto. Every value can be overridden
# from the environment; `make serve` on plain http://127.0.0.1 switches the HTTPS
# ones off for a local try (scripts/serve.sh).
if ACHTER_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = env.bool("USE_X_FORWARDED_HOST", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^gezond/$"]  # the health check from the proxy or monitor may use http
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# Content-Security-Policy (django-csp 4): only this site's own scripts, styles,
# images and fonts; no inline script or style, no plugins, no framing by others.
# Page styles and behaviour live in static/g40/ (g40.css, g40.js).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [SELF],  # the preview page shows the agreement's PDF in an <object>
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
