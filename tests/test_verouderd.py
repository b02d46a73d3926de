"""No lost edits (issue 9): a save from a stale change form is refused, naming who changed what.

Two clients open the same change form; the first saves; the second's save is
refused with a message that names the first user and the changed fields, the
form comes back with the second user's input, and the database keeps the
first user's value. Saving again after that message is a conscious overwrite.
"""

import datetime

from django.test import Client
from django.urls import reverse

import pytest

from convenant import toegang
from gemeenten.models import Gemeente
from jaarplannen.models import Activiteit, Evaluatie, Jaarplan
from overeenkomsten.models import Samenwerkingsovereenkomst

from .bureau import formulierdata, maak_gebruiker

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def twee_beheerders(referentiedata, django_user_model):
    a = django_user_model.objects.create_superuser("anna", "anna@example.org", "pw-test-123",
                                                   first_name="Anna", last_name="Eerst")
    b = django_user_model.objects.create_superuser("bram", "bram@example.org", "pw-test-123",
                                                   first_name="Bram", last_name="Later")
    return a, b


def _plan():
    return Jaarplan.objects.filter(activiteiten__isnull=False).distinct().order_by("jaar").first()


def _evaluatie():
    return Evaluatie.objects.create(jaarplan=_plan(), moment="juli", datum=datetime.date(2023, 7, 10))


def _deventer():
    return Samenwerkingsovereenkomst.objects.get(convenant__slug="2023-2027", gemeente__naam="Deventer")


GEVALLEN = {
    # name: (admin url, object, form field, label in the message, model field)
    "overeenkomst": ("admin:overeenkomsten_samenwerkingsovereenkomst_change",
                     _deventer, "opmerking", "opmerking"),
    "gemeente": ("admin:gemeenten_gemeente_change", lambda: Gemeente.objects.get(naam="Deventer"),
                 "opmerking", "opmerking"),
    "jaarplan": ("admin:jaarplannen_jaarplan_change", _plan, "toelichting", "toelichting"),
    "evaluatie": ("admin:jaarplannen_evaluatie_change", _evaluatie, "samenvatting", "samenvatting"),
    "activiteit": ("admin:jaarplannen_activiteit_change",
                   lambda: Activiteit.objects.order_by("pk").first(), "titel", "titel"),
}


@pytest.mark.parametrize("geval", list(GEVALLEN))
def test_tweede_opslag_uit_verouderd_formulier_geweigerd(geval, twee_beheerders):
    url_naam, maak, veld, label = GEVALLEN[geval]
    obj = maak()
    url = reverse(url_naam, args=[obj.pk])
    anna, bram = (_client(u) for u in twee_beheerders)

    formulier_anna = formulierdata(anna.get(url))
    formulier_bram = formulierdata(bram.get(url))
    assert formulier_anna.get("g40_versie"), "het formulier draagt zijn versie"

    formulier_anna[veld] = "Waarde van Anna"
    antwoord = anna.post(url, formulier_anna)
    assert antwoord.status_code == 302, antwoord.context["adminform"].form.errors if antwoord.context else ""

    formulier_bram[veld] = "Waarde van Bram"
    antwoord = bram.post(url, formulier_bram)
    assert antwoord.status_code == 200  # the form again, not a redirect
    melding = " ".join(antwoord.context["adminform"].form.non_field_errors())
    assert "Niet opgeslagen" in melding and "Anna Eerst" in melding and label in melding, melding
    tekst = antwoord.content.decode()
    assert melding.split(":")[0] in tekst
    assert "Waarde van Bram" in tekst  # the user's input is kept on the page
    obj.refresh_from_db()
    assert getattr(obj, veld) == "Waarde van Anna"

    # Having seen the message, saving again overwrites consciously.
    opnieuw = formulierdata(antwoord)
    assert opnieuw[veld] == "Waarde van Bram"
    assert bram.post(url, opnieuw).status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, veld) == "Waarde van Bram"


def test_wie_na_de_opslag_opent_kan_gewoon_opslaan(twee_beheerders):
    url_naam, maak, veld, _ = GEVALLEN["gemeente"]
    obj = maak()
    url = reverse(url_naam, args=[obj.pk])
    anna, bram = (_client(u) for u in twee_beheerders)
    formulier = formulierdata(anna.get(url))
    formulier[veld] = "eerst"
    assert anna.post(url, formulier).status_code == 302
    formulier = formulierdata(bram.get(url))
    formulier[veld] = "daarna"
    assert bram.post(url, formulier).status_code == 302
    obj.refresh_from_db()
    assert obj.opmerking == "daarna"


def test_wijziging_van_een_activiteit_maakt_het_jaarplan_verouderd(twee_beheerders):
    """Activities are inline on the jaarplan page: a change there is a change of that page."""
    plan = _plan()
    url = reverse("admin:jaarplannen_jaarplan_change", args=[plan.pk])
    anna, bram = (_client(u) for u in twee_beheerders)
    formulier_bram = formulierdata(bram.get(url))
    activiteit = plan.activiteiten.order_by("pk").first()
    formulier_anna = formulierdata(anna.get(reverse("admin:jaarplannen_activiteit_change", args=[activiteit.pk])))
    formulier_anna["budget"] = "1234,00"
    assert anna.post(reverse("admin:jaarplannen_activiteit_change", args=[activiteit.pk]),
                     formulier_anna).status_code == 302

    formulier_bram["toelichting"] = "Bram"
    antwoord = bram.post(url, formulier_bram)
    assert antwoord.status_code == 200
    melding = " ".join(antwoord.context["adminform"].form.non_field_errors())
    assert "Anna Eerst" in melding and "activiteit" in melding and "budget" in melding, melding
    activiteit.refresh_from_db()
    assert str(activiteit.budget) == "1234.00"  # the inline did not overwrite Anna's budget


def test_twee_relatiemanagers_op_een_overeenkomst(referentiedata, django_user_model):
    """The same with the role that edits agreements, not only administrators."""
    ov = Samenwerkingsovereenkomst.objects.get(convenant__slug="2023-2027", gemeente__naam="Almere")
    eerste = maak_gebruiker(django_user_model, toegang.RELATIEMANAGER, "rm-een")
    tweede = maak_gebruiker(django_user_model, toegang.RELATIEMANAGER, "rm-twee")
    url = reverse("admin:overeenkomsten_samenwerkingsovereenkomst_change", args=[ov.pk])
    a, b = _client(eerste), _client(tweede)
    fa, fb = formulierdata(a.get(url)), formulierdata(b.get(url))
    fa["opmerking"], fb["opmerking"] = "een", "twee"
    assert a.post(url, fa).status_code == 302
    antwoord = b.post(url, fb)
    assert antwoord.status_code == 200
    assert "rm-een" in " ".join(antwoord.context["adminform"].form.non_field_errors())
    ov.refresh_from_db()
    assert ov.opmerking == "een"


def test_alleen_lezen_formulier_heeft_geen_versieveld(referentiedata, django_user_model):
    lezer = maak_gebruiker(django_user_model, toegang.LEZER, "lezer-v")
    ov = Samenwerkingsovereenkomst.objects.get(convenant__slug="2023-2027", gemeente__naam="Almere")
    antwoord = _client(lezer).get(reverse("admin:overeenkomsten_samenwerkingsovereenkomst_change", args=[ov.pk]))
    assert antwoord.status_code == 200 and "g40_versie" not in antwoord.content.decode()


def test_opslag_zonder_versie_wordt_geweigerd(twee_beheerders):
    gemeente = Gemeente.objects.get(naam="Deventer")
    url = reverse("admin:gemeenten_gemeente_change", args=[gemeente.pk])
    anna = _client(twee_beheerders[0])
    formulier = formulierdata(anna.get(url))
    del formulier["g40_versie"]
    formulier["opmerking"] = "zonder versie"
    antwoord = anna.post(url, formulier)
    assert antwoord.status_code == 200
    assert "mist de versie" in " ".join(antwoord.context["adminform"].form.non_field_errors())
    gemeente.refresh_from_db()
    assert gemeente.opmerking != "zonder versie"
    assert anna.post(url, formulierdata(antwoord)).status_code == 302  # now with the version: saved
    gemeente.refresh_from_db()
    assert gemeente.opmerking == "zonder versie"


def test_bijdrage_op_een_projectblad_gaat_niet_verloren(twee_beheerders):
    """The parties and contributions are inline on the projectblad: a change there makes an open form stale."""
    from decimal import Decimal

    from convenant.models import Convenant
    from jaarplannen.models import Projectblad, ProjectbladPartij

    blad = Projectblad.objects.create(convenant=Convenant.objects.get(slug="2019-2022"), jaar=2021,
                                      titel="Kennisdossier binnensteden", product="Een kennisdossier",
                                      planning="Q1–Q3 2021")
    partij = ProjectbladPartij.objects.create(projectblad=blad, partij="Platform31", bijdrage=Decimal("20000.00"))
    url = reverse("admin:jaarplannen_projectblad_change", args=[blad.pk])
    anna, bram = (_client(u) for u in twee_beheerders)
    formulier_anna, formulier_bram = formulierdata(anna.get(url)), formulierdata(bram.get(url))
    [sleutel] = [k for k, v in formulier_anna.items() if k.endswith("-bijdrage") and v]
    formulier_anna[sleutel] = "25000,00"
    assert anna.post(url, formulier_anna).status_code == 302

    formulier_bram["product"] = "Twee kennisdossiers"  # Bram's form still carries the old 20.000
    antwoord = bram.post(url, formulier_bram)
    assert antwoord.status_code == 200
    melding = " ".join(antwoord.context["adminform"].form.non_field_errors())
    assert "Anna Eerst" in melding and "betrokken partij ‘Platform31’: bijdrage" in melding, melding
    partij.refresh_from_db()
    blad.refresh_from_db()
    assert (partij.bijdrage, blad.product) == (Decimal("25000.00"), "Een kennisdossier")
