"""The secretary's register, loaded in bulk through the workflow's own functions.

One row per municipality (``cbs_code`` or ``gemeente``) with, each optional,
the columns of `KOLOMMEN`. Per row, in this order:

1. the agreement's text fields (vertegenwoordiger, functie, collegebesluit,
   opgemaakt te/op) are filled in where the file gives a value; once the
   agreement is signed they are what was signed and may not differ;
2. ``verzonden_op`` + ``verzonden_aan`` → `workflow.markeer_verzonden` with
   ``bron=BRON_REGISTER`` (a record of the past: no PDF rendered, nothing sent);
3. ``ontvangen_op`` → `workflow.markeer_ontvangen` (without scan); for a signed
   agreement whose date was unknown (2019–2022), `workflow.vul_ontvangstdatum_in`;
4. ``opzegging_verzonden_op`` + ``opgezegd_door`` (+ ``opzegging_ontvangen_op``)
   → `workflow.registreer_opzegging`.

Every date rule of the workflow applies, because the workflow does the work.
A step already recorded with the same values is skipped, so loading the same
sheet twice changes nothing and says so. Each step lands in the history with
the user and ‘Register <file>’ as its reason.

All or nothing: every row runs in its own savepoint inside one transaction, so
every bad row is reported (line number and reason), and one bad row rolls the
whole file back. A preview (`opslaan=False`) runs exactly the same steps and
rolls back at the end: what the preview shows is what confirming does.
Empty cells change nothing (they never clear a value).
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from convenant import formatting
from gemeenten import tabel as tabelbestand
from gemeenten.models import Gemeente

from . import workflow
from .constants import OpgezegdDoor, Status
from .models import Samenwerkingsovereenkomst

SLEUTELS = ("cbs_code", "gemeente")
TEKSTVELDEN = ("vertegenwoordiger", "vertegenwoordiger_functie", "collegebesluit_op", "ondertekend_te",
               "ondertekend_op")
DATUMVELDEN = {"verzonden_op", "ontvangen_op", "opzegging_verzonden_op", "opzegging_ontvangen_op",
               "collegebesluit_op", "ondertekend_op"}
KOLOMMEN = (
    "verzonden_op", "verzonden_aan", "ontvangen_op", "opzegging_verzonden_op", "opzegging_ontvangen_op",
    "opgezegd_door", *TEKSTVELDEN,
)
# Columns of the sheet `ontbrekende_gegevens` writes that belong to the other import
# (importeer_gemeentegegevens) or only inform: read past, named in the summary.
GENEGEERD = ("status", "ontbreekt", "adres", "plaats", "contact_email")


@dataclass
class Fout:
    regel: int | None
    melding: str
    regelnaam: str = "regel"

    def __str__(self):
        return f"{self.regelnaam.capitalize()} {self.regel}: {self.melding}" if self.regel else self.melding


@dataclass
class Regel:
    regel: int
    gemeente: Gemeente
    stappen: list[str] = field(default_factory=list)      # recorded now
    overgeslagen: list[str] = field(default_factory=list)  # already recorded like this


@dataclass
class RegisterImport:
    bestandsnaam: str
    convenant: object
    regelnaam: str = "regel"
    regels: list[Regel] = field(default_factory=list)
    fouten: list[Fout] = field(default_factory=list)
    genegeerde_kolommen: list[str] = field(default_factory=list)
    opgeslagen: bool = False

    @property
    def geldig(self) -> bool:
        return not self.fouten

    @property
    def aantal_stappen(self) -> int:
        return sum(len(r.stappen) for r in self.regels)

    @property
    def aantal_overgeslagen(self) -> int:
        return sum(len(r.overgeslagen) for r in self.regels)

    @property
    def niets_gewijzigd(self) -> bool:
        return self.geldig and self.aantal_stappen == 0

    def samenvatting(self) -> list[str]:
        uit = [f"Bestand: {self.bestandsnaam}, convenant {self.convenant.slug}: {len(self.regels)} "
               f"gemeente{'n' if len(self.regels) != 1 else ''}."]
        if self.fouten:
            uit.append(f"Geweigerd: {len(self.fouten)} fout{'en' if len(self.fouten) != 1 else ''}. "
                       f"Er wordt niets opgeslagen.")
            return uit
        if self.niets_gewijzigd:
            uit.append(f"Niets gewijzigd: alles in het bestand stond al zo vastgelegd "
                       f"({self.aantal_overgeslagen} stappen overgeslagen).")
        else:
            uit.append(f"{self.aantal_stappen} stap{'pen' if self.aantal_stappen != 1 else ''} "
                       f"{'vastgelegd' if self.opgeslagen else 'vast te leggen'}; "
                       f"{self.aantal_overgeslagen} al vastgelegd (overgeslagen).")
        if self.genegeerde_kolommen:
            uit.append("Kolommen niet voor deze import (overgeslagen): " + ", ".join(self.genegeerde_kolommen) + ".")
        return uit


class _Terugdraaien(Exception):
    """Raised at the end of a preview or a refused import to roll everything back."""


def importeer(inhoud: bytes, bestandsnaam: str, convenant, *, opslaan: bool, gebruiker=None) -> RegisterImport:
    """Load the register file for `convenant`; write only with `opslaan` and when no row is bad."""
    uitkomst = RegisterImport(bestandsnaam=bestandsnaam, convenant=convenant)
    try:
        tabel = tabelbestand.lees_tabel(inhoud)
    except tabelbestand.BestandFout as exc:
        uitkomst.fouten.append(Fout(None, str(exc)))
        return uitkomst
    uitkomst.regelnaam = tabel.regelnaam
    if not _controleer_kop(tabel, uitkomst):
        return uitkomst
    try:
        with transaction.atomic():
            _verwerk(tabel, uitkomst, gebruiker)
            if not uitkomst.geldig or not opslaan:
                raise _Terugdraaien
            uitkomst.opgeslagen = True
    except _Terugdraaien:
        uitkomst.opgeslagen = False
    return uitkomst


def _controleer_kop(tabel, uitkomst) -> bool:
    bekend = set(SLEUTELS) | set(KOLOMMEN)
    onbekend = [k for k in tabel.kolommen if k not in bekend and k not in GENEGEERD]
    if onbekend:
        uitkomst.fouten.append(Fout(None, (
            f"Onbekende kolom{'men' if len(onbekend) > 1 else ''}: {', '.join(onbekend)}. Toegestaan: "
            f"cbs_code of gemeente, en {', '.join(KOLOMMEN)}.")))
    if not set(SLEUTELS) & set(tabel.kolommen):
        uitkomst.fouten.append(Fout(None, "Het bestand heeft geen kolom cbs_code of gemeente."))
    uitkomst.genegeerde_kolommen = [k for k in tabel.kolommen if k in GENEGEERD]
    if not tabel.rijen and not uitkomst.fouten:
        uitkomst.fouten.append(Fout(None, "Het bestand bevat geen regels onder de kopregel."))
    return uitkomst.geldig


def _lees_waarden(rij: dict) -> tuple[dict, list[str]]:
    waarden, fouten = {}, []
    if rij.get("__te_veel__"):
        fouten.append("meer velden dan de kopregel kolommen heeft")
    for kolom in KOLOMMEN:
        ruw = rij.get(kolom)
        if kolom in DATUMVELDEN:
            try:
                waarde = tabelbestand.lees_datum(ruw)
            except tabelbestand.OngeldigeDatum as exc:
                fouten.append(f"{kolom}: {exc}")
                continue
        else:
            waarde = tabelbestand.tekst(ruw)
        if waarde not in (None, ""):
            waarden[kolom] = waarde
    door = waarden.get("opgezegd_door")
    if door is not None:
        door = door.casefold()
        if door not in OpgezegdDoor.values:
            fouten.append(f"opgezegd_door: ‘{waarden['opgezegd_door']}’; vul ‘gemeente’ of ‘platform31’ in")
        waarden["opgezegd_door"] = door
    if ("opzegging_verzonden_op" in waarden) != ("opgezegd_door" in waarden):
        fouten.append("een opzegging heeft zowel opzegging_verzonden_op als opgezegd_door nodig")
    if "opzegging_ontvangen_op" in waarden and "opzegging_verzonden_op" not in waarden:
        fouten.append("opzegging_ontvangen_op zonder opzegging_verzonden_op")
    if "verzonden_aan" in waarden and "verzonden_op" not in waarden:
        fouten.append("verzonden_aan zonder verzonden_op")
    return waarden, fouten


def _verwerk(tabel, uitkomst, gebruiker) -> None:
    gemeenten = list(Gemeente.objects.all())
    overeenkomsten = {
        ov.gemeente_id: ov for ov in Samenwerkingsovereenkomst.objects.filter(convenant=uitkomst.convenant)
        .select_related("gemeente", "convenant")
    }
    gezien: dict[int, int] = {}
    herkomst = f"Register {uitkomst.bestandsnaam[:40]}"
    for nummer, rij in tabel.rijen:
        fout = lambda tekst, nummer=nummer: uitkomst.fouten.append(  # noqa: E731
            Fout(nummer, tekst, tabel.regelnaam))
        gemeente, reden = tabelbestand.zoek_gemeente(rij, gemeenten)
        if gemeente is None:
            fout(reden)
            continue
        if gemeente.pk in gezien:
            fout(f"{gemeente}: dubbel, staat ook op {tabel.regelnaam} {gezien[gemeente.pk]}")
            continue
        gezien[gemeente.pk] = nummer
        ov = overeenkomsten.get(gemeente.pk)
        if ov is None:
            fout(f"{gemeente} heeft geen overeenkomst onder convenant {uitkomst.convenant.slug}")
            continue
        waarden, fouten = _lees_waarden(rij)
        if fouten:
            fout(f"{gemeente}: " + "; ".join(fouten) + ".")
            continue
        regel = Regel(nummer, gemeente)
        try:
            with transaction.atomic():
                _verwerk_regel(ov, waarden, regel, gebruiker, herkomst)
        except ValidationError as exc:
            fout("; ".join(exc.messages))
            continue
        uitkomst.regels.append(regel)


def _datum(d) -> str:
    return formatting.datum(d)


def _verwerk_regel(ov, w: dict, regel: Regel, gebruiker, herkomst: str) -> None:
    naam = str(ov.gemeente)
    # 1. The agreement's own text fields.
    nieuw = {v: w[v] for v in TEKSTVELDEN if v in w and getattr(ov, v) != w[v]}
    if nieuw and ov.is_getekend:
        raise ValidationError(
            f"{naam}: de overeenkomst is ondertekend; " + ", ".join(
                f"{v} is ‘{_toon(getattr(ov, v))}’, niet ‘{_toon(w[v])}’" for v in nieuw)
            + ". Na ondertekening ligt de tekst vast.")
    if nieuw:
        for veld, waarde in nieuw.items():
            setattr(ov, veld, waarde)
        try:
            ov.full_clean(exclude=["convenant", "gemeente"], validate_unique=False)
        except ValidationError as exc:
            raise ValidationError(f"{naam}: " + "; ".join(_fouttekst(exc))) from None
        ov._history_user = gebruiker
        ov._change_reason = f"{herkomst}: gegevens ingevuld"[:workflow.REDEN_MAX]
        ov.save()
        regel.stappen.append("gegevens: " + ", ".join(nieuw))
    elif any(v in w for v in TEKSTVELDEN):
        regel.overgeslagen.append("gegevens")

    # 2. Sent.
    if "verzonden_op" in w:
        op, aan = w["verzonden_op"], w.get("verzonden_aan", "")
        if ov.verzonden_op == op and (not aan or aan == ov.verzonden_aan):
            regel.overgeslagen.append(f"verzonden op {_datum(op)}")
        else:
            if not aan:
                raise ValidationError(f"{naam}: vul verzonden_aan in (aan wie de overeenkomst op "
                                      f"{_datum(op)} is verzonden).")
            workflow.markeer_verzonden(ov, op, aan, gebruiker, bron=workflow.BRON_REGISTER, reden=herkomst)
            regel.stappen.append(f"verzonden op {_datum(op)}")

    # 3. Signed copy received.
    if "ontvangen_op" in w:
        op = w["ontvangen_op"]
        if ov.is_getekend and ov.ontvangen_op == op:
            regel.overgeslagen.append(f"ontvangen op {_datum(op)}")
        elif ov.is_getekend and ov.datum_onbekend:
            workflow.vul_ontvangstdatum_in(ov, op, gebruiker, reden=herkomst)
            regel.stappen.append(f"ontvangstdatum {_datum(op)} ingevuld (was onbekend)")
        else:
            if ov.is_getekend:
                raise ValidationError(
                    f"{naam}: staat al als ondertekend ontvangen ({ov.ontvangen_tekst}), het bestand zegt "
                    f"{_datum(op)}. Klopt het bestand, draai de ontvangst dan eerst terug (actie "
                    f"‘Stap terugdraaien’).")
            workflow.markeer_ontvangen(ov, op, None, gebruiker, reden=herkomst)
            regel.stappen.append(f"ontvangen op {_datum(op)}")

    # 4. Notice.
    if "opzegging_verzonden_op" in w:
        op, door, ontvangen = w["opzegging_verzonden_op"], w["opgezegd_door"], w.get("opzegging_ontvangen_op")
        if ov.status == Status.OPGEZEGD:
            if (ov.opzegging_verzonden_op, ov.opgezegd_door) == (op, door) and (
                    ontvangen is None or ontvangen == ov.opzegging_ontvangen_op):
                regel.overgeslagen.append(f"opgezegd op {_datum(op)}")
                return
            raise ValidationError(
                f"{naam}: staat al als opgezegd (door {ov.opgezegd_door or 'onbekend'}, verzonden op "
                f"{_datum(ov.opzegging_verzonden_op)}); het bestand zegt iets anders. Draai de opzegging "
                f"eerst terug als het bestand klopt.")
        workflow.registreer_opzegging(ov, op, gebruiker, door=door, ontvangen_op=ontvangen, reden=herkomst)
        regel.stappen.append(f"opgezegd door {door} op {_datum(op)}")


def _toon(waarde) -> str:
    if isinstance(waarde, datetime.date):
        return waarde.isoformat()
    return str(waarde or "")


def _fouttekst(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{veld}: {' '.join(m for e in fouten for m in e.messages)}"
                for veld, fouten in exc.error_dict.items()]
    return exc.messages
