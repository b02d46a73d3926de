from django.apps import AppConfig


class FacturenConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "facturen"
    verbose_name = "Facturen"
