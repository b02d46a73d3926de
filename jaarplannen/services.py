"""Work on jaarplannen that spans models; the admin actions call these."""

from django.core.exceptions import ValidationError
from django.db import transaction

from .constants import ActiviteitSoort, ActiviteitStatus, Doorwerking
from .models import Activiteit, Bevinding


def neem_bevinding_over(bevinding: Bevinding) -> Activiteit:
    """Carry a finding into the plan its `doorwerking` names, as an activity.

    If that plan already has an activity with the same title (a running
    activity continued next year), the finding is linked to it; otherwise a new
    activity is made, in the same basisprogramma or themagroep as the activity
    the finding was about. Returns the activity; raises ValidationError with a
    Dutch message when there is nothing to carry it into.
    """
    if bevinding.wordt_activiteit_id:
        return bevinding.wordt_activiteit
    if bevinding.doorwerking == Doorwerking.GEEN:
        raise ValidationError(f"De bevinding ‘{bevinding}’ heeft geen doorwerking.")
    doelplan = bevinding.doeljaarplan()
    if doelplan is None:
        raise ValidationError(
            f"Er is geen jaarplan {bevinding.evaluatie.jaarplan.jaar + 1} om de bevinding "
            f"‘{bevinding}’ in op te nemen; maak dat jaarplan eerst aan."
        )
    bron = bevinding.activiteit
    titel = bron.titel if bron else str(bevinding)[:200]
    with transaction.atomic():
        activiteit = Activiteit.objects.filter(jaarplan=doelplan, titel=titel).first()
        if activiteit is None:
            activiteit = Activiteit(
                jaarplan=doelplan, titel=titel,
                soort=bron.soort if bron else ActiviteitSoort.BASISPROGRAMMA,
                themagroep=bron.themagroep if bron else None,
                doel=bevinding.tekst,
                verantwoordelijke_g40=bron.verantwoordelijke_g40 if bron else None,
                verantwoordelijke_platform31=bron.verantwoordelijke_platform31 if bron else None,
                status=ActiviteitStatus.GEPLAND,
            )
            activiteit.full_clean()
            activiteit.save()
        bevinding.wordt_activiteit = activiteit
        bevinding.full_clean()
        bevinding.save(update_fields=["wordt_activiteit"])
    return activiteit
