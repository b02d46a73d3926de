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
