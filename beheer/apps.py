from django.apps import AppConfig


class BeheerConfig(AppConfig):
    """Operations: login protection, health check, backups, document checks."""

    name = "beheer"
    verbose_name = "Technisch beheer"
