from django.apps import AppConfig


class ConvenantConfig(AppConfig):
    name = "convenant"
    verbose_name = "Convenant"
