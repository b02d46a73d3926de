from django.apps import AppConfig


class JaarplannenConfig(AppConfig):
    name = "jaarplannen"
    verbose_name = "Jaarplannen en evaluaties"
