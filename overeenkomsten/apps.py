from django.apps import AppConfig


class OvereenkomstenConfig(AppConfig):
    name = "overeenkomsten"
    verbose_name = "Overeenkomsten"
