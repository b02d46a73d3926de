"""Municipality data in bulk: what the final agreement and its sending need (address, seat, G40 e-mail).

``python manage.py importeer_gemeentegegevens BESTAND [--dry-run]``: CSV (comma
or semicolon) or XLSX, one row per municipality, identified by ``cbs_code`` (or
``gemeente``), with any of the columns `VELDEN`. An empty cell changes nothing.
Every value is checked by the model's own validation (e-mail format, lengths);
one bad row and nothing is saved, every bad row is named with its number and
reason. Changes land in the history with the user and the file name.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from . import tabel as tabelbestand
from .models import Gemeente

VELDEN = ("adres", "plaats", "contact_email")
SLEUTELS = ("cbs_code", "gemeente")
# Columns of the ‘ontbrekende gegevens’ sheet that belong to the register import or only inform.
GENEGEERD = ("status", "ontbreekt", "vertegenwoordiger", "vertegenwoordiger_functie", "collegebesluit_op",
             "ondertekend_te", "ondertekend_op")


@dataclass
class Fout:
    regel: int | None
    melding: str
    regelnaam: str = "regel"

    def __str__(self):
        return f"{self.regelnaam.capitalize()} {self.regel}: {self.melding}" if self.regel else self.melding


@dataclass
class Wijziging:
    regel: int
    gemeente: Gemeente
    velden: dict  # field → (old, new)


@dataclass
class GegevensImport:
    bestandsnaam: str
    regelnaam: str = "regel"
    wijzigingen: list[Wijziging] = field(default_factory=list)
    ongewijzigd: int = 0
    fouten: list[Fout] = field(default_factory=list)
    genegeerde_kolommen: list[str] = field(default_factory=list)
    opgeslagen: bool = False

    @property
    def geldig(self) -> bool:
        return not self.fouten

    def samenvatting(self) -> list[str]:
        uit = [f"Bestand: {self.bestandsnaam}."]
        if self.fouten:
            uit.append(f"Geweigerd: {len(self.fouten)} fout{'en' if len(self.fouten) != 1 else ''}. "
                       f"Er wordt niets opgeslagen.")
            return uit
        if not self.wijzigingen:
            uit.append(f"Niets gewijzigd: alles stond al zo vastgelegd ({self.ongewijzigd} gemeenten).")
        else:
            uit.append(f"{len(self.wijzigingen)} gemeente{'n' if len(self.wijzigingen) != 1 else ''} "
                       f"{'bijgewerkt' if self.opgeslagen else 'bij te werken'}; {self.ongewijzigd} ongewijzigd.")
        if self.genegeerde_kolommen:
            uit.append("Kolommen niet voor deze import (overgeslagen): " + ", ".join(self.genegeerde_kolommen) + ".")
        return uit


def importeer(inhoud: bytes, bestandsnaam: str, *, opslaan: bool, gebruiker=None) -> GegevensImport:
    uitkomst = GegevensImport(bestandsnaam)
    try:
        tabel = tabelbestand.lees_tabel(inhoud)
    except tabelbestand.BestandFout as exc:
        uitkomst.fouten.append(Fout(None, str(exc)))
        return uitkomst
    uitkomst.regelnaam = tabel.regelnaam
    onbekend = [k for k in tabel.kolommen if k not in (*SLEUTELS, *VELDEN, *GENEGEERD)]
    if onbekend:
        uitkomst.fouten.append(Fout(None, f"Onbekende kolom{'men' if len(onbekend) > 1 else ''}: "
                                          f"{', '.join(onbekend)}. Toegestaan: cbs_code of gemeente, en "
                                          f"{', '.join(VELDEN)}."))
    if not set(SLEUTELS) & set(tabel.kolommen):
        uitkomst.fouten.append(Fout(None, "Het bestand heeft geen kolom cbs_code of gemeente."))
    if not uitkomst.geldig:
        return uitkomst
    uitkomst.genegeerde_kolommen = [k for k in tabel.kolommen if k in GENEGEERD]

    with transaction.atomic():
        gemeenten = list(Gemeente.objects.select_for_update().order_by("pk"))
        gezien: dict[int, int] = {}
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
            if rij.get("__te_veel__"):
                fout(f"{gemeente}: meer velden dan de kopregel kolommen heeft")
                continue
            nieuw = {v: tabelbestand.tekst(rij.get(v)) for v in VELDEN if tabelbestand.tekst(rij.get(v))}
            verschil = {v: (getattr(gemeente, v), w) for v, w in nieuw.items() if getattr(gemeente, v) != w}
            if not verschil:
                uitkomst.ongewijzigd += 1
                continue
            for veld, (_, waarde) in verschil.items():
                setattr(gemeente, veld, waarde)
            try:
                gemeente.full_clean(validate_unique=False)
            except ValidationError as exc:
                fout(f"{gemeente}: " + "; ".join(
                    f"{veld}: {' '.join(m for e in fouten for m in e.messages)}"
                    for veld, fouten in exc.error_dict.items()))
                continue
            uitkomst.wijzigingen.append(Wijziging(nummer, gemeente, verschil))
        if opslaan and uitkomst.geldig:
            reden = f"Gemeentegegevens {bestandsnaam}"[:100]
            for w in uitkomst.wijzigingen:
                w.gemeente._history_user = gebruiker
                w.gemeente._change_reason = reden
                w.gemeente.save(update_fields=list(w.velden))
            uitkomst.opgeslagen = True
    return uitkomst
