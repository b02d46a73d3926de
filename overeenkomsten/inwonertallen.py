"""The agreements' side of a CBS import: registered with `gemeenten.afnemers` in `apps.py`.

Signed agreements keep the figure they were signed on (the import keeps that
figure too); concept agreements on the import's peildatum follow the new
figure when the user asks for it; sent ones are reported, never changed.
"""

from django.db.models import Q

from gemeenten.afnemers import Verschil

from .bewaking import GETEKEND
from .constants import Status
from .models import Samenwerkingsovereenkomst
from .services import neem_snapshot


class Overeenkomsten:
    def vastgelegd(self, peildatum):
        return dict(
            Samenwerkingsovereenkomst.objects.filter(status__in=GETEKEND)
            .filter(Q(convenant__peildatum=peildatum) | Q(peildatum=peildatum))
            .values_list("gemeente_id", "inwoners")
        )

    def verschillen(self, peildatum, nieuw, werk_bij):
        if not nieuw:
            return []
        overeenkomsten = (
            Samenwerkingsovereenkomst.objects
            .filter(status__in=[Status.CONCEPT, Status.VERZONDEN], convenant__peildatum=peildatum,
                    gemeente_id__in=nieuw)
            .select_related("gemeente", "convenant")
            .order_by("gemeente__naam", "convenant__slug")
        )
        uit = []
        for ov in overeenkomsten:
            # Same number on the same date: nothing to do. A stand-in figure from an earlier date
            # (the agreement's own peildatum differs) is brought to the import's date even when
            # the number happens to be equal, so its "provisional" remark goes too.
            zelfde_aantal = ov.inwoners == nieuw[ov.gemeente_id]
            if zelfde_aantal and ov.peildatum == peildatum:
                continue
            bijwerken = werk_bij and ov.status == Status.CONCEPT
            if bijwerken:
                toelichting = "wordt bijgewerkt" + (": zelfde aantal, nu op deze peildatum" if zelfde_aantal else "")
            elif ov.status != Status.CONCEPT:
                toelichting = "niet bijgewerkt: al verzonden"
            else:
                toelichting = "niet bijgewerkt (kies ‘concept-overeenkomsten bijwerken’, --werk-concepten-bij)"
            uit.append(Verschil(
                object=ov, omschrijving=f"Overeenkomst {ov}", status=ov.get_status_display(),
                oud=ov.inwoners, nieuw=nieuw[ov.gemeente_id], bijwerken=bijwerken, toelichting=toelichting,
            ))
        return uit

    def werk_bij(self, verschillen, reden):
        for verschil in verschillen:
            if verschil.bijwerken and isinstance(verschil.object, Samenwerkingsovereenkomst):
                ov = verschil.object
                neem_snapshot(ov)
                ov._change_reason = reden
                ov.save()
