import io

import pytest
from pypdf import PdfReader

from convenant import pdf


def test_pdf_huisstijl_rendert_en_haalt_niets_van_buiten(tmp_path, settings):
    html = (
        '<html><head><style>{}</style></head><body><h1>Proef</h1>'
        '<img src="https://example.org/x.png"><p>’s-Hertogenbosch één € 15.216,90</p></body></html>'
    ).format(open(settings.BASE_DIR / "templates/pdf/huisstijl.css").read())
    data = pdf.html_naar_pdf(html)
    assert data.startswith(b"%PDF")
    tekst = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "’s-Hertogenbosch één € 15.216,90" in tekst
    assert "pagina 1 van 1" in tekst


def test_fetcher_weigert_externe_en_bestanden_buiten_project(settings):
    fetcher = pdf._fetcher_class()()
    with pytest.raises(ValueError):
        fetcher.fetch("https://example.org/x.css")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")


def _diep(n, f):
    """f() called n frames deeper than here."""
    return f() if n == 0 else _diep(n - 1, f)


def test_render_op_eigen_draad_ongeacht_de_diepte_van_de_aanroep(monkeypatch):
    """Every render runs on a fresh thread, so at the same call depth wherever it is called from (see _render)."""
    import inspect
    import threading

    gezien = []
    echt = pdf._render_hier

    def meet(html, stylesheets, opties):
        gezien.append((threading.current_thread().name, len(inspect.stack(0))))
        return echt(html, stylesheets, opties)

    monkeypatch.setattr(pdf, "_render_hier", meet)
    html = "<!DOCTYPE html><html><body><p>Diepte</p></body></html>"
    for diepte in (0, 17, 55):
        assert _diep(diepte, lambda: pdf.html_naar_pdf(html, cache=False)).startswith(b"%PDF")
    assert {naam for naam, _ in gezien} == {"pdf-render"}
    assert len({stapel for _, stapel in gezien}) == 1  # the same depth each time


def test_fout_in_de_render_komt_bij_de_aanroeper(monkeypatch):
    def kapot(*args):
        raise ValueError("lettertype ontbreekt")

    monkeypatch.setattr(pdf, "_render_hier", kapot)
    with pytest.raises(ValueError, match="lettertype ontbreekt"):
        pdf.html_naar_pdf("<p>x</p>", cache=False)
