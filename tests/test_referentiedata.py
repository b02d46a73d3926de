import csv
import datetime
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command
from django.db.models import Sum

import pytest

from convenant.models import Convenant, Themagroep
from gemeenten.models import Gemeente, Inwonertal
from jaarplannen.models import Jaarplan
from overeenkomsten.constants import Status
from overeenkomsten.models import Samenwerkingsovereenkomst

CSV = Path(__file__).resolve().parent.parent / "fixtures" / "g40_gemeenten.csv"
pytestmark = pytest.mark.django_db


def csv_rijen():
    with CSV.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_41_gemeenten_met_bedrag_2023_2027(referentiedata):
    rijen = {r["cbs_code"]: int(r["inwoners_2022_01_01"]) for r in csv_rijen()}
    assert len(rijen) == 41
    overeenkomsten = Samenwerkingsovereenkomst.objects.filter(convenant__slug="2023-2027").select_related("gemeente")
    assert overeenkomsten.count() == 41
    for ov in overeenkomsten:
        # € 0,15 per inhabitant is exactly 15 cents: no rounding involved, checked in integers
        assert ov.inwoners == rijen[ov.gemeente.cbs_code]
        assert ov.bedrag_per_jaar * 100 == ov.inwoners * 15, ov.gemeente
    totaal = overeenkomsten.aggregate(s=Sum("bedrag_per_jaar"), i=Sum("inwoners"))
    assert totaal["i"] == 5_230_954
    assert totaal["s"] == Decimal("784643.10")


def test_deventer_exact(referentiedata):
    ov = Samenwerkingsovereenkomst.objects.get(convenant__slug="2023-2027", gemeente__naam="Deventer")
    assert ov.inwoners == 101446
    assert ov.bedrag_per_jaar == Decimal("15216.90")
    assert ov.status == Status.ONDERTEKEND
    assert ov.vertegenwoordiger == "R.C. König"
    assert ov.collegebesluit_op == datetime.date(2023, 1, 10)
    assert ov.gemeente.adres == "Grote Kerkhof 1"


def test_convenant_2019_2022(referentiedata):
    c = Convenant.objects.get(slug="2019-2022")
    assert c.bijdrage_per_inwoner == Decimal("0.13")
    assert c.peildatum == datetime.date(2018, 1, 1)
    ovs = Samenwerkingsovereenkomst.objects.filter(convenant=c)
    assert ovs.count() == 40
    assert not ovs.filter(gemeente__naam="Amstelveen").exists()
    haarlem = ovs.get(gemeente__naam="Haarlem")
    assert haarlem.bedrag_per_jaar == Decimal("20762.17")  # Haarlem budgets € 20.762
    for ov in ovs:
        assert ov.bedrag_per_jaar * 100 == ov.inwoners * 13


def test_pijlers_themagroepen_en_jaarplannen(referentiedata):
    assert Themagroep.objects.count() == 15
    assert Themagroep.objects.filter(pijler__isnull=True).count() == 4
    duurzaamheid = Themagroep.objects.get(naam="Duurzaamheid")
    assert set(duurzaamheid.raakt_aan.values_list("naam", flat=True)) >= {
        "Armoede en schuldhulpverlening", "Woningmarkt", "Leefomgeving en stedelijke transformatie",
    }
    plannen = Jaarplan.objects.filter(convenant__slug="2023-2027").order_by("jaar")
    assert [p.jaar for p in plannen] == [2023, 2024, 2025, 2026, 2027]
    assert plannen[0].gereed_uiterlijk == datetime.date(2023, 3, 1)
    assert plannen[1].gereed_uiterlijk == datetime.date(2024, 1, 1)


def tel_rijen():
    models = [Convenant, Gemeente, Inwonertal, Samenwerkingsovereenkomst, Jaarplan, Themagroep]
    return {m.__name__: sorted(m.objects.values_list("pk", flat=True)) for m in models}


def test_bootstrap_twee_keer_wijzigt_niets(capsys):
    call_command("bootstrap")
    eerst = tel_rijen()
    deventer = Samenwerkingsovereenkomst.objects.get(convenant__slug="2023-2027", gemeente__naam="Deventer")
    # A user's edit survives a second bootstrap.
    Samenwerkingsovereenkomst.objects.filter(pk=deventer.pk).update(opmerking="eigen notitie")
    capsys.readouterr()
    call_command("bootstrap")
    assert "niets gewijzigd" in capsys.readouterr().out
    assert tel_rijen() == eerst
    assert Samenwerkingsovereenkomst.objects.get(pk=deventer.pk).opmerking == "eigen notitie"
    assert Gemeente.objects.count() == 41
