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


class Doorwerking(models.TextChoices):
    """Where a finding of an evaluation is carried (convenant art. 7: ‘lopende c.q. volgende jaarplan’)."""

    LOPEND = "lopend", "In het lopende jaarplan"
    VOLGEND = "volgend", "In het volgende jaarplan"
    GEEN = "geen", "Geen doorwerking"


class VerplichtingSoort(models.TextChoices):
    JAARPLAN_GEREED = "jaarplan_gereed", "Jaarplan gereed"
    JAARPLAN_VASTSTELLING = "jaarplan_vaststelling", "Vaststelling jaarplan"
    EVALUATIE = "evaluatie", "Evaluatie jaarplan"
    RAPPORTAGE = "rapportage", "Rapportage evaluatie"
    CONVENANTEVALUATIE = "convenantevaluatie", "Evaluatie convenant"
    CONVENANTRAPPORTAGE = "convenantrapportage", "Rapportage evaluatie convenant"
    OPZEGTERMIJN = "opzegtermijn", "Opzegtermijn overeenkomsten"
    # Convenant 2019–2022 (art. 7.6, art. 8 and its toelichting)
    VOORTGANG = "voortgang", "Voortgangsinformatie"
    HALFJAARRAPPORTAGE = "halfjaarrapportage", "Halfjaarrapportage"
    JAARVERANTWOORDING = "jaarverantwoording", "Inhoudelijke en financiële verantwoording"
    FACTUUR = "factuur", "Factuur aan de steden"
    # Added by apps above the calendar (facturen), with their own registration
    FACTURERING = "facturering", "Jaarfacturen versturen"
    BETALING = "betaling", "Betaling van een factuur"


# Obligations the application keeps no record of: past their period they read ‘Verstreken’.
ZONDER_REGISTRATIE = frozenset({
    VerplichtingSoort.OPZEGTERMIJN, VerplichtingSoort.VOORTGANG, VerplichtingSoort.HALFJAARRAPPORTAGE,
    VerplichtingSoort.JAARVERANTWOORDING, VerplichtingSoort.FACTUUR,
})


class VerplichtingStatus(models.TextChoices):
    UPCOMING = "upcoming", "Gepland"
    DONE = "done", "Afgerond"
    OVERDUE = "overdue", "Te laat"
