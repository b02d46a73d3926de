"""Bijlage 3 "Deelnemende steden": the annex the convenant says is kept up to
date from the signed agreements, computed from them."""

from dataclasses import dataclass
from decimal import Decimal

from convenant.models import Convenant

from .constants import Status
from .models import Samenwerkingsovereenkomst


@dataclass
class Bijlage3:
    convenant: Convenant
    rijen: list[Samenwerkingsovereenkomst]
    totaal_inwoners: int
    totaal_bedrag: Decimal
    aantal_overeenkomsten: int

    @property
    def aantal_getekend(self) -> int:
        return len(self.rijen)


def bijlage3(convenant: Convenant) -> Bijlage3:
    """The municipalities whose agreement is signed (also those signed and later
    terminated: they took part, and the row shows until when)."""
    rijen = list(
        Samenwerkingsovereenkomst.objects.filter(
            convenant=convenant, status__in=[Status.ONDERTEKEND, Status.OPGEZEGD],
        ).select_related("gemeente", "convenant").order_by("gemeente__naam")
    )
    return Bijlage3(
        convenant=convenant,
        rijen=rijen,
        totaal_inwoners=sum(ov.inwoners for ov in rijen),
        totaal_bedrag=sum((ov.bedrag_per_jaar for ov in rijen), Decimal("0.00")),
        aantal_overeenkomsten=Samenwerkingsovereenkomst.objects.filter(convenant=convenant).count(),
    )
