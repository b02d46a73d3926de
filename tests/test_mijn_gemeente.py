"""Issue 10 item 7: the coördinator's own page; everyone else lands on the desk; the admin links to it."""

from django.urls import reverse

import pytest

from convenant import toegang
from overeenkomsten.constants import DocumentSoort

from .bureau import maak_document, maak_gebruiker
from .test_rollen import als, gebruikers, ov_van  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

MIJN = "/mijn-gemeente/"


def test_url():
    assert reverse("mijn_gemeente") == MIJN


def test_coordinator_ziet_eigen_gemeente_en_niets_anders(gebruikers, client):  # noqa: F811
    almere, deventer = ov_van("Almere"), ov_van("Deventer")
    eigen = maak_document(almere, DocumentSoort.VERZONDEN)
    vreemd = maak_document(deventer, DocumentSoort.GETEKEND)
    c = als(client, gebruikers["coordinator"])
    r = c.get("/")
    assert r.status_code == 302 and r["Location"] == MIJN
    r = c.get(MIJN)
    html = r.content.decode()
    assert r.status_code == 200
    assert "<h1>Gemeente Almere</h1>" in html
    assert "Overeenkomst 2023-2027" in html and "Overeenkomst 2019-2022" in html
    assert "Concept" in html
    assert "Voor de definitieve overeenkomst ontbreekt nog:" in html and "datum collegebesluit" in html
    assert reverse("overeenkomsten:document", args=[eigen.pk]) in html
    assert reverse("overeenkomsten:document", args=[vreemd.pk]) not in html
    assert "Deventer" not in html
    assert c.get(reverse("overeenkomsten:document", args=[eigen.pk])).status_code == 200


def test_coordinator_zonder_koppeling(referentiedata, django_user_model, client):
    los = maak_gebruiker(django_user_model, toegang.COORDINATOR, "los")
    html = als(client, los).get(MIJN).content.decode()
    assert "nog niet aan een gemeente gekoppeld" in html
    assert "Overeenkomst 2023-2027" not in html


@pytest.mark.parametrize("rol", ["secretariaat", "relatiemanager", "lezer"])
def test_bureau_hoort_op_het_overzicht(gebruikers, client, rol):  # noqa: F811
    c = als(client, gebruikers[rol])
    r = c.get(MIJN)
    assert r.status_code == 302 and r["Location"] == "/"
    assert c.get("/").status_code == 200


def test_zonder_rol_niet_staf_en_anoniem(referentiedata, django_user_model, client):
    r = client.get(MIJN)
    assert r.status_code == 302 and r["Location"].startswith(reverse("admin:login"))
    staf = django_user_model.objects.create_user("staf", password="pw-test-123", is_staff=True)
    assert als(client, staf).get(MIJN).status_code == 403
    buiten = django_user_model.objects.create_user("buiten", password="pw-test-123")
    assert als(client, buiten).get(MIJN).status_code == 403


@pytest.mark.parametrize(("rol", "eerst", "dan"), [
    ("secretaris", "/", 200), ("coordinator-almere", "/", MIJN),
])
def test_na_inloggen_naar_het_bureau(gebruikers, client, rol, eerst, dan):  # noqa: F811
    r = client.post(reverse("admin:login"), {"username": rol, "password": "pw-test-123"})
    assert r.status_code == 302 and r["Location"] == eerst
    r = client.get(eerst)
    assert (r.status_code if dan == 200 else r["Location"]) == dan


def test_inloggen_met_next_blijft_next(gebruikers, client):  # noqa: F811
    doel = reverse("admin:overeenkomsten_samenwerkingsovereenkomst_changelist")
    r = client.post(f"{reverse('admin:login')}?next={doel}", {"username": "secretaris", "password": "pw-test-123",
                                                              "next": doel})
    assert r["Location"] == doel


def test_beheer_index_linkt_naar_het_bureau(gebruikers, client):  # noqa: F811
    html = als(client, gebruikers["secretariaat"]).get(reverse("admin:index")).content.decode()
    for url in ("/", reverse("rapportages:index"), reverse("jaarplannen:kalender"),
                reverse("overeenkomsten:bijlage3_nieuwste")):
        assert f'href="{url}"' in html
    html = als(client, gebruikers["coordinator"]).get(reverse("admin:index")).content.decode()
    assert f'href="{MIJN}"' in html and reverse("rapportages:index") not in html
