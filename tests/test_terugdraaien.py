"""Mistakes can be undone: a wrongly recorded step goes back, with a reason in the history; documents stay."""

import datetime

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from gemeenten.models import Gemeente
from overeenkomsten import workflow
from overeenkomsten.constants import Status
from overeenkomsten.models import Samenwerkingsovereenkomst

from .bureau import installeer_nep_documenten, maak_gebruiker

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def docs(monkeypatch):
    monkeypatch.setattr(workflow, "vandaag", lambda: D(2026, 12, 1))
    return installeer_nep_documenten(monkeypatch)


def ov_van(naam):
    return Samenwerkingsovereenkomst.objects.select_related("gemeente", "convenant").get(
        convenant__slug="2023-2027", gemeente__naam=naam)


def test_stap_voor_stap_terug_documenten_blijven(referentiedata, docs, beheerder):
    ov = ov_van("Almere")
    workflow.markeer_verzonden(ov, D(2023, 1, 16), "griffie@almere.nl", beheerder)
    workflow.markeer_ontvangen(ov, D(2023, 2, 1), None, beheerder)
    workflow.registreer_opzegging(ov, D(2024, 3, 1), beheerder, door="gemeente")
    assert ov.documenten.count() == 1

    with pytest.raises(ValidationError, match="De verzending kan niet worden teruggedraaid: de overeenkomst is "
                                              "opgezegd"):
        workflow.draai_terug(ov, "verzenden", "verkeerde gemeente", beheerder)
    with pytest.raises(ValidationError, match="geef een reden"):
        workflow.draai_terug(ov, "opzeggen", "  ", beheerder)

    assert workflow.draai_terug(ov, "opzeggen", "opzegging hoorde bij Almelo", beheerder) == Status.ONDERTEKEND
    ov = ov_van("Almere")
    assert (ov.opzegging_verzonden_op, ov.opgezegd_door, ov.einddatum) == (None, "", D(2027, 12, 31))
    assert workflow.draai_terug(ov, "ontvangen", "scan was van 2019", beheerder) == Status.VERZONDEN
    assert workflow.draai_terug(ov, "verzenden", "nooit verstuurd", beheerder) == Status.CONCEPT
    ov = ov_van("Almere")
    assert (ov.status, ov.verzonden_op, ov.verzonden_aan, ov.ontvangen_op) == (Status.CONCEPT, None, "", None)
    assert ov.documenten.count() == 1  # the PDF that was sent is evidence and stays
    regels = list(ov.history.order_by("-history_date").values_list("history_change_reason", "history_user")[:3])
    assert regels == [
        ("Teruggedraaid (verzenden): nooit verstuurd", beheerder.pk),
        ("Teruggedraaid (ontvangen): scan was van 2019", beheerder.pk),
        ("Teruggedraaid (opzeggen): opzegging hoorde bij Almelo", beheerder.pk),
    ]


def test_ontvangst_zonder_verzending_gaat_terug_naar_concept(referentiedata, docs):
    ov = ov_van("Deventer")  # signed in the reference data, never recorded as sent
    assert workflow.draai_terug(ov, "ontvangen", "dubbel ingevoerd") == Status.CONCEPT


def test_admin_terugdraaien_met_bevestiging(referentiedata, docs, client, django_user_model):
    client.force_login(maak_gebruiker(django_user_model, "G40-secretariaat", "sec"))
    ov = ov_van("Deventer")
    wijzig = reverse("admin:overeenkomsten_samenwerkingsovereenkomst_change", args=[ov.pk])
    url = reverse("admin:overeenkomsten_samenwerkingsovereenkomst_terugdraaien", args=[ov.pk, "ontvangen"])
    assert url in client.get(wijzig).content.decode()
    html = client.get(url).content.decode()
    assert "U draait de <strong>ontvangst van de getekende overeenkomst</strong>" in html
    r = client.post(url, {"reden": ""})
    assert "Geef een reden" in r.content.decode()
    assert ov_van("Deventer").status == Status.ONDERTEKEND
    r = client.post(url, {"reden": "ontvangst dubbel ingevoerd"})
    assert r.status_code == 302 and r["Location"] == wijzig
    assert ov_van("Deventer").status == Status.CONCEPT
    # Now there is nothing to undo for this step.
    assert "kan niet worden teruggedraaid" in client.get(url).content.decode()

    # The list action leads to the same page.
    lijst = reverse("admin:overeenkomsten_samenwerkingsovereenkomst_changelist")
    almere = ov_van("Almere")
    workflow.markeer_verzonden(almere, D(2023, 1, 16), "griffie@almere.nl")
    r = client.post(lijst, {"action": "actie_terugdraaien", "_selected_action": [almere.pk]})
    assert r.status_code == 302 and r["Location"].endswith(f"/{almere.pk}/terugdraaien/verzenden/")


@pytest.mark.parametrize(("rol", "verwacht"), [
    ("Relatiemanager Platform31", 403), ("Lezer", 403), ("G40-coördinator", 403),
])
def test_terugdraaien_alleen_secretariaat(referentiedata, client, django_user_model, rol, verwacht):
    gemeente = Gemeente.objects.get(naam="Deventer") if rol == "G40-coördinator" else None
    client.force_login(maak_gebruiker(django_user_model, rol, "iemand", gemeente=gemeente))
    ov = ov_van("Deventer")
    url = reverse("admin:overeenkomsten_samenwerkingsovereenkomst_terugdraaien", args=[ov.pk, "ontvangen"])
    assert client.get(url).status_code == verwacht
    assert client.post(url, {"reden": "x"}).status_code == verwacht
    assert ov_van("Deventer").status == Status.ONDERTEKEND


def test_tweede_verzending_terugdraaien_geeft_de_eerste_terug(referentiedata, docs, beheerder, client,
                                                              django_user_model):
    ov = ov_van("Almere")
    workflow.markeer_verzonden(ov, D(2023, 1, 16), "griffie@almere.nl", beheerder)
    ov.vertegenwoordiger = "mr. A. de Vries"  # another change in between: not a sending
    ov.save()
    workflow.markeer_verzonden(ov, D(2023, 2, 6), "bestuurssecretariaat@almere.nl", beheerder)
    client.force_login(maak_gebruiker(django_user_model, "G40-secretariaat", "sec"))
    html = client.get(reverse("admin:overeenkomsten_samenwerkingsovereenkomst_terugdraaien",
                              args=[ov.pk, "verzenden"])).content.decode()
    assert ("De overeenkomst gaat terug naar de verzending daarvoor: verzonden op 16 januari 2023 aan "
            "griffie@almere.nl.") in html

    assert workflow.draai_terug(ov, "verzenden", "tweede keer naar het verkeerde adres", beheerder) == Status.VERZONDEN
    ov = ov_van("Almere")
    assert (ov.status, ov.verzonden_op, ov.verzonden_aan) == (Status.VERZONDEN, D(2023, 1, 16), "griffie@almere.nl")
    assert ov.vertegenwoordiger == "mr. A. de Vries"

    # Sent again after the undo, and that undone too: back to the first, not to the undone second.
    workflow.markeer_verzonden(ov, D(2023, 3, 1), "cbs@almere.nl", beheerder)
    assert workflow.draai_terug(ov, "verzenden", "ook verkeerd", beheerder) == Status.VERZONDEN
    ov = ov_van("Almere")
    assert (ov.verzonden_op, ov.verzonden_aan) == (D(2023, 1, 16), "griffie@almere.nl")

    # Undoing the first sending: concept, as before.
    assert workflow.draai_terug(ov, "verzenden", "nooit verstuurd", beheerder) == Status.CONCEPT
    ov = ov_van("Almere")
    assert (ov.status, ov.verzonden_op, ov.verzonden_aan) == (Status.CONCEPT, None, "")
    assert workflow.vorige_verzending(ov) is None
    assert ov.documenten.count() == 3  # every PDF that was sent stays
