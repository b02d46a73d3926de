"""History as the sources tell it: 2019–2022 signed (date unknown), extended until 28 February 2023, own calendar."""

import datetime
from decimal import Decimal

from django.urls import reverse

import pytest

from bureau import dashboard
from convenant.management.commands.bootstrap import laad_referentiedata
from convenant.models import Convenant, Persoon
from jaarplannen import kalender
from jaarplannen.constants import VerplichtingSoort, VerplichtingStatus
from overeenkomsten import rapportages
from overeenkomsten.constants import Status
from overeenkomsten.models import Samenwerkingsovereenkomst

pytestmark = pytest.mark.django_db

D = datetime.date


def test_2019_2022_veertig_getekend_datum_onbekend(referentiedata):
    qs = Samenwerkingsovereenkomst.objects.filter(convenant__slug="2019-2022")
    assert qs.count() == 40
    assert qs.filter(status=Status.ONDERTEKEND, datum_onbekend=True, ontvangen_op__isnull=True).count() == 40
    ov = qs.select_related("convenant").first()
    assert ov.ontvangen_tekst == "datum onbekend"
    assert ov.einddatum == D(2022, 12, 31)  # the agreement's own text (art. 7.5)
    assert ov.laatste_dag == D(2023, 2, 28)  # the convenant ran until 28 February 2023
    assert ov.is_afgelopen(D(2023, 3, 1)) and not ov.is_afgelopen(D(2023, 2, 28))


def test_convenant_2019_2022_verlengd_zonder_verzonnen_streefdatum(referentiedata, beheerder_client):
    c = Convenant.objects.get(slug="2019-2022")
    assert (c.einddatum, c.verlengd_tot, c.loopt_tot, c.streefdatum_overeenkomsten) == (
        D(2022, 12, 31), D(2023, 2, 28), D(2023, 2, 28), None)
    o = dashboard.overzicht(c, D(2026, 12, 1))
    assert (o.getekend, o.totaal, o.afgelopen, o.datum_onbekend) == (40, 40, 40, 40)
    assert o.termijn == "Alle overeenkomsten zijn binnen (streefdatum onbekend: geen bron noemt er een)."
    html = beheerder_client.get(reverse("home") + "?convenant=2019-2022").content.decode()
    assert "40 van 40 ondertekend" in html and "40 met ontvangstdatum onbekend" in html
    lijst = beheerder_client.get(reverse("admin:overeenkomsten_samenwerkingsovereenkomst_changelist")
                                 + f"?convenant__id__exact={c.pk}").content.decode()
    assert "datum onbekend" in lijst
    ov = Samenwerkingsovereenkomst.objects.filter(convenant=c).first()
    html = beheerder_client.get(reverse("admin:overeenkomsten_samenwerkingsovereenkomst_change",
                                        args=[ov.pk])).content.decode()
    assert ("28 februari 2023 (convenant verlengd; de overeenkomst zelf t/m 31 december 2022) – afgelopen"
            in html)


def test_factuurlijsten_2019_2022_dragen_de_40_bedragen(referentiedata):
    for jaar in (2019, 2020, 2021, 2022):
        lijst = rapportages.factuurlijst(jaar)
        rijen = [r for r in lijst.rijen if r["convenant"] == "2019-2022"]
        assert len(rijen) == 40 and all(r["factureerbaar"] == "ja" for r in rijen)
        assert lijst.totalen()["te_factureren"] == sum((r["bedrag_per_jaar"] for r in rijen), Decimal("0.00")) > 0
        assert all(r["ontvangst_toelichting"] == "datum onbekend" for r in rijen)
    # The two months of extension in 2023 are no invoice year of the old agreements.
    assert not [r for r in rapportages.factuurlijst(2023).rijen if r["convenant"] == "2019-2022"]


def test_contactgegevens_uit_de_brief(referentiedata):
    c = Convenant.objects.get(slug="2023-2027")
    assert (c.secretaris_g40.naam, c.secretaris_g40.email) == ("Genie Hendriks", "ej.hendriks@breda.nl")
    assert (c.relatiemanager.naam, c.relatiemanager.email) == ("Anjel Punte", "anjel.punte@platform31.nl")
    assert Persoon.objects.get(email="ej.hendriks@breda.nl").rol == "secretaris_g40"


def test_kalender_2019_2022_eigen_verplichtingen(referentiedata):
    c = Convenant.objects.get(slug="2019-2022")
    alles = kalender.verplichtingen(c, D(2021, 5, 1))
    soorten = {v.soort for v in alles}
    assert soorten == {VerplichtingSoort.VOORTGANG, VerplichtingSoort.HALFJAARRAPPORTAGE,
                       VerplichtingSoort.JAARVERANTWOORDING, VerplichtingSoort.FACTUUR,
                       VerplichtingSoort.OPZEGTERMIJN}
    per_soort = {s: [v for v in alles if v.soort == s] for s in soorten}
    assert len(per_soort[VerplichtingSoort.VOORTGANG]) == 16  # four times a year, 2019–2022
    half = next(v for v in per_soort[VerplichtingSoort.HALFJAARRAPPORTAGE] if v.datum.year == 2021)
    assert (half.vanaf, half.datum, half.wanneer) == (D(2021, 7, 1), D(2021, 8, 31), "1 juli 2021 t/m 31 augustus 2021")
    verantwoording = next(v for v in per_soort[VerplichtingSoort.JAARVERANTWOORDING]
                          if "verantwoording 2020 " in v.omschrijving)
    assert (verantwoording.vanaf, verantwoording.datum) == (D(2021, 1, 1), D(2021, 2, 28))
    factuur = next(v for v in per_soort[VerplichtingSoort.FACTUUR] if v.datum.year == 2021)
    assert (factuur.vanaf, factuur.datum, factuur.status) == (D(2021, 1, 1), D(2021, 3, 31), VerplichtingStatus.DONE)
    assert factuur.status_label == "Verstreken"
    assert half.status == VerplichtingStatus.UPCOMING
    # 2023–2027 keeps its jaarplannen and evaluations.
    nieuw = {v.soort for v in kalender.verplichtingen(Convenant.objects.get(slug="2023-2027"), D(2024, 1, 1))}
    assert VerplichtingSoort.JAARPLAN_GEREED in nieuw and VerplichtingSoort.VOORTGANG not in nieuw


def test_bootstrap_tweemaal_verandert_niets(referentiedata):
    assert laad_referentiedata() == {}
