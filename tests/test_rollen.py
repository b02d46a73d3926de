"""The four roles: each can do what it should and nothing more."""

import datetime

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from convenant import toegang
from convenant.constants import Rol
from convenant.models import Persoon
from overeenkomsten.constants import DocumentSoort, Status
from overeenkomsten.models import Samenwerkingsovereenkomst

from .bureau import formulierdata, installeer_nep_documenten, maak_document, maak_gebruiker

pytestmark = pytest.mark.django_db

OV = "admin:overeenkomsten_samenwerkingsovereenkomst"
DOC = "admin:overeenkomsten_overeenkomstdocument"
ROLLEN = ["secretariaat", "relatiemanager", "lezer", "coordinator"]


def ov_van(naam, slug="2023-2027"):
    return Samenwerkingsovereenkomst.objects.get(convenant__slug=slug, gemeente__naam=naam)


@pytest.fixture
def gebruikers(referentiedata, django_user_model):
    return {
        "secretariaat": maak_gebruiker(django_user_model, toegang.SECRETARIAAT, "secretaris"),
        "relatiemanager": maak_gebruiker(django_user_model, toegang.RELATIEMANAGER, "relatiemanager"),
        "lezer": maak_gebruiker(django_user_model, toegang.LEZER, "lezer"),
        "coordinator": maak_gebruiker(django_user_model, toegang.COORDINATOR, "coordinator-almere",
                                      gemeente=ov_van("Almere").gemeente),
    }


@pytest.fixture
def docs_almere_deventer(referentiedata):
    return {
        "almere": maak_document(ov_van("Almere"), DocumentSoort.VERZONDEN),
        "deventer": maak_document(ov_van("Deventer"), DocumentSoort.GETEKEND),
    }


def als(client, user):
    client.force_login(user)
    return client


# --- the groups as the migration made them --------------------------------------------------

VIEW_ALLES = {
    "convenant.view_convenant", "convenant.view_organisatie", "convenant.view_persoon",
    "convenant.view_pijler", "convenant.view_themagroep", "gemeenten.view_gemeente",
    "gemeenten.view_inwonertal", "overeenkomsten.view_samenwerkingsovereenkomst",
    "overeenkomsten.view_overeenkomstdocument", "jaarplannen.view_jaarplan", "jaarplannen.view_activiteit",
    "jaarplannen.view_evaluatie", "jaarplannen.view_convenantevaluatie", "jaarplannen.view_bevinding",
    "jaarplannen.view_projectblad", "jaarplannen.view_projectbladpartij",
}


FACTUREN_ZIEN = {f"facturen.view_{m}" for m in (
    "factuur", "factuurregel", "btwtarief", "factuurgegevens", "nummerreeks", "overschotverrekening", "extrabijdrage")}


def rechten(groepnaam):
    groep = Group.objects.get(name=groepnaam)
    return {f"{p.content_type.app_label}.{p.codename}" for p in groep.permissions.select_related("content_type")}


def test_groepen_met_precies_hun_rechten(db):
    assert rechten(toegang.SECRETARIAAT) == VIEW_ALLES | FACTUREN_ZIEN | {
        "facturen.add_extrabijdrage", "facturen.change_extrabijdrage",
        "overeenkomsten.alle_gemeenten", "overeenkomsten.registreer_status",
        "overeenkomsten.corrigeer_inwoners", "overeenkomsten.bekijk_documenten",
        *(f"jaarplannen.{a}_{m}" for a in ("add", "change")
          for m in ("jaarplan", "activiteit", "evaluatie", "convenantevaluatie", "bevinding")),
    }
    assert rechten(toegang.RELATIEMANAGER) == VIEW_ALLES | FACTUREN_ZIEN | {
        *(f"facturen.{a}_{m}" for a in ("add", "change") for m in ("factuur", "factuurregel", "factuurgegevens",
                                                                    "extrabijdrage")),
        "facturen.add_overschotverrekening", "facturen.verzend_factuur", "facturen.registreer_betaling",
        "facturen.crediteer_factuur",
        "overeenkomsten.alle_gemeenten", "overeenkomsten.add_samenwerkingsovereenkomst",
        "overeenkomsten.change_samenwerkingsovereenkomst", "overeenkomsten.verzend_overeenkomst",
        "overeenkomsten.bekijk_documenten",
    }
    assert rechten(toegang.LEZER) == (VIEW_ALLES - {"overeenkomsten.view_overeenkomstdocument"}) | FACTUREN_ZIEN | {
        "overeenkomsten.alle_gemeenten",
    }
    assert rechten(toegang.COORDINATOR) == {
        "overeenkomsten.view_samenwerkingsovereenkomst", "overeenkomsten.view_overeenkomstdocument",
        "overeenkomsten.bekijk_documenten", "facturen.view_factuur",
    }
    # nobody but a superuser deletes anything or sees the calendar subscription tokens
    assert not any("delete_" in r or "kalendertoken" in r for g in toegang.ROLLEN for r in rechten(g))


# --- the admin ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("rol", "modellen"), [
    ("secretariaat", 21), ("relatiemanager", 21), ("lezer", 20), ("coordinator", 3),
])
def test_beheer_toont_alleen_eigen_modellen(gebruikers, client, rol, modellen):
    r = als(client, gebruikers[rol]).get(reverse("admin:index"))
    namen = [m["object_name"] for app in r.context["app_list"] for m in app["models"]]
    assert len(namen) == modellen, namen
    assert "Samenwerkingsovereenkomst" in namen
    assert ("OvereenkomstDocument" in namen) == (rol != "lezer")
    assert "User" not in namen and "Group" not in namen


LEZEN = {"download_zip", "exporteer_csv", "exporteer_xlsx"}  # PDFs and exports of what one may see


@pytest.mark.parametrize(("rol", "rijen", "acties"), [
    ("secretariaat", 81, {"actie_ontvangen", "actie_opzeggen", "actie_scan", "actie_terugdraaien", *LEZEN}),
    ("relatiemanager", 81, {"actie_verzenden", *LEZEN}),
    ("lezer", 81, LEZEN),
    ("coordinator", 2, LEZEN),  # Almere's 2019–2022 and 2023–2027 agreements
])
def test_changelist_rijen_en_acties_per_rol(gebruikers, client, rol, rijen, acties):
    r = als(client, gebruikers[rol]).get(reverse(f"{OV}_changelist"))
    assert r.status_code == 200
    assert r.context["cl"].result_count == rijen
    aangeboden = {naam for naam, _ in r.context["action_form"].fields["action"].choices if naam}
    assert aangeboden == acties
    if rol == "coordinator":
        assert {ov.gemeente.naam for ov in r.context["cl"].result_list} == {"Almere"}


@pytest.mark.parametrize(("rol", "wijzigen"), [
    ("secretariaat", False), ("relatiemanager", True), ("lezer", False), ("coordinator", False),
])
def test_wijzigen_of_alleen_bekijken(gebruikers, client, rol, wijzigen):
    ov = ov_van("Almere")
    url = reverse(f"{OV}_change", args=[ov.pk])
    c = als(client, gebruikers[rol])
    r = c.get(url)
    assert r.status_code == 200
    assert r.context["has_change_permission"] is wijzigen
    assert ("vertegenwoordiger" in r.context["adminform"].form.fields) is wijzigen
    data = formulierdata(r) if wijzigen else {}
    data.update({"vertegenwoordiger": "Iemand Anders", "opmerking": "x"})
    r = c.post(url, data)
    assert r.status_code == (302 if wijzigen else 403)
    assert (ov_van("Almere").vertegenwoordiger == "Iemand Anders") is wijzigen
    assert c.get(reverse(f"{OV}_add")).status_code == (200 if wijzigen else 403)
    assert c.get(reverse(f"{OV}_history", args=[ov.pk])).status_code == 200


@pytest.mark.parametrize(("rol", "toegestaan"), [
    ("secretariaat", {"ontvangen", "opzeggen", "scan", "correctie"}),
    ("relatiemanager", {"verzenden"}),
    ("lezer", set()),
    ("coordinator", set()),
])
def test_workflowpaginas_per_rol(gebruikers, client, rol, toegestaan):
    ov = ov_van("Almere")
    c = als(client, gebruikers[rol])
    for stap in ("verzenden", "ontvangen", "opzeggen", "scan"):
        r = c.get(reverse(f"{OV}_overgang", args=[stap]), {"ids": ov.pk})
        assert r.status_code == (200 if stap in toegestaan else 403), stap
    r = c.get(reverse(f"{OV}_correctie", args=[ov.pk]))
    assert r.status_code == (200 if "correctie" in toegestaan else 403)


def test_relatiemanager_verzendt_secretariaat_registreert(gebruikers, client, monkeypatch):
    installeer_nep_documenten(monkeypatch)
    ov = ov_van("Almere")
    vandaag = datetime.date.today().isoformat()
    verzenden = reverse(f"{OV}_overgang", args=["verzenden"])
    ontvangen = reverse(f"{OV}_overgang", args=["ontvangen"])

    c = als(client, gebruikers["secretariaat"])
    assert c.post(verzenden, {"ids": ov.pk, "verzonden_op": vandaag, f"aan_{ov.pk}": "x", "bevestig": 1}
                  ).status_code == 403
    c = als(client, gebruikers["relatiemanager"])
    assert c.post(verzenden, {"ids": ov.pk, "verzonden_op": vandaag, f"aan_{ov.pk}": "griffie@almere.nl",
                              "bevestig": 1}).status_code == 302
    assert c.post(ontvangen, {"ids": ov.pk, "ontvangen_op": vandaag, "bevestig": 1}).status_code == 403
    assert ov_van("Almere").status == Status.VERZONDEN

    c = als(client, gebruikers["secretariaat"])
    assert c.post(ontvangen, {"ids": ov.pk, "ontvangen_op": vandaag, "bevestig": 1}).status_code == 302
    ov = ov_van("Almere")
    assert ov.status == Status.ONDERTEKEND
    assert [h.history_user.username for h in ov.history.all()[:2]] == ["secretaris", "relatiemanager"]


def test_coordinator_ziet_andere_gemeente_niet(gebruikers, client, docs_almere_deventer):
    deventer = ov_van("Deventer")
    c = als(client, gebruikers["coordinator"])
    r = c.get(reverse(f"{OV}_change", args=[deventer.pk]))
    assert r.status_code == 302 and r["Location"] == reverse("admin:index")  # "does not exist"
    assert c.get(reverse(f"{OV}_history", args=[deventer.pk])).status_code == 403
    eerste = deventer.history.last()
    assert c.get(reverse(f"{OV}_simple_history", args=[deventer.pk, eerste.pk])).status_code == 403
    assert c.get(reverse("overeenkomsten:voorbeeld", args=[deventer.pk])).status_code == 404
    assert c.get(reverse("overeenkomsten:pdf", args=[deventer.pk])).status_code == 404
    r = c.get(reverse(f"{DOC}_changelist"))
    assert [d.overeenkomst.gemeente.naam for d in r.context["cl"].result_list] == ["Almere"]


def test_coordinator_zonder_gekoppelde_persoon_ziet_niets(referentiedata, django_user_model, client):
    zonder = maak_gebruiker(django_user_model, toegang.COORDINATOR, "los")
    r = als(client, zonder).get(reverse(f"{OV}_changelist"))
    assert r.context["cl"].result_count == 0


def test_coordinator_persoon_hoort_bij_een_gemeente(gebruikers):
    persoon = Persoon(naam="Zwevend", rol=Rol.COORDINATOR, gebruiker=gebruikers["lezer"])
    with pytest.raises(ValidationError, match="hoort bij één gemeente"):
        persoon.full_clean()


# --- documents and scans --------------------------------------------------------------------


@pytest.mark.parametrize(("rol", "almere", "deventer"), [
    ("secretariaat", 200, 200), ("relatiemanager", 200, 200), ("lezer", 403, 403), ("coordinator", 200, 404),
])
def test_documenten_alleen_met_recht(gebruikers, client, docs_almere_deventer, rol, almere, deventer):
    c = als(client, gebruikers[rol])
    for doc, verwacht in ((docs_almere_deventer["almere"], almere), (docs_almere_deventer["deventer"], deventer)):
        r = c.get(reverse("overeenkomsten:document", args=[doc.pk]))
        assert r.status_code == verwacht
        if verwacht == 200:
            assert r["Content-Type"] == "application/pdf"
            assert b"".join(r.streaming_content).startswith(b"%PDF")
    assert c.get(reverse(f"{DOC}_changelist")).status_code == (403 if rol == "lezer" else 200)


def test_documenten_anoniem_en_niet_via_media_url(client, docs_almere_deventer):
    doc = docs_almere_deventer["almere"]
    r = client.get(reverse("overeenkomsten:document", args=[doc.pk]))
    assert r.status_code == 302 and r["Location"].startswith(reverse("admin:login"))
    assert client.get(f"/media/{doc.bestand.name}").status_code == 404


def test_documentlink_in_beheer_gaat_via_gecontroleerde_view(gebruikers, client, docs_almere_deventer):
    doc = docs_almere_deventer["almere"]
    r = als(client, gebruikers["coordinator"]).get(reverse(f"{OV}_change", args=[doc.overeenkomst_id]))
    html = r.content.decode()
    assert reverse("overeenkomsten:document", args=[doc.pk]) in html
    assert "/media/" not in html


# --- the dashboard ----------------------------------------------------------------------------


@pytest.mark.parametrize(("rol", "status"), [
    ("secretariaat", 200), ("relatiemanager", 200), ("lezer", 200), ("coordinator", 302),
])
def test_dashboard_per_rol(gebruikers, client, rol, status):
    r = als(client, gebruikers[rol]).get("/")
    assert r.status_code == status
    if status == 302:
        assert r["Location"] == reverse(f"{OV}_changelist")
    else:
        assert "1 van 41 ondertekend" in r.content.decode()


def test_dashboard_zonder_rol_geweigerd(referentiedata, django_user_model, client):
    niemand = django_user_model.objects.create_user("niemand", password="pw-test-123", is_staff=True)
    assert als(client, niemand).get("/").status_code == 403
