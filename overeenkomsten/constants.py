from django.db import models


class Status(models.TextChoices):
    CONCEPT = "concept", "Concept"
    VERZONDEN = "verzonden", "Verzonden"
    ONDERTEKEND = "ondertekend", "Ondertekend ontvangen"
    OPGEZEGD = "opgezegd", "Opgezegd"


class DocumentSoort(models.TextChoices):
    VERZONDEN = "verzonden", "Verzonden PDF"
    GETEKEND = "getekend", "Getekende scan"


class OpgezegdDoor(models.TextChoices):
    """Which party gave notice (art. 1.2: either party may terminate)."""

    GEMEENTE = "gemeente", "De gemeente"
    PLATFORM31 = "platform31", "Platform31"


# Shown instead of the status once a signed agreement has passed its last day.
AFGELOPEN = "afgelopen"
AFGELOPEN_LABEL = "Afgelopen"


def status_label(code: str) -> str:
    """The words for a status code, including the derived ``afgelopen``."""
    return AFGELOPEN_LABEL if code == AFGELOPEN else Status(code).label
