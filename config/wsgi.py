import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Load WeasyPrint and its font configuration now: under `gunicorn --preload` this happens
# once in the master and every forked worker serves its first PDF warm.
from convenant.pdf import voorbereiden  # noqa: E402

voorbereiden()
