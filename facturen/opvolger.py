"""The next convenant: same parties and members, its own term, rate and peildatum, concept agreements.

Members are the municipalities that are a member on the new start date
(``lid_tot`` empty or not before it). Each gets a concept agreement. Its
inhabitants come from the CBS figure on the new peildatum when that is known;
otherwise, until the CBS import for that date, the most recent earlier figure
stands in, the agreement's own peildatum says which one, and its remark says
it is provisional. ``importeer_inwoners --peildatum NIEUW --werk-concepten-bij``
then brings the concepts up to date (the import looks for concept agreements of
convenants with that peildatum).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from convenant import formatting
from convenant.models import Convenant
from gemeenten.models import Gemeente, Inwonertal
from overeenkomsten import services
from overeenkomsten.models import Samenwerkingsovereenkomst


@dataclass
class Opvolging:
    convenant: Convenant
    overeenkomsten: list = field(default_factory=list)
    voorlopig: list = field(default_factory=list)   # municipalities with a stand-in figure
    zonder_cijfer: list = field(default_factory=list)


def _titel(tekst: str, oud: Convenant, begin: int, eind: int) -> str:
    return re.sub(rf"{oud.ingangsdatum.year}(\s*(?:t/m|–|-)\s*){oud.einddatum.year}",
                  lambda m: f"{begin}{m.group(1)}{eind}", tekst)


def maak_opvolger(oud: Convenant, slug: str, ingangsdatum: datetime.date, einddatum: datetime.date,
                  bijdrage: Decimal, peildatum: datetime.date, ondertekend_op: datetime.date | None = None,
                  streefdatum: datetime.date | None = None) -> Opvolging:
    if Convenant.objects.filter(slug=slug).exists():
        raise ValidationError(f"Er bestaat al een convenant ‘{slug}’.")
    if ingangsdatum <= oud.einddatum:
        raise ValidationError(f"De ingangsdatum ({formatting.datum(ingangsdatum)}) ligt niet na het einde van "
                              f"convenant {oud.slug} ({formatting.datum(oud.einddatum)}).")
    if einddatum <= ingangsdatum:
        raise ValidationError("De einddatum moet na de ingangsdatum liggen.")
    if bijdrage <= 0:
        raise ValidationError("De bijdrage per inwoner moet groter dan nul zijn.")
    if peildatum > ingangsdatum:
        raise ValidationError("De CBS-peildatum ligt na de ingangsdatum.")
    nieuw = Convenant(
        slug=slug,
        titel=_titel(oud.titel, oud, ingangsdatum.year, einddatum.year),
        korte_titel=_titel(oud.korte_titel, oud, ingangsdatum.year, einddatum.year),
        platform31=oud.platform31, g40=oud.g40,
        vertegenwoordiger_platform31=oud.vertegenwoordiger_platform31, vertegenwoordiger_g40=oud.vertegenwoordiger_g40,
        secretaris_g40=oud.secretaris_g40, relatiemanager=oud.relatiemanager,
        ondertekend_te=oud.ondertekend_te, ondertekend_op=ondertekend_op or ingangsdatum,
        ingangsdatum=ingangsdatum, einddatum=einddatum, bijdrage_per_inwoner=bijdrage, peildatum=peildatum,
        streefdatum_overeenkomsten=streefdatum or ingangsdatum,
        opzeggen_voor_maand=oud.opzeggen_voor_maand, opzeggen_voor_dag=oud.opzeggen_voor_dag,
        sjabloon=oud.sjabloon,
    )
    nieuw.full_clean()
    resultaat = Opvolging(nieuw)
    leden = Gemeente.objects.filter(Q(lid_tot__isnull=True) | Q(lid_tot__gte=ingangsdatum)).order_by("naam")
    vorige = {ov.gemeente_id: ov for ov in oud.overeenkomsten.all()}
    with transaction.atomic():
        nieuw.save()
        for gemeente in leden:
            cijfer = (Inwonertal.objects.filter(gemeente=gemeente, peildatum__lte=peildatum)
                      .order_by("-peildatum").first())
            if cijfer is None:
                resultaat.zonder_cijfer.append(gemeente)
                continue
            opmerking = ""
            if cijfer.peildatum != peildatum:
                resultaat.voorlopig.append(gemeente)
                opmerking = services.opmerking_voorlopig(cijfer.peildatum, peildatum)
            v = vorige.get(gemeente.pk)
            ov = Samenwerkingsovereenkomst(
                convenant=nieuw, gemeente=gemeente, inwoners=cijfer.aantal, peildatum=cijfer.peildatum,
                bijdrage_per_inwoner=bijdrage, bedrag_per_jaar=nieuw.jaarbedrag(cijfer.aantal),
                vertegenwoordiger=v.vertegenwoordiger if v else "",
                vertegenwoordiger_functie=v.vertegenwoordiger_functie if v else "",
                opmerking=opmerking,
            )
            ov.save()
            resultaat.overeenkomsten.append(ov)
        if resultaat.zonder_cijfer:
            raise ValidationError(
                "Geen inwonertal bekend (op of vóór de peildatum) voor: "
                + ", ".join(g.naam for g in resultaat.zonder_cijfer) + ". Importeer eerst de CBS-cijfers.")
    return resultaat
