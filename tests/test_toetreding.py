"""Joining during a convenant: the agreement's own start date runs through its text, its years and the invoices."""

import datetime
from decimal import Decimal

from django.urls import reverse

import pytest

from gemeenten.models import Gemeente, Inwonertal
from overeenkomsten import pdf, rapportages, services, workflow
from overeenkomsten.models import Samenwerkingsovereenkomst

from .bureau import formulierdata, installeer_nep_documenten
from .test_overeenkomst_pdf import tekst_van

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def docs(monkeypatch):
    return installeer_nep_documenten(monkeypatch)


@pytest.fixture
def nieuwkomer(referentiedata, docs, monkeypatch):
    """A city that joins the 2023–2027 convenant on 1 July 2025, signed on 15 July 2025."""
    monkeypatch.setattr(workflow, "vandaag", lambda: D(2026, 12, 1))
    gemeente = Gemeente.objects.create(naam="Nieuwstad", slug="nieuwstad", cbs_code="GM9901",
                                       adres="Markt 1", plaats="Nieuwstad", lid_sinds=D(2025, 7, 1))
    Inwonertal.objects.create(gemeente=gemeente, peildatum=D(2022, 1, 1), aantal=80000)
    ov = Samenwerkingsovereenkomst(
        convenant_id=Samenwerkingsovereenkomst.objects.filter(convenant__slug="2023-2027").first().convenant_id,
        gemeente=gemeente, ingangsdatum=D(2025, 7, 1), vertegenwoordiger="A. de Vries",
        vertegenwoordiger_functie="burgemeester", collegebesluit_op=D(2025, 6, 10),
    )
    services.neem_snapshot(ov)
    ov.full_clean()
    ov.save()
    workflow.markeer_verzonden(ov, D(2025, 7, 1), "griffie@nieuwstad.nl")
    workflow.markeer_ontvangen(ov, D(2025, 7, 15))
    return Samenwerkingsovereenkomst.objects.select_related("gemeente", "convenant").get(pk=ov.pk)


def test_pdf_vangt_aan_op_eigen_ingangsdatum(nieuwkomer):
    tekst = tekst_van(pdf.render_overeenkomst_pdf(nieuwkomer, definitief=True))
    assert "vangt aan op 1 juli 2025 en loopt van rechtswege af op 31 december 2027" in tekst
    assert ("de gemeente Nieuwstad tijdens de looptijd van het Convenant, per 1 juli 2025, tot het G40-"
            in tekst and "toetreedt en daarmee deel gaat uitmaken van het Convenant" in tekst)
    assert "vangt aan op 1 maart 2023" not in tekst
    # The convenant's own period is still told as it is.
    assert "voor de periode 1 maart 2023 t/m 31 december 2027" in tekst


def test_deventer_zonder_eigen_ingangsdatum_ongewijzigd(referentiedata):
    ov = Samenwerkingsovereenkomst.objects.get(convenant__slug="2023-2027", gemeente__naam="Deventer")
    html = pdf.maak_document(ov).html
    assert "toetreedt" not in html and "1 maart 2023</span> en loopt" in html


def test_jaren_en_factuurlijst_volgen_de_ingangsdatum(nieuwkomer):
    assert [j for j in range(2023, 2028) if nieuwkomer.loopt_in_jaar(j)] == [2025, 2026, 2027]
    assert nieuwkomer.te_factureren(2024) == Decimal("0.00")
    # Full year, no pro rata: the agreements fix a price per year (as 2023, which began on 1 March).
    assert nieuwkomer.te_factureren(2025) == Decimal("12000.00") == nieuwkomer.bedrag_per_jaar

    lijst_2024 = rapportages.factuurlijst(2024)
    assert "Nieuwstad" not in {r["gemeente"] for r in lijst_2024.rijen}
    lijst_2025 = rapportages.factuurlijst(2025)
    rij = next(r for r in lijst_2025.rijen if r["gemeente"] == "Nieuwstad")
    assert (rij["factureerbaar"], rij["te_factureren"], rij["ingangsdatum"]) == (
        "ja", Decimal("12000.00"), D(2025, 7, 1))
    assert "toegetreden per 1 juli 2025" in rij["toelichting"]


def test_admin_toont_en_bewaakt_ingangsdatum(referentiedata, beheerder_client):
    ov = Samenwerkingsovereenkomst.objects.get(convenant__slug="2023-2027", gemeente__naam="Almere")
    url = reverse("admin:overeenkomsten_samenwerkingsovereenkomst_change", args=[ov.pk])
    r = beheerder_client.get(url)
    assert 'name="ingangsdatum"' in r.content.decode()
    data = formulierdata(r)
    data["ingangsdatum"] = "2029-01-01"
    r = beheerder_client.post(url, data)
    assert r.status_code == 200 and "De ingangsdatum valt buiten de looptijd van het convenant" in r.content.decode()
    data["ingangsdatum"] = "2025-07-01"
    assert beheerder_client.post(url, data).status_code == 302
    assert Samenwerkingsovereenkomst.objects.get(pk=ov.pk).begint_op == D(2025, 7, 1)
