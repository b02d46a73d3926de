"""The guard that keeps an agreement's status and frozen figures to the workflow.

`Samenwerkingsovereenkomst.save()` calls `bewaak_opslaan`; the workflow
(`overeenkomsten.workflow`) sets the flags that let its own saves through.
This module knows only field names and statuses, so the model can use it
without importing the workflow (which imports documents and PDFs).
"""

from django.core.exceptions import ValidationError

from .constants import Status

GETEKEND = frozenset({Status.ONDERTEKEND, Status.OPGEZEGD})

# Written only by the workflow's functions.
WORKFLOWVELDEN = (
    "status", "verzonden_op", "verzonden_aan", "ontvangen_op", "datum_onbekend",
    "opzegging_verzonden_op", "opzegging_ontvangen_op", "opgezegd_door",
)
# What fixes the amount; frozen once the agreement is signed (bedrag_per_jaar follows from it).
BEVROREN_VELDEN = ("convenant", "gemeente", "inwoners", "peildatum", "bijdrage_per_inwoner")


def bewaak_opslaan(ov) -> None:
    """Called by `Samenwerkingsovereenkomst.save()`: refuse changes that bypass this module.

    New agreements may be created in any state the database constraints allow
    (historic data); an existing one changes its status and workflow dates
    only through the workflow's functions, and once signed its amount's snapshot
    only through `corrigeer_inwoners`.
    """
    if ov._state.adding or ov.pk is None:
        return
    oud = type(ov)._base_manager.filter(pk=ov.pk).values(*WORKFLOWVELDEN, *BEVROREN_VELDEN).first()
    if oud is None:
        return
    nieuw = {veld: getattr(ov, veld) for veld in WORKFLOWVELDEN}
    nieuw.update({veld: getattr(ov, f"{veld}_id" if veld in ("convenant", "gemeente") else veld)
                  for veld in BEVROREN_VELDEN})

    def gewijzigd(velden):
        return [veld for veld in velden if oud[veld] != nieuw[veld]]

    workflow = gewijzigd(WORKFLOWVELDEN)
    if workflow and not getattr(ov, "_via_workflow", False):
        namen = ", ".join(str(ov._meta.get_field(v).verbose_name) for v in workflow)
        raise ValidationError(
            f"De status en de datums van verzending, ontvangst en opzegging ({namen}) veranderen "
            f"alleen via de workflow (acties ‘Als verzonden vastleggen’, ‘Ondertekend ontvangen "
            f"vastleggen’, ‘Opzegging vastleggen’)."
        )
    if oud["status"] in GETEKEND:
        bevroren = gewijzigd(BEVROREN_VELDEN)
        if getattr(ov, "_correctie", False):
            bevroren = [v for v in bevroren if v != "inwoners"]
        if bevroren:
            namen = ", ".join(str(ov._meta.get_field(v).verbose_name) for v in bevroren)
            raise ValidationError(
                f"Deze overeenkomst is ondertekend: {namen} liggen vast. Een fout inwonertal "
                f"herstel je met ‘Inwonertal corrigeren’, met een reden."
            )
