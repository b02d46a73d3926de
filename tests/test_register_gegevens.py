"""Municipality data in bulk and the sheet of what is still missing, collected and read back."""

import csv
import io

from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

import pytest

from gemeenten.models import Gemeente
from overeenkomsten import pdf, rapportages
from overeenkomsten.models import Samenwerkingsovereenkomst

from .bureau import maak_gebruiker

pytestmark = pytest.mark.django_db


def lees(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_gemeentegegevens_importeren_en_idempotent(tmp_path, referentiedata, beheerder, capsys):
    pad = tmp_path / "gemeenten.csv"
    pad.write_text("cbs_code;adres;plaats;contact_email\nGM0034;Stadhuisplein 1;Almere;g40@almere.nl\n"
                   "GM0193;Grote Kerkplein 15;Zwolle;\n", encoding="utf-8")
    call_command("importeer_gemeentegegevens", str(pad), "--gebruiker", "testbeheerder")
    almere = Gemeente.objects.get(cbs_code="GM0034")
    assert (almere.adres, almere.plaats, almere.contact_email) == ("Stadhuisplein 1", "Almere", "g40@almere.nl")
    assert almere.history.first().history_change_reason == "Gemeentegegevens gemeenten.csv"
    assert almere.history.first().history_user == beheerder
    assert Gemeente.objects.get(cbs_code="GM0193").contact_email == ""  # empty cell: unchanged
    capsys.readouterr()
    call_command("importeer_gemeentegegevens", str(pad))
    assert "Niets gewijzigd" in capsys.readouterr().out


def test_gemeentegegevens_gevalideerd_alles_of_niets(tmp_path, referentiedata, capsys):
    pad = tmp_path / "fout.csv"
    pad.write_text("gemeente,adres,contact_email\nAlmere,Stadhuisplein 1,g40@almere.nl\n"
                   "Zwolle,,geen-adres\nNergenshuizen,x,\nArnhem," + "x" * 201 + ",\n", encoding="utf-8")
    with pytest.raises(CommandError, match="3 fout"):
        call_command("importeer_gemeentegegevens", str(pad))
    fout = capsys.readouterr().err
    assert "Regel 3: Zwolle: contact_email:" in fout and "e-mailadres" in fout
    assert "Regel 4: onbekende gemeente ‘Nergenshuizen’" in fout
    assert "Regel 5: Arnhem: adres:" in fout and "200" in fout
    assert Gemeente.objects.get(naam="Almere").adres == ""  # the good row was not saved either


def test_ontbrekend_verzamelen_en_terug_inlezen(tmp_path, referentiedata, capsys):
    from convenant.models import Convenant

    c = Convenant.objects.get(slug="2023-2027")
    tabel = rapportages.ontbrekende_gegevens(c)
    assert len(tabel.rijen) == 40  # Deventer is signed; everyone else lacks the college decision etc.
    almere = next(r for r in tabel.rijen if r["gemeente"] == "Almere")
    assert almere["ontbreekt"] == ("vertegenwoordiger, vertegenwoordiger_functie, collegebesluit_op, adres, "
                                   "plaats, contact_email")

    uit = tmp_path / "ontbrekend.csv"
    call_command("ontbrekende_gegevens", "--convenant", "2023-2027", "--out", str(uit))
    rijen = lees(uit.read_bytes())
    assert list(rijen[0])[:4] == ["cbs_code", "gemeente", "status", "ontbreekt"]
    # The collector fills in Almere's row; the same sheet goes into both imports.
    for r in rijen:
        if r["gemeente"] == "Almere":
            r.update(adres="Stadhuisplein 1", plaats="Almere", contact_email="g40@almere.nl",
                     vertegenwoordiger="A. Burgemeester", vertegenwoordiger_functie="burgemeester",
                     collegebesluit_op="14-02-2023")
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rijen[0]))
    w.writeheader()
    w.writerows(rijen)
    uit.write_text(buf.getvalue(), encoding="utf-8")
    call_command("importeer_gemeentegegevens", str(uit))
    call_command("importeer_register", str(uit), "--convenant", "2023-2027")
    ov = Samenwerkingsovereenkomst.objects.select_related("gemeente", "convenant").get(
        convenant=c, gemeente__naam="Almere")
    assert pdf.ontbrekende_velden(ov) == []  # the final PDF can now be made
    assert "Almere" not in {r["gemeente"] for r in rapportages.ontbrekende_gegevens(c).rijen}


@pytest.mark.parametrize(("rol", "verwacht"), [
    ("G40-secretariaat", 200), ("Relatiemanager Platform31", 200), ("Lezer", 200), ("G40-coördinator", 403),
])
def test_ontbrekend_download_in_admin(referentiedata, client, django_user_model, rol, verwacht):
    gemeente = Gemeente.objects.get(naam="Zwolle") if rol == "G40-coördinator" else None
    client.force_login(maak_gebruiker(django_user_model, rol, "iemand", gemeente=gemeente))
    url = reverse("admin:overeenkomsten_samenwerkingsovereenkomst_ontbrekend", args=["2023-2027"])
    r = client.get(url)
    assert r.status_code == verwacht
    if verwacht == 200:
        assert len(lees(r.content)) == 40
        lijst = client.get(reverse("admin:overeenkomsten_samenwerkingsovereenkomst_changelist")).content.decode()
        assert url in lijst
