"""Write a report table (:class:`overeenkomsten.rapportages.Tabel`) as CSV or XLSX.

Files are for machines as much as for people, so they are written the same
way whatever the interface language:

- CSV: UTF-8, comma-separated, a header row with the column names; amounts as
  exact decimals with a dot (``15216.90``), counts as plain digits, dates ISO
  (``2023-01-10``), empty for no value;
- XLSX: one sheet, the same header; amounts, rates and counts as real numbers
  (formatted, but numbers), dates as real dates shown ``yyyy-mm-dd``.
"""

import csv
import datetime
import io
from decimal import Decimal

from django.http import HttpResponse

from convenant.formules import neutraliseer

from .rapportages import AANTAL, BEDRAG, DATUM, TARIEF, Tabel

FORMATEN = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_XLSX_FORMAAT = {BEDRAG: "#,##0.00", TARIEF: "0.00##", AANTAL: "#,##0", DATUM: "yyyy-mm-dd"}


def _csv_waarde(waarde) -> str:
    if waarde is None:
        return ""
    if isinstance(waarde, float):
        raise TypeError("bedragen zijn Decimal, geen float")
    if isinstance(waarde, Decimal):
        return format(waarde, "f")  # never exponent notation, never a decimal comma
    if isinstance(waarde, datetime.date):
        return waarde.isoformat()
    return neutraliseer(str(waarde))


def schrijf_csv(tabel: Tabel, uitvoer) -> None:
    schrijver = csv.writer(uitvoer, lineterminator="\n")
    schrijver.writerow([k.naam for k in tabel.kolommen])
    for rij in tabel.rijen:
        schrijver.writerow([_csv_waarde(w) for w in tabel.waarden(rij)])


def als_csv(tabel: Tabel) -> bytes:
    buf = io.StringIO()
    schrijf_csv(tabel, buf)
    return buf.getvalue().encode("utf-8")


def als_xlsx(tabel: Tabel) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = tabel.titel[:31]
    ws.append([k.naam for k in tabel.kolommen])
    for cel in ws[1]:
        cel.font = Font(bold=True)
    for rij in tabel.rijen:
        ws.append([neutraliseer(w) for w in tabel.waarden(rij)])
    for rij in ws.iter_rows(min_row=2):
        for cel in rij:
            if cel.data_type == "f":  # never a formula, whatever slipped through
                cel.data_type = "s"
    for i, kolom in enumerate(tabel.kolommen, start=1):
        letter = get_column_letter(i)
        breedte = max([len(kolom.naam)] + [len(_csv_waarde(r[kolom.naam])) for r in tabel.rijen])
        ws.column_dimensions[letter].width = min(60, breedte + 2)
        if formaat := _XLSX_FORMAAT.get(kolom.soort):
            for (cel,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cel.number_format = formaat
    ws.freeze_panes = "B2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def als_bytes(tabel: Tabel, formaat: str) -> bytes:
    if formaat == "csv":
        return als_csv(tabel)
    if formaat == "xlsx":
        return als_xlsx(tabel)
    raise ValueError(f"Onbekend formaat ‘{formaat}’; kies csv of xlsx.")


def download(tabel: Tabel, formaat: str) -> HttpResponse:
    response = HttpResponse(als_bytes(tabel, formaat), content_type=CONTENT_TYPES[formaat])
    response["Content-Disposition"] = f'attachment; filename="{tabel.bestandsnaam}.{formaat}"'
    return response


def schrijf_uitvoer(command, tabel: Tabel, formaat: str, uitvoer: str | None) -> None:
    """For the management commands: to the file `uitvoer`, or CSV to stdout."""
    from pathlib import Path

    from django.core.management.base import CommandError

    if uitvoer:
        try:
            Path(uitvoer).write_bytes(als_bytes(tabel, formaat))
        except OSError as exc:
            raise CommandError(f"Kan {uitvoer} niet schrijven: {exc.strerror}.") from None
        command.stderr.write(f"{len(tabel.rijen)} rijen geschreven naar {uitvoer}.")
    elif formaat == "csv":
        command.stdout.write(als_csv(tabel).decode("utf-8"), ending="")
    else:
        raise CommandError("XLSX is een binair bestand: geef met --out aan waar het heen moet.")
