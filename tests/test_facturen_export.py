"""The finance export and the per-year overview of invoices."""

import csv
import io
from decimal import Decimal

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest
from lxml import etree
from openpyxl import load_workbook

from facturen import documenten, overzicht, services
from facturen.models import Factuur

from .test_facturen import D, compleet, convenant, getekend, teken_alle, vul_platform31  # noqa: F401

pytestmark = pytest.mark.django_db

KOLOMMEN = ["factuurnummer", "factuurdatum", "vervaldatum", "gemeente", "cbs_code", "omschrijving",
            "bedrag_excl_btw", "btw_percentage", "btw_bedrag", "bedrag_incl_btw", "verrekening", "status",
            "betaald_op"]
NS = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
      "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"}


@pytest.fixture
def facturen_2024(compleet):  # noqa: F811
    services.factureer(compleet, 2024, factuurdatum=D(2024, 1, 10))
    return compleet


def export_csv(*extra) -> list[dict]:
    out = io.StringIO()
    call_command("exporteer_facturen", "--jaar", "2024", *extra, stdout=out, stderr=io.StringIO())
    tekst = out.getvalue()
    assert tekst.splitlines()[0] == ",".join(KOLOMMEN)
    return list(csv.DictReader(io.StringIO(tekst)))


def test_csv_kolommen_en_punt_decimalen(facturen_2024):
    rijen = export_csv()
    assert len(rijen) == 41
    d = next(r for r in rijen if r["gemeente"] == "Deventer")
    assert d["bedrag_excl_btw"] == "15216.90" and d["btw_bedrag"] == "3195.55" and d["bedrag_incl_btw"] == "18412.45"
    assert d["btw_percentage"] == "21.00" and d["factuurdatum"] == "2024-01-10" and d["vervaldatum"] == "2024-02-09"
    assert d["cbs_code"] == "GM0150" and d["status"] == "concept" and d["betaald_op"] == ""


def test_export_pdf_en_e_factuur_dezelfde_bedragen(facturen_2024):
    """Done-when: the PDF and the e-invoice carry the same amounts as the export, for every invoice."""
    rijen = {r["factuurnummer"]: r for r in export_csv()}
    for f in Factuur.objects.filter(jaar=2024).prefetch_related("regels"):
        xml = etree.fromstring(documenten.ubl(f))
        r = rijen[f.nummer]
        def tekst(pad, xml=xml):
            return xml.xpath(pad, namespaces=NS)[0].text
        assert tekst("//cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount") == r["bedrag_excl_btw"]
        assert tekst("//cac:TaxTotal/cbc:TaxAmount") == r["btw_bedrag"]
        assert tekst("//cac:LegalMonetaryTotal/cbc:PayableAmount") == r["bedrag_incl_btw"]
        html = documenten.html(f)
        from convenant.formatting import euro
        for kolom in ("bedrag_excl_btw", "btw_bedrag", "bedrag_incl_btw"):
            assert euro(Decimal(r[kolom])) in html


def test_xlsx_echte_getallen(facturen_2024, tmp_path):
    pad = tmp_path / "f.xlsx"
    call_command("exporteer_facturen", "--jaar", "2024", "--format", "xlsx", "--out", str(pad),
                 stdout=io.StringIO(), stderr=io.StringIO())
    ws = load_workbook(pad).active
    kop = [c.value for c in ws[1]]
    assert kop == KOLOMMEN
    rij = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[3] == "Deventer")
    assert isinstance(rij[6], float | int) and rij[6] == pytest.approx(15216.90)
    assert rij[9] == pytest.approx(18412.45)


def test_creditnota_negatief_en_verrekening_in_eigen_kolom(facturen_2024):
    f = Factuur.objects.get(jaar=2024, gemeente__naam="Deventer")
    services.verzend(f, D(2024, 1, 11))
    services.crediteer(f, D(2024, 2, 1))
    rijen = export_csv()
    assert len(rijen) == 43
    credit = next(r for r in rijen if r["omschrijving"].startswith("Creditering"))
    assert credit["bedrag_incl_btw"] == "-18412.45"
    assert sum(Decimal(r["bedrag_incl_btw"]) for r in rijen if r["gemeente"] == "Deventer") == Decimal("18412.45")


def test_formules_worden_geneutraliseerd(facturen_2024, tmp_path):
    f = Factuur.objects.get(jaar=2024, gemeente__naam="Deventer")
    Factuur.objects.filter(pk=f.pk).update(omschrijving='=HYPERLINK("http://x","klik")')
    Factuur.objects.filter(gemeente__naam="Zwolle", jaar=2024).update(omschrijving="@SUM(A1)")
    rijen = export_csv()
    assert next(r for r in rijen if r["gemeente"] == "Deventer")["omschrijving"] == "'=HYPERLINK(\"http://x\",\"klik\")"
    assert next(r for r in rijen if r["gemeente"] == "Zwolle")["omschrijving"] == "'@SUM(A1)"
    pad = tmp_path / "f.xlsx"
    call_command("exporteer_facturen", "--jaar", "2024", "--format", "xlsx", "--out", str(pad),
                 stdout=io.StringIO(), stderr=io.StringIO())
    cel = next(r for r in load_workbook(pad).active.iter_rows(min_row=2) if r[3].value == "Deventer")[5]
    assert cel.data_type == "s" and cel.value.startswith("'=")


def test_xlsx_zonder_out_geweigerd(facturen_2024):
    with pytest.raises(CommandError, match="--out"):
        call_command("exporteer_facturen", "--jaar", "2024", "--format", "xlsx", stdout=io.StringIO())


def test_stand_per_jaar(facturen_2024):
    fs = list(Factuur.objects.filter(jaar=2024, gemeente__naam__in=["Deventer", "Zwolle"]).order_by("gemeente__naam"))
    for f in fs:
        f.gemeente.plaats = f.gemeente.plaats or f.gemeente.naam
        f.gemeente.adres = f.gemeente.adres or "Stadhuis"
        f.gemeente.save()
        services.verzend(f, D(2024, 1, 11))
    services.registreer_betaling(fs[0], D(2024, 2, 1))
    tabel = overzicht.stand_per_jaar(vandaag=D(2024, 3, 1))
    r = tabel.rijen[0]
    assert r["jaar"] == 2024 and r["aantal"] == 41
    assert r["gefactureerd"] == fs[0].bedrag_incl_btw + fs[1].bedrag_incl_btw
    assert r["betaald"] == fs[0].bedrag_incl_btw
    assert r["openstaand"] == r["vervallen"] == fs[1].bedrag_incl_btw
    assert [f.pk for f in overzicht.vervallen_facturen(vandaag=D(2024, 3, 1))] == [fs[1].pk]
    assert r["concept"] == sum(f.bedrag_excl_btw for f in Factuur.objects.filter(status="concept"))
