"""Exports: the overview per convenant, the yearly invoice list, the comparison of two convenants."""

import csv
import datetime
import io
from decimal import Decimal

from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

import pytest
from openpyxl import load_workbook

from overeenkomsten import rapportages
from overeenkomsten.constants import Status
from overeenkomsten.models import Samenwerkingsovereenkomst

pytestmark = pytest.mark.django_db

KOLOMMEN = ["gemeente", "cbs_code", "inwoners", "peildatum", "bedrag_per_jaar", "status", "verzonden_op",
            "ondertekend_op"]


def commando(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def lees_csv(tekst: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(tekst)))


def overeenkomst(cbs_code, slug="2023-2027"):
    return Samenwerkingsovereenkomst.objects.get(convenant__slug=slug, gemeente__cbs_code=cbs_code)


def zet(cbs_code, **velden):
    # Historic states written directly: save() only changes the status through the workflow.
    ov = overeenkomst(cbs_code)
    Samenwerkingsovereenkomst.objects.filter(pk=ov.pk).update(**velden)
    ov.refresh_from_db()
    return ov


@pytest.fixture
def verloop(referentiedata):
    """Some agreements further along: sent, signed, terminated before and on 1 September."""
    d = datetime.date
    zet("GM0361", status=Status.VERZONDEN, verzonden_op=d(2023, 1, 5), verzonden_aan="griffie@alkmaar.nl")
    zet("GM0141", status=Status.ONDERTEKEND, verzonden_op=d(2023, 1, 5), ondertekend_op=d(2023, 1, 30),
        ontvangen_op=d(2023, 2, 1))
    zet("GM0202", status=Status.OPGEZEGD, ondertekend_op=d(2023, 2, 1), ontvangen_op=d(2023, 2, 3),
        opzegging_verzonden_op=d(2024, 8, 31))   # before 1 September: ends 31 December 2024
    zet("GM0106", status=Status.OPGEZEGD, ondertekend_op=d(2023, 2, 1), ontvangen_op=d(2023, 2, 3),
        opzegging_verzonden_op=d(2024, 9, 1))    # on 1 September: ends 31 December 2025


# --- overview -------------------------------------------------------------------------

def test_overzicht_csv_naar_stdout(verloop):
    rijen = lees_csv(commando("exporteer_overeenkomsten", "--convenant", "2023-2027"))
    assert len(rijen) == 41
    assert list(rijen[0])[:8] == KOLOMMEN
    deventer = next(r for r in rijen if r["gemeente"] == "Deventer")
    assert {k: deventer[k] for k in KOLOMMEN} == {
        "gemeente": "Deventer", "cbs_code": "GM0150", "inwoners": "101446", "peildatum": "2022-01-01",
        "bedrag_per_jaar": "15216.90", "status": "ondertekend", "verzonden_op": "", "ondertekend_op": "2023-01-10",
    }
    almelo = next(r for r in rijen if r["gemeente"] == "Almelo")
    assert (almelo["verzonden_op"], almelo["ondertekend_op"], almelo["ontvangen_op"]) == (
        "2023-01-05", "2023-01-30", "2023-02-01")
    arnhem = next(r for r in rijen if r["gemeente"] == "Arnhem")
    # Past its end (today is December 2026 in these tests or later): shown as afgelopen, derived.
    assert (arnhem["status"], arnhem["einddatum"]) == ("afgelopen", "2024-12-31")
    assert sum(Decimal(r["bedrag_per_jaar"]) for r in rijen) == Decimal("784643.10")


def test_overzicht_xlsx_met_echte_getallen(verloop, tmp_path):
    pad = tmp_path / "overzicht.xlsx"
    commando("exporteer_overeenkomsten", "--convenant", "2023-2027", "--format", "xlsx", "--out", str(pad))
    ws = load_workbook(pad).active
    kop = [c.value for c in ws[1]]
    assert kop[:8] == KOLOMMEN
    rijen = [dict(zip(kop, (c.value for c in rij), strict=True)) for rij in ws.iter_rows(min_row=2)]
    assert len(rijen) == 41
    deventer = next(r for r in rijen if r["gemeente"] == "Deventer")
    assert isinstance(deventer["bedrag_per_jaar"], int | float)
    assert deventer["bedrag_per_jaar"] == pytest.approx(15216.90)
    assert deventer["inwoners"] == 101446
    assert deventer["ondertekend_op"].date() == datetime.date(2023, 1, 10)
    # the sum of the numbers in the sheet is the total, to the cent
    assert round(sum(Decimal(str(r["bedrag_per_jaar"])) for r in rijen), 2) == Decimal("784643.10")


def test_overzicht_csv_naar_bestand(referentiedata, tmp_path):
    pad = tmp_path / "o.csv"
    commando("exporteer_overeenkomsten", "--convenant", "2019-2022", "--out", str(pad))
    rijen = lees_csv(pad.read_text(encoding="utf-8"))
    assert len(rijen) == 40  # Amstelveen did not take part in 2019-2022
    haarlem = next(r for r in rijen if r["gemeente"] == "Haarlem")
    assert (haarlem["inwoners"], haarlem["bedrag_per_jaar"], haarlem["peildatum"]) == (
        "159709", "20762.17", "2018-01-01")


def test_onbekend_convenant(referentiedata):
    with pytest.raises(CommandError, match="Convenant ‘2030’ bestaat niet; kies uit: 2019-2022, 2023-2027"):
        commando("exporteer_overeenkomsten", "--convenant", "2030")


def test_xlsx_vraagt_een_bestand(referentiedata):
    with pytest.raises(CommandError, match="--out"):
        commando("exporteer_overeenkomsten", "--convenant", "2023-2027", "--format", "xlsx")


def test_geen_formule_in_xlsx(referentiedata):
    zet("GM0361", verzonden_aan="=HYPERLINK(\"http://x\")")
    tabel = rapportages.overzicht_van(Samenwerkingsovereenkomst.objects.filter(pk=overeenkomst("GM0361").pk))
    from overeenkomsten.resources import als_xlsx

    ws = load_workbook(io.BytesIO(als_xlsx(tabel))).active
    cel = next(c for c in ws[2] if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert cel.data_type == "s" and cel.value == "'=HYPERLINK(\"http://x\")"  # neutralised (convenant.formules)


# --- yearly invoice list ------------------------------------------------------------------------

def factuur(jaar) -> dict[str, dict]:
    return {r["gemeente"]: r for r in lees_csv(commando("factuurlijst", "--jaar", str(jaar)))}


def test_factuurlijst_na_opzeggingen(verloop):
    f2024, f2025, f2026 = factuur(2024), factuur(2025), factuur(2026)
    getekend = lambda f: sorted(n for n, r in f.items() if r["factureerbaar"] == "ja")  # noqa: E731
    assert getekend(f2024) == ["Almelo", "Arnhem", "Assen", "Deventer"]
    assert getekend(f2025) == ["Almelo", "Assen", "Deventer"]   # Arnhem's notice took effect on 1 Jan 2025
    assert getekend(f2026) == ["Almelo", "Deventer"]            # Assen's notice came on 1 September 2024
    assert "Arnhem" not in f2025 and "Assen" not in f2026
    assert f2024["Arnhem"]["toelichting"] == "opgezegd; loopt tot en met 31 december 2024"
    assert f2024["Deventer"]["te_factureren"] == "15216.90"
    # concepts and sent agreements are listed, not invoiced
    assert f2024["Alkmaar"]["factureerbaar"] == "nee"
    assert f2024["Alkmaar"]["toelichting"] == "nog niet getekend"
    assert f2024["Alkmaar"]["te_factureren"] == "0.00"
    assert f2024["Alkmaar"]["bedrag_per_jaar"] == "16617.45"
    assert len(f2024) == 41 and len(f2026) == 39
    totaal = sum(Decimal(r["te_factureren"]) for r in f2024.values())
    verwacht = sum(overeenkomst(c).bedrag_per_jaar for c in ("GM0141", "GM0202", "GM0106", "GM0150"))
    assert totaal == verwacht


def test_factuurlijst_kiest_het_convenant_van_het_jaar(verloop):
    f2022 = factuur(2022)
    assert len(f2022) == 40
    assert {r["convenant"] for r in f2022.values()} == {"2019-2022"}
    assert factuur(2023)["Deventer"]["convenant"] == "2023-2027"
    assert factuur(2030) == {}


# --- comparison -------------------------------------------------------------------------------

def test_vergelijking_splitst_tarief_en_bevolking(referentiedata):
    rijen = {r["gemeente"]: r for r in lees_csv(commando("vergelijk_convenanten"))}
    assert len(rijen) == 41
    d = rijen["Deventer"]
    assert (d["inwoners_oud"], d["bedrag_oud"], d["inwoners_nieuw"], d["bedrag_nieuw"]) == (
        "99653", "12954.89", "101446", "15216.90")
    assert d["verschil"] == "2262.01"
    assert d["tariefeffect"] == "1993.06"        # € 0,02 × 99.653
    assert d["bevolkingseffect"] == "268.95"     # € 0,15 × (101.446 − 99.653)
    assert d["deelnameeffect"] == "0.00"
    a = rijen["Amstelveen"]
    assert (a["bedrag_oud"], a["bedrag_nieuw"], a["deelnameeffect"], a["tariefeffect"]) == (
        "", "13849.65", "13849.65", "0.00")
    assert a["toelichting"] == "alleen in 2023-2027"
    # a population that shrank (Maastricht): a negative population effect
    assert Decimal(rijen["Maastricht"]["bevolkingseffect"]) < 0
    for r in rijen.values():
        delen = Decimal(r["tariefeffect"]) + Decimal(r["bevolkingseffect"]) + Decimal(r["deelnameeffect"])
        assert delen == Decimal(r["verschil"]), r["gemeente"]
        if r["bedrag_oud"]:
            t0, t1 = Decimal(r["bijdrage_oud"]), Decimal(r["bijdrage_nieuw"])
            i0, i1 = int(r["inwoners_oud"]), int(r["inwoners_nieuw"])
            assert Decimal(r["tariefeffect"]) == (t1 - t0) * i0
            assert Decimal(r["bevolkingseffect"]) == t1 * (i1 - i0)
    assert sum(Decimal(r["verschil"]) for r in rijen.values()) == Decimal("784643.10") - sum(
        Decimal(r["bedrag_oud"] or 0) for r in rijen.values())


def test_splits_verschil_met_afronding():
    """With a rate of more than two decimals the parts still add up to the change, to the cent."""
    from convenant.rules import jaarbedrag

    class Ov:
        def __init__(self, inwoners, tarief):
            self.inwoners, self.bijdrage_per_inwoner = inwoners, Decimal(tarief)
            self.bedrag_per_jaar = jaarbedrag(inwoners, Decimal(tarief))

    oud, nieuw = Ov(33333, "0.125"), Ov(33334, "0.1375")      # € 4.166,63 → € 4.583,43
    delen = rapportages.splits_verschil(oud, nieuw)
    assert delen["verschil"] == Decimal("416.80")
    assert delen["tariefeffect"] == Decimal("416.66")             # 0,0125 × 33.333 = 416,6625
    assert delen["bevolkingseffect"] == Decimal("0.14")           # the rest; unrounded 0,1375
    assert delen["tariefeffect"] + delen["bevolkingseffect"] == delen["verschil"]


def test_vergelijking_andere_volgorde_xlsx(referentiedata, tmp_path):
    pad = tmp_path / "v.xlsx"
    commando("vergelijk_convenanten", "--oud", "2023-2027", "--nieuw", "2019-2022", "--format", "xlsx",
             "--out", str(pad))
    ws = load_workbook(pad).active
    kop = [c.value for c in ws[1]]
    amstelveen = next(dict(zip(kop, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=2)
                      if r[0].value == "Amstelveen")
    assert amstelveen["deelnameeffect"] == pytest.approx(-13849.65)
    assert amstelveen["toelichting"] == "niet in 2019-2022"


# --- admin action and report pages ------------------------------------------------------------------

def test_admin_actie_exporteert_selectie(verloop, beheerder_client):
    url = reverse("admin:overeenkomsten_samenwerkingsovereenkomst_changelist")
    html = beheerder_client.get(url).content.decode()
    assert "exporteer_csv" in html and "exporteer_xlsx" in html
    pks = [overeenkomst("GM0150").pk, overeenkomst("GM0141").pk]
    r = beheerder_client.post(url, {"action": "exporteer_csv", "_selected_action": pks, "index": 0})
    assert r["Content-Type"].startswith("text/csv")
    rijen = lees_csv(r.content.decode())
    assert [(x["gemeente"], x["bedrag_per_jaar"]) for x in rijen] == [("Almelo", "10973.25"), ("Deventer", "15216.90")]
    r = beheerder_client.post(url, {"action": "exporteer_xlsx", "_selected_action": pks, "index": 0})
    assert load_workbook(io.BytesIO(r.content)).active.max_row == 3


def test_admin_actie_voor_alleen_lezen(referentiedata, client, django_user_model):
    """Someone who may only view agreements (no change, no delete) can still export them."""
    from django.contrib.auth.models import Permission

    lezer = django_user_model.objects.create_user("lezer", password="x", is_staff=True)
    lezer.user_permissions.add(*Permission.objects.filter(
        codename__in=["view_samenwerkingsovereenkomst", "alle_gemeenten"]))  # else only a coördinator's own
    client.force_login(lezer)
    url = reverse("admin:overeenkomsten_samenwerkingsovereenkomst_changelist")
    html = client.get(url).content.decode()
    assert "exporteer_csv" in html and "delete_selected" not in html
    r = client.post(url, {"action": "exporteer_csv", "_selected_action": [overeenkomst("GM0150").pk], "index": 0})
    assert lees_csv(r.content.decode())[0]["bedrag_per_jaar"] == "15216.90"


@pytest.mark.parametrize("naam, args, query", [
    ("rapportages:index", [], ""),
    ("rapportages:overzicht", ["2023-2027"], ""),
    ("rapportages:factuurlijst", [], "?jaar=2024"),
    ("rapportages:vergelijking", [], ""),
])
def test_rapportpaginas_alleen_na_inloggen(referentiedata, client, django_user_model, naam, args, query):
    url = reverse(naam, args=args) + query
    r = client.get(url)
    assert r.status_code == 302 and r["Location"].startswith(reverse("admin:login"))
    client.force_login(django_user_model.objects.create_user("zonder", password="x", is_staff=True))
    assert client.get(url).status_code == 403
    client.force_login(django_user_model.objects.create_user("burger", password="x"))
    assert client.get(url).status_code == 403


def test_factuurlijst_pagina(verloop, beheerder_client):
    r = beheerder_client.get(reverse("rapportages:factuurlijst"), {"jaar": 2024})
    html = r.content.decode()
    assert "Factuurlijst 2024" in html
    verwacht = sum(overeenkomst(c).bedrag_per_jaar for c in ("GM0141", "GM0202", "GM0106", "GM0150"))
    from convenant.formatting import euro
    assert f"Te factureren in 2024: 4 overeenkomsten, {euro(verwacht)}" in html
    assert "Nog niet getekend: 37" in html
    assert "€ 15.216,90" in html and "31 december 2024" in html
    assert "?jaar=2024&amp;formaat=csv" in html
    assert reverse("admin:overeenkomsten_samenwerkingsovereenkomst_change", args=[overeenkomst("GM0150").pk]) in html
    r = beheerder_client.get(reverse("rapportages:factuurlijst"), {"jaar": 2024, "formaat": "csv"})
    assert r["Content-Disposition"] == 'attachment; filename="factuurlijst-2024.csv"'
    assert len(lees_csv(r.content.decode())) == 41


def test_overzicht_pagina_en_downloads(verloop, beheerder_client):
    url = reverse("rapportages:overzicht", args=["2023-2027"])
    html = beheerder_client.get(url).content.decode()
    assert "€ 784.643,10" in html and "5.230.954" in html and "Ondertekend ontvangen" in html
    csv_r = beheerder_client.get(url, {"formaat": "csv"})
    assert csv_r.content.decode() == commando("exporteer_overeenkomsten", "--convenant", "2023-2027")
    xlsx_r = beheerder_client.get(url, {"formaat": "xlsx"})
    assert xlsx_r["Content-Disposition"] == 'attachment; filename="overeenkomsten-2023-2027.xlsx"'
    assert load_workbook(io.BytesIO(xlsx_r.content)).active.max_row == 42
    assert beheerder_client.get(url, {"formaat": "pdf"}).status_code == 404
    assert beheerder_client.get(reverse("rapportages:overzicht", args=["1999"])).status_code == 404


def test_vergelijking_pagina(referentiedata, beheerder_client):
    html = beheerder_client.get(reverse("rapportages:vergelijking")).content.decode()
    assert "Vergelijking convenant 2019-2022 en 2023-2027" in html
    assert "€ 1.993,06" in html and "€ 268,95" in html and "€ 13.849,65" in html
    assert "= € " in html


def test_index_pagina(referentiedata, beheerder_client):
    html = beheerder_client.get(reverse("rapportages:index")).content.decode()
    for url in (reverse("rapportages:overzicht", args=["2023-2027"]), reverse("rapportages:vergelijking"),
                reverse("rapportages:factuurlijst") + "?jaar=2027"):
        assert url in html
