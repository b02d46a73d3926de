"""Invoices in the admin and the document downloads, per role."""

import datetime

from django.urls import reverse

import pytest

from convenant import toegang
from convenant.models import Convenant
from facturen import services
from facturen.constants import FactuurSoort, FactuurStatus
from facturen.models import Factuur, Factuurgegevens, Overschotverrekening
from overeenkomsten.models import Samenwerkingsovereenkomst

from .bureau import maak_gebruiker, zorg_voor_rollen
from .test_facturen import teken_alle, vul_platform31

pytestmark = pytest.mark.django_db
D = datetime.date
CL = reverse("admin:facturen_factuur_changelist")


def rollen():
    """The role groups with their invoice permissions (after a flush by a transactional test)."""
    zorg_voor_rollen()


@pytest.fixture
def facturen_2024(referentiedata):
    rollen()
    teken_alle()
    vul_platform31()
    services.factureer(Convenant.objects.get(slug="2023-2027"), 2024, factuurdatum=D(2024, 1, 10))
    return Factuur.objects.filter(jaar=2024)


@pytest.fixture
def gebruikers(facturen_2024, django_user_model):
    almere = Samenwerkingsovereenkomst.objects.get(convenant__slug="2023-2027", gemeente__naam="Almere").gemeente
    return {
        "secretariaat": maak_gebruiker(django_user_model, toegang.SECRETARIAAT, "secretaris"),
        "relatiemanager": maak_gebruiker(django_user_model, toegang.RELATIEMANAGER, "relatiemanager"),
        "lezer": maak_gebruiker(django_user_model, toegang.LEZER, "lezer"),
        "coordinator": maak_gebruiker(django_user_model, toegang.COORDINATOR, "coord-almere", gemeente=almere),
        "staf": django_user_model.objects.create_user("staf", "s@example.org", "pw-test-123", is_staff=True),
        "gebruiker": django_user_model.objects.create_user("gewoon", "g@example.org", "pw-test-123"),
    }


def factuur(naam):
    return Factuur.objects.get(jaar=2024, gemeente__naam=naam, soort=FactuurSoort.JAARBIJDRAGE)


@pytest.mark.parametrize(("rol", "eigen", "ander"), [
    ("secretariaat", 200, 200), ("relatiemanager", 200, 200), ("lezer", 200, 200),
    ("coordinator", 200, 404), ("staf", 403, 403), ("gebruiker", 403, 403),
])
def test_downloads_per_rol(gebruikers, client, rol, eigen, ander):
    client.force_login(gebruikers[rol])
    almere, deventer = factuur("Almere"), factuur("Deventer")
    for naam in ("pdf", "xml"):
        assert client.get(reverse(f"facturen:{naam}", args=[almere.pk])).status_code == eigen
        assert client.get(reverse(f"facturen:{naam}", args=[deventer.pk])).status_code == ander
    r = client.get(reverse("facturen:xml", args=[almere.pk]))
    if eigen == 200:
        assert r["Content-Type"] == "application/xml" and almere.nummer.encode() in r.content


def test_downloads_anoniem_naar_inloggen(facturen_2024, client):
    r = client.get(reverse("facturen:pdf", args=[factuur("Deventer").pk]))
    assert r.status_code == 302 and "/login/" in r["Location"]


@pytest.mark.parametrize(("rol", "rijen", "status"), [
    ("secretariaat", 41, 200), ("relatiemanager", 41, 200), ("lezer", 41, 200), ("coordinator", 1, 200),
    ("staf", None, 403),
])
def test_lijst_per_rol(gebruikers, client, rol, rijen, status):
    client.force_login(gebruikers[rol])
    r = client.get(CL)
    assert r.status_code == status
    if rijen is not None:
        assert r.context["cl"].result_count == rijen
        form = r.context["action_form"]
        acties = {naam for naam, _ in form.fields["action"].choices if naam} if form else set()
        assert acties == ({"verzenden", "betaald", "crediteren"} if rol == "relatiemanager" else set())


def test_filters_en_links(gebruikers, client):
    client.force_login(gebruikers["relatiemanager"])
    r = client.get(CL, {"jaar": "2024", "status__exact": "concept"})
    assert r.context["cl"].result_count == 41
    inhoud = r.content.decode()
    assert reverse("facturen:pdf", args=[factuur("Deventer").pk]) in inhoud
    assert reverse("admin:facturen_factureren") in inhoud and reverse("admin:facturen_overschot") in inhoud
    assert client.get(CL, {"status__exact": "betaald"}).context["cl"].result_count == 0


def test_jaarfacturen_maken_met_voorbeeld(gebruikers, client):
    client.force_login(gebruikers["relatiemanager"])
    url = reverse("admin:facturen_factureren")
    c = Convenant.objects.get(slug="2023-2027")
    r = client.post(url, {"convenant": c.pk, "jaar": 2025, "factuurdatum": "2025-01-06", "voorbeeld": 1})
    assert r.status_code == 200 and len(r.context["voorbeeld"]["rijen"]) == 41
    assert not Factuur.objects.filter(jaar=2025).exists()
    r = client.post(url, {"convenant": c.pk, "jaar": 2025, "factuurdatum": "2025-01-06", "bevestig": 1})
    assert r.status_code == 302 and Factuur.objects.filter(jaar=2025).count() == 41
    client.post(url, {"convenant": c.pk, "jaar": 2025, "factuurdatum": "2025-01-06", "bevestig": 1})
    assert Factuur.objects.filter(jaar=2025).count() == 41
    r = client.post(url, {"convenant": c.pk, "jaar": 2031, "voorbeeld": 1})
    assert "2031 valt buiten de looptijd" in r.content.decode()
    client.force_login(gebruikers["lezer"])
    assert client.get(url).status_code == 403


def test_overschot_met_voorbeeld(gebruikers, client):
    services.factureer(Convenant.objects.get(slug="2023-2027"), 2027, factuurdatum=D(2027, 1, 4))
    client.force_login(gebruikers["relatiemanager"])
    url = reverse("admin:facturen_overschot")
    c = Convenant.objects.get(slug="2023-2027")
    data = {"convenant": c.pk, "bedrag": "1234.56", "vastgesteld_op": "2027-06-30"}
    r = client.post(url, {**data, "voorbeeld": 1})
    assert r.status_code == 200 and r.context["voorbeeld"]["totaal"][3] == "€ 1.234,56"
    assert not Overschotverrekening.objects.exists()
    assert client.post(url, {**data, "bevestig": 1}).status_code == 302
    assert Overschotverrekening.objects.get().aangemaakt_door == gebruikers["relatiemanager"]
    client.force_login(gebruikers["secretariaat"])
    assert client.get(url).status_code == 403


def test_verzenden_betalen_crediteren_via_acties(gebruikers, client):
    client.force_login(gebruikers["relatiemanager"])
    deventer, almere = factuur("Deventer"), factuur("Almere")
    Factuurgegevens.objects.create(gemeente=almere.gemeente, factuuradres="Postbus 200", plaats="Almere")
    # The form first, then the confirmed action.
    r = client.post(CL, {"action": "verzenden", "_selected_action": [deventer.pk]})
    assert r.status_code == 200 and "datum" in r.context["form"].fields
    r = client.post(CL, {"action": "verzenden", "_selected_action": [deventer.pk, factuur("Zwolle").pk],
                         "datum": "2024-01-12", "bevestig": 1}, follow=True)
    meldingen = [str(m) for m in r.context["messages"]]
    assert any("Zwolle" in m and "factuuradres van de gemeente Zwolle" in m for m in meldingen)
    deventer.refresh_from_db()
    assert deventer.status == FactuurStatus.VERZONDEN and factuur("Zwolle").status == FactuurStatus.CONCEPT
    # Sent: read-only, no save.
    wijzig = reverse("admin:facturen_factuur_change", args=[deventer.pk])
    assert client.get(wijzig).status_code == 200
    r = client.post(wijzig, {"omschrijving": "anders"})
    assert r.status_code == 403
    client.post(CL, {"action": "betaald", "_selected_action": [deventer.pk], "datum": "2024-02-01", "bevestig": 1})
    deventer.refresh_from_db()
    assert (deventer.status, deventer.betaald_op) == (FactuurStatus.BETAALD, D(2024, 2, 1))
    client.post(CL, {"action": "crediteren", "_selected_action": [deventer.pk], "datum": "2024-03-01", "bevestig": 1})
    assert deventer.creditnotas.get().soort == FactuurSoort.CREDITNOTA
    assert deventer.vervangen_door.get().is_concept


def test_concept_wijzigbaar_maar_niet_verwijderbaar(gebruikers, client):
    client.force_login(gebruikers["relatiemanager"])
    f = factuur("Deventer")
    r = client.get(reverse("admin:facturen_factuur_change", args=[f.pk]))
    assert r.status_code == 200 and "inkoopordernummer" in r.context["adminform"].form.fields
    assert client.get(reverse("admin:facturen_factuur_delete", args=[f.pk])).status_code == 403
    assert client.get(reverse("admin:facturen_factuur_add")).status_code == 403


def test_opvolger_via_convenant_actie(gebruikers, client, beheerder):
    client.force_login(beheerder)
    oud = Convenant.objects.get(slug="2023-2027")
    url = reverse("admin:convenant_convenant_changelist")
    r = client.post(url, {"action": "opvolger", "_selected_action": [oud.pk]})
    assert r.status_code == 200
    r = client.post(url, {"action": "opvolger", "_selected_action": [oud.pk], "slug": "2028-2032",
                          "ingangsdatum": "2028-01-01", "einddatum": "2032-12-31", "bijdrage": "0.17",
                          "peildatum": "2027-01-01", "bevestig": 1})
    assert r.status_code == 302
    assert Samenwerkingsovereenkomst.objects.filter(convenant__slug="2028-2032").count() == 41
    r = client.post(url, {"action": "jaarfacturen", "_selected_action": [oud.pk]})
    assert r.status_code == 302 and reverse("admin:facturen_factureren") in r["Location"]


# --- the desk: reports page and dashboard ------------------------------------------------------

@pytest.mark.parametrize(("rol", "status"), [
    ("secretariaat", 200), ("relatiemanager", 200), ("lezer", 200), ("coordinator", 403), ("staf", 403),
    ("gebruiker", 403),
])
def test_rapportage_facturen_per_rol(gebruikers, client, rol, status):
    client.force_login(gebruikers[rol])
    r = client.get(reverse("rapportages:facturen"), {"jaar": 2024})
    assert r.status_code == status
    if status == 200:
        inhoud = r.content.decode()
        assert "over 2024: 41" in inhoud
        assert "€ 15.216,90" in inhoud and "€ 18.412,45" in inhoud   # Deventer, excl. and incl. btw
        r = client.get(reverse("rapportages:facturen"), {"jaar": 2024, "formaat": "csv"})
        assert r.status_code == 200 and r.content.decode().startswith("factuurnummer,factuurdatum,")


def test_rapportage_facturen_anoniem(facturen_2024, client):
    r = client.get(reverse("rapportages:facturen"))
    assert r.status_code == 302 and "/login/" in r["Location"]


def test_dashboard_toont_facturering_en_vervallen_betalingen(gebruikers, client, monkeypatch):
    from overeenkomsten import workflow

    deventer = factuur("Deventer")
    services.verzend(deventer, D(2024, 1, 11))
    monkeypatch.setattr(workflow, "vandaag", lambda: D(2024, 4, 2))
    client.force_login(gebruikers["secretariaat"])
    r = client.get("/?convenant=2023-2027")
    assert r.status_code == 200
    f = r.context["facturering"]
    assert (f["jaar"], f["te_factureren"], f["gefactureerd"], f["verzonden"], f["status"]) == (
        2024, 41, 41, 1, "gedaan")
    assert [x.pk for x in f["vervallen"]] == [deventer.pk]
    assert deventer.nummer in r.content.decode()
