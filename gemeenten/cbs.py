"""Read population figures from the files CBS publishes, whatever their shape.

Three shapes are recognised by their header, never by the file name:

- **StatLine table download** (table 03759ned): semicolons, quoted text,
  municipalities by *name*, provinces ``(PV)`` and other regions mixed in,
  periods ``2022``, a column ``Bevolking op 1 januari (aantal)``;
- **CBS open data (OData) export**: commas, CRLF, region *codes* (``GM0150``,
  the national key padded with spaces), periods ``2022JJ00``, a column
  ``BevolkingOp1Januari_1`` or ``PopulationOn1January_1``;
- a **plain sheet** with the columns ``cbs_code`` and ``inwoners`` (CSV with
  comma or semicolon, or XLSX), optionally with a ``peildatum`` column.

This module only turns a file into :class:`Rij` objects (one per data line,
with the line number it came from) and parses counts strictly; deciding which
rows belong to members and what to write is :mod:`gemeenten.importeren`'s job.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from convenant import rules

STATLINE = "statline"
ODATA = "odata"
EENVOUDIG = "eenvoudig"

VORMEN = {
    STATLINE: "CBS StatLine-tabel (download)",
    ODATA: "CBS open data (OData-export)",
    EENVOUDIG: "eigen lijst met cbs_code en inwoners",
}

# CBS marks a missing or secret value with an empty field or a symbol.
CBS_SYMBOLEN_ZONDER_WAARDE = {".", "x", "X", "-", "–"}

# Keys CBS uses for "total" in the dimensions other than region and period
# (Geslacht, Leeftijd, BurgerlijkeStaat in 03759ned).
TOTAAL_SLEUTELS = {"T001038", "10000", "T001019"}

_ODATA_MAAT = re.compile(r"^(bevolkingop1januari|populationon1january)(_\d+)?$")
_STATLINE_MAAT = "bevolking op 1 januari"
_REGIO_KOLOMMEN = {"regio's", "regio’s", "regios", "regions"}
_PERIODE_KOLOMMEN = {"perioden", "periods"}
_DIMENSIES = {
    "geslacht", "leeftijd", "burgerlijke staat", "burgerlijkestaat",
    "sex", "age", "marital status", "maritalstatus",
}
_REGIOCODE = re.compile(r"^[A-Z]{2}[0-9A-Z]{2,8}$")
_GEMEENTECODE = re.compile(r"^GM\d{4}$")
_KOPREGELS_ZOEKEN = 25  # StatLine sometimes puts title lines above the header


class BestandFout(Exception):
    """The file as a whole cannot be read (not a row: the shape, the encoding...)."""


class OngeldigAantal(ValueError):
    """A count that is not a whole, positive number; the message says why, in Dutch."""


@dataclass
class Rij:
    """One data line of the file, reduced to what the import needs."""

    regel: int                  # line number in the file (header = its own line)
    sleutel: str                # CBS code (GM0150) or, for StatLine, the region's name
    waarde: object              # the count as found: str, int, float or None
    periode: str | None = None  # as found: '2022', '2022JJ00', '2022-01-01', or None
    totaal: bool = True         # False for a breakdown (men only, one age group...)
    te_veel_velden: bool = False  # more filled fields than the header has columns


@dataclass
class Bestand:
    vorm: str
    sleutel_is_code: bool
    rijen: list[Rij] = field(default_factory=list)
    heeft_perioden: bool = False
    overige_regels: int = 0     # empty lines, footnotes under the table
    regelnaam: str = "regel"    # how to name a line in messages: 'regel' (CSV), 'rij' (XLSX)

    @property
    def vorm_omschrijving(self) -> str:
        return VORMEN[self.vorm]


# ---------------------------------------------------------------------------
# Counts

def lees_aantal(waarde) -> int | None:
    """Parse an inhabitants count strictly; ``None`` for an empty (missing) value.

    Digits only, or Dutch thousands grouping with dots (``101.446`` is
    101446) or spaces. Anything that could be a decimal fraction is refused,
    never truncated: ``101.44``, ``101,446``, a spreadsheet number 101.446.
    """
    if waarde is None:
        return None
    if isinstance(waarde, bool):
        raise OngeldigAantal(f"geen getal: ‘{waarde}’")
    if isinstance(waarde, int):
        getal = waarde
    elif isinstance(waarde, float | Decimal):
        if waarde != waarde or not float(waarde).is_integer():  # NaN or a fraction
            raise OngeldigAantal(
                f"geen geheel getal: ‘{waarde}’ (schrijf het aantal zonder punt of komma, "
                "of met punten per duizendtal als tekst, bijv. 101.446)"
            )
        getal = int(waarde)
    else:
        tekst = str(waarde).replace("\u00a0", " ").replace("\u202f", " ").strip()
        if tekst == "" or tekst in CBS_SYMBOLEN_ZONDER_WAARDE:
            return None
        negatief = tekst[0] in "-−"
        kern = tekst.lstrip("-−").strip()
        if re.fullmatch(r"\d+", kern):
            getal = int(kern)
        elif re.fullmatch(r"\d{1,3}(\.\d{3})+", kern) or re.fullmatch(r"\d{1,3}( \d{3})+", kern):
            getal = int(kern.replace(".", "").replace(" ", ""))
        elif re.fullmatch(r"[\d., ]+", kern) and any(c.isdigit() for c in kern):
            raise OngeldigAantal(
                f"geen geheel getal: ‘{tekst}’ (verwacht bijv. 101446 of 101.446)"
            )
        else:
            raise OngeldigAantal(f"geen getal: ‘{tekst}’")
        if negatief:
            getal = -getal
    if getal < 0:
        raise OngeldigAantal(f"negatief aantal: ‘{waarde}’")
    if getal == 0:
        raise OngeldigAantal("het aantal is nul")
    if getal > rules.MAX_INWONERS:
        raise OngeldigAantal(rules.inwoners_fout(getal))
    return getal


def jaar_van_periode(periode) -> int | None:
    """'2022', '2022*', '2022JJ00', '2022-01-01' or a date → 2022; a month or quarter → None."""
    if isinstance(periode, datetime.date):
        return periode.year
    tekst = str(periode or "").strip()
    if m := re.fullmatch(r"(\d{4})JJ00", tekst):
        return int(m[1])
    if re.fullmatch(r"\d{4}(MM|KW|X0)\d\d", tekst):
        return None
    if m := re.match(r"(\d{4})(?!\d)", tekst):
        return int(m[1])
    return None


def normaliseer_naam(naam: str) -> str:
    """For matching region names: case, spacing and apostrophe style do not count."""
    return " ".join(str(naam).replace("’", "'").replace("`", "'").split()).casefold()


def normaliseer_code(code) -> str:
    """'GM0150  ', 'gm0150', '150', 150 → 'GM0150' (codes without 'GM' only for municipalities)."""
    if isinstance(code, float) and code.is_integer():
        code = int(code)
    tekst = str(code if code is not None else "").strip().upper()
    if re.fullmatch(r"\d{1,4}", tekst):
        return f"GM{int(tekst):04d}"
    return tekst


def is_regiocode(code: str) -> bool:
    return bool(_REGIOCODE.match(code))


def is_gemeentecode(code: str) -> bool:
    return bool(_GEMEENTECODE.match(code))


# ---------------------------------------------------------------------------
# Files

def lees_bestand(inhoud: bytes) -> Bestand:
    """Detect the shape of a CBS file or plain sheet and return its data rows."""
    if not inhoud or not inhoud.strip():
        raise BestandFout("Het bestand is leeg.")
    if inhoud[:4] == b"PK\x03\x04":
        try:
            return _uit_tabel(_xlsx_rijen(inhoud), regelnaam="rij")
        except _GeenKop:
            raise BestandFout(_ONBEKENDE_VORM + " Eerste rij van het werkblad niet herkend.") from None
    tekst = _decodeer(inhoud)
    for scheiding in (";", ",", "\t"):
        try:
            return _uit_tabel(_csv_rijen(tekst, scheiding), regelnaam="regel")
        except _GeenKop:
            continue
    raise BestandFout(f"{_ONBEKENDE_VORM} Eerste regel van het bestand: “{_eerste_regel(tekst)}”.")


_ONBEKENDE_VORM = (
    "De vorm van het bestand is niet herkend. Verwacht wordt een download van CBS StatLine "
    "(kolommen “Regio's”, “Perioden”, “Bevolking op 1 januari (aantal)”), een CBS open-data-"
    "export (kolommen Regions/RegioS, Periods/Perioden, BevolkingOp1Januari_1 of "
    "PopulationOn1January_1) of een eigen lijst met de kolommen cbs_code en inwoners."
)


class _GeenKop(Exception):
    pass


def _decodeer(inhoud: bytes) -> str:
    try:
        return inhoud.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older StatLine downloads are Windows-1252.
        return inhoud.decode("cp1252", errors="replace")


def _eerste_regel(tekst: str) -> str:
    for regel in tekst.splitlines():
        if regel.strip():
            return regel.strip()[:120]
    return ""


def _csv_rijen(tekst: str, scheiding: str):
    """(line number, fields) per record; line numbers survive quoted newlines."""
    lezer = csv.reader(io.StringIO(tekst, newline=""), delimiter=scheiding)
    vorige = 0
    try:
        for velden in lezer:
            yield vorige + 1, velden
            vorige = lezer.line_num
    except csv.Error as exc:
        raise BestandFout(f"Regel {lezer.line_num}: het bestand is geen geldig CSV-bestand ({exc}).") from exc


def _xlsx_rijen(inhoud: bytes):
    from import_export.formats.base_formats import XLSX

    try:
        dataset = XLSX().create_dataset(inhoud)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise BestandFout(f"Het Excel-bestand kan niet worden gelezen ({type(exc).__name__}).") from exc
    yield 1, list(dataset.headers or [])
    for nummer, rij in enumerate(dataset, start=2):
        yield nummer, list(rij)


def _kopnaam(waarde) -> str:
    return " ".join(str(waarde or "").replace("\ufeff", "").split()).casefold()


def _herken_kop(koppen: list[str]):
    """Return (vorm, column positions) when `koppen` is a header we know, else None."""
    def positie(namen):
        return next((i for i, k in enumerate(koppen) if k in namen), None)

    odata_maat = next((i for i, k in enumerate(koppen) if _ODATA_MAAT.match(k)), None)
    statline_maat = next((i for i, k in enumerate(koppen) if k.startswith(_STATLINE_MAAT)), None)
    regio, periode = positie(_REGIO_KOLOMMEN), positie(_PERIODE_KOLOMMEN)
    dimensies = [i for i, k in enumerate(koppen) if k in _DIMENSIES or k.removesuffix(" label") in _DIMENSIES]
    if odata_maat is not None and regio is not None:
        return ODATA, {"sleutel": regio, "waarde": odata_maat, "periode": periode, "dimensies": dimensies}
    if statline_maat is not None and regio is not None:
        return STATLINE, {"sleutel": regio, "waarde": statline_maat, "periode": periode, "dimensies": dimensies}
    code, inwoners = positie({"cbs_code", "cbs-code", "cbscode"}), positie({"inwoners"})
    if code is not None and inwoners is not None:
        periode = positie({"peildatum", "periode", "perioden", "jaar"})
        return EENVOUDIG, {"sleutel": code, "waarde": inwoners, "periode": periode, "dimensies": []}
    return None


def _uit_tabel(rijen, regelnaam: str) -> Bestand:
    bestand = None
    for teller, (nummer, velden) in enumerate(rijen):
        if bestand is None:
            if teller >= _KOPREGELS_ZOEKEN:
                break
            herkend = _herken_kop([_kopnaam(v) for v in velden])
            if herkend:
                vorm, kolommen = herkend
                breedte = len(velden)
                bestand = Bestand(
                    vorm=vorm, sleutel_is_code=vorm != STATLINE,
                    heeft_perioden=kolommen["periode"] is not None,
                )
            continue
        if all(v is None or str(v).strip() == "" for v in velden):
            bestand.overige_regels += 1
            continue
        nodig = kolommen["sleutel"] if vorm == EENVOUDIG else max(kolommen["sleutel"], kolommen["waarde"])
        if len(velden) <= nodig:
            bestand.overige_regels += 1  # a footnote under a CBS table ("Bron: CBS")
            continue

        def veld(i, velden=velden):
            return velden[i] if i is not None and i < len(velden) else None

        totaal = all(
            veld(i) is None or str(veld(i)).strip() in TOTAAL_SLEUTELS
            or str(veld(i)).strip().casefold().startswith(("totaal", "total"))
            for i in kolommen["dimensies"]
        )
        sleutel = veld(kolommen["sleutel"])
        bestand.rijen.append(Rij(
            regel=nummer,
            sleutel=normaliseer_code(sleutel) if bestand.sleutel_is_code else str(sleutel or "").strip(),
            waarde=veld(kolommen["waarde"]),
            periode=veld(kolommen["periode"]),
            totaal=totaal,
            te_veel_velden=any(str(v or "").strip() for v in velden[breedte:]),
        ))
    if bestand is None:
        raise _GeenKop
    bestand.regelnaam = regelnaam
    return bestand
