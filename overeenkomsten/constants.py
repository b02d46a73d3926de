from django.db import models


class Status(models.TextChoices):
    CONCEPT = "concept", "Concept"
    VERZONDEN = "verzonden", "Verzonden"
    ONDERTEKEND = "ondertekend", "Ondertekend ontvangen"
    OPGEZEGD = "opgezegd", "Opgezegd"


class DocumentSoort(models.TextChoices):
    VERZONDEN = "verzonden", "Verzonden PDF"
    GETEKEND = "getekend", "Getekende scan"


class BundelStatus(models.TextChoices):
    WACHT = "wacht", "Wacht op verwerking"
    BEZIG = "bezig", "Bezig"
    KLAAR = "klaar", "Klaar"
    MISLUKT = "mislukt", "Mislukt"
