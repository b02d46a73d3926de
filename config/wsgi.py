import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Load the URLconf and WeasyPrint (with its fonts, native libraries and the one font
# configuration every render shares) now: under `gunicorn --preload` that happens once in
# the master, not on each worker's first request.
from django.urls import get_resolver  # noqa: E402

from convenant.pdf import voorbereiden  # noqa: E402

voorbereiden()
_ = get_resolver().url_patterns

# What is loaded now lives as long as the process: keep it out of the garbage collector's
# generations. Every full collection would otherwise walk it (the cost grows with the heap,
# and a render allocates enough to trigger several), and in a forked worker that walk writes
# to each object's header, so the pages shared with the master get copied one by one.
import gc  # noqa: E402

gc.freeze()
