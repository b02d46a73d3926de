"""Import of CBS population figures: the shapes CBS publishes, strict counts, all or nothing."""

import csv
import datetime
import io
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

import pytest
from openpyxl import Workbook

from gemeenten import cbs, importeren
from gemeenten.management.commands.importeer_inwoners import Command as ImporteerCommand
from gemeenten.models import Gemeente, Inwonertal
from overeenkomsten.constants import Status
from overeenkomsten.models import Samenwerkingsovereenkomst

pytestmark = pytest.mark.django_db

REFERENTIE = Path(__file__).resolve().parent.parent / "fixtures" / "g40_gemeenten.csv"
P2022 = datetime.date(2022, 1, 1)


def leden():
    with REFERENTIE.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def statline(rijen, bom=True):
    """StatLine table download: semicolons, quoted text, bare numbers, names only."""
    regels = ['"Geslacht";"Leeftijd";"Burgerlijke staat";"Regio\'s";"Perioden";'
              '"Bevolking op 1 januari (aantal)";"Gemiddelde bevolking  (aantal)"']
    for rij in rijen:
        regio, periode, waarde = rij[:3]
        geslacht = rij[3] if len(rij) > 3 else "Totaal mannen en vrouwen"
        regels.append(f'"{geslacht}";"Totaal";"Totaal burgerlijke staat";"{regio}";"{periode}";{waarde};')
    tekst = "\n".join(regels) + "\n"
    return (("\ufeff" if bom else "") + tekst).encode("utf-8")


def statline_alle_leden(jaar=2022, kolom="inwoners_2022_01_01", anders=None):
    anders = anders or {}
    rijen = [("Nederland", str(jaar), 17590672), ("Groningen (PV)", str(jaar), 596075),
             ("Utrecht (gemeente)", str(jaar), 361924), ("Aalburg", str(jaar), "")]
    for lid in leden():
        naam = lid["cbs_naam"] or lid["naam"]
        rijen.append((naam, str(jaar), anders.get(lid["cbs_code"], lid[kolom])))
        rijen.append((naam, str(jaar - 1), 1234))
    rijen.append(("Deventer", str(jaar), 50000, "Mannen"))
    return statline(rijen)


def odata(rijen, kolom="PopulationOn1January_1"):
    """CBS open data export: commas, CRLF, codes, periods like 2022JJ00, padded national key."""
    regels = [f"ID,Sex,Sex Label,Regions,Regions Label,Periods,Periods Label,{kolom},AveragePopulation_2"]
    for i, (code, periode, waarde) in enumerate(rijen):
        regels.append(f"{21800 + i},T001038,Total male and female,{code},x,{periode},{periode[:4]},{waarde},")
    return ("\r\n".join(regels) + "\r\n").encode("utf-8")


def eenvoudig(rijen, scheiding=","):
    return ("\n".join([f"cbs_code{scheiding}inwoners", *(f"{c}{scheiding}{w}" for c, w in rijen)]) + "\n").encode()


def xlsx(rijen, kop=("cbs_code", "inwoners")):
    wb = Workbook()
    ws = wb.active
    ws.append(list(kop))
    for rij in rijen:
        ws.append(list(rij))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def bestand(tmp_path, inhoud, naam="cbs.csv"):
    pad = tmp_path / naam
    pad.write_bytes(inhoud)
    return str(pad)


def stand():
    """Everything an import could touch, to prove that a refused import wrote nothing."""
    return (
        sorted(Inwonertal.objects.values_list("gemeente__cbs_code", "peildatum", "aantal", "bron")),
        sorted(Samenwerkingsovereenkomst.objects.values_list("pk", "inwoners", "bedrag_per_jaar")),
    )


def importeer(tmp_path, inhoud, peildatum="2022-01-01", *extra, naam="cbs.csv"):
    out, err = io.StringIO(), io.StringIO()
    call_command("importeer_inwoners", bestand(tmp_path, inhoud, naam), "--peildatum", peildatum,
                 *extra, stdout=out, stderr=err)
    return out.getvalue()


# --- counts ---------------------------------------------------------------

@pytest.mark.parametrize(("waarde", "verwacht"), [
    ("101446", 101446), ("101.446", 101446), ("1.234.567", 1234567), ("101 446", 101446),
    (" 872.680 ", 872680), (101446, 101446), (101446.0, 101446), ("", None), (None, None), (".", None),
])
def test_aantal_goed(waarde, verwacht):
    assert cbs.lees_aantal(waarde) == verwacht


@pytest.mark.parametrize(("waarde", "reden"), [
    ("101,446", "geen geheel getal"), ("101.44", "geen geheel getal"), ("101446,5", "geen geheel getal"),
    (101.446, "geen geheel getal"), ("abc", "geen getal"), ("-5", "negatief"), (-5, "negatief"),
    ("0", "nul"), ("12a", "geen getal"),
])
def test_aantal_fout_nooit_afgekapt(waarde, reden):
    with pytest.raises(cbs.OngeldigAantal, match=reden):
        cbs.lees_aantal(waarde)


def test_dutch_grouping_never_becomes_101(referentiedata, tmp_path):
    importeer(tmp_path, eenvoudig([("GM0141", "73.155"), ("GM0150", "101.446")]), "2023-01-01")
    assert Inwonertal.objects.get(gemeente__cbs_code="GM0150", peildatum="2023-01-01").aantal == 101446
    assert Inwonertal.objects.get(gemeente__cbs_code="GM0141", peildatum="2023-01-01").aantal == 73155


# --- the three shapes ---------------------------------------------------------

def test_statline_download_herkend(referentiedata):
    voorstel = importeren.importeer(statline_alle_leden(), "03759ned.csv", P2022, opslaan=False)
    assert voorstel.geldig, voorstel.fouten
    assert voorstel.vorm == cbs.STATLINE
    assert voorstel.telling == {importeren.ONGEWIJZIGD: 41}
    # Nederland, the province, Utrecht and Aalburg are not members
    assert voorstel.niet_lid == 4
    assert voorstel.andere_periode == 41
    assert voorstel.uitsplitsing == 1  # the "Mannen" row is not a total
    assert voorstel.ontbrekend == []
    namen = {c.gemeente.naam for c in voorstel.cijfers}
    assert {"Groningen", "Hengelo", "'s-Hertogenbosch"} <= namen  # matched by their CBS names


def test_statline_zonder_bom_en_naam_zoals_g40(referentiedata):
    inhoud = statline([("Groningen (PV)", "2022", 596075), ("Hengelo", "2022", 81476)], bom=False)
    voorstel = importeren.importeer(inhoud, "x.csv", P2022, opslaan=False)
    assert [(c.gemeente.naam, c.aantal) for c in voorstel.cijfers] == [("Hengelo", 81476)]
    assert voorstel.niet_lid == 1
    assert len(voorstel.ontbrekend) == 40


def test_odata_export_herkend_en_geschreven(referentiedata, tmp_path):
    rijen = [("NL01  ", "2022JJ00", 17590672), ("PV20  ", "2022JJ00", 596075), ("GM0363", "2022JJ00", 882633)]
    rijen += [(lid["cbs_code"], "2022JJ00", int(lid["inwoners_2022_01_01"]) + 1) for lid in leden()]
    rijen += [("GM0141", "2021JJ00", 1)]
    out = importeer(tmp_path, odata(rijen), naam="03759ned_TypedDataSet.csv")
    assert "CBS open data" in out
    assert "Nieuw: 0; gewijzigd: 40; ongewijzigd: 0; behouden (getekende overeenkomst): 1." in out
    assert "3 regio's die geen lid zijn" in out
    almelo = Inwonertal.objects.get(gemeente__cbs_code="GM0141", peildatum=P2022)
    assert almelo.aantal == 73156
    assert almelo.bron.startswith("03759ned_TypedDataSet.csv, CBS open data")
    assert "geïmporteerd op" in almelo.bron
    assert almelo.history.first().history_change_reason.startswith("CBS-import")


def test_odata_nederlandse_kolomnamen(referentiedata):
    inhoud = (
        b"ID,Geslacht,Leeftijd,BurgerlijkeStaat,RegioS,Perioden,BevolkingOp1Januari_1\r\n"
        b"1,T001038,10000,T001019,GM0141    ,2023JJ00,73500\r\n"
        b"2,3000,10000,T001019,GM0141    ,2023JJ00,36000\r\n"
    )
    voorstel = importeren.importeer(inhoud, "x.csv", datetime.date(2023, 1, 1), opslaan=True)
    assert voorstel.geldig, voorstel.fouten
    assert voorstel.uitsplitsing == 1  # men only (key 3000) is not the total
    assert Inwonertal.objects.get(gemeente__cbs_code="GM0141", peildatum="2023-01-01").aantal == 73500


def test_eenvoudige_lijst_met_puntkomma(referentiedata):
    voorstel = importeren.importeer(
        eenvoudig([("GM0141", "73.155"), ("0150", "101446")], scheiding=";"), "eigen.csv",
        datetime.date(2023, 1, 1), opslaan=True,
    )
    assert voorstel.vorm == cbs.EENVOUDIG
    assert {(c.gemeente.cbs_code, c.aantal, c.actie) for c in voorstel.cijfers} == {
        ("GM0141", 73155, importeren.NIEUW), ("GM0150", 101446, importeren.NIEUW),
    }


def test_xlsx_lijst(referentiedata, tmp_path):
    out = importeer(tmp_path, xlsx([("GM0141", 73155), ("GM0150", "101.446"), ("GM0363", 882633)]),
                    "2023-01-01", naam="eigen.xlsx")
    assert "Nieuw: 2;" in out
    assert Inwonertal.objects.get(gemeente__cbs_code="GM0150", peildatum="2023-01-01").aantal == 101446


def test_xlsx_decimaal_getal_wordt_geweigerd(referentiedata, tmp_path):
    voor = stand()
    with pytest.raises(CommandError):
        importeer(tmp_path, xlsx([("GM0141", 73155), ("GM0150", 101.446)]), "2023-01-01", naam="e.xlsx")
    assert stand() == voor


def test_onbekende_vorm(referentiedata):
    voorstel = importeren.importeer(b"naam,aantal\nDeventer,101446\n", "x.csv", P2022, opslaan=False)
    assert not voorstel.geldig
    assert "niet herkend" in str(voorstel.fouten[0])
    assert "naam,aantal" in str(voorstel.fouten[0])


# --- periods -------------------------------------------------------------------

def test_periode_ontbreekt(referentiedata, tmp_path):
    voor = stand()
    err = io.StringIO()
    with pytest.raises(CommandError, match="niets opgeslagen"):
        call_command("importeer_inwoners", bestand(tmp_path, odata([("GM0141", "2021JJ00", 72000)])),
                     "--peildatum", "2022-01-01", stdout=io.StringIO(), stderr=err)
    assert "geen cijfers voor de peildatum 1 januari 2022" in err.getvalue()
    assert "wel voor: 2021JJ00" in err.getvalue()
    assert stand() == voor


def test_peildatum_moet_1_januari_zijn_bij_perioden(referentiedata):
    voorstel = importeren.importeer(odata([("GM0141", "2022JJ00", 72000)]), "x", datetime.date(2022, 7, 1),
                                    opslaan=False)
    assert "geen 1 januari" in str(voorstel.fouten[0])


# --- all or nothing ---------------------------------------------------------------

def test_een_foute_regel_en_er_wordt_niets_geschreven(referentiedata, tmp_path):
    inhoud = eenvoudig([
        ("GM0141", "73.200"),      # line 2: fine
        ("GM15O", "100"),          # line 3: unknown code
        ("GM0150", "veel"),        # line 4: not a number
        ("GM0361", "-110783"),     # line 5: negative
        ("GM0141", "73200"),       # line 6: duplicate of line 2
        ("GM0202", "163.888,5"),   # line 7: not a whole number
    ])
    voor = stand()
    err = io.StringIO()
    with pytest.raises(CommandError, match="Import geweigerd: 5 fout"):
        call_command("importeer_inwoners", bestand(tmp_path, inhoud), "--peildatum", "2022-01-01",
                     stdout=io.StringIO(), stderr=err)
    meldingen = err.getvalue().splitlines()
    assert meldingen == [
        "Regel 3: onbekende code ‘GM15O’",
        "Regel 4: Deventer: geen getal: ‘veel’",
        "Regel 5: Alkmaar: negatief aantal: ‘-110783’",
        "Regel 6: dubbel: Almelo staat ook op regel 2",
        "Regel 7: Arnhem: meer velden dan de kop kolommen heeft (staat er een komma of puntkomma in een getal?)",
    ]
    assert stand() == voor


def test_decimale_komma_in_puntkommabestand(referentiedata):
    voorstel = importeren.importeer(eenvoudig([("GM0202", "163.888,5")], scheiding=";"), "x.csv", P2022,
                                    opslaan=False)
    assert [str(f) for f in voorstel.fouten] == [
        "Regel 2: Arnhem: geen geheel getal: ‘163.888,5’ (verwacht bijv. 101446 of 101.446)"
    ]


def test_exitcode_niet_nul(referentiedata, tmp_path, capsys):
    pad = bestand(tmp_path, eenvoudig([("GM0141", "abc")]))
    with pytest.raises(SystemExit) as exc:
        ImporteerCommand().run_from_argv(["manage.py", "importeer_inwoners", pad, "--peildatum", "2022-01-01"])
    assert exc.value.code != 0
    assert "Regel 2: Almelo: geen getal" in capsys.readouterr().err


def test_dry_run_schrijft_niets(referentiedata, tmp_path):
    voor = stand()
    out = importeer(tmp_path, eenvoudig([("GM0141", "80000")]), "2022-01-01", "--dry-run")
    assert "Proefdraai" in out
    assert "Almelo" in out and "80.000" in out and "gewijzigd" in out
    assert stand() == voor


def test_niet_leden_overgeslagen_en_ontbrekende_leden_gemeld(referentiedata, tmp_path):
    rijen = [(lid["cbs_code"], lid["inwoners_2022_01_01"]) for lid in leden() if lid["naam"] != "Zwolle"]
    rijen += [("GM0363", "882633"), ("GM0344", "361924")]  # Amsterdam, Utrecht
    out = importeer(tmp_path, eenvoudig(rijen), "2022-01-01")
    assert "Overgeslagen: 2 regio's die geen lid zijn." in out
    assert "Ontbreekt in het bestand (1): Zwolle (niet in het bestand)." in out


def test_lege_waarde_van_lid_is_ontbrekend_geen_fout(referentiedata):
    voorstel = importeren.importeer(
        statline([("Almelo", "2022", ""), ("Deventer", "2022", 101446)]), "x.csv", P2022, opslaan=False,
    )
    assert voorstel.geldig
    almelo = next(o for o in voorstel.ontbrekend if o.gemeente.naam == "Almelo")
    assert almelo.toelichting == "geen waarde op regel 2"


# --- signed agreements and concepts -------------------------------------------------------

def test_cijfer_van_getekende_overeenkomst_blijft(referentiedata, tmp_path):
    out = importeer(tmp_path, eenvoudig([("GM0150", "101.500"), ("GM0141", "73.155")]), "2022-01-01")
    assert "behouden (getekende overeenkomst): 1" in out
    assert "gebruikt door een getekende overeenkomst (101.446 inwoners)" in out
    assert Inwonertal.objects.get(gemeente__cbs_code="GM0150", peildatum=P2022).aantal == 101446
    deventer = Samenwerkingsovereenkomst.objects.get(convenant__slug="2023-2027", gemeente__cbs_code="GM0150")
    assert deventer.inwoners == 101446


def test_opgezegde_overeenkomst_telt_ook_als_getekend(referentiedata):
    # historic state written directly: save() only changes the status through the workflow
    Samenwerkingsovereenkomst.objects.filter(convenant__slug="2023-2027", gemeente__cbs_code="GM0141").update(
        status=Status.OPGEZEGD, ontvangen_op=datetime.date(2023, 2, 1),
        opzegging_verzonden_op=datetime.date(2024, 5, 1),
    )
    voorstel = importeren.importeer(eenvoudig([("GM0141", "80000")]), "x", P2022, opslaan=True)
    assert voorstel.cijfers[0].actie == importeren.BEHOUDEN
    assert Inwonertal.objects.get(gemeente__cbs_code="GM0141", peildatum=P2022).aantal == 73155


def test_concepten_niet_stil_gewijzigd(referentiedata, tmp_path):
    out = importeer(tmp_path, eenvoudig([("GM0141", "80000")]), "2022-01-01")
    assert Inwonertal.objects.get(gemeente__cbs_code="GM0141", peildatum=P2022).aantal == 80000
    ov = Samenwerkingsovereenkomst.objects.get(convenant__slug="2023-2027", gemeente__cbs_code="GM0141")
    assert ov.inwoners == 73155
    assert "73.155 → 80.000 inwoners – niet bijgewerkt" in out


def test_concepten_bijwerken_op_verzoek(referentiedata, tmp_path):
    verzonden = Samenwerkingsovereenkomst.objects.get(convenant__slug="2023-2027", gemeente__cbs_code="GM0361")
    # historic state written directly: save() only changes the status through the workflow
    Samenwerkingsovereenkomst.objects.filter(pk=verzonden.pk).update(
        status=Status.VERZONDEN, verzonden_op=datetime.date(2023, 1, 5),
    )
    out = importeer(tmp_path, eenvoudig([("GM0141", "80000"), ("GM0361", "111000")]), "2022-01-01",
                    "--werk-concepten-bij")
    almelo = Samenwerkingsovereenkomst.objects.get(convenant__slug="2023-2027", gemeente__cbs_code="GM0141")
    assert (almelo.inwoners, almelo.bedrag_per_jaar) == (80000, 12000)
    verzonden.refresh_from_db()
    assert verzonden.inwoners == 110783  # a sent agreement is never changed by an import
    assert "niet bijgewerkt: al verzonden" in out
    # the 2019-2022 agreements use another peildatum and are not touched
    oud = Samenwerkingsovereenkomst.objects.get(convenant__slug="2019-2022", gemeente__cbs_code="GM0141")
    assert oud.inwoners == 72629


# --- the admin's import page ------------------------------------------------------------

IMPORT_URL = "admin:gemeenten_inwonertal_importeer"


def test_importpagina_vraagt_inlog(client):
    r = client.get(reverse(IMPORT_URL))
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("admin:login"))


def test_importpagina_vraagt_rechten(referentiedata, client, django_user_model):
    staf = django_user_model.objects.create_user("lezer", password="x", is_staff=True)
    client.force_login(staf)
    assert client.get(reverse(IMPORT_URL)).status_code == 403


def test_importlink_op_changelist(referentiedata, beheerder_client):
    html = beheerder_client.get(reverse("admin:gemeenten_inwonertal_changelist")).content.decode()
    assert reverse(IMPORT_URL) in html


def test_admin_import_met_fout_wordt_geweigerd(referentiedata, beheerder_client):
    voor = stand()
    upload = io.BytesIO(eenvoudig([("GM0141", "80000"), ("GM0150", "-3")]))
    upload.name = "fout.csv"
    r = beheerder_client.post(reverse(IMPORT_URL), {"bestand": upload, "peildatum": "2022-01-01"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "Regel 3: Deventer: negatief aantal" in html
    assert 'name="bevestig"' not in html
    assert stand() == voor


def test_admin_import_voorbeeld_dan_bevestigen(referentiedata, beheerder_client):
    upload = io.BytesIO(odata([("GM0141", "2022JJ00", 80000), ("GM0150", "2022JJ00", 101500),
                               ("NL01  ", "2022JJ00", 17590672)]))
    upload.name = "odata.csv"
    url = reverse(IMPORT_URL)
    r = beheerder_client.post(url, {"bestand": upload, "peildatum": "2022-01-01",
                                    "werk_concepten_bij": "on"})
    html = r.content.decode()
    assert "CBS open data" in html
    assert "80.000" in html and "73.155" in html
    assert "behouden (getekende overeenkomst)" in html
    assert 'name="bevestig"' in html
    # nothing is written by the preview
    assert Inwonertal.objects.get(gemeente__cbs_code="GM0141", peildatum=P2022).aantal == 73155

    r = beheerder_client.post(url, {"bevestig": "1", "token": r.context["token"]})
    assert r.status_code == 302
    lijst = beheerder_client.get(r["Location"])
    assert lijst.status_code == 200 and "?e=1" not in lijst.request["QUERY_STRING"]
    assert "Nieuw: 0; gewijzigd: 1; ongewijzigd: 0; behouden (getekende overeenkomst): 1." in lijst.content.decode()
    assert Inwonertal.objects.get(gemeente__cbs_code="GM0141", peildatum=P2022).aantal == 80000
    assert Inwonertal.objects.get(gemeente__cbs_code="GM0150", peildatum=P2022).aantal == 101446
    almelo = Samenwerkingsovereenkomst.objects.get(convenant__slug="2023-2027", gemeente__cbs_code="GM0141")
    assert almelo.inwoners == 80000
    rij = Inwonertal.objects.get(gemeente__cbs_code="GM0141", peildatum=P2022)
    assert rij.history.first().history_user.username == "testbeheerder"
    # the stored upload is gone; confirming twice does nothing
    r = beheerder_client.post(url, {"bevestig": "1", "token": "0" * 32})
    assert r.status_code == 302


def test_admin_bevestigen_met_vreemd_token_doet_niets(referentiedata, beheerder_client):
    voor = stand()
    r = beheerder_client.post(reverse(IMPORT_URL), {"bevestig": "1", "token": "../../etc/passwd"})
    assert r.status_code == 302
    assert stand() == voor


# --- export of the figures, in the shape the import reads back -------------------------------

def test_export_inwonertallen_leest_weer_in(referentiedata):
    from gemeenten.resources import InwonertalResource

    dataset = InwonertalResource().export(Inwonertal.objects.filter(peildatum=P2022))
    inhoud = dataset.export("csv").encode()
    assert "GM0150,Deventer,2022-01-01,101446" in inhoud.decode()
    voorstel = importeren.importeer(inhoud, "export.csv", P2022, opslaan=False)
    assert voorstel.geldig, voorstel.fouten
    assert voorstel.telling == {importeren.ONGEWIJZIGD: 41}
    assert voorstel.andere_periode == 0
    # rows of another peildatum in the same export are skipped, not imported
    alles = InwonertalResource().export(Inwonertal.objects.all()).export("csv").encode()
    voorstel = importeren.importeer(alles, "export.csv", P2022, opslaan=False)
    assert voorstel.telling == {importeren.ONGEWIJZIGD: 41}
    assert voorstel.andere_periode == 41


def test_gemeente_zonder_inwonertal_gaat_mee(referentiedata):
    Gemeente.objects.create(naam="Testdam", slug="testdam", cbs_code="GM9999")
    voorstel = importeren.importeer(eenvoudig([("GM9999", "1.000")]), "x.csv", P2022, opslaan=True)
    assert voorstel.cijfers[0].actie == importeren.NIEUW
    assert Inwonertal.objects.get(gemeente__cbs_code="GM9999").aantal == 1000


def test_oude_onbevestigde_uploads_worden_opgeruimd(referentiedata, beheerder_client, settings):
    import os
    import time

    map_ = Path(settings.MEDIA_ROOT) / "cbs-import"
    map_.mkdir(parents=True)
    oud, vers = map_ / ("a" * 32 + ".bin"), map_ / ("b" * 32 + ".bin")
    oud.write_bytes(b"x")
    vers.write_bytes(b"x")
    os.utime(oud, (time.time() - 2 * 24 * 3600,) * 2)
    upload = io.BytesIO(eenvoudig([("GM0141", "73155")]))
    upload.name = "x.csv"
    beheerder_client.post(reverse(IMPORT_URL), {"bestand": upload, "peildatum": "2022-01-01"})
    assert not oud.exists() and vers.exists()


def test_statline_met_titelregels_voetnoot_en_windows_1252(referentiedata):
    tekst = (
        '"Bevolking op 1 januari en gemiddeld; geslacht, leeftijd en regio"\r\n'
        '"Regio\'s";"Perioden";"Bevolking op 1 januari (aantal)"\r\n'
        '"Súdwest-Fryslân";"2022";90800\r\n'
        '"Hengelo (O.)";"2022";81.476\r\n'
        '"Bron: CBS"\r\n'
    ).encode("cp1252")
    voorstel = importeren.importeer(tekst, "oud.csv", P2022, opslaan=False)
    assert voorstel.geldig, voorstel.fouten
    assert [(c.gemeente.naam, c.regel, c.aantal) for c in voorstel.cijfers] == [("Hengelo", 4, 81476)]
    assert (voorstel.niet_lid, voorstel.overige_regels) == (1, 1)
