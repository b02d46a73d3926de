"""The register in bulk: importeer_register (command and admin), through the workflow's own rules."""

import csv
import datetime
import io

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

import pytest
from openpyxl import Workbook

from convenant import formatting
from gemeenten.models import Gemeente
from overeenkomsten import register
from overeenkomsten.constants import Status
from overeenkomsten.models import OvereenkomstDocument, Samenwerkingsovereenkomst

from .bureau import maak_gebruiker

pytestmark = pytest.mark.django_db

D = datetime.date
KOP = ["cbs_code", "gemeente", "verzonden_op", "verzonden_aan", "ontvangen_op", "vertegenwoordiger",
       "vertegenwoordiger_functie", "collegebesluit_op", "ondertekend_te", "ondertekend_op"]


def register_rijen():
    """The 41 agreements of 2023–2027, all signed: a register as the secretary keeps it (made up dates)."""
    rijen = []
    qs = Samenwerkingsovereenkomst.objects.filter(convenant__slug="2023-2027").select_related("gemeente")
    for i, ov in enumerate(qs.order_by("gemeente__cbs_code")):
        g = ov.gemeente
        if g.naam == "Deventer":  # already signed in the reference data: the same values, nothing new
            rijen.append([g.cbs_code, g.naam, "", "", "10-01-2023", "R.C. König", "burgemeester",
                          "2023-01-10", "Deventer", "2023-01-10"])
            continue
        besluit = D(2023, 1, 10) + datetime.timedelta(days=i % 20)
        rijen.append([
            g.cbs_code, g.naam, "2022-12-22", f"g40@{g.slug}.nl",
            (besluit + datetime.timedelta(days=7)).strftime("%d-%m-%Y"),  # both date forms in one file
            f"B. Burgemeester {i}", "burgemeester", besluit.isoformat(), g.naam, besluit.isoformat(),
        ])
    return rijen


def als_csv(rijen, kop=KOP, scheiding=",") -> bytes:
    uit = io.StringIO()
    w = csv.writer(uit, delimiter=scheiding)
    w.writerow(kop)
    w.writerows(rijen)
    return uit.getvalue().encode("utf-8")


def als_xlsx(rijen, kop=KOP) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(kop)
    for rij in rijen:
        ws.append(rij)
    uit = io.BytesIO()
    wb.save(uit)
    return uit.getvalue()


@pytest.fixture
def bestand(tmp_path, referentiedata):
    pad = tmp_path / "register-2023-2027.csv"
    pad.write_bytes(als_csv(register_rijen(), scheiding=";"))
    return pad


def getekend():
    return Samenwerkingsovereenkomst.objects.filter(
        convenant__slug="2023-2027", status=Status.ONDERTEKEND).count()


def test_41_getekend_uit_een_blad_dashboard_zegt_41_van_41(bestand, beheerder, beheerder_client, capsys):
    assert getekend() == 1
    call_command("importeer_register", str(bestand), "--convenant", "2023-2027", "--gebruiker", "testbeheerder")
    uit = capsys.readouterr().out
    assert "120 stappen vastgelegd; 2 al vastgelegd" in uit  # 40 × (gegevens, verzonden, ontvangen); Deventer had it
    assert getekend() == 41
    html = beheerder_client.get(reverse("home") + "?convenant=2023-2027").content.decode()
    assert "41 van 41 ondertekend" in html
    # The past is recorded, not re-sent: no e-mail, no PDF rendered or kept.
    assert mail.outbox == []
    assert not OvereenkomstDocument.objects.exists()
    # Each step in the history, with the user and the file.
    almere = Samenwerkingsovereenkomst.objects.get(convenant__slug="2023-2027", gemeente__naam="Almere")
    rij = next(r for r in register_rijen() if r[1] == "Almere")
    ontvangen = datetime.datetime.strptime(rij[4], "%d-%m-%Y").date()
    regels = list(almere.history.order_by("history_date").values_list(
        "status", "history_user__username", "history_change_reason"))[1:]
    assert regels == [
        ("concept", "testbeheerder", "Register register-2023-2027.csv: gegevens ingevuld"),
        ("verzonden", "testbeheerder", "Register register-2023-2027.csv: Verzonden op 22 december 2022 aan "
                                       "g40@almere.nl"),
        ("ondertekend", "testbeheerder", f"Register register-2023-2027.csv: Ondertekend ontvangen op "
                                         f"{formatting.datum(ontvangen)} (nog zonder scan)"),
    ]
    assert (almere.vertegenwoordiger, almere.collegebesluit_op.isoformat(), almere.ontvangen_op) == (
        rij[5], rij[7], ontvangen)

    # Idempotent: a second run changes nothing and says so.
    aantal = sum(ov.history.count() for ov in Samenwerkingsovereenkomst.objects.all())
    call_command("importeer_register", str(bestand), "--convenant", "2023-2027")
    assert "Niets gewijzigd" in capsys.readouterr().out
    assert sum(ov.history.count() for ov in Samenwerkingsovereenkomst.objects.all()) == aantal


def test_xlsx_en_dry_run_schrijven_niets(tmp_path, referentiedata, capsys):
    pad = tmp_path / "register.xlsx"
    pad.write_bytes(als_xlsx(register_rijen()))
    call_command("importeer_register", str(pad), "--convenant", "2023-2027", "--dry-run")
    uit = capsys.readouterr().out
    assert "120 stappen vast te leggen" in uit and "Proefdraai" in uit
    assert getekend() == 1
    call_command("importeer_register", str(pad), "--convenant", "2023-2027")
    assert getekend() == 41


def test_elke_foute_regel_met_nummer_en_reden_en_niets_opgeslagen(tmp_path, referentiedata, capsys):
    rijen = register_rijen()
    per_naam = {r[1]: r for r in rijen}
    almere, amersfoort, apeldoorn, arnhem, breda = (
        per_naam[n] for n in ("Almere", "Amersfoort", "Apeldoorn", "Arnhem", "Breda"))
    almere[4] = "2022-12-01"          # received before sent
    amersfoort[4] = "31-02-2023"      # no such date
    apeldoorn[2] = "2030-01-01"       # sent in the future
    arnhem[0] = "GM9999"              # unknown code
    breda[3] = ""                     # sent, but to whom?
    rijen.append(list(per_naam["Alkmaar"]))  # twice
    regel = {r[1]: i + 2 for i, r in enumerate(rijen)}  # line 1 is the header
    pad = tmp_path / "fout.csv"
    pad.write_bytes(als_csv(rijen))
    with pytest.raises(CommandError, match="Import geweigerd: 6 fout"):
        call_command("importeer_register", str(pad), "--convenant", "2023-2027")
    fout = capsys.readouterr().err
    assert (f"Regel {regel['Almere']}: Almere (2023-2027): de ontvangstdatum (1 december 2022) ligt vóór de "
            f"verzending (22 december 2022).") in fout
    assert f"Regel {regel['Amersfoort']}: Amersfoort: ontvangen_op: ‘31-02-2023’ bestaat niet als datum." in fout
    assert (f"Regel {regel['Apeldoorn']}: Apeldoorn (2023-2027): De verzenddatum (1 januari 2030) ligt in de "
            f"toekomst.") in fout
    assert f"Regel {regel['Arnhem']}: onbekende cbs_code ‘GM9999’" in fout
    assert f"Regel {regel['Breda']}: Breda: vul verzonden_aan in" in fout
    eerste_alkmaar = next(i + 2 for i, r in enumerate(rijen) if r[1] == "Alkmaar")
    assert f"Regel 43: Alkmaar: dubbel, staat ook op regel {eerste_alkmaar}" in fout
    # All or nothing: the good rows were rolled back too.
    assert getekend() == 1
    assert Samenwerkingsovereenkomst.objects.get(convenant__slug="2023-2027", gemeente__naam="Zwolle").status \
        == Status.CONCEPT


def test_ondertekend_ligt_vast_en_afwijkende_ontvangst_wordt_geweigerd(tmp_path, referentiedata):
    pad = tmp_path / "deventer.csv"
    pad.write_bytes(als_csv([["GM0150", "Deventer", "", "", "2023-01-11", "R.C. König", "wethouder", "", "", ""]]))
    uitkomst = register.importeer(pad.read_bytes(), pad.name,
                                  Samenwerkingsovereenkomst.objects.get(gemeente__naam="Deventer",
                                                                        convenant__slug="2023-2027").convenant,
                                  opslaan=True)
    assert not uitkomst.geldig
    assert "vertegenwoordiger_functie is ‘burgemeester’, niet ‘wethouder’" in str(uitkomst.fouten[0])


def test_opzegging_via_register(tmp_path, referentiedata):
    kop = ["gemeente", "opzegging_verzonden_op", "opzegging_ontvangen_op", "opgezegd_door"]
    pad = tmp_path / "opzegging.csv"
    pad.write_bytes(als_csv([["Deventer", "31-08-2025", "2025-09-02", "Gemeente"]], kop=kop))
    call_command("importeer_register", str(pad), "--convenant", "2023-2027")
    ov = Samenwerkingsovereenkomst.objects.get(gemeente__naam="Deventer", convenant__slug="2023-2027")
    assert (ov.status, ov.opgezegd_door, ov.einddatum) == (Status.OPGEZEGD, "gemeente", D(2025, 12, 31))
    pad.write_bytes(als_csv([["Deventer", "31-08-2025", "", "platform31"]], kop=kop))
    with pytest.raises(CommandError):
        call_command("importeer_register", str(pad), "--convenant", "2023-2027")


@pytest.mark.parametrize(("inhoud", "melding"), [
    (b"", "Het bestand is leeg."),
    (b"cbs_code,kleur\nGM0150,rood\n", "Onbekende kolom: kleur."),
    (b"verzonden_op\n2023-01-01\n", "geen kolom cbs_code of gemeente"),
])
def test_bestand_zelf_geweigerd(tmp_path, referentiedata, inhoud, melding):
    uitkomst = register.importeer(inhoud, "x.csv", Samenwerkingsovereenkomst.objects.first().convenant, opslaan=True)
    assert melding in " ".join(str(f) for f in uitkomst.fouten)


# --- admin: upload → preview → confirm ---------------------------------------------------

def test_admin_register_import(referentiedata, client, django_user_model):
    secretaris = maak_gebruiker(django_user_model, "G40-secretariaat", "sec")
    client.force_login(secretaris)
    lijst = client.get(reverse("admin:overeenkomsten_samenwerkingsovereenkomst_changelist")).content.decode()
    url = reverse("admin:overeenkomsten_samenwerkingsovereenkomst_register")
    assert url in lijst
    inhoud = als_csv(register_rijen())
    r = client.post(url, {"convenant": Samenwerkingsovereenkomst.objects.filter(
        convenant__slug="2023-2027").first().convenant_id,
        "bestand": SimpleUploadedFile("register.csv", inhoud, content_type="text/csv")})
    html = r.content.decode()
    assert r.status_code == 200 and "120 stappen vast te leggen" in html and "Doorvoeren" in html
    assert getekend() == 1  # the preview wrote nothing
    r = client.post(url, {"token": r.context["token"], "bevestig": "1"}, follow=True)
    assert "120 stappen vastgelegd" in r.content.decode()
    assert getekend() == 41
    ov = Samenwerkingsovereenkomst.objects.get(gemeente__naam="Almere", convenant__slug="2023-2027")
    assert ov.history.first().history_user == secretaris


@pytest.mark.parametrize(("rol", "verwacht"), [
    ("G40-secretariaat", 200), ("Relatiemanager Platform31", 403), ("Lezer", 403), ("G40-coördinator", 403),
])
def test_admin_register_import_alleen_voor_secretariaat(referentiedata, client, django_user_model, rol, verwacht):
    gemeente = Gemeente.objects.get(naam="Zwolle") if rol == "G40-coördinator" else None
    client.force_login(maak_gebruiker(django_user_model, rol, "iemand", gemeente=gemeente))
    assert client.get(reverse("admin:overeenkomsten_samenwerkingsovereenkomst_register")).status_code == verwacht


def test_admin_register_import_anoniem_naar_login(referentiedata, client):
    r = client.get(reverse("admin:overeenkomsten_samenwerkingsovereenkomst_register"))
    assert r.status_code == 302 and "/login/" in r["Location"]


def test_onbekende_ontvangstdatum_2019_2022_wordt_ingevuld(tmp_path, referentiedata):
    pad = tmp_path / "register-2019.csv"
    pad.write_bytes(als_csv([["GM0392", "Haarlem", "2019-03-12"]], kop=["cbs_code", "gemeente", "ontvangen_op"]))
    call_command("importeer_register", str(pad), "--convenant", "2019-2022")
    ov = Samenwerkingsovereenkomst.objects.get(convenant__slug="2019-2022", gemeente__naam="Haarlem")
    assert (ov.status, ov.ontvangen_op, ov.datum_onbekend) == (Status.ONDERTEKEND, D(2019, 3, 12), False)
    assert ov.history.first().history_change_reason == (
        "Register register-2019.csv: Ontvangstdatum ingevuld (was onbekend): 12 maart 2019")
