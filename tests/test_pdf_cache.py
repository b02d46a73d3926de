"""The engine's content cache: same input → no new render; changed data → a new PDF."""

import io
import os
import time

from django.core.management import call_command

import pytest
from pypdf import PdfReader

from convenant import pdf as engine
from overeenkomsten import pdf
from overeenkomsten.models import Samenwerkingsovereenkomst

HTML = "<html><head><style>{css}</style></head><body><h1>{titel}</h1><p>{tekst}</p></body></html>"


def tekst_van(data: bytes) -> str:
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def renders() -> int:
    return engine.statistiek["renders"]


def deventer():
    return pdf.overeenkomsten_voor_pdf(Samenwerkingsovereenkomst.objects.filter(
        convenant__slug="2023-2027", gemeente__naam="Deventer")).get()


def test_cache_staat_per_test_in_tmp(tmp_path):
    assert engine.cache_map() == tmp_path / "pdf-cache"


@pytest.mark.django_db
def test_naam_vertegenwoordiger_gewijzigd_geeft_nieuwe_pdf_ongewijzigd_uit_cache(referentiedata):
    ov = deventer()
    begin = renders()
    eerste = pdf.render_overeenkomst_pdf(ov, definitief=True)
    assert renders() == begin + 1
    assert "R.C. König" in tekst_van(eerste)

    # Unchanged (fresh from the database): no new layout, byte-identical.
    tweede = pdf.render_overeenkomst_pdf(deventer(), definitief=True)
    assert renders() == begin + 1
    assert tweede == eerste

    ov = deventer()
    ov.vertegenwoordiger = "A.B. Nieuwenhuis"
    ov.save()
    derde = pdf.render_overeenkomst_pdf(deventer(), definitief=True)
    assert renders() == begin + 2
    tekst = tekst_van(derde)
    assert "A.B. Nieuwenhuis" in tekst
    assert "König" not in tekst

    # And the name in the view over HTTP (the same engine) too.
    pdf.render_overeenkomst_pdf(deventer(), definitief=True)
    assert renders() == begin + 2


def test_beschadigd_bestand_wordt_weggegooid_en_opnieuw_gerenderd():
    html = HTML.format(css="", titel="Beschadigd", tekst="eerste inhoud")
    data = engine.html_naar_pdf(html)
    pad = engine._pad(engine.cache_sleutel(html))
    assert pad.is_file()
    ruw = bytearray(pad.read_bytes())
    ruw[-20] ^= 0xFF  # one flipped byte in the PDF
    pad.write_bytes(bytes(ruw))

    begin = renders()
    opnieuw = engine.html_naar_pdf(html)
    assert renders() == begin + 1
    assert opnieuw == data
    assert engine.statistiek["beschadigd"] >= 1
    # The fresh render replaced the damaged entry.
    assert engine.cache_lees(engine.cache_sleutel(html)) == data


def test_afgekapt_of_zonder_kop_is_ook_beschadigd():
    html = HTML.format(css="", titel="Afgekapt", tekst="x")
    engine.html_naar_pdf(html)
    pad = engine._pad(engine.cache_sleutel(html))
    pad.write_bytes(pad.read_bytes()[:200])
    assert engine.cache_lees(engine.cache_sleutel(html)) is None
    assert not pad.exists()
    pad.parent.mkdir(parents=True, exist_ok=True)
    pad.write_bytes(b"%PDF-1.7 zomaar iets")
    assert engine.cache_lees(engine.cache_sleutel(html)) is None


def test_sleutel_hangt_af_van_html_stijl_opties_fonts_en_versie(monkeypatch):
    html = HTML.format(css="", titel="Sleutel", tekst="x")
    basis = engine.cache_sleutel(html)
    assert engine.cache_sleutel(html) == basis
    assert engine.cache_sleutel(html + " ") != basis
    assert engine.cache_sleutel(html, stylesheets=("p { color: red }",)) != basis
    assert engine.cache_sleutel(html, opties={"pdf_variant": "pdf/a-3b"}) != basis
    monkeypatch.setattr(engine, "_font_vingerafdruk", "ander lettertype")
    assert engine.cache_sleutel(html) != basis
    monkeypatch.undo()
    import weasyprint

    monkeypatch.setattr(weasyprint, "__version__", "0.0-proef")
    assert engine.cache_sleutel(html) != basis


def test_verwezen_lokaal_bestand_hoort_bij_de_sleutel(settings, tmp_path):
    # A local image the HTML refers to: its content is part of the key.
    map_ = settings.BASE_DIR / "var" / "test-sleutel"
    map_.mkdir(parents=True, exist_ok=True)
    bestand = map_ / f"plaatje-{os.getpid()}.svg"
    try:
        bestand.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
        html = f'<html><body><img src="var/test-sleutel/{bestand.name}"></body></html>'
        eerst = engine.cache_sleutel(html)
        bestand.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"/>')
        assert engine.cache_sleutel(html) != eerst
    finally:
        bestand.unlink(missing_ok=True)


def test_grens_verwijdert_minst_recent_gebruikte(settings):
    htmls = [HTML.format(css="", titel=f"Document {i}", tekst="x" * 50) for i in range(3)]
    groottes = []
    for i, html in enumerate(htmls):
        engine.html_naar_pdf(html)
        pad = engine._pad(engine.cache_sleutel(html))
        groottes.append(pad.stat().st_size)
        os.utime(pad, (time.time() - 100 + i, time.time() - 100 + i))  # 0 oldest, 2 newest
    # Read document 0: now it is the most recently used, 1 is the least.
    assert engine.cache_lees(engine.cache_sleutel(htmls[0])) is not None
    settings.PDF_CACHE_MAX_BYTES = sum(groottes) + max(groottes) // 2
    nieuw = HTML.format(css="", titel="Document 3", tekst="x" * 50)
    engine.html_naar_pdf(nieuw)
    aanwezig = [engine._pad(engine.cache_sleutel(h)).exists() for h in htmls]
    assert aanwezig == [True, False, True]
    assert engine._pad(engine.cache_sleutel(nieuw)).exists()
    assert sum(g for _, g, _ in engine.cache_inhoud()) <= settings.PDF_CACHE_MAX_BYTES


def test_grens_nul_zet_de_cache_uit(settings):
    settings.PDF_CACHE_MAX_BYTES = 0
    html = HTML.format(css="", titel="Uit", tekst="x")
    begin = renders()
    engine.html_naar_pdf(html)
    engine.html_naar_pdf(html)
    assert renders() == begin + 2
    assert engine.cache_inhoud() == []


def test_leeg_pdf_cache(capsys):
    for i in range(2):
        engine.html_naar_pdf(HTML.format(css="", titel=f"Leeg {i}", tekst="x"))
    assert len(engine.cache_inhoud()) == 2
    call_command("leeg_pdf_cache")
    assert engine.cache_inhoud() == []
    assert "PDF-cache geleegd: 2 bestand(en)" in capsys.readouterr().out


@pytest.mark.django_db
def test_render_veel_leest_cache_en_rendert_alleen_de_rest(referentiedata):
    qs = Samenwerkingsovereenkomst.objects.filter(convenant__slug="2023-2027")
    htmls = [d.html for d in pdf.maak_documenten(qs)][:4]
    engine.html_naar_pdf(htmls[0])
    voortgang = []
    data = engine.render_veel(htmls, processen=2, voortgang=lambda k, t: voortgang.append((k, t)))
    assert [d[:5] for d in data] == [b"%PDF-"] * 4
    assert voortgang[-1] == (4, 4)
    assert all(engine._pad(engine.cache_sleutel(h)).exists() for h in htmls)  # written by the workers
    begin = renders()
    assert engine.render_veel(htmls, processen=2) == data
    assert renders() == begin
