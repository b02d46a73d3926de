"""What the secretary's dashboard shows for one convenant, computed in a fixed number of queries.

One query for the agreements (with their municipality and whether a signed
scan is kept), one for member municipalities without an agreement; the rest
is arithmetic on that list, so the page costs the same for 41 or 400 cities.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q

from convenant import formatting
from gemeenten.models import Gemeente
from overeenkomsten.constants import DocumentSoort, Status
from overeenkomsten.models import OvereenkomstDocument, Samenwerkingsovereenkomst

GETEKEND = (Status.ONDERTEKEND, Status.OPGEZEGD)

# The chart's drawing area (SVG user units); the SVG scales to the page width.
BREEDTE, HOOGTE = 640, 200
LINKS, RECHTS, BOVEN, ONDER = 44, 16, 16, 34


@dataclass
class Grafiek:
    """A step line of signatures received over time, in SVG coordinates."""

    breedte: int = BREEDTE
    hoogte: int = HOOGTE
    lijn: str = ""
    punten: list = field(default_factory=list)  # (x, y, title)
    streef_x: float | None = None
    totaal_y: float = 0
    nul_y: float = 0
    links: int = LINKS
    rechts_x: float = BREEDTE - RECHTS
    labels_x: list = field(default_factory=list)  # (x, text, anchor)
    labels_y: list = field(default_factory=list)  # (y, text)


def _grafiek(convenant, ontvangsten: list[datetime.date], totaal: int) -> Grafiek:
    g = Grafiek()
    streef = convenant.streefdatum_overeenkomsten  # None: no source gives one (2019–2022)
    begin = min([convenant.ondertekend_op, *ontvangsten])
    einde = max([streef or convenant.ondertekend_op, *ontvangsten])
    dagen = max((einde - begin).days, 30)
    einde = begin + datetime.timedelta(days=round(dagen * 1.05))  # a little room on the right
    dagen = (einde - begin).days
    b = BREEDTE - LINKS - RECHTS
    h = HOOGTE - BOVEN - ONDER

    def x(d):
        return round(LINKS + b * (d - begin).days / dagen, 1)

    def y(n):
        return round(BOVEN + h * (1 - n / max(totaal, 1)), 1)

    g.nul_y, g.totaal_y = y(0), y(totaal)
    punten = [(x(begin), y(0))]
    teller = 0
    per_dag: dict[datetime.date, int] = {}
    for d in sorted(ontvangsten):
        per_dag[d] = per_dag.get(d, 0) + 1
    for d, n in per_dag.items():
        punten.append((x(d), y(teller)))
        teller += n
        punten.append((x(d), y(teller)))
        g.punten.append((x(d), y(teller), f"{formatting.datum(d)}: {teller} van {totaal} ondertekend"))
    punten.append((x(einde), y(teller)))
    g.lijn = " ".join(f"{px},{py}" for px, py in punten)
    g.labels_x = [(x(begin), formatting.datum(begin), "start")]
    if streef:
        g.streef_x = x(streef)
        # Near the right edge the label ends at the line, so it is not cut off.
        g.labels_x.append((g.streef_x, f"streefdatum {formatting.datum(streef)}",
                           "end" if g.streef_x > BREEDTE * 0.7 else "middle"))
    g.labels_y = [(y(0), "0"), (y(totaal), formatting.aantal(totaal))]
    return g


@dataclass
class Overzicht:
    convenant: object
    vandaag: datetime.date
    totaal: int
    getekend: int
    opgezegd: int
    zonder_scan: int
    afgelopen: int  # signed, past their last day (derived)
    datum_onbekend: int  # signed according to the sources, date not known
    ontbrekend: list
    bedrag_getekend: Decimal
    bedrag_totaal: Decimal
    leden_zonder_overeenkomst: list
    grafiek: Grafiek

    @property
    def percentage(self) -> int:
        return round(100 * self.getekend / self.totaal) if self.totaal else 0

    @property
    def percentage_bedrag(self) -> int:
        return round(100 * self.bedrag_getekend / self.bedrag_totaal) if self.bedrag_totaal else 0

    @property
    def compleet(self) -> bool:
        return self.totaal > 0 and self.getekend == self.totaal

    @property
    def dagen_tot_streefdatum(self) -> int:
        """Days left until the target date; negative when it has passed; 0 without one."""
        if self.convenant.streefdatum_overeenkomsten is None:
            return 0
        return (self.convenant.streefdatum_overeenkomsten - self.vandaag).days

    @property
    def termijn(self) -> str:
        if self.convenant.streefdatum_overeenkomsten is None:
            if self.compleet:
                return "Alle overeenkomsten zijn binnen (streefdatum onbekend: geen bron noemt er een)."
            return "Streefdatum onbekend: geen bron noemt er een."
        streef = formatting.datum(self.convenant.streefdatum_overeenkomsten)
        dagen = self.dagen_tot_streefdatum
        if self.compleet:
            return f"Alle overeenkomsten zijn binnen (streefdatum {streef})."
        if dagen > 0:
            return f"Nog {formatting.aantal(dagen)} {'dag' if dagen == 1 else 'dagen'} tot de streefdatum van {streef}."
        if dagen == 0:
            return f"Vandaag is de streefdatum ({streef})."
        return f"{formatting.aantal(-dagen)} {'dag' if dagen == -1 else 'dagen'} over de streefdatum van {streef}."


def overzicht(convenant, vandaag: datetime.date) -> Overzicht:
    scan = OvereenkomstDocument.objects.filter(overeenkomst=OuterRef("pk"), soort=DocumentSoort.GETEKEND)
    overeenkomsten = list(
        Samenwerkingsovereenkomst.objects.filter(convenant=convenant)
        .select_related("gemeente", "convenant")
        .annotate(heeft_scan=Exists(scan))
        .order_by("gemeente__naam")
    )
    getekend = [ov for ov in overeenkomsten if ov.status in GETEKEND]
    leden = (
        Gemeente.objects.filter(Q(lid_tot__isnull=True) | Q(lid_tot__gte=convenant.ingangsdatum))
        .filter(Q(lid_sinds__isnull=True) | Q(lid_sinds__lte=convenant.einddatum))
        .exclude(overeenkomsten__convenant=convenant)
        .order_by("naam")
    )
    return Overzicht(
        convenant=convenant,
        vandaag=vandaag,
        totaal=len(overeenkomsten),
        getekend=len(getekend),
        opgezegd=sum(1 for ov in getekend if ov.status == Status.OPGEZEGD),
        zonder_scan=sum(1 for ov in getekend if not ov.heeft_scan),
        afgelopen=sum(1 for ov in getekend if ov.is_afgelopen(vandaag)),
        datum_onbekend=sum(1 for ov in getekend if ov.datum_onbekend),
        ontbrekend=[ov for ov in overeenkomsten if ov.status not in GETEKEND],
        bedrag_getekend=sum((ov.bedrag_per_jaar for ov in getekend), Decimal("0.00")),
        bedrag_totaal=sum((ov.bedrag_per_jaar for ov in overeenkomsten), Decimal("0.00")),
        leden_zonder_overeenkomst=list(leden),
        grafiek=_grafiek(convenant, [ov.ontvangen_op for ov in getekend if ov.ontvangen_op], len(overeenkomsten)),
    )
