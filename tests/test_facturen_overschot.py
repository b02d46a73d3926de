"""The surplus settlement: divided to the cent (largest remainder) over the last year's invoices."""

import io
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

import pytest

from convenant.rules import verdeel_naar_rato
from facturen import services
from facturen.constants import FactuurSoort, RegelSoort
from facturen.models import Factuur, Factuurregel, Overschotverrekening

from .test_facturen import D, compleet, convenant, getekend, teken_alle, vul_platform31  # noqa: F401

C = Decimal("0.01")


# --- the rule --------------------------------------------------------------------------------

@pytest.mark.parametrize("totaal", ["0.00", "0.01", "0.02", "0.39", "0.40", "0.41", "1.00", "123.45",
                                    "9999.99", "100000.00", "618472.13"])
def test_verdeling_klopt_op_de_cent(totaal):
    gewichten = [Decimal(x) for x in ("15216.90", "23412.15", "8123.40", "15216.90", "44000.05")] * 8
    delen = verdeel_naar_rato(Decimal(totaal), gewichten)
    assert sum(delen) == Decimal(totaal)
    assert all(d >= 0 and d == d.quantize(C) for d in delen)
    som = sum(gewichten)
    for d, g in zip(delen, gewichten, strict=True):
        assert abs(d - Decimal(totaal) * g / som) < C    # never a cent or more from the exact share


def test_verdeling_eigenschappen_over_veel_willekeurige_bedragen():
    rnd = random.Random(20271231)
    for _ in range(500):
        n = rnd.randint(1, 45)
        gewichten = [Decimal(rnd.randint(1, 10_000_000)) / 100 for _ in range(n)]
        totaal = Decimal(rnd.choice([rnd.randint(0, n * 2), rnd.randint(0, 10**8)])) / 100
        delen = verdeel_naar_rato(totaal, gewichten)
        assert sum(delen) == totaal and len(delen) == n
        som = sum(gewichten)
        assert all(abs(d - totaal * g / som) < C for d, g in zip(delen, gewichten, strict=True))


def test_minder_centen_dan_steden_gaan_naar_de_grootste_resten():
    # 3 cents over 5 equal weights: the first three (ties go in order), the rest 0.
    assert verdeel_naar_rato(Decimal("0.03"), [Decimal(1)] * 5) == [C, C, C, 0 * C, 0 * C]
    # One cent: the largest weight gets it.
    assert verdeel_naar_rato(Decimal("0.01"), [Decimal(1), Decimal(3), Decimal(2)]) == [0 * C, C, 0 * C]


@pytest.mark.parametrize("totaal,melding", [("-1.00", "negatief"), ("0.001", "twee decimalen")])
def test_verdeling_weigert_onzin(totaal, melding):
    with pytest.raises(ValueError, match=melding):
        verdeel_naar_rato(Decimal(totaal), [Decimal(1)])


# --- settling on the 2027 invoices -------------------------------------------------------------


@pytest.fixture
def facturen_2027(compleet):  # noqa: F811
    services.factureer(compleet, 2027, factuurdatum=D(2027, 1, 4))
    return compleet


@pytest.mark.django_db
@pytest.mark.parametrize("bedrag", ["0.01", "0.40", "1.23", "12345.67", "250000.00"])
def test_overschot_van_elk_bedrag_op_de_cent_over_de_facturen_2027(facturen_2027, bedrag):
    delen = services.verreken_overschot(facturen_2027, Decimal(bedrag), D(2027, 6, 30))
    assert len(delen) == 41 and sum(d.deel for d in delen) == Decimal(bedrag)
    aftrek = sum(r.bedrag for r in Factuurregel.objects.filter(factuur__jaar=2027, soort=RegelSoort.VERREKENING))
    assert aftrek == -Decimal(bedrag)
    for d in delen:
        f = Factuur.objects.get(pk=d.factuur.pk)
        assert f.verrekening == -d.deel
        assert f.bedrag_excl_btw == d.grondslag - d.deel
    assert Overschotverrekening.objects.get(convenant=facturen_2027).bedrag == Decimal(bedrag)


@pytest.mark.django_db
def test_verzonden_factuur_krijgt_een_creditnota(facturen_2027):
    deventer = Factuur.objects.get(jaar=2027, gemeente__naam="Deventer")
    services.verzend(deventer, D(2027, 1, 5))
    delen = services.verreken_overschot(facturen_2027, Decimal("10000.00"), D(2027, 6, 30))
    d = next(d for d in delen if d.factuur.pk == deventer.pk)
    assert d.hoe == "creditnota"
    credit = Factuur.objects.get(soort=FactuurSoort.CREDITNOTA_VERREKENING)
    assert credit.crediteert == deventer and credit.bedrag_excl_btw == d.deel
    assert not deventer.regels.filter(soort=RegelSoort.VERREKENING).exists()
    assert not deventer.is_gecrediteerd   # partly settled, not credited in full


@pytest.mark.django_db
def test_dry_run_en_tweede_keer(facturen_2027):
    uit = io.StringIO()
    call_command("verreken_overschot", "--convenant", "2023-2027", "--bedrag", "1000", "--vastgesteld-op",
                 "2027-06-30", "--dry-run", stdout=uit)
    assert "Proefrun" in uit.getvalue() and "samen € 1.000,00" in uit.getvalue()
    assert not Overschotverrekening.objects.exists()
    assert not Factuur.objects.filter(regels__soort=RegelSoort.VERREKENING).exists()
    call_command("verreken_overschot", "--convenant", "2023-2027", "--bedrag", "1000", "--vastgesteld-op",
                 "2027-06-30", stdout=io.StringIO())
    with pytest.raises(CommandError, match="al een overschot verrekend"):
        call_command("verreken_overschot", "--convenant", "2023-2027", "--bedrag", "1000", "--vastgesteld-op",
                     "2027-06-30", stdout=io.StringIO())


@pytest.mark.django_db
@pytest.mark.parametrize("bedrag,melding", [("0", "groter dan nul"), ("1.234", "euro en centen"),
                                            ("abc", "geen bedrag"), ("99999999", "groter dan wat")])
def test_fout_bedrag_geeft_heldere_melding(facturen_2027, bedrag, melding):
    with pytest.raises(CommandError, match=melding):
        call_command("verreken_overschot", "--convenant", "2023-2027", "--bedrag", bedrag, "--vastgesteld-op",
                     "2027-06-30", stdout=io.StringIO())
    assert not Overschotverrekening.objects.exists()


@pytest.mark.django_db
def test_zonder_facturen_over_het_laatste_jaar(compleet):  # noqa: F811
    with pytest.raises(ValidationError, match="factureer dat jaar eerst"):
        services.verdeling_overschot(compleet, Decimal("100"))
