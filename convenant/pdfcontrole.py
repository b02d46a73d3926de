"""Is an uploaded PDF only a document? Active content and HTML polyglots are refused.

A signed scan comes from outside. A PDF can carry JavaScript, actions that run
when it opens or when a page is shown, programs to launch, embedded files,
forms that submit data, and Flash/3D; a file can also be a PDF and an HTML page
at once (a *polyglot*), which a browser that sniffs the content would run. A
scan needs none of that, so :func:`controleer_scan` refuses such a file and
names what it found, in Dutch.

The PDF is parsed with pypdf, not searched as bytes: in a PDF with object
streams the names are compressed and a byte search for ``/JavaScript`` finds
nothing. The walk starts at the catalog and the trailer and follows every
reference (skipping ``/Parent``, which only points back), so it sees what a
viewer can reach: document actions, the JavaScript name tree, page actions,
annotations and form fields.
"""

import io
import re

from django.core.exceptions import ValidationError

ACTIEF = {
    "/JavaScript": "JavaScript",
    "/JS": "JavaScript",
    "/OpenAction": "een actie bij het openen (/OpenAction)",
    "/AA": "automatische acties (/AA)",
    "/Launch": "het starten van een programma (/Launch)",
    "/EmbeddedFile": "een ingesloten bestand (/EmbeddedFile)",
    "/EmbeddedFiles": "ingesloten bestanden (/EmbeddedFiles)",
    "/RichMedia": "multimedia (/RichMedia)",
    "/SubmitForm": "een formulier dat gegevens verstuurt (/SubmitForm)",
    "/ImportData": "het inlezen van gegevens (/ImportData)",
    "/XFA": "een XFA-formulier (/XFA)",
    "/GoToR": "een verwijzing naar een ander bestand (/GoToR)",
}
# Names that are harmless as a key but active as the value of /S (action type) or /Type.
_ALS_WAARDE = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/EmbeddedFile", "/RichMedia", "/GoToR"}
_HTML = re.compile(rb"<\s*(script|html|head|body|iframe|svg|!doctype|object|embed|meta|form|img)\b", re.IGNORECASE)
KOP = 1024


def _naam(waarde) -> str:
    return str(waarde) if waarde is not None else ""


def actieve_inhoud(data: bytes) -> set[str]:
    """The PDF names of active content in `data` (empty when it is only a document).

    Raises ValidationError when the file cannot be read as a PDF at all.
    """
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        wortels = [reader.trailer]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ValidationError(
            f"Deze PDF kan niet worden gelezen ({type(exc).__name__}); upload het bestand opnieuw."
        ) from None

    gevonden: set[str] = set()
    gezien: set[tuple[int, int]] = set()
    stapel = list(wortels)
    stappen = 0
    while stapel:
        stappen += 1
        if stappen > 500_000:  # a pathological file: refuse rather than hang
            raise ValidationError("Deze PDF is te complex om te controleren.")
        obj = stapel.pop()
        if isinstance(obj, IndirectObject):
            sleutel = (obj.idnum, obj.generation)
            if sleutel in gezien:
                continue
            gezien.add(sleutel)
            try:
                obj = obj.get_object()
            except Exception:  # noqa: BLE001 - a broken reference is skipped, like a viewer does
                continue
        if isinstance(obj, DictionaryObject):
            for sleutel, waarde in obj.items():
                if sleutel in ACTIEF:
                    gevonden.add(sleutel)
                if sleutel == "/Parent":
                    continue
                stapel.append(waarde)
            for veld in ("/S", "/Type"):
                waarde = _naam(obj.get(veld))
                if waarde in _ALS_WAARDE:
                    gevonden.add(waarde)
        elif isinstance(obj, ArrayObject):
            stapel.extend(obj)
    return gevonden


def controleer_scan(data: bytes) -> None:
    """ValidationError naming what was found when `data` is not a plain PDF document."""
    if not data.startswith(b"%PDF-"):
        raise ValidationError(
            "Dit bestand is geen PDF (de inhoud begint niet met %PDF-), wat de naam ook zegt. "
            "Upload de getekende overeenkomst als PDF."
        )
    if m := _HTML.search(data[:KOP]):
        raise ValidationError(
            f"Deze PDF bevat HTML (‘<{m[1].decode('ascii', 'replace')}’ in het begin van het bestand) en "
            "wordt daarom geweigerd. Scan het getekende papier opnieuw of sla het op als gewone PDF."
        )
    gevonden = actieve_inhoud(data)
    if gevonden:
        namen = sorted({ACTIEF[n] for n in gevonden})
        raise ValidationError(
            "Deze PDF bevat actieve inhoud en wordt daarom geweigerd: " + ", ".join(namen) + ". "
            "Een getekende scan heeft dat niet nodig; scan het papier opnieuw of ‘druk af als PDF’."
        )
