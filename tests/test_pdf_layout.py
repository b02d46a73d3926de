"""The cheaper layout gives the same pages: every agreement rendered with the old
template (flex clause rows, kept in tests/pdf_oud/) and the current one, compared
pixel for pixel as PNG (poppler's pdftoppm at 50 DPI; 100 DPI was checked by hand
when the layout changed and was identical too)."""

import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.template import engines
from django.utils import translation

import pytest
from PIL import Image, ImageChops

from convenant import pdf as engine
from overeenkomsten import pdf
from overeenkomsten.models import Samenwerkingsovereenkomst

OUD = Path(__file__).parent / "pdf_oud" / "overeenkomst_2023-2027_flex.html"
DPI = 50

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) ontbreekt"),
]


def oud_sjabloon(slug: str):
    bron = OUD.read_text(encoding="utf-8")
    if slug == "2019-2022":
        # The 2019 template only overrides this block of the 2023 one.
        nieuw = (Path(__file__).parent.parent / "templates/overeenkomsten/overeenkomst_2019-2022.html").read_text()
        blok = re.search(r"{% block artikel_2_1 %}.*?{% endblock %}", nieuw, re.S).group(0)
        bron, n = re.subn(r"{% block artikel_2_1 %}.*?{% endblock %}", lambda m: blok, bron, flags=re.S)
        assert n == 1
    return engines["django"].from_string(bron)


def paginas(data: bytes) -> list[Image.Image]:
    with tempfile.TemporaryDirectory(prefix="g40-layout-") as map_:
        subprocess.run(["pdftoppm", "-r", str(DPI), "-png", "-", f"{map_}/p"], input=data, check=True, timeout=60)
        return [Image.open(p).convert("RGB") for p in sorted(Path(map_).glob("p*.png"))]


# All 41 of the current convenant; of 2019-2022 (the same template but one block) a sample.
@pytest.mark.parametrize(("slug", "aantal"), [("2023-2027", 41), ("2019-2022", 6)])
def test_nieuwe_opmaak_geeft_dezelfde_paginas(referentiedata, slug, aantal):
    alle = list(pdf.overeenkomsten_voor_pdf(Samenwerkingsovereenkomst.objects.filter(convenant__slug=slug)))
    overeenkomsten = alle[:: max(1, len(alle) // aantal)][:aantal]
    assert len(overeenkomsten) == aantal
    oud = oud_sjabloon(slug)
    assert "display: flex" in OUD.read_text() and "display: flex" not in pdf.render_html(
        pdf.sjabloon(overeenkomsten[0]), pdf.context_overeenkomst(overeenkomsten[0]))

    oude_html, nieuwe_html = [], []
    for ov in overeenkomsten:
        context = pdf.context_overeenkomst(ov, len(alle))
        nieuwe_html.append(pdf.render_html(pdf.sjabloon(ov), context))
        with translation.override("nl"):
            oude_html.append(oud.render(context))
    data = engine.render_veel(oude_html + nieuwe_html, cache=False)
    with ThreadPoolExecutor(max_workers=4) as pool:
        beelden = list(pool.map(paginas, data))
    oude, nieuwe = beelden[:len(overeenkomsten)], beelden[len(overeenkomsten):]

    verschillen = []
    for ov, a, b in zip(overeenkomsten, oude, nieuwe, strict=True):
        if len(a) != len(b):
            verschillen.append(f"{ov.gemeente}: {len(a)} tegen {len(b)} pagina's")
            continue
        for nr, (x, y) in enumerate(zip(a, b, strict=True), start=1):
            if x.size != y.size or ImageChops.difference(x, y).getbbox() is not None:
                verschillen.append(f"{ov.gemeente}, pagina {nr}")
    assert verschillen == []
    assert sum(len(a) for a in oude) >= len(overeenkomsten)  # there was something to compare
