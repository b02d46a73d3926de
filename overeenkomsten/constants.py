from django.db import models


class Status(models.TextChoices):
    CONCEPT = "concept", "Concept"
    VERZONDEN = "verzonden", "Verzonden"
    ONDERTEKEND = "ondertekend", "Ondertekend ontvangen"
    OPGEZEGD = "opgezegd", "Opgezegd"


class DocumentSoort(models.TextChoices):
    VERZONDEN = "verzonden", "Verzonden PDF"
    GETEKEND = "getekend", "Getekende scan"
    BERICHT = "bericht", "Verzonden e-mail (.eml)"


class BerichtSoort(models.TextChoices):
    OVEREENKOMST = "overeenkomst", "Overeenkomst"
    HERINNERING = "herinnering", "Herinnering"


class BerichtStatus(models.TextChoices):
    WACHT = "wacht", "Wordt verstuurd"
    VERSTUURD = "verstuurd", "Verstuurd"
    MISLUKT = "mislukt", "Mislukt"
