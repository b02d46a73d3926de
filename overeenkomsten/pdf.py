"""The per-city agreement as a PDF: from the data to the text the city signs.

Flow: `context_overeenkomst` gathers every value the text needs from the
agreement, its municipality and its convenant (nothing contractual lives in the
template); `ontbrekende_velden` says what is still missing; the template of the
convenant's `sjabloon` turns that into HTML, `convenant.pdf` into PDF.

An agreement that misses data renders as a CONCEPT with the blanks shown; asking
for the final version of such an agreement raises `OntbrekendeGegevens`, which
names every missing field.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery

from convenant import formatting
from convenant.pdf import html_naar_pdf, render_html, render_veel  # noqa: F401  render_veel: used by callers
from convenant.rules import opzegtermijn_maanden

from .models import Samenwerkingsovereenkomst

GETALWOORDEN = {
    1: "één", 2: "twee", 3: "drie", 4: "vier", 5: "vijf", 6: "zes",
    7: "zeven", 8: "acht", 9: "negen", 10: "tien", 11: "elf", 12: "twaalf",
}

# What the document is called under each convenant's text (Sjabloon).
SOORT = {"2023-2027": "samenwerkingsovereenkomst", "2019-2022": "uitvoeringsovereenkomst"}

# Which of the agreement's own fields the final text cannot do without.
VERPLICHT_OVEREENKOMST = ["vertegenwoordiger", "vertegenwoordiger_functie", "collegebesluit_op"]


class OntbrekendeGegevens(ValidationError):
    """The final version was asked for, but the agreement still lacks data."""

    def __init__(self, overeenkomst, velden: list[str]):
        self.overeenkomst = overeenkomst
        self.velden = velden
        super().__init__(
            f"De definitieve overeenkomst voor {overeenkomst.gemeente} kan nog niet worden "
            f"gemaakt. Vul eerst in: {', '.join(velden)}."
        )


# What the final text needs from the municipality itself (columns of importeer_gemeentegegevens).
VERPLICHT_GEMEENTE = ["adres", "plaats"]


def ontbrekende_kolommen(ov: Samenwerkingsovereenkomst) -> list[str]:
    """The per-city fields the final text still lacks, by the column names of the imports.

    Agreement fields (vertegenwoordiger, vertegenwoordiger_functie,
    collegebesluit_op) are columns of the register import, municipality fields
    (adres, plaats) of importeer_gemeentegegevens.
    """
    return ([naam for naam in VERPLICHT_OVEREENKOMST if not getattr(ov, naam)]
            + [naam for naam in VERPLICHT_GEMEENTE if not getattr(ov.gemeente, naam)])


def ontbrekende_velden(ov: Samenwerkingsovereenkomst) -> list[str]:
    """Dutch names of every field the final text needs and does not have yet."""
    kolommen = ontbrekende_kolommen(ov)
    ontbrekend = [
        Samenwerkingsovereenkomst._meta.get_field(naam).verbose_name
        for naam in VERPLICHT_OVEREENKOMST
        if naam in kolommen
    ]
    gemeente = ov.gemeente
    if "adres" in kolommen:
        ontbrekend.append(f"adres van de gemeente {gemeente.naam}")
    if "plaats" in kolommen:
        ontbrekend.append(f"vestigingsplaats van de gemeente {gemeente.naam}")
    p31 = ov.convenant.vertegenwoordiger_platform31
    if not p31.functie:
        ontbrekend.append(f"functie van {p31.naam} (vertegenwoordiger Platform31)")
    platform31 = ov.convenant.platform31
    if not (platform31.adres and platform31.plaats):
        ontbrekend.append("adres van Platform31")
    return ontbrekend


def functie_kop(functie: str) -> str:
    """'directeur-bestuurder' → 'Directeur-Bestuurder', as under the signature."""
    return "-".join(deel[:1].upper() + deel[1:] for deel in functie.split("-"))


@dataclass(frozen=True)
class Document:
    bestandsnaam: str
    html: str
    concept: bool
    ontbrekend: tuple[str, ...]


def bestandsnaam(ov: Samenwerkingsovereenkomst) -> str:
    return f"samenwerkingsovereenkomst-{ov.convenant.slug}-{ov.gemeente.slug}.pdf"


def context_overeenkomst(ov: Samenwerkingsovereenkomst, aantal_gemeenten: int | None = None) -> dict:
    convenant = ov.convenant
    if aantal_gemeenten is None:
        aantal_gemeenten = getattr(ov, "aantal_in_convenant", None)
    if aantal_gemeenten is None:
        aantal_gemeenten = convenant.overeenkomsten.count()
    ontbrekend = ontbrekende_velden(ov)
    maanden = opzegtermijn_maanden(convenant.opzeggen_voor_maand, convenant.opzeggen_voor_dag)
    p31 = convenant.vertegenwoordiger_platform31
    return {
        "ov": ov,
        "convenant": convenant,
        "gemeente": ov.gemeente,
        "platform31": convenant.platform31,
        "vertegenwoordiger_platform31": p31,
        "functie_platform31_kop": functie_kop(p31.functie),
        "aantal_gemeenten": aantal_gemeenten,
        "opzeggen_voor": formatting.dag_maand(convenant.opzeggen_voor_maand, convenant.opzeggen_voor_dag),
        "opzegtermijn": GETALWOORDEN.get(maanden, str(maanden)),
        "opgemaakt_te": ov.ondertekend_te or ov.gemeente.plaats,
        # A city that joins during the convenant (2019–2022 art. 9): its own start date.
        "toetreding": ov.begint_op != convenant.ingangsdatum,
        "concept": bool(ontbrekend),
        "ontbrekend": ontbrekend,
        "soort": SOORT[convenant.sjabloon],
        "documenttitel": f"{SOORT[convenant.sjabloon].capitalize()} {ov.gemeente.naam}",
    }


def sjabloon(ov: Samenwerkingsovereenkomst) -> str:
    return f"overeenkomsten/overeenkomst_{ov.convenant.sjabloon}.html"


def maak_document(ov: Samenwerkingsovereenkomst, definitief: bool = False) -> Document:
    """The agreement's HTML; `definitief=True` refuses an incomplete agreement."""
    context = context_overeenkomst(ov)
    if definitief and context["ontbrekend"]:
        raise OntbrekendeGegevens(ov, context["ontbrekend"])
    return Document(
        bestandsnaam=bestandsnaam(ov),
        html=render_html(sjabloon(ov), context),
        concept=context["concept"],
        ontbrekend=tuple(context["ontbrekend"]),
    )


def render_overeenkomst_pdf(ov: Samenwerkingsovereenkomst, definitief: bool = False) -> bytes:
    return html_naar_pdf(maak_document(ov, definitief).html)


class GeenVoorbeeld(Exception):
    """The first page cannot be shown as an image on this machine."""


def eerste_pagina_png_mogelijk() -> bool:
    return shutil.which("pdftoppm") is not None


def eerste_pagina_png(data: bytes, dpi: int = 80) -> bytes:
    """The first page of a PDF as PNG, by poppler's pdftoppm (installed by the project's setup)."""
    if not eerste_pagina_png_mogelijk():
        raise GeenVoorbeeld("pdftoppm (poppler-utils) is niet geïnstalleerd; open de PDF zelf.")
    with tempfile.TemporaryDirectory(prefix="g40-voorbeeld-") as map_:
        uit = Path(map_) / "pagina"
        try:
            subprocess.run(
                ["pdftoppm", "-f", "1", "-l", "1", "-r", str(dpi), "-png", "-singlefile", "-", str(uit)],
                input=data, capture_output=True, timeout=30, check=True,
            )
            return uit.with_suffix(".png").read_bytes()
        except (subprocess.SubprocessError, OSError) as fout:
            raise GeenVoorbeeld(f"De voorbeeldafbeelding kon niet worden gemaakt: {fout}") from fout


def overeenkomsten_voor_pdf(queryset):
    """The queryset with everything the text needs in one query (the number of cities included)."""
    aantal = (Samenwerkingsovereenkomst.objects.filter(convenant=OuterRef("convenant"))
              .order_by().values("convenant").annotate(n=Count("pk")).values("n"))
    return queryset.select_related(
        "gemeente", "convenant__g40", "convenant__platform31", "convenant__vertegenwoordiger_platform31",
    ).annotate(aantal_in_convenant=Subquery(aantal)).order_by("convenant__slug", "gemeente__naam")


def maak_documenten(queryset, definitief: bool = False) -> list[Document]:
    """HTML for many agreements. With `definitief`, all must be complete or none is made."""
    overeenkomsten = list(overeenkomsten_voor_pdf(queryset))  # each with its convenant's number of cities
    if definitief:
        fouten = [OntbrekendeGegevens(ov, velden) for ov in overeenkomsten
                  if (velden := ontbrekende_velden(ov))]
        if fouten:
            raise ValidationError([f.messages[0] for f in fouten])
    return [maak_document(ov, definitief) for ov in overeenkomsten]
