"""Background tasks of the agreements (Django's task framework: `django_tasks`).

Run by `manage.py db_worker` (started by `make run` beside the web server). The
same `@task` runs on any backend of that interface (database, RQ, Celery).
"""

from django_tasks import task

from . import bundels


@task()
def maak_pdf_bundel(bundel_id: str) -> dict:
    return bundels.maak_bundel(bundel_id)
