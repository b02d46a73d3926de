"""Termination by article 1.3: the sending date decides, the party is kept; ‘afgelopen’ is derived."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

import pytest

from bureau import dashboard
from convenant import rules
from overeenkomsten import rapportages, workflow
from overeenkomsten.constants import OpgezegdDoor, Status
from overeenkomsten.models import Samenwerkingsovereenkomst

from .bureau import installeer_nep_documenten

pytestmark = pytest.mark.django_db

D = datetime.date
CHANGELIST = "admin:overeenkomsten_samenwerkingsovereenkomst_changelist"


@pytest.fixture
def docs(monkeypatch):
    return installeer_nep_documenten(monkeypatch)


@pytest.fixture
def vandaag(monkeypatch):
    dag = {"d": D(2026, 12, 1)}
    monkeypatch.setattr(workflow, "vandaag", lambda: dag["d"])
    return dag


def ov_van(naam, slug="2023-2027"):
    return Samenwerkingsovereenkomst.objects.select_related("gemeente", "convenant").get(
        convenant__slug=slug, gemeente__naam=naam)


def test_regel_kijkt_naar_verzenddatum():
    # Article 1.3: "voor 1 september ... gezonden": sent on 31 August is in time.
    assert rules.einddatum_na_opzegging(D(2024, 8, 31), D(2027, 12, 31)) == D(2025, 1, 1)
    assert rules.einddatum_na_opzegging(D(2024, 9, 1), D(2027, 12, 31)) == D(2026, 1, 1)


def test_verzonden_voor_1_september_ontvangen_erna_telt_als_op_tijd(referentiedata, docs, vandaag, beheerder):
    ov = ov_van("Deventer")
    laatste = workflow.registreer_opzegging(ov, D(2025, 8, 29), beheerder, door=OpgezegdDoor.GEMEENTE,
                                            ontvangen_op=D(2025, 9, 2))
    assert laatste == D(2025, 12, 31)  # by the received date it would have been 31 December 2026
    ov = ov_van("Deventer")
    assert (ov.status, ov.opzegging_verzonden_op, ov.opzegging_ontvangen_op, ov.opgezegd_door) == (
        Status.OPGEZEGD, D(2025, 8, 29), D(2025, 9, 2), "gemeente")
    assert ov.einddatum == D(2025, 12, 31)
    assert ov.history.first().history_user == beheerder


def test_platform31_kan_opzeggen_zonder_bekende_ontvangstdatum(referentiedata, docs, vandaag):
    ov = ov_van("Deventer")
    workflow.registreer_opzegging(ov, D(2026, 9, 1), door=OpgezegdDoor.PLATFORM31)
    ov = ov_van("Deventer")
    assert (ov.opgezegd_door, ov.opzegging_ontvangen_op, ov.einddatum) == ("platform31", None, D(2027, 12, 31))


@pytest.mark.parametrize(("kwargs", "melding"), [
    ({"door": ""}, "kies wie de overeenkomst heeft opgezegd"),
    ({"door": "iemand"}, "kies wie de overeenkomst heeft opgezegd"),
    ({"door": "gemeente", "ontvangen_op": D(2025, 3, 1)}, "de opzegging is ontvangen (1 maart 2025) vóór zij "
                                                          "verzonden is (2 maart 2025)"),
    ({"door": "gemeente", "ontvangen_op": D(2026, 12, 2)}, "ligt in de toekomst"),
])
def test_opzegging_geweigerd(referentiedata, docs, vandaag, kwargs, melding):
    ov = ov_van("Deventer")
    with pytest.raises(ValidationError) as fout:
        workflow.registreer_opzegging(ov, D(2025, 3, 2), **kwargs)
    assert melding in fout.value.messages[0]
    assert ov_van("Deventer").status == Status.ONDERTEKEND


def test_database_eist_verzenddatum_bij_opgezegd(referentiedata):
    ov = ov_van("Deventer")
    with pytest.raises(IntegrityError), transaction.atomic():
        Samenwerkingsovereenkomst.objects.filter(pk=ov.pk).update(
            status=Status.OPGEZEGD, opzegging_ontvangen_op=D(2025, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Samenwerkingsovereenkomst.objects.filter(pk=ov.pk).update(
            status=Status.OPGEZEGD, opzegging_verzonden_op=D(2025, 2, 1), opzegging_ontvangen_op=D(2025, 1, 1))


def test_admin_formulier_vraagt_beide_datums_en_de_partij(referentiedata, docs, vandaag, beheerder_client):
    ov = ov_van("Deventer")
    url = reverse("admin:overeenkomsten_samenwerkingsovereenkomst_overgang", args=["opzeggen"]) + f"?ids={ov.pk}"
    html = beheerder_client.get(url).content.decode()
    for veld in ("opgezegd_door", "opzegging_verzonden_op", "opzegging_ontvangen_op"):
        assert f'name="{veld}"' in html
    r = beheerder_client.post(url, {"ids": ov.pk, "opzegging_verzonden_op": "2025-08-01", "bevestig": "1"})
    assert r.status_code == 200 and "Kies wie de overeenkomst heeft opgezegd." in r.content.decode()
    r = beheerder_client.post(url, {"ids": ov.pk, "opgezegd_door": "platform31", "opzegging_verzonden_op": "2025-08-01",
                                    "opzegging_ontvangen_op": "2025-07-01", "bevestig": "1"})
    assert "De opzegging kan niet vóór haar verzending ontvangen zijn." in r.content.decode()
    assert ov_van("Deventer").status == Status.ONDERTEKEND
    r = beheerder_client.post(url, {"ids": ov.pk, "opgezegd_door": "platform31", "opzegging_verzonden_op": "01-08-2025",
                                    "opzegging_ontvangen_op": "2025-08-04", "bevestig": "1"}, follow=True)
    assert "loopt t/m 31 december 2025" in r.content.decode()
    # The change page shows the end date computed from the sending date, and that it is past.
    html = beheerder_client.get(reverse("admin:overeenkomsten_samenwerkingsovereenkomst_change",
                                        args=[ov.pk])).content.decode()
    assert "31 december 2025 (na opzegging) – afgelopen" in html


# --- afgelopen: derived from the end date ----------------------------------------------------

def test_afgelopen_is_afgeleid_niet_opgeslagen(referentiedata, docs, vandaag):
    ov = ov_van("Deventer")
    workflow.registreer_opzegging(ov, D(2024, 8, 1), door="gemeente")
    ov = ov_van("Deventer")
    assert ov.status == Status.OPGEZEGD  # what is stored does not change
    assert not ov.is_afgelopen(D(2024, 12, 31)) and ov.is_afgelopen(D(2025, 1, 1))
    assert ov.toestand(D(2025, 1, 1)) == "afgelopen" and ov.toestand(D(2024, 12, 31)) == "opgezegd"
    assert ov.toestand_label == "Afgelopen"  # today (real clock) is past 31 December 2024
    # A concept never becomes afgelopen; a signed one without notice after the convenant's end.
    assert not ov_van("Almere").is_afgelopen(D(2030, 1, 1))
    assert ov_van("Zwolle").toestand(D(2028, 1, 1)) == "concept"


def test_afgelopen_in_dashboard_lijst_en_export(referentiedata, docs, vandaag, beheerder_client):
    ov = ov_van("Deventer")
    workflow.registreer_opzegging(ov, D(2024, 8, 1), door="gemeente")
    convenant = ov.convenant

    o = dashboard.overzicht(convenant, D(2026, 12, 1))
    assert (o.getekend, o.opgezegd, o.afgelopen) == (1, 1, 1)
    html = beheerder_client.get(reverse("home") + "?convenant=2023-2027").content.decode()
    assert '<span id="aantal-afgelopen">1 afgelopen</span>' in html

    rij = next(r for r in rapportages.overzicht(convenant).rijen if r["gemeente"] == "Deventer")
    assert (rij["status"], rij["status_omschrijving"], rij["einddatum"], rij["opgezegd_door"],
            rij["opzegging_verzonden_op"]) == ("afgelopen", "Afgelopen", D(2024, 12, 31), "gemeente", D(2024, 8, 1))

    lijst = reverse(CHANGELIST)
    html = beheerder_client.get(lijst + f"?looptijd=afgelopen&convenant__id__exact={convenant.pk}").content.decode()
    assert "Deventer" in html and "Almere" not in html and "Afgelopen" in html
    html = beheerder_client.get(lijst + f"?looptijd=lopend&convenant__id__exact={convenant.pk}").content.decode()
    assert "Deventer" not in html

    r = beheerder_client.get(reverse("rapportages:overzicht", args=["2023-2027"]))
    assert r.status_code == 200 and "Afgelopen" in r.content.decode()
