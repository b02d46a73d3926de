import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Load the URLconf and WeasyPrint (with its fonts and native libraries) now: under
# `gunicorn --preload` that happens once in the master, not on each worker's first request.
from django.urls import get_resolver  # noqa: E402

import weasyprint  # noqa: E402,F401

_ = get_resolver().url_patterns
