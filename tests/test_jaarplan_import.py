"""Import and export of activities: CSV/XLSX, all or nothing, refusals per line in Dutch."""

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import openpyxl
import pytest

from jaarplannen.models import Activiteit, Jaarplan
from jaarplannen.resources import (
    KOLOMMEN,
    ActiviteitResource,
    importeer_activiteiten,
    lees_bedrag,
    lees_bestand,
)

KOP = ";".join(KOLOMMEN)


def csv(*regels: str) -> bytes:
    return ("\n".join([KOP, *regels]) + "\n").encode("utf-8")


GOED = (
    "2023-2027;2024;thema;Woningmarkt;Leertraject flexwonen;Meer woningen;;Genie Hendriks;Anjel Punte;Q2;"
    "1.234,50;gepland;1"
)
GOED2 = "2023-2027;2024;Basisprogramma;;G40-netwerkdag;;;;;;€ 500;Lopend;2"


@pytest.fixture
def plan2024(referentiedata):
    return Jaarplan.objects.get(convenant__slug="2023-2027", jaar=2024)


@pytest.mark.parametrize(("invoer", "verwacht"), [
    ("1234,50", Decimal("1234.50")), ("1234.50", Decimal("1234.50")), ("1.234,50", Decimal("1234.50")),
    ("€ 1.234,50", Decimal("1234.50")), ("1.500", Decimal("1500.00")), ("12", Decimal("12.00")),
    (1234.5, Decimal("1234.50")), (12000, Decimal("12000.00")), ("", None), (None, None),
])
def test_bedragen_streng_gelezen(invoer, verwacht):
    assert lees_bedrag(invoer) == verwacht


@pytest.mark.parametrize("invoer", ["12,345", "1,234.50", "twaalf", "1.2.3", "0.001", 1.005])
def test_onleesbare_bedragen_geweigerd(invoer):
    with pytest.raises(ValueError):
        lees_bedrag(invoer)


def test_import_csv_met_puntkomma_en_nederlandse_bedragen(plan2024):
    uitkomst = importeer_activiteiten(lees_bestand(csv(GOED, GOED2), "csv"))
    assert uitkomst.fouten == []
    assert (uitkomst.nieuw, uitkomst.gewijzigd) == (2, 0)
    flex = plan2024.activiteiten.get(titel="Leertraject flexwonen")
    assert flex.budget == Decimal("1234.50")
    assert (flex.themagroep.naam, flex.verantwoordelijke_g40.naam) == ("Woningmarkt", "Genie Hendriks")
    dag = plan2024.activiteiten.get(titel="G40-netwerkdag")
    assert (dag.soort, dag.status, dag.budget) == ("basisprogramma", "lopend", Decimal("500.00"))


def test_een_foute_regel_en_er_wordt_niets_geschreven(plan2024):
    voor = Activiteit.objects.count()
    bestand = csv(
        GOED,                                                                    # regel 2
        "2023-2027;2024;thema;Wonen;Onbekend thema;;;;;;;;",                      # regel 3
        GOED2,                                                                   # regel 4
        "2023-2027;2031;basisprogramma;;Te laat;;;;;;12,345;gepland;",           # regel 5
        "2023-2027;2024;thema;;Zonder groep;;;;;;;;",                            # regel 6
        "2023-2027;2024;soms;;Rare soort;;;;;;;;",                               # regel 7
        "2023-2027;2024;thema;Woningmarkt;Leertraject flexwonen;;;;;;;;",        # regel 8: dubbel met 2
        "2019-2099;2024;basisprogramma;;Ander convenant;;;;;;;;",                # regel 9
        "2023-2027;2024;basisprogramma;;Onbekende persoon;;;Iemand Anders;;;;;",  # regel 10
    )
    uitkomst = importeer_activiteiten(lees_bestand(bestand, "csv"))
    assert Activiteit.objects.count() == voor
    assert not plan2024.activiteiten.filter(titel__in=["Leertraject flexwonen", "G40-netwerkdag"]).exists()
    fouten = "\n".join(uitkomst.fouten)
    assert "Regel 3, themagroep: Onbekende themagroep ‘Wonen’." in uitkomst.fouten
    assert "Regel 5, convenant/jaar: Het convenant 2023-2027 heeft geen jaarplan 2031." in fouten
    assert "Regel 5, budget: ‘12,345’ is geen bedrag" in fouten
    assert "Regel 6, themagroep: Kies de themagroep van deze activiteit." in fouten
    assert "Regel 7, soort: Onbekende soort ‘soms’" in fouten
    assert "Regel 8, titel: Deze activiteit staat al op regel 2 van het bestand." in fouten
    assert "Regel 9, convenant/jaar: Onbekend convenant ‘2019-2099’." in fouten
    assert len(uitkomst.fouten) == 8  # one message per refused value
    assert "Regel 10, verantwoordelijke G40: Onbekende persoon ‘Iemand Anders’." in fouten
    assert not any(f.startswith(("Regel 2", "Regel 4")) for f in uitkomst.fouten)


def test_ontbrekende_kolommen_helder_gemeld(plan2024):
    uitkomst = importeer_activiteiten(lees_bestand(b"titel;budget\nIets;12\n", "csv"))
    assert uitkomst.fouten
    assert "mist de kolom(men) convenant, jaar, soort" in uitkomst.fouten[0]
    assert not plan2024.activiteiten.exists()


def test_export_en_opnieuw_importeren_verandert_niets(referentiedata):
    dataset = ActiviteitResource().export()
    assert dataset.headers == KOLOMMEN
    assert len(dataset) == 19  # the 2023 skeleton
    rij = dict(zip(dataset.headers, dataset[0], strict=True))
    assert (rij["convenant"], rij["jaar"], rij["soort"]) == ("2023-2027", 2023, "basisprogramma")
    uitkomst = importeer_activiteiten(lees_bestand(dataset.export("csv").encode(), "csv"))
    assert uitkomst.fouten == []
    assert (uitkomst.nieuw, uitkomst.gewijzigd, uitkomst.ongewijzigd) == (0, 0, 19)


def test_import_werkt_bestaande_activiteit_bij(plan2024):
    Activiteit.objects.create(jaarplan=plan2024, soort="basisprogramma", titel="G40-netwerkdag", budget="100")
    uitkomst = importeer_activiteiten(lees_bestand(csv(GOED2), "csv"))
    assert (uitkomst.nieuw, uitkomst.gewijzigd) == (0, 1)
    assert plan2024.activiteiten.get(titel="G40-netwerkdag").budget == Decimal("500.00")


def xlsx(*rijen) -> bytes:
    boek = openpyxl.Workbook()
    blad = boek.active
    blad.append(KOLOMMEN)
    for rij in rijen:
        blad.append(rij)
    blad.append([None] * len(KOLOMMEN))  # a trailing empty line, as spreadsheets leave them
    uit = io.BytesIO()
    boek.save(uit)
    return uit.getvalue()


def test_import_xlsx_met_getallen_in_cellen(plan2024):
    bestand = xlsx(
        ["2023-2027", 2024, "thema", "Europa", "Europese fondsen", "", "", "", "", "", 2500.75, "gepland", 3],
    )
    uitkomst = importeer_activiteiten(lees_bestand(bestand, "xlsx"))
    assert uitkomst.fouten == []
    assert plan2024.activiteiten.get(titel="Europese fondsen").budget == Decimal("2500.75")


def test_admin_import_weigert_hele_bestand_met_regelnummers(beheerder_client, plan2024):
    url = reverse("admin:jaarplannen_activiteit_import")
    bestand = SimpleUploadedFile("activiteiten.csv", csv(GOED, "2023-2027;2024;thema;Wonen;Fout;;;;;;;;"))
    r = beheerder_client.post(url, {"format": "0", "import_file": bestand})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Niets geïmporteerd" in html
    assert "<td>3</td>" in html  # line 3 of the file: the header is line 1
    assert "Onbekende themagroep ‘Wonen’." in html
    assert "confirm_form" not in r.context or r.context["confirm_form"] is None
    assert not plan2024.activiteiten.exists()


def test_admin_import_in_twee_stappen(beheerder_client, plan2024):
    url = reverse("admin:jaarplannen_activiteit_import")
    r = beheerder_client.post(url, {"format": "0", "import_file": SimpleUploadedFile("a.csv", csv(GOED, GOED2))})
    assert r.status_code == 200
    confirm = r.context["confirm_form"]
    assert confirm is not None
    assert not plan2024.activiteiten.exists()  # the first step is a dry run
    r = beheerder_client.post(reverse("admin:jaarplannen_activiteit_process_import"), confirm.initial)
    assert r.status_code == 302
    assert set(plan2024.activiteiten.values_list("titel", flat=True)) == {"Leertraject flexwonen", "G40-netwerkdag"}


def test_admin_export_csv(beheerder_client, referentiedata):
    r = beheerder_client.post(reverse("admin:jaarplannen_activiteit_export"), {
        "format": "0", **{f"activiteitresource_{naam}": "on" for naam in ActiviteitResource().fields},
    })
    assert r.status_code == 200
    tekst = r.content.decode("utf-8-sig")
    assert tekst.splitlines()[0] == ",".join(KOLOMMEN)
    assert "Themagroep Woningmarkt" in tekst
