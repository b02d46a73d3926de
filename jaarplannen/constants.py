from django.db import models


class JaarplanStatus(models.TextChoices):
    IN_VOORBEREIDING = "in_voorbereiding", "In voorbereiding"
    GEREED = "gereed", "Gereed"
    VASTGESTELD = "vastgesteld", "Vastgesteld door het DB"


class ActiviteitSoort(models.TextChoices):
    BASISPROGRAMMA = "basisprogramma", "Basisprogramma"
    THEMA = "thema", "Specifiek thema"


class ActiviteitStatus(models.TextChoices):
    GEPLAND = "gepland", "Gepland"
    LOPEND = "lopend", "Lopend"
    AFGEROND = "afgerond", "Afgerond"
    VERVALLEN = "vervallen", "Vervallen"


class EvaluatieMoment(models.TextChoices):
    JULI = "juli", "Juli"
    NOVEMBER = "november", "November"


EVALUATIE_MAAND = {EvaluatieMoment.JULI: 7, EvaluatieMoment.NOVEMBER: 11}
