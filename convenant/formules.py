"""No live formulas in the spreadsheets the project writes (CSV and XLSX).

A text cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage
return, which some programs skip before reading a formula) is run as a formula
by Excel and LibreOffice when the file is opened: an uploaded file name or a
typed name could then fetch a URL or start a program (CSV injection). Such text
gets a leading apostrophe, the spreadsheet's own "this is text" mark, so the
reader sees the text and nothing runs. Numbers, dates and empty cells are left
as they are: a negative amount stays a number.

django-import-export's own ``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT`` is not
enough (4.4.3, ``TablibFormat._escape_formulae``): it only strips one leading
``=`` (so ``==1+1`` still becomes a formula and ``+``, ``-``, ``@`` pass) and it
turns every cell into text, numbers included. Its export formats are therefore
replaced by ``VeiligCSV`` and ``VeiligXLSX`` below, and the project's own
writer (``overeenkomsten.resources``) calls :func:`neutraliseer` per cell.
"""

from import_export.formats import base_formats

GEVAARLIJK = ("=", "+", "-", "@", "\t", "\r")


def neutraliseer(waarde):
    """The value as it may go into a spreadsheet cell: text that could be a formula gets a leading '."""
    if isinstance(waarde, str) and waarde.startswith(GEVAARLIJK):
        return "'" + waarde
    return waarde


class _Veilig:
    def export_data(self, dataset, **kwargs):
        rijen = [[neutraliseer(cel) for cel in rij] for rij in dataset]
        del dataset[:]  # the rows are put back neutralised; the headers stay
        for rij in rijen:
            dataset.append(rij)
        return super().export_data(dataset, **kwargs)


class VeiligCSV(_Veilig, base_formats.CSV):
    pass


class VeiligXLSX(_Veilig, base_formats.XLSX):
    pass


EXPORTFORMATEN = [VeiligCSV, VeiligXLSX]

# import-export writes real numbers and dates only for the formats in BINARY_FORMATS, which it
# compares by exact type (admin.ExportMixin.get_export_data): the subclass must be listed too,
# or every number of an XLSX export would become text.
if VeiligXLSX not in base_formats.BINARY_FORMATS:
    base_formats.BINARY_FORMATS.append(VeiligXLSX)
