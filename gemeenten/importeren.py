"""Import CBS population figures for one peildatum: a preview first, then all or nothing.

Used by the admin's import page and by ``manage.py importeer_inwoners``.

Rules:

- only rows for the requested period count (peildatum 1 January Y ↔ period
  ``Y`` / ``YJJ00``) and only the totals (not men/women or age groups);
- rows for regions that are not members (provinces, the country, other
  municipalities) are skipped and counted; members absent from the file are
  reported, not refused;
- every bad row (unknown code, not a number, negative or zero, duplicate) is an
  error with its line number, and a single error means nothing is written;
- a figure used by a signed agreement (status ondertekend or opgezegd, on this
  peildatum) is kept as it is and reported as kept;
- agreements still in concept keep their snapshot unless the caller asks for
  ``werk_concepten_bij``; agreements already sent are never changed here.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from convenant import formatting

from . import afnemers, cbs
from .models import Gemeente, Inwonertal

NIEUW = "nieuw"
GEWIJZIGD = "gewijzigd"
ONGEWIJZIGD = "ongewijzigd"
BEHOUDEN = "behouden"

ACTIES = {
    NIEUW: "nieuw",
    GEWIJZIGD: "gewijzigd",
    ONGEWIJZIGD: "ongewijzigd",
    BEHOUDEN: "behouden (getekende overeenkomst)",
}

@dataclass
class Fout:
    regel: int | None  # None: the file as a whole
    melding: str
    regelnaam: str = "regel"

    def __str__(self):
        return f"{self.regelnaam.capitalize()} {self.regel}: {self.melding}" if self.regel else self.melding


@dataclass
class Cijfer:
    """A member's figure found in the file, and what the import does with it."""

    gemeente: Gemeente
    regel: int
    aantal: int
    huidig: int | None
    actie: str
    toelichting: str = ""

    @property
    def actie_omschrijving(self) -> str:
        return ACTIES[self.actie]


@dataclass
class Ontbrekend:
    gemeente: Gemeente
    toelichting: str


@dataclass
class ImportVoorstel:
    bestandsnaam: str
    peildatum: datetime.date
    werk_concepten_bij: bool = False
    vorm: str = ""
    regelnaam: str = "regel"
    cijfers: list[Cijfer] = field(default_factory=list)
    fouten: list[Fout] = field(default_factory=list)
    ontbrekend: list[Ontbrekend] = field(default_factory=list)
    concepten: list[afnemers.Verschil] = field(default_factory=list)  # rows of apps above
    niet_lid: int = 0
    andere_periode: int = 0
    uitsplitsing: int = 0
    overige_regels: int = 0
    opgeslagen: bool = False

    @property
    def geldig(self) -> bool:
        return not self.fouten

    @property
    def vorm_omschrijving(self) -> str:
        return cbs.VORMEN.get(self.vorm, "niet herkend")

    @property
    def telling(self) -> Counter:
        return Counter(c.actie for c in self.cijfers)

    def met_actie(self, actie: str) -> list[Cijfer]:
        return [c for c in self.cijfers if c.actie == actie]

    @property
    def bron(self) -> str:
        tekst = f", {self.vorm_omschrijving}, geïmporteerd op {formatting.datum(timezone.localdate())}"
        return self.bestandsnaam[: 300 - len(tekst)] + tekst

    def samenvatting(self) -> list[str]:
        """The counts in Dutch, one line each, for a message or the command's output."""
        t = self.telling
        regels = [
            f"Bestand: {self.bestandsnaam} ({self.vorm_omschrijving}), peildatum "
            f"{formatting.datum(self.peildatum)}.",
            f"Nieuw: {t[NIEUW]}; gewijzigd: {t[GEWIJZIGD]}; ongewijzigd: {t[ONGEWIJZIGD]}; "
            f"behouden (getekende overeenkomst): {t[BEHOUDEN]}.",
            "Overgeslagen: " + ("1 regio die geen lid is" if self.niet_lid == 1
                                else f"{self.niet_lid} regio's die geen lid zijn")
            + (f", {self.andere_periode} regels van een andere periode" if self.andere_periode else "")
            + (f", {self.uitsplitsing} regels met een uitsplitsing (geen totaal)" if self.uitsplitsing else "")
            + ".",
        ]
        if 0 < len(self.ontbrekend) <= 5:
            regels.append(
                f"Ontbreekt in het bestand ({len(self.ontbrekend)}): "
                + ", ".join(f"{o.gemeente} ({o.toelichting})" for o in self.ontbrekend) + "."
            )
        elif self.ontbrekend:
            regels.append(f"Ontbreekt in het bestand: {len(self.ontbrekend)} G40-gemeenten (zie de lijst).")
        if self.concepten:
            bij = sum(c.bijwerken for c in self.concepten)
            regels.append(
                f"Niet-getekende overeenkomsten met een ander inwonertal: {len(self.concepten)}"
                f" (waarvan {bij} worden bijgewerkt)."
            )
        if self.fouten:
            regels.append(f"Fouten: {len(self.fouten)}. Er wordt niets opgeslagen.")
        return regels


def importeer(
    inhoud: bytes, bestandsnaam: str, peildatum: datetime.date, *,
    opslaan: bool, werk_concepten_bij: bool = False,
) -> ImportVoorstel:
    """Read the file, build the preview and, when `opslaan` and no row is bad, write it.

    Returns the preview; ``opgeslagen`` tells whether anything was written.
    The preview is rebuilt and written in one transaction, so what is written
    is exactly what was checked.
    """
    with transaction.atomic():
        voorstel = maak_voorstel(inhoud, bestandsnaam, peildatum, werk_concepten_bij=werk_concepten_bij)
        if opslaan and voorstel.geldig:
            _schrijf(voorstel)
    return voorstel


def maak_voorstel(
    inhoud: bytes, bestandsnaam: str, peildatum: datetime.date, *, werk_concepten_bij: bool = False,
) -> ImportVoorstel:
    voorstel = ImportVoorstel(bestandsnaam=bestandsnaam, peildatum=peildatum,
                              werk_concepten_bij=werk_concepten_bij)
    try:
        bestand = cbs.lees_bestand(inhoud)
    except cbs.BestandFout as exc:
        voorstel.fouten.append(Fout(None, str(exc)))
        return voorstel
    voorstel.vorm, voorstel.regelnaam = bestand.vorm, bestand.regelnaam
    voorstel.overige_regels = bestand.overige_regels

    if bestand.heeft_perioden and bestand.vorm != cbs.EENVOUDIG and (peildatum.month, peildatum.day) != (1, 1):
        voorstel.fouten.append(Fout(None, (
            f"Het bestand geeft de bevolking op 1 januari per jaar; de peildatum "
            f"{formatting.datum(peildatum)} is geen 1 januari."
        )))
        return voorstel

    gemeenten = list(Gemeente.objects.all())
    gevonden = _lees_rijen(bestand, voorstel, gemeenten)
    if any(f.regel is None for f in voorstel.fouten):
        return voorstel  # the requested period is not in the file: nothing more to say per row
    _bepaal_acties(voorstel, gevonden)
    _meld_ontbrekend(voorstel, gemeenten, gevonden)
    _zoek_concepten(voorstel)
    if not voorstel.cijfers and not voorstel.fouten:
        voorstel.fouten.append(Fout(None, (
            "Het bestand bevat voor deze periode geen enkel cijfer van een G40-gemeente; "
            "er is niets om te importeren."
        )))
    return voorstel


def _periode_past(rij: cbs.Rij, bestand: cbs.Bestand, peildatum: datetime.date) -> bool:
    if bestand.vorm == cbs.EENVOUDIG:
        waarde = rij.periode
        if isinstance(waarde, datetime.datetime):
            waarde = waarde.date()
        if isinstance(waarde, datetime.date):
            return waarde == peildatum
        tekst = str(waarde or "").strip()
        try:
            return datetime.date.fromisoformat(tekst) == peildatum
        except ValueError:
            pass
    return cbs.jaar_van_periode(rij.periode) == peildatum.year


def _lees_rijen(bestand, voorstel, gemeenten) -> dict[int, tuple[Gemeente, int, int | None]]:
    """Member rows of the requested period: {gemeente id: (gemeente, line, count or None)}."""
    fout = lambda regel, melding: voorstel.fouten.append(Fout(regel, melding, bestand.regelnaam))  # noqa: E731
    if bestand.sleutel_is_code:
        index = {g.cbs_code: g for g in gemeenten}
    else:
        index = {cbs.normaliseer_naam(n): g for g in gemeenten for n in (g.naam, g.cbs_naam) if n}

    gevonden: dict[int, tuple[Gemeente, int, int | None]] = {}
    andere_jaren: set = set()
    in_periode = 0
    for rij in bestand.rijen:
        if bestand.heeft_perioden and not _periode_past(rij, bestand, voorstel.peildatum):
            voorstel.andere_periode += 1
            andere_jaren.add(str(rij.periode).strip())
            continue
        in_periode += 1
        if not rij.totaal:
            voorstel.uitsplitsing += 1
            continue
        sleutel = rij.sleutel
        if bestand.sleutel_is_code:
            goed = cbs.is_gemeentecode(sleutel) if (
                bestand.vorm == cbs.EENVOUDIG or sleutel.startswith("GM")) else cbs.is_regiocode(sleutel)
            if not goed:
                fout(rij.regel, f"onbekende code ‘{sleutel}’" if sleutel else "geen code ingevuld")
                continue
            gemeente = index.get(sleutel)
        else:
            if not sleutel:
                fout(rij.regel, "geen regionaam ingevuld")
                continue
            gemeente = index.get(cbs.normaliseer_naam(sleutel))
        if gemeente is None:
            voorstel.niet_lid += 1
            continue
        if gemeente.pk in gevonden:
            fout(rij.regel, f"dubbel: {gemeente} staat ook op {bestand.regelnaam} {gevonden[gemeente.pk][1]}")
            continue
        try:
            if rij.te_veel_velden:
                raise cbs.OngeldigAantal(
                    "meer velden dan de kop kolommen heeft (staat er een komma of puntkomma in een getal?)"
                )
            aantal = cbs.lees_aantal(rij.waarde)
        except cbs.OngeldigAantal as exc:
            fout(rij.regel, f"{gemeente}: {exc}")
            aantal = None
        gevonden[gemeente.pk] = (gemeente, rij.regel, aantal)

    if bestand.heeft_perioden and in_periode == 0:
        wel = sorted(andere_jaren)
        voorstel.fouten.append(Fout(None, (
            f"Het bestand bevat geen cijfers voor de peildatum {formatting.datum(voorstel.peildatum)} "
            f"(periode {voorstel.peildatum.year})"
            + (f"; wel voor: {', '.join(wel[:12])}{' …' if len(wel) > 12 else ''}." if wel else ".")
        )))
    return gevonden


def _bepaal_acties(voorstel, gevonden) -> None:
    p = voorstel.peildatum
    bestaand = {r.gemeente_id: r.aantal for r in Inwonertal.objects.filter(peildatum=p)}
    getekend = {}
    for afnemer in afnemers.alle():
        getekend.update(afnemer.vastgelegd(p))
    for gemeente, regel, aantal in gevonden.values():
        if aantal is None:
            continue  # bad value (already an error) or empty (reported as missing)
        huidig = bestaand.get(gemeente.pk)
        if gemeente.pk in getekend and aantal != huidig:
            actie = BEHOUDEN
            toelichting = (
                f"gebruikt door een getekende overeenkomst ({formatting.aantal(getekend[gemeente.pk])} "
                "inwoners); wordt niet gewijzigd"
            )
        elif huidig is None:
            actie, toelichting = NIEUW, ""
        elif huidig == aantal:
            actie, toelichting = ONGEWIJZIGD, ""
        else:
            actie, toelichting = GEWIJZIGD, f"was {formatting.aantal(huidig)}"
        voorstel.cijfers.append(Cijfer(gemeente, regel, aantal, huidig, actie, toelichting))
    voorstel.cijfers.sort(key=lambda c: c.gemeente.naam)


def _meld_ontbrekend(voorstel, gemeenten, gevonden) -> None:
    fout_regels = {f.regel for f in voorstel.fouten}
    for g in gemeenten:
        if g.lid_tot and g.lid_tot < voorstel.peildatum:
            continue
        if g.pk not in gevonden:
            voorstel.ontbrekend.append(Ontbrekend(g, "niet in het bestand"))
        elif gevonden[g.pk][2] is None and gevonden[g.pk][1] not in fout_regels:
            voorstel.ontbrekend.append(Ontbrekend(g, f"geen waarde op {voorstel.regelnaam} {gevonden[g.pk][1]}"))


def _zoek_concepten(voorstel) -> None:
    nieuw = {c.gemeente.pk: c.aantal for c in voorstel.cijfers if c.actie != BEHOUDEN}
    for afnemer in afnemers.alle():
        voorstel.concepten.extend(afnemer.verschillen(voorstel.peildatum, nieuw, voorstel.werk_concepten_bij))


def _schrijf(voorstel: ImportVoorstel) -> None:
    if not voorstel.geldig:
        raise ValueError("Een import met fouten wordt nooit opgeslagen.")
    bron = voorstel.bron
    reden = f"CBS-import: {bron}"[:100]
    te_wijzigen = {
        r.gemeente_id: r
        for r in Inwonertal.objects.select_for_update().filter(
            peildatum=voorstel.peildatum,
            gemeente_id__in=[c.gemeente.pk for c in voorstel.met_actie(GEWIJZIGD)],
        )
    }
    for cijfer in voorstel.cijfers:
        if cijfer.actie == NIEUW:
            rij = Inwonertal(gemeente=cijfer.gemeente, peildatum=voorstel.peildatum)
        elif cijfer.actie == GEWIJZIGD:
            rij = te_wijzigen[cijfer.gemeente.pk]
        else:
            continue
        rij.aantal, rij.bron = cijfer.aantal, bron
        rij._change_reason = reden
        rij.save()
    for afnemer in afnemers.alle():
        afnemer.werk_bij(voorstel.concepten, reden)
    voorstel.opgeslagen = True
