"""The invoices' obligations on the convenant's calendar (registered in `FacturenConfig.ready()`).

- Per convenant year: the yearly invoices go out in the first quarter (2019–2022
  art. 7.6, the practice kept under 2023–2027); done when every agreement that
  runs that year has a sent invoice. A year whose first quarter passed without
  any invoice in the application was invoiced before it was used and is not shown.
- Per sent invoice past its due date and not paid: the payment is overdue.

Two queries per convenant, whatever its number of cities.
"""

import datetime

from django.urls import reverse

from convenant import formatting
from convenant.constants import Sjabloon
from jaarplannen.constants import VerplichtingSoort, VerplichtingStatus
from jaarplannen.kalender import Verplichting

from .constants import CREDITNOTAS, FactuurSoort, FactuurStatus
from .models import Factuur

JAARFACTUREN = (FactuurSoort.JAARBIJDRAGE, FactuurSoort.HERZIEN)


def verplichtingen(convenant, vandaag: datetime.date) -> list[Verplichting]:
    if convenant.sjabloon == Sjabloon.UITVOERINGSOVEREENKOMST_2019:
        return []  # its own calendar has the Q1 invoice; its invoices were made before the application
    facturen = list(
        Factuur.objects.filter(convenant=convenant).exclude(soort__in=CREDITNOTAS)
        .values_list("pk", "jaar", "soort", "overeenkomst_id", "status", "nummer", "vervaldatum", "gemeente__naam")
    )
    overeenkomsten = list(convenant.overeenkomsten.all())
    for ov in overeenkomsten:
        ov.convenant = convenant  # loopt_in_jaar needs the convenant's dates: no query per agreement
    lijst = reverse("admin:facturen_factuur_changelist")
    eerste_jaar = min((j for _, j, *_ in facturen), default=None)
    uit = []
    for jaar in convenant.jaren:
        vanaf, uiterlijk = datetime.date(jaar, 1, 1), datetime.date(jaar, 3, 31)
        if (eerste_jaar is None or jaar < eerste_jaar) and vandaag > uiterlijk:
            continue  # invoiced before the application was used
        lopend = {ov.pk for ov in overeenkomsten if ov.is_getekend and ov.loopt_in_jaar(jaar)}
        verzonden = {ov_id for _, j, soort, ov_id, status, *_ in facturen
                     if j == jaar and soort in JAARFACTUREN and status != FactuurStatus.CONCEPT}
        gedaan = bool(lopend) and lopend <= verzonden
        status = (VerplichtingStatus.DONE if gedaan
                  else VerplichtingStatus.OVERDUE if vandaag > uiterlijk else VerplichtingStatus.UPCOMING)
        uit.append(Verplichting(
            datum=uiterlijk, vanaf=vanaf, omschrijving=f"Jaarfacturen {jaar} aan de steden versturen",
            soort=VerplichtingSoort.FACTURERING, status=status, url=f"{lijst}?jaar={jaar}",
            toelichting=f"{len(lopend & verzonden)} van {len(lopend)} verzonden",
            sleutel=f"{convenant.slug}-{jaar}-facturen", convenant=convenant.slug,
        ))
    for pk, _, _, _, status, nummer, vervaldatum, gemeente in facturen:
        if status == FactuurStatus.VERZONDEN and vervaldatum < vandaag:
            uit.append(Verplichting(
                datum=vervaldatum, omschrijving=f"Betaling factuur {nummer} ({gemeente})",
                soort=VerplichtingSoort.BETALING, status=VerplichtingStatus.OVERDUE,
                url=reverse("admin:facturen_factuur_change", args=[pk]),
                toelichting=f"vervallen op {formatting.datum(vervaldatum)}, nog niet betaald",
                sleutel=f"{convenant.slug}-factuur-{nummer}-betaling", convenant=convenant.slug,
            ))
    return uit
