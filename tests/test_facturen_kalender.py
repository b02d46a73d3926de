"""The yearly invoicing and overdue payments on the calendar (facturen registers a source with it)."""

import datetime

from django.urls import reverse

import pytest

from convenant.models import Convenant
from facturen import services
from facturen.models import Factuur
from jaarplannen import kalender
from jaarplannen.constants import VerplichtingSoort, VerplichtingStatus

from .test_facturen import teken_alle, vul_platform31

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def convenant(referentiedata):
    return Convenant.objects.get(slug="2023-2027")


def factureringen(convenant, vandaag):
    return {v.datum.year: v for v in kalender.verplichtingen(convenant, vandaag)
            if v.soort == VerplichtingSoort.FACTURERING}


def test_jaren_van_voor_de_app_niet_als_te_laat(convenant):
    """No invoice in the application yet: 2023–2026 were invoiced outside it; 2027 is still to come."""
    v = factureringen(convenant, D(2026, 12, 1))
    assert list(v) == [2027]
    assert v[2027].status == VerplichtingStatus.UPCOMING
    assert (v[2027].vanaf, v[2027].datum) == (D(2027, 1, 1), D(2027, 3, 31))
    assert v[2027].wanneer == "1 januari 2027 t/m 31 maart 2027"
    # Without any invoice in the app, the first quarter of 2027 passing means: not invoiced here.
    assert factureringen(convenant, D(2027, 4, 1)) == {}


def test_gedaan_als_elke_lopende_overeenkomst_een_verzonden_factuur_heeft(convenant):
    teken_alle()
    vul_platform31()
    services.factureer(convenant, 2027, factuurdatum=D(2027, 1, 4))
    v = factureringen(convenant, D(2027, 4, 2))
    assert v[2027].status == VerplichtingStatus.OVERDUE  # made, but still concepts after 31 March
    assert v[2027].toelichting == "0 van 41 verzonden"
    facturen = list(Factuur.objects.filter(jaar=2027).order_by("nummer"))
    # Sending needs every city's invoice address (not in the data); the sent state is written directly.
    Factuur.objects.filter(pk__in=[f.pk for f in facturen[:-1]]).update(status="verzonden", verzonden_op=D(2027, 1, 5))
    assert factureringen(convenant, D(2027, 2, 1))[2027].status == VerplichtingStatus.UPCOMING
    Factuur.objects.filter(pk=facturen[-1].pk).update(status="verzonden", verzonden_op=D(2027, 1, 5))
    v = factureringen(convenant, D(2027, 2, 1))
    assert v[2027].status == VerplichtingStatus.DONE and v[2027].toelichting == "41 van 41 verzonden"


def test_vervallen_betaling_op_de_kalender(convenant):
    teken_alle()
    vul_platform31()
    services.factureer(convenant, 2027, factuurdatum=D(2027, 1, 4))
    factuur = Factuur.objects.filter(jaar=2027).order_by("nummer").first()
    Factuur.objects.filter(pk=factuur.pk).update(status="verzonden", verzonden_op=D(2027, 1, 5))
    factuur.refresh_from_db()
    betalingen = [v for v in kalender.verplichtingen(convenant, factuur.vervaldatum + datetime.timedelta(days=1))
                  if v.soort == VerplichtingSoort.BETALING]
    assert [(v.omschrijving, v.status) for v in betalingen] == [
        (f"Betaling factuur {factuur.nummer} ({factuur.gemeente})", VerplichtingStatus.OVERDUE)]
    assert betalingen[0].url == reverse("admin:facturen_factuur_change", args=[factuur.pk])
    services.registreer_betaling(factuur, op=factuur.vervaldatum)
    assert not [v for v in kalender.verplichtingen(convenant, factuur.vervaldatum + datetime.timedelta(days=1))
                if v.soort == VerplichtingSoort.BETALING]


def test_kalenderpagina_toont_de_facturering(convenant, beheerder_client):
    r = beheerder_client.get(reverse("jaarplannen:kalender"))
    assert r.status_code == 200
    assert "Jaarfacturen 2027 aan de steden versturen" in r.content.decode()


def test_2019_2022_houdt_zijn_eigen_factuurregel(referentiedata):
    oud = Convenant.objects.get(slug="2019-2022")
    soorten = {v.soort for v in kalender.verplichtingen(oud, D(2021, 6, 1))}
    assert VerplichtingSoort.FACTUUR in soorten and VerplichtingSoort.FACTURERING not in soorten
