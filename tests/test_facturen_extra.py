"""Extra contributions per activity or project, invoiced as their own invoices."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

import pytest

from convenant.models import Convenant
from facturen import services
from facturen.constants import FactuurSoort, RegelSoort, Uitgangspunt
from facturen.models import ExtraBijdrage, Factuur
from gemeenten.models import Gemeente
from jaarplannen.models import Activiteit

from .test_facturen import D

pytestmark = pytest.mark.django_db


@pytest.fixture
def extra(referentiedata):
    activiteit = Activiteit.objects.filter(jaarplan__convenant__slug="2023-2027").first()
    e = ExtraBijdrage.objects.create(
        convenant=Convenant.objects.get(slug="2023-2027"), jaar=activiteit.jaarplan.jaar, activiteit=activiteit,
        omschrijving="Adviestraject eigen casuïstiek", uitgangspunt=Uitgangspunt.EIGEN_CASUS,
        bedrag_per_stad=Decimal("2500.00"))
    e.deelnemers.set(Gemeente.objects.filter(naam__in=["Deventer", "Zwolle", "Almere"]))
    return e


def test_eigen_factuur_per_deelnemende_stad_en_niet_twee_keer(extra):
    nieuw = services.factureer_extra_bijdrage(extra, factuurdatum=D(2024, 5, 1))
    assert sorted(f.gemeente.naam for f in nieuw) == ["Almere", "Deventer", "Zwolle"]
    f = next(f for f in nieuw if f.gemeente.naam == "Deventer")
    assert f.soort == FactuurSoort.EXTRA_BIJDRAGE and f.bedrag_excl_btw == Decimal("2500.00")
    assert f.btw_bedrag == Decimal("525.00") and f.regels.get().soort == RegelSoort.EXTRA
    assert f.overeenkomst.gemeente == f.gemeente
    assert services.factureer_extra_bijdrage(extra, factuurdatum=D(2024, 5, 1)) == []
    assert Factuur.objects.filter(extra_bijdrage=extra).count() == 3
    with pytest.raises(IntegrityError), transaction.atomic():
        Factuur.objects.create(nummer="2024-9000", soort=FactuurSoort.EXTRA_BIJDRAGE, extra_bijdrage=extra,
                               convenant=extra.convenant, jaar=extra.jaar, gemeente=f.gemeente, omschrijving="x",
                               factuurdatum=D(2024, 5, 1), vervaldatum=D(2024, 5, 31), btw_percentage=Decimal("21"))


def test_dry_run_maakt_niets(extra):
    assert len(services.factureer_extra_bijdrage(extra, dry_run=True)) == 3
    assert not Factuur.objects.exists()


@pytest.mark.parametrize("uitgangspunt", [Uitgangspunt.ALGEMEEN, Uitgangspunt.BIJEENKOMST])
def test_geen_eigen_bijdrage_bij_algemene_projecten_en_bijeenkomsten(extra, uitgangspunt):
    extra.uitgangspunt = uitgangspunt
    with pytest.raises(ValidationError, match="geen eigen bijdrage"):
        extra.full_clean()
    extra.bedrag_per_stad = Decimal("0")
    extra.full_clean()
    extra.save()
    with pytest.raises(ValidationError, match="geen bijdrage gevraagd"):
        services.factureer_extra_bijdrage(extra)


def test_activiteit_of_projectblad_niet_beide_of_geen(extra):
    extra.activiteit = None
    with pytest.raises(ValidationError, match="één van beide"):
        extra.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        extra.save()
