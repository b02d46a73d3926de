"""A plain sheet (CSV with commas or semicolons, or XLSX) read as numbered rows under named columns.

For the imports whose columns are fixed by name (gemeentegegevens, the register
of agreements); the CBS import recognises its own shapes in `gemeenten.cbs`.
Also the readers of the values people type in such sheets: codes, dates.
"""

import datetime
import re
from dataclasses import dataclass, field

from . import cbs

BestandFout = cbs.BestandFout


@dataclass
class Tabel:
    regelnaam: str  # "regel" (CSV) or "rij" (XLSX), for messages
    kolommen: list[str]
    rijen: list[tuple[int, dict]] = field(default_factory=list)  # (line number, {column: value})


def kopnaam(waarde) -> str:
    return " ".join(str(waarde or "").replace("\ufeff", "").split()).casefold()


def lees_tabel(inhoud: bytes) -> Tabel:
    """Read a CSV (comma or semicolon, detected from the header) or an XLSX file; empty rows are skipped."""
    if not inhoud or not inhoud.strip():
        raise BestandFout("Het bestand is leeg.")
    if inhoud[:4] == b"PK\x03\x04":
        regelnaam, rijen = "rij", cbs._xlsx_rijen(inhoud)
    else:
        tekst = cbs._decodeer(inhoud)
        eerste = cbs._eerste_regel(tekst)
        scheiding = ";" if eerste.count(";") > eerste.count(",") else ","
        regelnaam, rijen = "regel", cbs._csv_rijen(tekst, scheiding)
    rijen = iter(rijen)
    kop = None
    for _, velden in rijen:
        if any(str(v or "").strip() for v in velden):
            kop = [kopnaam(v) for v in velden]
            break
    if kop is None:
        raise BestandFout("Het bestand heeft geen kopregel met kolomnamen.")
    dubbel = sorted({k for k in kop if k and kop.count(k) > 1})
    if dubbel:
        raise BestandFout(f"Kolom{'men' if len(dubbel) > 1 else ''} dubbel in de kopregel: {', '.join(dubbel)}.")
    tabel = Tabel(regelnaam, [k for k in kop if k])
    for nummer, velden in rijen:
        if not any(str(v if v is not None else "").strip() for v in velden):
            continue
        rij = {}
        for i, naam in enumerate(kop):
            if naam:
                rij[naam] = velden[i] if i < len(velden) else None
        extra = [v for v in velden[len(kop):] if str(v if v is not None else "").strip()]
        if extra:
            rij["__te_veel__"] = True
        tabel.rijen.append((nummer, rij))
    return tabel


def tekst(waarde) -> str:
    """A cell as text, stripped; None and empty cells are ''."""
    if waarde is None:
        return ""
    if isinstance(waarde, float) and waarde.is_integer():
        waarde = int(waarde)
    return str(waarde).strip()


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NL = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")


class OngeldigeDatum(ValueError):
    pass


def lees_datum(waarde) -> datetime.date | None:
    """'2023-01-10', '10-01-2023', or an Excel date → date; empty → None."""
    if isinstance(waarde, datetime.datetime):
        if waarde.time() != datetime.time(0, 0):
            raise OngeldigeDatum(f"‘{waarde}’ is een tijdstip, geen datum")
        return waarde.date()
    if isinstance(waarde, datetime.date):
        return waarde
    t = tekst(waarde)
    if not t:
        return None
    if m := _ISO.match(t):
        jaar, maand, dag = (int(x) for x in m.groups())
    elif m := _NL.match(t):
        dag, maand, jaar = (int(x) for x in m.groups())
    else:
        raise OngeldigeDatum(f"‘{t}’ is geen datum; schrijf 2023-01-10 of 10-01-2023")
    try:
        return datetime.date(jaar, maand, dag)
    except ValueError:
        raise OngeldigeDatum(f"‘{t}’ bestaat niet als datum") from None


def zoek_gemeente(rij: dict, gemeenten) -> tuple[object | None, str]:
    """The municipality a row names by `cbs_code` (first) or `gemeente`; (None, reason) when not found."""
    code = tekst(rij.get("cbs_code"))
    naam = tekst(rij.get("gemeente"))
    if code:
        code = cbs.normaliseer_code(code)
        for g in gemeenten:
            if g.cbs_code == code:
                if naam and cbs.normaliseer_naam(naam) not in {
                        cbs.normaliseer_naam(n) for n in (g.naam, g.cbs_naam) if n}:
                    return None, f"cbs_code {code} is {g.naam}, niet ‘{naam}’"
                return g, ""
        return None, f"onbekende cbs_code ‘{code}’"
    if naam:
        for g in gemeenten:
            if cbs.normaliseer_naam(naam) in {cbs.normaliseer_naam(n) for n in (g.naam, g.cbs_naam) if n}:
                return g, ""
        return None, f"onbekende gemeente ‘{naam}’"
    return None, "geen cbs_code of gemeente ingevuld"
