"""The cheaper layout gives the same pages.

- Every agreement rendered with the old template (flex clause rows, kept in
  tests/pdf_oud/) and the current one, compared pixel for pixel as PNG (poppler's
  pdftoppm at 50 DPI; 100 DPI was checked by hand when the layout changed and was
  identical too).
- The invoice's address blocks as floats and as the earlier flex row (41
  invoices, 100 DPI).
- Every concept agreement with its dotted blanks drawn by WeasyPrint's generic
  path and by the cheaper stroke of `convenant.pdf_randen`, compared pixel for
  pixel at 150 DPI. (At 200 and 300 DPI poppler's anti-aliasing of a stroked
  round cap and a filled Bézier circle differs in a handful of edge pixels per
  page; at 150 DPI not one pixel differs.)
"""

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
from convenant import pdf_randen
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


def paginas(data: bytes, dpi: int = DPI) -> list[Image.Image]:
    with tempfile.TemporaryDirectory(prefix="g40-layout-") as map_:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-", f"{map_}/p"], input=data, check=True, timeout=60)
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


def test_stijl_eenmaal_geparst_geeft_dezelfde_paginas_als_inline(referentiedata, settings):
    """The engine lifts the documents' <style> out and applies it pre-parsed; same pages as WeasyPrint inline."""
    from django.utils import timezone

    from weasyprint import HTML

    from convenant.models import Convenant
    from overeenkomsten.bijlage import bijlage3

    engine.voorbereiden()  # both renders below with the same drawing of the blanks
    qs = Samenwerkingsovereenkomst.objects.filter(convenant__slug="2023-2027")
    htmls = [d.html for d in pdf.maak_documenten(qs.filter(gemeente__naam__in=["Deventer", "Almere"]))]
    htmls.append(engine.render_html("overeenkomsten/bijlage3.html", {
        "b": bijlage3(Convenant.objects.get(slug="2023-2027")), "stand": timezone.localdate()}))
    merk = '<div class="concept-merk">'
    assert any(merk in h for h in htmls) and any(merk not in h for h in htmls)
    for html in htmls:
        inline = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=engine._fetcher()).write_pdf()
        via_engine = engine.html_naar_pdf(html, cache=False)
        a, b = paginas(inline), paginas(via_engine)
        assert len(a) == len(b)
        assert all(ImageChops.difference(x, y).getbbox() is None for x, y in zip(a, b, strict=True))


def test_stippellijn_van_de_lege_velden_geeft_dezelfde_paginas(referentiedata):
    """All 41 concept agreements: WeasyPrint's own dotted border and pdf_randen's stroke, pixel for pixel."""
    qs = Samenwerkingsovereenkomst.objects.filter(convenant__slug="2023-2027")
    htmls = [d.html for d in pdf.maak_documenten(qs)]
    assert len(htmls) == 41
    assert sum('class="leeg"' in h for h in htmls) >= 40  # all but the complete Deventer have blanks
    engine.voorbereiden()
    with pdf_randen.uitgeschakeld():
        generiek = engine.render_veel(htmls, cache=False)
    snel = engine.render_veel(htmls, cache=False)
    # The cheap path was taken: per dot four Bézier curves less, so a much smaller file.
    assert sum(map(len, snel)) < 0.6 * sum(map(len, generiek))

    with ThreadPoolExecutor(max_workers=4) as pool:
        a = list(pool.map(lambda d: paginas(d, 150), generiek))
        b = list(pool.map(lambda d: paginas(d, 150), snel))
    verschillen = []
    for i, (x, y) in enumerate(zip(a, b, strict=True), start=1):
        if len(x) != len(y):
            verschillen.append(f"document {i}: {len(x)} tegen {len(y)} pagina's")
            continue
        verschillen += [f"document {i}, pagina {nr}" for nr, (p, q) in enumerate(zip(x, y, strict=True), start=1)
                        if p.size != q.size or ImageChops.difference(p, q).getbbox() is not None]
    assert verschillen == []


FACTUUR_FLEX = (".partijen { display: flex; justify-content: space-between; margin-bottom: 10mm; }\n"
                ".partijen div { width: 48%; }")


def test_factuur_zonder_flex_geeft_dezelfde_paginas(referentiedata):
    """The invoice's two address blocks: floats in a flow root, the same pages as the earlier flex row."""
    from facturen import documenten, services
    from facturen.models import Factuurgegevens

    from .test_facturen import D, teken_alle, vul_platform31

    teken_alle()
    vul_platform31()
    conv = Samenwerkingsovereenkomst.objects.filter(convenant__slug="2023-2027").first().convenant
    # One with every optional address line (t.a.v., Peppol id), the others as they come.
    deventer = conv.overeenkomsten.get(gemeente__naam="Deventer").gemeente
    Factuurgegevens.objects.create(gemeente=deventer, factuuradres="Postbus 5000", postcode="7400 GC",
                                   t_a_v="Crediteuren", referentie="G40-bijdrage", peppol_id="00000001001234567000")
    facturen = services.factureer(conv, 2024, factuurdatum=D(2024, 1, 10)).nieuw
    assert len(facturen) == 41
    nieuw = [documenten.html(f) for f in facturen]
    assert "display: flex" not in nieuw[0]
    regel = re.search(r"\.partijen \{[^}]*\}\n\.partijen div \{[^}]*\}\n\.partijen div \+ div \{[^}]*\}\n"
                      r"\.partijen::after \{[^}]*\}", nieuw[0])
    assert regel, "the invoice's .partijen rules changed: update this test's reference"
    oud = [h.replace(regel.group(0), FACTUUR_FLEX) for h in nieuw]
    assert all("display: flex" in h for h in oud)

    data = engine.render_veel(oud + nieuw, cache=False)
    with ThreadPoolExecutor(max_workers=4) as pool:
        beelden = list(pool.map(lambda d: paginas(d, 100), data))
    verschillen = []
    for f, a, b in zip(facturen, beelden[:41], beelden[41:], strict=True):
        if len(a) != len(b) or any(x.size != y.size or ImageChops.difference(x, y).getbbox()
                                   for x, y in zip(a, b, strict=True)):
            verschillen.append(f.gemeente.naam)
    assert verschillen == []
