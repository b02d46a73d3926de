"""The next convenant, one command away; the comparison shows what budget memos quote."""

import datetime
import io
from decimal import Decimal

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest

from convenant.models import Convenant
from gemeenten.models import Inwonertal
from overeenkomsten import rapportages
from overeenkomsten.constants import Status
from overeenkomsten.models import Samenwerkingsovereenkomst

pytestmark = pytest.mark.django_db
D = datetime.date
ARGS = ["maak_opvolger", "--van", "2023-2027", "--slug", "2028-2032", "--ingangsdatum", "2028-01-01",
        "--einddatum", "2032-12-31", "--bijdrage", "0.17", "--peildatum", "2027-01-01"]


def commando(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_opvolger_met_41_concept_overeenkomsten(referentiedata):
    uit = commando(*ARGS)
    assert "met 41 concept-overeenkomsten" in uit and "41 met een voorlopig inwonertal" in uit
    oud, nieuw = Convenant.objects.get(slug="2023-2027"), Convenant.objects.get(slug="2028-2032")
    assert (nieuw.ingangsdatum, nieuw.einddatum, nieuw.bijdrage_per_inwoner, nieuw.peildatum) == (
        D(2028, 1, 1), D(2032, 12, 31), Decimal("0.17"), D(2027, 1, 1))
    assert (nieuw.platform31, nieuw.g40, nieuw.vertegenwoordiger_g40, nieuw.sjabloon) == (
        oud.platform31, oud.g40, oud.vertegenwoordiger_g40, oud.sjabloon)
    assert "2028 t/m 2032" in nieuw.titel and "2023" not in nieuw.titel
    ovs = Samenwerkingsovereenkomst.objects.filter(convenant=nieuw)
    assert ovs.count() == 41 and set(ovs.values_list("status", flat=True)) == {Status.CONCEPT}
    deventer = ovs.get(gemeente__naam="Deventer")
    # No CBS figure on 1 January 2027 yet: the 2022 figure stands in, said so.
    assert (deventer.inwoners, deventer.peildatum) == (101446, D(2022, 1, 1))
    assert deventer.bedrag_per_jaar == Decimal("17245.82")   # 101.446 × € 0,17
    assert "Voorlopig" in deventer.opmerking
    assert deventer.vertegenwoordiger == "R.C. König"
    with pytest.raises(CommandError, match="bestaat al"):
        commando(*ARGS)


def test_met_cbs_cijfer_op_de_peildatum(referentiedata):
    deventer = Samenwerkingsovereenkomst.objects.get(convenant__slug="2023-2027", gemeente__naam="Deventer").gemeente
    Inwonertal.objects.create(gemeente=deventer, peildatum=D(2027, 1, 1), aantal=103000)
    commando(*ARGS)
    ov = Samenwerkingsovereenkomst.objects.get(convenant__slug="2028-2032", gemeente=deventer)
    assert (ov.inwoners, ov.peildatum, ov.opmerking) == (103000, D(2027, 1, 1), "")


@pytest.mark.parametrize("wijziging,melding", [
    ({"--ingangsdatum": "2027-06-01"}, "ligt niet na het einde"),
    ({"--einddatum": "2027-12-31"}, "na de ingangsdatum"),
    ({"--bijdrage": "0"}, "groter dan nul"),
    ({"--peildatum": "2029-01-01"}, "peildatum ligt na"),
    ({"--van": "bestaat-niet"}, "bestaat niet"),
])
def test_foute_invoer_maakt_niets(referentiedata, wijziging, melding):
    args = list(ARGS)
    for optie, waarde in wijziging.items():
        args[args.index(optie) + 1] = waarde
    with pytest.raises(CommandError, match=melding):
        commando(*args)
    assert not Convenant.objects.filter(slug="2028-2032").exists()


def test_vergelijking_toont_wat_het_raadsvoorstel_van_deventer_noemt(referentiedata):
    oud, nieuw = Convenant.objects.get(slug="2019-2022"), Convenant.objects.get(slug="2023-2027")
    tabel = rapportages.vergelijking(oud, nieuw)
    d = next(r for r in tabel.rijen if r["gemeente"] == "Deventer")
    assert d["tariefeffect_nieuw"] == Decimal("2028.92")          # "€ 2.029"
    assert d["tariefstijging_procent"] == Decimal("13.33")         # "13,33%"
    assert d["verschil_procent"] == (d["verschil"] * 100 / d["bedrag_oud"]).quantize(Decimal("0.01"))
    namen = [k.naam for k in tabel.kolommen]
    assert {"verschil_procent", "tariefeffect_nieuw", "tariefstijging_procent"} <= set(namen)


def test_vergelijking_met_de_opvolger(referentiedata, beheerder_client):
    commando(*ARGS)
    tabel = rapportages.vergelijking(Convenant.objects.get(slug="2023-2027"), Convenant.objects.get(slug="2028-2032"))
    d = next(r for r in tabel.rijen if r["gemeente"] == "Deventer")
    assert (d["bedrag_oud"], d["bedrag_nieuw"]) == (Decimal("15216.90"), Decimal("17245.82"))
    assert d["verschil"] == Decimal("2028.92") and d["verschil_procent"] == Decimal("13.33")
    assert d["tariefstijging_procent"] == Decimal("11.76")        # € 0,02 / € 0,17
    r = beheerder_client.get("/rapportages/vergelijking/?oud=2023-2027&nieuw=2028-2032")
    assert r.status_code == 200
    assert "13,33 %" in r.content.decode() and "11,76 %" in r.content.decode()


def test_na_de_cbs_import_kloppen_de_concepten(referentiedata, tmp_path):
    commando(*ARGS)
    nieuw = Samenwerkingsovereenkomst.objects.filter(convenant__slug="2028-2032")
    codes = nieuw.values_list("gemeente__cbs_code", flat=True)
    # Almere's 2027 figure happens to equal its stand-in 2022 figure; Zwolle's remark has a line of the user's own.
    almere = nieuw.get(gemeente__naam="Almere")
    zwolle = nieuw.get(gemeente__naam="Zwolle")
    nieuw.filter(pk=zwolle.pk).update(opmerking=zwolle.opmerking + " Contact via de griffie.")
    cijfer = {"GM0150": 200000, almere.gemeente.cbs_code: almere.inwoners}
    pad = tmp_path / "cbs-2027.csv"
    pad.write_text("cbs_code,inwoners\n" + "".join(f"{c},{cijfer.get(c, 100000)}\n" for c in codes))
    uit = io.StringIO()
    call_command("importeer_inwoners", str(pad), "--peildatum", "2027-01-01", "--werk-concepten-bij",
                 stdout=uit, stderr=io.StringIO())
    assert "wordt bijgewerkt: zelfde aantal, nu op deze peildatum" in uit.getvalue()
    ov = Samenwerkingsovereenkomst.objects.get(convenant__slug="2028-2032", gemeente__cbs_code="GM0150")
    assert (ov.inwoners, ov.peildatum, ov.bedrag_per_jaar) == (200000, D(2027, 1, 1), Decimal("34000.00"))
    # No longer provisional: every concept stands on the 2027 figure, and the remark saying otherwise is gone.
    assert set(nieuw.values_list("peildatum", flat=True)) == {D(2027, 1, 1)}
    assert not nieuw.filter(opmerking__contains="Voorlopig").exists()
    almere.refresh_from_db()
    zwolle.refresh_from_db()
    assert (almere.peildatum, almere.opmerking) == (D(2027, 1, 1), "")
    assert zwolle.opmerking == "Contact via de griffie."
    tabel = rapportages.vergelijking(Convenant.objects.get(slug="2023-2027"), Convenant.objects.get(slug="2028-2032"))
    d = next(r for r in tabel.rijen if r["gemeente"] == "Deventer")
    assert d["tariefeffect_nieuw"] == Decimal("4000.00")   # € 0,02 × 200.000
