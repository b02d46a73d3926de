"""The jaarplan and the projectblad as documents, in the house style (`convenant.pdf`).

One function builds each document's context; the PDF view and the HTML preview
both use it.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Prefetch

from convenant import pdf
from convenant.models import Pijler

from .constants import ActiviteitSoort, JaarplanStatus
from .models import Activiteit, Bevinding, Evaluatie, Jaarplan, Projectblad

NUL = Decimal("0.00")


def som(bedragen) -> Decimal:
    """Sum of the known amounts (an unknown budget is None and counts as nothing)."""
    return sum((b for b in bedragen if b is not None), NUL)


@dataclass
class Onderdeel:
    """A heading of the plan with its activities: the basisprogramma or one themagroep."""

    titel: str
    activiteiten: list = field(default_factory=list)

    @property
    def budget(self) -> Decimal:
        return som(a.budget for a in self.activiteiten)

    @property
    def onbekend(self) -> int:
        return sum(1 for a in self.activiteiten if a.budget is None)


@dataclass
class Hoofdstuk:
    """A pijler (or the basisprogramma, or the standalone themagroepen) with its parts."""

    titel: str
    onderdelen: list = field(default_factory=list)

    @property
    def activiteiten(self) -> list:
        return [a for o in self.onderdelen for a in o.activiteiten]

    @property
    def budget(self) -> Decimal:
        return som(o.budget for o in self.onderdelen)

    @property
    def onbekend(self) -> int:
        return sum(o.onbekend for o in self.onderdelen)


def laatste_evaluatie(plan: Jaarplan):
    """The most recent evaluation that bears on this plan: its own, else the previous plan's.

    A plan going to the DB in March has no evaluation yet; the November
    evaluation of the year before is what is carried into it.
    """
    bevindingen = Prefetch(
        "bevindingen",
        queryset=Bevinding.objects.select_related("activiteit", "wordt_activiteit__jaarplan"),
    )
    return (
        Evaluatie.objects.filter(jaarplan__convenant=plan.convenant, jaarplan__jaar__in=[plan.jaar, plan.jaar - 1])
        .select_related("jaarplan", "directeur_platform31", "voorzitter_g40")
        .prefetch_related(bevindingen)
        .order_by("-datum")
        .first()
    )


def jaarplan_context(plan: Jaarplan) -> dict:
    activiteiten = list(
        Activiteit.objects.filter(jaarplan=plan)
        .select_related("themagroep__pijler", "verantwoordelijke_g40", "verantwoordelijke_platform31")
        .order_by(
            F("themagroep__pijler__volgorde").asc(nulls_last=True), "themagroep__volgorde",
            "themagroep__naam", "volgorde", "pk",
        )
    )
    basis = Hoofdstuk("Basisprogramma", [Onderdeel(
        "Activiteiten die door de opgaven heenlopen",
        [a for a in activiteiten if a.soort == ActiviteitSoort.BASISPROGRAMMA],
    )])
    per_themagroep: dict = {}
    for a in activiteiten:
        if a.soort == ActiviteitSoort.THEMA:
            per_themagroep.setdefault(a.themagroep, []).append(a)
    hoofdstukken = [basis] if basis.activiteiten else []
    for pijler in Pijler.objects.all():
        onderdelen = [Onderdeel(t.naam, acts) for t, acts in per_themagroep.items() if t.pijler_id == pijler.pk]
        if onderdelen:
            hoofdstukken.append(Hoofdstuk(f"Pijler {pijler.naam}", onderdelen))
    zelfstandig = [Onderdeel(t.naam, acts) for t, acts in per_themagroep.items() if t.pijler_id is None]
    if zelfstandig:
        hoofdstukken.append(Hoofdstuk("Zelfstandige themagroepen", zelfstandig))

    evaluatie = laatste_evaluatie(plan)
    return {
        "plan": plan,
        "convenant": plan.convenant,
        "hoofdstukken": hoofdstukken,
        "aantal_activiteiten": len(activiteiten),
        "totaal_budget": som(a.budget for a in activiteiten),
        "onbekend_budget": sum(1 for a in activiteiten if a.budget is None),
        "evaluatie": evaluatie,
        "bevindingen": list(evaluatie.bevindingen.all()) if evaluatie else [],
        "concept": plan.status == JaarplanStatus.IN_VOORBEREIDING,
    }


def jaarplan_pdf(plan: Jaarplan) -> bytes:
    return pdf.render_pdf("jaarplannen/pdf/jaarplan.html", jaarplan_context(plan))


def projectblad_context(blad: Projectblad) -> dict:
    partijen = list(blad.partijen.all())
    return {
        "blad": blad,
        "convenant": blad.convenant,
        "partijen": partijen,
        "totaal_budget": som(p.bijdrage for p in partijen),
    }


def projectblad_pdf(blad: Projectblad) -> bytes:
    return pdf.render_pdf("jaarplannen/pdf/projectblad.html", projectblad_context(blad))
