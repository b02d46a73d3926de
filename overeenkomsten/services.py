"""Work on agreements that spans models: snapshots from the reference data."""

import re

from django.core.exceptions import ValidationError

from convenant import formatting
from gemeenten.models import Inwonertal

from .models import Samenwerkingsovereenkomst

# The remark on an agreement whose figure stands in for a CBS figure not yet imported
# (facturen.opvolger: a new convenant before the CBS publishes its peildatum).
VOORLOPIG = "Voorlopig inwonertal"
_VOORLOPIG = re.compile(rf"\s*{VOORLOPIG} \(peildatum [^)]*\);[^.]*\.")


def opmerking_voorlopig(gebruikt, peildatum) -> str:
    return (f"{VOORLOPIG} (peildatum {formatting.datum(gebruikt)}); bijwerken na de CBS-import voor "
            f"{formatting.datum(peildatum)} (--werk-concepten-bij).")


def zonder_voorlopig(opmerking: str) -> str:
    """The remark without the provisional-figure sentence (the rest the user wrote stays)."""
    return _VOORLOPIG.sub("", opmerking).strip()


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
    overeenkomst.opmerking = zonder_voorlopig(overeenkomst.opmerking)  # the figure is the CBS one now
