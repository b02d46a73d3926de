from django.db import models


class FactuurStatus(models.TextChoices):
    CONCEPT = "concept", "Concept"
    VERZONDEN = "verzonden", "Verzonden"
    BETAALD = "betaald", "Betaald"


class FactuurSoort(models.TextChoices):
    JAARBIJDRAGE = "jaarbijdrage", "Jaarbijdrage"
    HERZIEN = "herzien", "Herziene factuur (na creditering)"
    EXTRA_BIJDRAGE = "extra_bijdrage", "Extra bijdrage"
    CREDITNOTA = "creditnota", "Creditnota"
    CREDITNOTA_VERREKENING = "creditnota_verrekening", "Creditnota verrekening overschot"


CREDITNOTAS = (FactuurSoort.CREDITNOTA, FactuurSoort.CREDITNOTA_VERREKENING)


class RegelSoort(models.TextChoices):
    BIJDRAGE = "bijdrage", "Bijdrage"
    VERREKENING = "verrekening", "Verrekening overschot"
    EXTRA = "extra", "Extra bijdrage"
    OVERIG = "overig", "Overig"


class Peppolschema(models.TextChoices):
    """Identifier schemes (ISO 6523 ICD) a Dutch public body is reached by on Peppol."""

    OIN = "0190", "OIN (Organisatie-identificatienummer)"
    KVK = "0106", "KvK-nummer"


class Uitgangspunt(models.TextChoices):
    """The three principles of the 2019 toelichting (art. 7.8) for a city's own contribution."""

    ALGEMEEN = "algemeen", "Algemene aanbevelingen voor de G40: geen eigen bijdrage"
    EIGEN_CASUS = "eigen_casus", "Advies op eigen casuïstiek van de stad: eigen bijdrage mogelijk"
    BIJEENKOMST = "bijeenkomst", "Bijeenkomst om kennis breder te delen: geen eigen bijdrage"


MET_BIJDRAGE = (Uitgangspunt.EIGEN_CASUS,)
