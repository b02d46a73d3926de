"""Work on agreements that spans models: snapshots from the reference data."""

from django.core.exceptions import ValidationError

from convenant import formatting
from gemeenten.models import Inwonertal

from .models import Samenwerkingsovereenkomst


def neem_snapshot(overeenkomst: Samenwerkingsovereenkomst) -> None:
    """Copy inhabitants, peildatum and rate from the reference data into the agreement.

    Only for agreements that are not yet signed: a signed agreement keeps the
    figures it was signed on.
    """
    if overeenkomst.pk and overeenkomst.is_getekend:
        raise ValidationError(
            "Deze overeenkomst is ondertekend; het inwonertal en bedrag liggen vast."
        )
    convenant = overeenkomst.convenant
    try:
        rij = Inwonertal.objects.get(gemeente=overeenkomst.gemeente, peildatum=convenant.peildatum)
    except Inwonertal.DoesNotExist:
        raise ValidationError(
            {"gemeente": f"Voor {overeenkomst.gemeente} is geen inwonertal op de peildatum "
                         f"{formatting.datum(convenant.peildatum)} bekend. Voeg dat eerst toe bij de gemeente."}
        ) from None
    overeenkomst.inwoners = rij.aantal
    overeenkomst.peildatum = convenant.peildatum
    overeenkomst.bijdrage_per_inwoner = convenant.bijdrage_per_inwoner
    overeenkomst.bedrag_per_jaar = convenant.jaarbedrag(rij.aantal)
