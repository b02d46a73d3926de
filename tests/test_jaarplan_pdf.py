"""The jaarplan and the projectblad as PDF documents."""

import datetime
import io
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.urls import reverse

import pytest
from pypdf import PdfReader

from convenant.models import Convenant, Persoon, Themagroep
from jaarplannen import pdf
from jaarplannen.models import Activiteit, Bevinding, Evaluatie, Jaarplan, Projectblad, ProjectbladPartij

D = datetime.date


def pdf_tekst(inhoud: bytes) -> str:
    assert inhoud.startswith(b"%PDF")
    return "\n".join(pagina.extract_text() for pagina in PdfReader(io.BytesIO(inhoud)).pages)


@pytest.fixture
def plan2024(referentiedata):
    plan = Jaarplan.objects.get(convenant__slug="2023-2027", jaar=2024)
    Activiteit.objects.create(
        jaarplan=plan, soort="basisprogramma", titel="G40-netwerkdag", budget=Decimal("7500.50"),
        verantwoordelijke_g40=Persoon.objects.get(naam="Genie Hendriks"),
    )
    Activiteit.objects.create(
        jaarplan=plan, soort="thema", themagroep=Themagroep.objects.get(naam="Woningmarkt"),
        titel="Leertraject flexwonen", budget=Decimal("12000.00"),
    )
    Activiteit.objects.create(
        jaarplan=plan, soort="thema", themagroep=Themagroep.objects.get(naam="Duurzaamheid"),
        titel="Warmtenetten in de wijk", budget=Decimal("0.10"),
    )
    Activiteit.objects.create(
        jaarplan=plan, soort="thema", themagroep=Themagroep.objects.get(naam="Europa"), titel="Europese fondsen",
    )
    return plan


def test_context_groepeert_per_pijler_en_telt_met_decimal(plan2024):
    context = pdf.jaarplan_context(plan2024)
    assert [h.titel for h in context["hoofdstukken"]] == [
        "Basisprogramma", "Pijler Fysiek", "Zelfstandige themagroepen",
    ]
    fysiek = context["hoofdstukken"][1]
    assert [o.titel for o in fysiek.onderdelen] == ["Duurzaamheid", "Woningmarkt"]
    assert fysiek.budget == Decimal("12000.10")
    assert context["totaal_budget"] == Decimal("19500.60")
    assert isinstance(context["totaal_budget"], Decimal)
    assert context["onbekend_budget"] == 1


def test_jaarplan_pdf_bevat_activiteiten_totalen_en_bevindingen(beheerder_client, plan2024):
    juli = Evaluatie.objects.create(jaarplan=plan2024, moment="juli", datum=D(2024, 7, 9))
    november = Evaluatie.objects.create(
        jaarplan=plan2024, moment="november", datum=D(2024, 11, 12), samenvatting="Op koers.",
    )
    Bevinding.objects.create(evaluatie=juli, tekst="Oude bevinding uit juli.", doorwerking="lopend")
    Bevinding.objects.create(
        evaluatie=november, activiteit=plan2024.activiteiten.get(titel="Leertraject flexwonen"),
        tekst="Meer steden willen meedoen.", doorwerking="volgend",
    )
    r = beheerder_client.get(reverse("jaarplannen:jaarplan_pdf", args=[plan2024.pk]))
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    tekst = pdf_tekst(r.content)
    for verwacht in (
        "Jaarplan G40–Platform31 2024", "Basisprogramma", "Pijler Fysiek", "Woningmarkt", "Duurzaamheid",
        "Zelfstandige themagroepen", "G40-netwerkdag", "Leertraject flexwonen", "Warmtenetten in de wijk",
        "Europese fondsen", "€ 7.500,50", "€ 12.000,10", "€ 19.500,60", "Genie Hendriks",
        "Evaluatie november 2024", "Meer steden willen meedoen.", "Gereed uiterlijk 1 januari 2024",
    ):
        assert verwacht in tekst, verwacht
    assert "Oude bevinding uit juli." not in tekst  # only the latest evaluation
    assert "pagina 1 van" in tekst


def test_zonder_eigen_evaluatie_de_laatste_van_het_vorige_plan(beheerder_client, referentiedata):
    plan2024 = Jaarplan.objects.get(convenant__slug="2023-2027", jaar=2024)
    plan2025 = Jaarplan.objects.get(convenant__slug="2023-2027", jaar=2025)
    evaluatie = Evaluatie.objects.create(jaarplan=plan2024, moment="november", datum=D(2024, 11, 12))
    Bevinding.objects.create(evaluatie=evaluatie, tekst="Meer aandacht voor Europa.", doorwerking="volgend")
    tekst = pdf_tekst(pdf.jaarplan_pdf(plan2025))
    assert "Evaluatie november 2024" in tekst
    assert "Meer aandacht voor Europa." in tekst
    assert "nog geen activiteiten" in tekst


def test_html_voorbeeld(beheerder_client, plan2024):
    r = beheerder_client.get(reverse("jaarplannen:jaarplan_pdf", args=[plan2024.pk]), {"formaat": "html"})
    assert r.status_code == 200
    assert "Leertraject flexwonen" in r.content.decode()


def test_pdf_alleen_met_inloggen_en_recht(client, django_user_model, plan2024):
    url = reverse("jaarplannen:jaarplan_pdf", args=[plan2024.pk])
    r = client.get(url)
    assert r.status_code == 302 and r["Location"].startswith(reverse("admin:login"))
    gebruiker = django_user_model.objects.create_user("lezer", password="pw-test-123", is_staff=True)
    client.force_login(gebruiker)
    assert client.get(url).status_code == 403
    gebruiker.user_permissions.add(Permission.objects.get(codename="view_jaarplan"))
    assert client.get(url).status_code == 200
    assert client.get(reverse("jaarplannen:jaarplan_pdf", args=[99999])).status_code == 404


@pytest.fixture
def projectblad(referentiedata):
    blad = Projectblad.objects.create(
        convenant=Convenant.objects.get(slug="2019-2022"), jaar=2021, titel="Kennisdossier binnensteden",
        doel="Inzicht in de opgaven van binnensteden.", product="Een kennisdossier", planning="Q1–Q3 2021",
        pijlersecretaris_g40=Persoon.objects.get(naam="Genie Hendriks"),
        programmamanager_platform31=Persoon.objects.get(naam="Anjel Punte"),
    )
    ProjectbladPartij.objects.create(projectblad=blad, partij="Platform31", contactpersoon="A. Punte",
                                     bijdrage=Decimal("20000.00"))
    ProjectbladPartij.objects.create(projectblad=blad, partij="G40-Stedennetwerk", bijdrage=Decimal("5000.50"))
    return blad


def test_projectblad_pdf_met_de_velden_van_artikel_8(beheerder_client, projectblad):
    r = beheerder_client.get(reverse("jaarplannen:projectblad_pdf", args=[projectblad.pk]))
    assert r.status_code == 200
    tekst = pdf_tekst(r.content)
    for verwacht in (
        "Projectblad: Kennisdossier binnensteden", "Product", "Een kennisdossier", "Planning", "Q1–Q3 2021",
        "Betrokken partijen", "Platform31", "A. Punte", "€ 20.000,00", "€ 5.000,50", "Totaal budget", "€ 25.000,50",
        "Ambtelijk opdrachtgever G40", "pijlersecretaris", "Genie Hendriks", "Bestuurder G40",
        "Projectleider Platform31", "programmamanager", "Anjel Punte",
    ):
        assert verwacht in tekst, verwacht


def test_projectblad_pdf_vraagt_recht(client, django_user_model, projectblad):
    url = reverse("jaarplannen:projectblad_pdf", args=[projectblad.pk])
    assert client.get(url).status_code == 302
    gebruiker = django_user_model.objects.create_user("lezer", password="pw-test-123", is_staff=True)
    gebruiker.user_permissions.add(Permission.objects.get(codename="view_jaarplan"))
    client.force_login(gebruiker)
    assert client.get(url).status_code == 403
