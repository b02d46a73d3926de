"""Item 1 of issue 10: the secretariaat and the relatiemanager keep the data the documents need.

Municipality data (address, seat, G40 contact), persons and their link to a
staff account, CBS figures; users and groups stay with a superuser.
"""

import io

from django.urls import reverse

import pytest

from convenant import toegang
from convenant.constants import Rol
from convenant.models import Persoon
from gemeenten.models import Gemeente, Inwonertal

from .bureau import formulierdata, maak_gebruiker
from .test_rollen import als, gebruikers, ov_van  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

BEHEREN = ["secretariaat", "relatiemanager"]
NIET = ["lezer", "coordinator"]


@pytest.mark.parametrize("rol", BEHEREN + NIET)
def test_gemeentegegevens_wijzigen(gebruikers, client, rol):  # noqa: F811
    almere = ov_van("Almere").gemeente
    url = reverse("admin:gemeenten_gemeente_change", args=[almere.pk])
    c = als(client, gebruikers[rol])
    r = c.get(url)
    mag = rol in BEHEREN
    if rol == "coordinator":
        assert r.status_code == 403  # no view right on municipalities at all
    else:
        assert r.status_code == 200
        assert r.context["has_change_permission"] is mag
    data = formulierdata(r) if mag else {}
    data.update({"adres": "Stadhuisplein 1", "plaats": "Almere", "contact_email": "g40@almere.nl"})
    r = c.post(url, data)
    assert r.status_code == (302 if mag else 403)
    almere.refresh_from_db()
    assert (almere.contact_email == "g40@almere.nl") is mag
    if mag:
        assert almere.adres == "Stadhuisplein 1"
        assert almere.history.first().history_user == gebruikers[rol]


def test_voorbeeld_adreslink_opent_bewerkbare_pagina(gebruikers, client):  # noqa: F811
    ov = ov_van("Almere")
    Gemeente.objects.filter(pk=ov.gemeente_id).update(adres="")
    c = als(client, gebruikers["relatiemanager"])
    html = c.get(reverse("overeenkomsten:voorbeeld", args=[ov.pk])).content.decode()
    link = reverse("admin:gemeenten_gemeente_change", args=[ov.gemeente_id])
    assert link in html
    r = c.get(link)
    assert r.context["has_change_permission"] is True
    assert "adres" in r.context["adminform"].form.fields


@pytest.mark.parametrize("rol", BEHEREN + NIET)
def test_persoon_toevoegen_en_account_koppelen(gebruikers, client, django_user_model, rol):  # noqa: F811
    nieuw = maak_gebruiker(django_user_model, toegang.COORDINATOR, "coordinator-deventer")
    c = als(client, gebruikers[rol])
    r = c.get(reverse("admin:convenant_persoon_add"))
    mag = rol in BEHEREN
    assert r.status_code == (200 if mag else 403)
    deventer = ov_van("Deventer").gemeente
    r = c.post(reverse("admin:convenant_persoon_add"), {
        "naam": "A. de Vries", "aanhef": "mevrouw", "functie": "G40-coördinator", "rol": Rol.COORDINATOR,
        "gemeente": deventer.pk, "email": "a.devries@deventer.nl", "actief": "on", "gebruiker": nieuw.pk,
    })
    assert r.status_code == (302 if mag else 403)
    assert Persoon.objects.filter(naam="A. de Vries", gebruiker=nieuw).exists() is mag
    if mag:  # the linked coördinator now sees Deventer's agreements, and only those
        r = als(client, nieuw).get(reverse("admin:overeenkomsten_samenwerkingsovereenkomst_changelist"))
        assert {ov.gemeente.naam for ov in r.context["cl"].result_list} == {"Deventer"}


def test_koppelen_alleen_aan_actieve_staf_zonder_superuser(gebruikers, client, django_user_model):  # noqa: F811
    baas = django_user_model.objects.create_superuser("baas", "baas@example.org", "pw-test-123")
    buiten = django_user_model.objects.create_user("buiten", "b@example.org", "pw-test-123")  # no staff
    weg = django_user_model.objects.create_user("weg", "w@example.org", "pw-test-123", is_staff=True,
                                                is_active=False)
    c = als(client, gebruikers["relatiemanager"])
    r = c.get(reverse("admin:convenant_persoon_add"))
    keuzes = set(r.context["adminform"].form.fields["gebruiker"].queryset.values_list("username", flat=True))
    assert {"secretaris", "relatiemanager", "lezer", "coordinator-almere"} <= keuzes
    assert not keuzes & {"baas", "buiten", "weg"}
    for account in (baas, buiten, weg):
        r = c.post(reverse("admin:convenant_persoon_add"), {
            "naam": f"Persoon {account.username}", "rol": Rol.OVERIG, "actief": "on", "gebruiker": account.pk,
        })
        assert r.status_code == 200  # the form refuses the choice
        assert "gebruiker" in r.context["adminform"].form.errors
    assert not Persoon.objects.filter(naam__startswith="Persoon ").exists()


@pytest.mark.parametrize("rol", BEHEREN + NIET)
def test_geen_gebruikers_of_groepen(gebruikers, client, rol):  # noqa: F811
    c = als(client, gebruikers[rol])
    for url in ("admin:auth_user_changelist", "admin:auth_group_changelist", "admin:auth_user_add"):
        assert c.get(reverse(url)).status_code == 403
    r = c.get(reverse("admin:auth_user_change", args=[gebruikers[rol].pk]))
    assert r.status_code in (302, 403)  # the admin says "does not exist" or refuses; never a form
    if r.status_code == 302:
        assert r["Location"] == reverse("admin:index")


def cbs_upload():
    upload = io.BytesIO(b"cbs_code,inwoners\nGM0034,230000\n")
    upload.name = "eigen.csv"
    return upload


@pytest.mark.parametrize("rol", BEHEREN + NIET)
def test_cbs_import_zonder_superuser(gebruikers, client, rol):  # noqa: F811
    url = reverse("admin:gemeenten_inwonertal_importeer")
    c = als(client, gebruikers[rol])
    mag = rol in BEHEREN
    r = c.get(url)
    assert r.status_code == (200 if mag else 403)
    if not mag:
        return
    # updating concept agreements is editing agreements: offered only to whoever may edit them
    assert ("werk_concepten_bij" in r.context["form"].fields) is (rol == "relatiemanager")
    r = c.post(url, {"bestand": cbs_upload(), "peildatum": "2026-01-01"})
    assert r.status_code == 200 and r.context["voorstel"].geldig, r.context["voorstel"].fouten
    r = c.post(url, {"bevestig": "1", "token": r.context["token"]})
    assert r.status_code == 302
    rij = Inwonertal.objects.get(gemeente__cbs_code="GM0034", peildatum="2026-01-01")
    assert rij.aantal == 230000
    assert rij.history.first().history_user == gebruikers[rol]
