from django.apps import AppConfig


class FacturenConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "facturen"
    verbose_name = "Facturen"

    def ready(self):
        # The yearly invoicing and overdue payments appear on the calendar, which sits below this app.
        from jaarplannen import kalender

        from .kalender import verplichtingen

        kalender.registreer_bron(verplichtingen)
