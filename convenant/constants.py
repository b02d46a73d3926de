from django.db import models


class Rol(models.TextChoices):
    DIRECTEUR_PLATFORM31 = "directeur_platform31", "Directeur(-bestuurder) Platform31"
    VOORZITTER_G40 = "voorzitter_g40", "Voorzitter Dagelijks Bestuur G40"
    SECRETARIS_G40 = "secretaris_g40", "Secretaris G40"
    RELATIEMANAGER = "relatiemanager", "Relatiemanager G40 van Platform31"
    PIJLERSECRETARIS = "pijlersecretaris", "Pijlersecretaris G40"
    PROGRAMMAMANAGER = "programmamanager", "Programmamanager Platform31"
    COORDINATOR = "coordinator", "G40-coördinator gemeente"
    OVERIG = "overig", "Overig"


class Sjabloon(models.TextChoices):
    """Which text of the per-city agreement a convenant uses."""

    UITVOERINGSOVEREENKOMST_2019 = "2019-2022", "Uitvoeringsovereenkomst 2019 t/m 2022"
    SAMENWERKINGSOVEREENKOMST_2023 = "2023-2027", "Samenwerkingsovereenkomst 2023 t/m 2027"
