"""The database itself refuses bad rows, whatever code writes them."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

import pytest

from gemeenten.models import Gemeente, Inwonertal
from jaarplannen.models import Activiteit, Evaluatie, Jaarplan
from overeenkomsten.models import Samenwerkingsovereenkomst

pytestmark = pytest.mark.django_db


def deventer():
    return Gemeente.objects.get(naam="Deventer")


@pytest.mark.parametrize("aantal", [0, -5])
def test_inwonertal_nul_of_negatief_geweigerd(referentiedata, aantal):
    with pytest.raises(IntegrityError), transaction.atomic():
        Inwonertal.objects.create(gemeente=deventer(), peildatum=datetime.date(2023, 1, 1), aantal=aantal)


@pytest.mark.parametrize("aantal", [0, -5])
def test_overeenkomst_inwoners_nul_of_negatief_geweigerd(referentiedata, aantal):
    ov = Samenwerkingsovereenkomst.objects.get(convenant__slug="2023-2027", gemeente__naam="Almere")
    with pytest.raises(IntegrityError), transaction.atomic():
        Samenwerkingsovereenkomst.objects.filter(pk=ov.pk).update(inwoners=aantal)


def test_tweede_overeenkomst_zelfde_gemeente_en_convenant_geweigerd(referentiedata):
    ov = Samenwerkingsovereenkomst.objects.get(convenant__slug="2023-2027", gemeente__naam="Deventer")
    with pytest.raises(IntegrityError), transaction.atomic():
        Samenwerkingsovereenkomst.objects.create(
            convenant=ov.convenant, gemeente=ov.gemeente, inwoners=100, peildatum=ov.peildatum,
            bijdrage_per_inwoner=Decimal("0.15"),
        )


def test_ondertekend_zonder_ontvangstdatum_geweigerd(referentiedata):
    ov = Samenwerkingsovereenkomst.objects.get(convenant__slug="2023-2027", gemeente__naam="Almere")
    with pytest.raises(IntegrityError), transaction.atomic():
        Samenwerkingsovereenkomst.objects.filter(pk=ov.pk).update(status="ondertekend")


def test_tweede_juli_evaluatie_geweigerd(referentiedata):
    plan = Jaarplan.objects.get(convenant__slug="2023-2027", jaar=2024)
    Evaluatie.objects.create(jaarplan=plan, moment="juli", datum=datetime.date(2024, 7, 10))
    Evaluatie.objects.create(jaarplan=plan, moment="november", datum=datetime.date(2024, 11, 10))
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluatie.objects.create(jaarplan=plan, moment="juli", datum=datetime.date(2024, 7, 20))


def test_evaluatie_datum_in_haar_maand(referentiedata):
    plan = Jaarplan.objects.get(convenant__slug="2023-2027", jaar=2024)
    Evaluatie(jaarplan=plan, moment="juli", datum=datetime.date(2024, 7, 31)).full_clean()
    with pytest.raises(ValidationError, match="juli 2024"):
        Evaluatie(jaarplan=plan, moment="juli", datum=datetime.date(2024, 8, 1)).full_clean()


def test_thema_activiteit_zonder_themagroep_geweigerd(referentiedata):
    plan = Jaarplan.objects.get(convenant__slug="2023-2027", jaar=2024)
    with pytest.raises(IntegrityError), transaction.atomic():
        Activiteit.objects.create(jaarplan=plan, soort="thema", titel="x")


def test_jaarplan_vastgesteld_voor_gereed_geweigerd(referentiedata):
    plan = Jaarplan.objects.get(convenant__slug="2023-2027", jaar=2024)
    with pytest.raises(IntegrityError), transaction.atomic():
        Jaarplan.objects.filter(pk=plan.pk).update(
            status="vastgesteld", gereed_op=datetime.date(2024, 3, 1), vastgesteld_op=datetime.date(2024, 2, 1)
        )


def test_cbs_code_vorm(referentiedata):
    with pytest.raises(IntegrityError), transaction.atomic():
        Gemeente.objects.create(naam="Nergenshuizen", slug="nergenshuizen", cbs_code="0150")
