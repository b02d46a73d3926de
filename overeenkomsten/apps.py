from django.apps import AppConfig


class OvereenkomstenConfig(AppConfig):
    name = "overeenkomsten"
    verbose_name = "Overeenkomsten"

    def ready(self):
        # A CBS import in the reference data tells the agreements (it does not import them).
        from gemeenten import afnemers

        from .inwonertallen import Overeenkomsten

        afnemers.registreer(Overeenkomsten())
