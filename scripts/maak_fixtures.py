"""Regenerate the JSON fixtures in fixtures/ from fixtures/g40_gemeenten.csv.

The CSV is the CBS-sourced member list (see its README in the shared data);
the convenant facts come from the signed documents. Run after changing either:

    python scripts/maak_fixtures.py
"""

import csv
import json
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
sys.path.insert(0, str(ROOT))

from convenant.rules import jaarbedrag  # noqa: E402

CBS_BRON = "CBS StatLine 03759ned / 37230ned, bevolking op 1 januari"


def slugify(naam: str) -> str:
    from django.utils.text import slugify as dj

    return dj(naam.replace("'", ""))


def dump(name, objects):
    path = FIXTURES / name
    path.write_text(json.dumps(objects, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{path.relative_to(ROOT)}: {len(objects)} objecten")


def convenant_fixture():
    org = [
        {"model": "convenant.organisatie", "fields": {
            "naam": "Platform31", "statutaire_naam": "Stichting Platform31",
            "adres": "Koningin Julianaplein 10 (7e verdieping)", "plaats": "Den Haag",
            "rechtspersoon": True}},
        {"model": "convenant.organisatie", "fields": {
            "naam": "G40-Stedennetwerk", "statutaire_naam": "G40-Stedennetwerk",
            "adres": "", "plaats": "", "rechtspersoon": False}},
    ]
    personen = [
        ("V. Everhardt", "de heer", "directeur-bestuurder", "directeur_platform31", "Platform31"),
        ("P. Depla", "de heer", "voorzitter van het Dagelijks Bestuur", "voorzitter_g40", "G40-Stedennetwerk"),
        ("H. Karakus", "de heer", "algemeen directeur", "directeur_platform31", "Platform31"),
        ("F. Crone", "de heer", "voorzitter van het Dagelijks Bestuur", "voorzitter_g40", "G40-Stedennetwerk"),
        ("Genie Hendriks", "", "secretaris G40", "secretaris_g40", "G40-Stedennetwerk"),
        ("Anjel Punte", "", "relatiemanager G40", "relatiemanager", "Platform31"),
    ]
    # The contacts named in the letter of 21 December 2022 (seed 000, lines 123-125).
    emails = {"Genie Hendriks": "ej.hendriks@breda.nl", "Anjel Punte": "anjel.punte@platform31.nl"}
    pers = [
        {"model": "convenant.persoon", "fields": {
            "naam": n, "aanhef": a, "functie": f, "rol": r, "organisatie": [o],
            "email": emails.get(n, ""),
            "actief": n not in ("H. Karakus", "F. Crone")}}
        for n, a, f, r, o in personen
    ]
    convenanten = [
        {"model": "convenant.convenant", "fields": {
            "slug": "2019-2022",
            "titel": "Convenant G40-Stedennetwerk en Platform31: samenwerken aan aantrekkelijke "
                     "en krachtige steden, 2019 t/m 2022",
            "korte_titel": "Samenwerken aan Aantrekkelijke en Krachtige Steden, 2019 t/m 2022",
            "platform31": ["Platform31"], "g40": ["G40-Stedennetwerk"],
            "vertegenwoordiger_platform31": ["H. Karakus"], "vertegenwoordiger_g40": ["F. Crone"],
            "secretaris_g40": None, "relatiemanager": None,
            "ondertekend_te": "Arnhem", "ondertekend_op": "2018-09-27",
            "ingangsdatum": "2019-01-01", "einddatum": "2022-12-31",
            # seed 000: "Zoals eerder afgesproken is de looptijd van het huidige convenant
            # verlengd tot 1 maart 2023"; the agreements' own text ends on 31 December 2022.
            "verlengd_tot": "2023-02-28",
            "bijdrage_per_inwoner": "0.13", "peildatum": "2018-01-01",
            # No source gives a target date for the 2019–2022 agreements.
            "streefdatum_overeenkomsten": None,
            "opzeggen_voor_maand": 9, "opzeggen_voor_dag": 1, "sjabloon": "2019-2022"}},
        {"model": "convenant.convenant", "fields": {
            "slug": "2023-2027",
            "titel": "Convenant Stedennetwerk G40 en Platform31 ‘Samenwerken aan aantrekkelijke "
                     "en krachtige steden, 2023 t/m 2027’",
            "korte_titel": "Samenwerken aan Aantrekkelijke en Krachtige Steden, 2023 t/m 2027",
            "platform31": ["Platform31"], "g40": ["G40-Stedennetwerk"],
            "vertegenwoordiger_platform31": ["V. Everhardt"], "vertegenwoordiger_g40": ["P. Depla"],
            "secretaris_g40": ["Genie Hendriks"], "relatiemanager": ["Anjel Punte"],
            "ondertekend_te": "Den Haag", "ondertekend_op": "2022-12-19",
            "ingangsdatum": "2023-03-01", "einddatum": "2027-12-31",
            "bijdrage_per_inwoner": "0.15", "peildatum": "2022-01-01",
            "streefdatum_overeenkomsten": "2023-03-01",
            "opzeggen_voor_maand": 9, "opzeggen_voor_dag": 1, "sjabloon": "2023-2027"}},
    ]
    pijlers = [("Fysiek", 1), ("Economie en Werk", 2), ("Sociaal", 3)]
    thema = {
        "Fysiek": ["Duurzaamheid", "Woningmarkt", "Leefomgeving en stedelijke transformatie",
                   "Slimme bereikbaarheid"],
        "Economie en Werk": ["MKB en economische vernieuwing", "Vitale binnensteden en werklocaties",
                             "Sterke keten van participatie, leren, werken en ondernemen"],
        "Sociaal": ["Zorg, jeugd en onderwijs", "Armoede en schuldhulpverlening",
                    "Wonen, welzijn en zorg", "Vergunninghouders en asiel"],
        None: ["Interbestuurlijke samenwerking", "Gemeentefinanciën", "Europa", "Veiligheid"],
    }
    # "Raakt aan" as Bijlage 2 lists it (symmetric). Mentions of things that are no
    # themagroep ("Huisvesting van aandachtsgroepen", "Programma Stedelijke
    # Transformatie") are left out; "Financiën" is the themagroep Gemeentefinanciën.
    raakt = {
        "Duurzaamheid": ["Armoede en schuldhulpverlening", "Woningmarkt",
                         "Leefomgeving en stedelijke transformatie"],
        "Woningmarkt": ["Vitale binnensteden en werklocaties", "Leefomgeving en stedelijke transformatie",
                        "Duurzaamheid", "Wonen, welzijn en zorg", "Vergunninghouders en asiel",
                        "Armoede en schuldhulpverlening", "Zorg, jeugd en onderwijs",
                        "Gemeentefinanciën", "Interbestuurlijke samenwerking"],
        "Leefomgeving en stedelijke transformatie": [
            "Vitale binnensteden en werklocaties", "Duurzaamheid", "Woningmarkt",
            "Slimme bereikbaarheid", "Interbestuurlijke samenwerking", "Wonen, welzijn en zorg"],
        "Slimme bereikbaarheid": ["Vitale binnensteden en werklocaties",
                                  "Leefomgeving en stedelijke transformatie", "Duurzaamheid"],
        "Armoede en schuldhulpverlening": [
            "Sterke keten van participatie, leren, werken en ondernemen", "Duurzaamheid"],
        "Wonen, welzijn en zorg": ["Woningmarkt"],
    }
    pij = [{"model": "convenant.pijler", "fields": {"naam": n, "volgorde": v}} for n, v in pijlers]
    tg = []
    for pijler, namen in thema.items():
        for i, naam in enumerate(namen, start=1):
            tg.append({"model": "convenant.themagroep", "fields": {
                "naam": naam, "pijler": [pijler] if pijler else None, "omschrijving": "",
                "raakt_aan": [[r] for r in raakt.get(naam, [])],
                "volgorde": i}})
    return org + pers + convenanten + pij + tg


def lees_csv():
    with open(FIXTURES / "g40_gemeenten.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def gemeenten_fixture(rows):
    out = []
    for r in rows:
        fields = {
            "naam": r["naam"], "slug": slugify(r["naam"]), "cbs_code": r["cbs_code"],
            "cbs_naam": r["cbs_naam"] if r["cbs_naam"] != r["naam"] else "",
            "adres": "", "plaats": "", "lid_sinds": r["lid_sinds"] or None, "lid_tot": None,
            "contact_email": "", "opmerking": r["opmerking"],
        }
        if r["naam"] == "Deventer":  # from the signed agreement (seed 001)
            fields.update(adres="Grote Kerkhof 1", plaats="Deventer")
        out.append({"model": "gemeenten.gemeente", "fields": fields})
    for r in rows:
        for kolom, peildatum in (("inwoners_2022_01_01", "2022-01-01"), ("inwoners_2018_01_01", "2018-01-01")):
            if r[kolom]:
                out.append({"model": "gemeenten.inwonertal", "fields": {
                    "gemeente": [r["cbs_code"]], "peildatum": peildatum,
                    "aantal": int(r[kolom]), "bron": CBS_BRON}})
    return out


def overeenkomsten_fixture(rows):
    out = []
    for slug, kolom, peildatum, tarief, alleen_deelnemers in (
        ("2019-2022", "inwoners_2018_01_01", "2018-01-01", Decimal("0.13"), True),
        ("2023-2027", "inwoners_2022_01_01", "2022-01-01", Decimal("0.15"), False),
    ):
        for r in rows:
            if alleen_deelnemers and r["in_convenant_2019_2022"] != "ja":
                continue
            inwoners = int(r[kolom])
            fields = {
                "convenant": [slug], "gemeente": [r["cbs_code"]], "status": "concept",
                "inwoners": inwoners, "peildatum": peildatum, "bijdrage_per_inwoner": str(tarief),
                "bedrag_per_jaar": str(jaarbedrag(inwoners, tarief)),
            }
            if slug == "2019-2022":
                # seed 000: "ieder lid van de G40 [heeft] een eigen samenwerkingsovereenkomst met
                # Platform31"; seed 001: "Per gemeente is er een uitvoeringsovereenkomst gesloten".
                # No source gives a signing or receipt date: recorded as unknown, not invented.
                fields.update(
                    status="ondertekend", datum_onbekend=True,
                    opmerking="Ondertekend volgens de brief van 21 december 2022 (‘ieder lid van de G40 "
                              "[heeft] een eigen samenwerkingsovereenkomst met Platform31’); de datum van "
                              "ondertekening en ontvangst staat in geen enkele bron.",
                )
            if slug == "2023-2027" and r["naam"] == "Deventer":
                fields.update(
                    status="ondertekend", vertegenwoordiger="R.C. König",
                    vertegenwoordiger_functie="burgemeester", collegebesluit_op="2023-01-10",
                    ondertekend_te="Deventer", ondertekend_op="2023-01-10",
                    ontvangen_op="2023-01-10",
                    opmerking="Overgenomen uit de ondertekende overeenkomst. De datum van "
                              "ontvangst is niet bekend en gelijkgesteld aan de datum van ondertekening.",
                )
            out.append({"model": "overeenkomsten.samenwerkingsovereenkomst", "fields": fields})
    return out


def jaarplannen_fixture():
    return [
        {"model": "jaarplannen.jaarplan", "fields": {
            "convenant": ["2023-2027"], "jaar": jaar, "titel": f"Jaarplan G40–Platform31 {jaar}",
            "status": "in_voorbereiding", "gereed_op": None, "vastgesteld_op": None, "toelichting": ""}}
        for jaar in range(2023, 2028)
    ]


if __name__ == "__main__":
    import django
    from django.conf import settings

    settings.configure()
    django.setup()
    rows = lees_csv()
    dump("01_convenant.json", convenant_fixture())
    dump("02_gemeenten.json", gemeenten_fixture(rows))
    dump("03_overeenkomsten.json", overeenkomsten_fixture(rows))
    dump("04_jaarplannen.json", jaarplannen_fixture())
