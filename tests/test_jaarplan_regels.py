"""The convenant's rules for jaarplannen and evaluations, in clean() and in the database."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

import pytest

from convenant import rules
from convenant.models import Convenant, Themagroep
from jaarplannen import services
from jaarplannen.models import (
    Activiteit,
    Bevinding,
    ConvenantEvaluatie,
    Evaluatie,
    Jaarplan,
    Projectblad,
    ProjectbladPartij,
)

D = datetime.date


@pytest.fixture
def convenant(referentiedata):
    return Convenant.objects.get(slug="2023-2027")


@pytest.fixture
def plan2024(convenant):
    return Jaarplan.objects.get(convenant=convenant, jaar=2024)


def fouten(obj) -> dict:
    with pytest.raises(ValidationError) as exc:
        obj.full_clean()
    return exc.value.message_dict


# --- rules.py -------------------------------------------------------------------------------


def test_gereed_uiterlijk_2023_is_1_maart_anders_1_januari(convenant):
    assert rules.jaarplan_gereed_uiterlijk(2023, convenant.ingangsdatum) == D(2023, 3, 1)
    for jaar in (2024, 2025, 2026, 2027):
        assert rules.jaarplan_gereed_uiterlijk(jaar, convenant.ingangsdatum) == D(jaar, 1, 1)


@pytest.mark.parametrize(("maand", "begin", "einde"), [
    (7, D(2024, 7, 1), D(2024, 7, 31)),
    (11, D(2024, 11, 1), D(2024, 11, 30)),
    (12, D(2024, 12, 1), D(2024, 12, 31)),
    (2, D(2024, 2, 1), D(2024, 2, 29)),
])
def test_maand_periode(maand, begin, einde):
    assert rules.maand_periode(2024, maand) == (begin, einde)


def test_rapportage_uiterlijk_eind_volgende_maand():
    assert rules.evaluatie_rapporteren_uiterlijk(D(2024, 7, 31)) == D(2024, 8, 31)
    assert rules.evaluatie_rapporteren_uiterlijk(D(2024, 11, 30)) == D(2024, 12, 31)
    assert rules.evaluatie_rapporteren_uiterlijk(D(2027, 6, 30)) == D(2027, 7, 31)


# --- one plan per convenant year inside the period ------------------------------------------


def test_jaarplan_buiten_looptijd_geweigerd(convenant):
    assert "2028 valt buiten de looptijd" in fouten(Jaarplan(convenant=convenant, jaar=2028))["jaar"][0]
    assert "jaar" in fouten(Jaarplan(convenant=convenant, jaar=2022))


def test_tweede_jaarplan_voor_zelfde_jaar_geweigerd(convenant):
    assert "bestaat al een jaarplan" in " ".join(fouten(Jaarplan(convenant=convenant, jaar=2025))["__all__"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Jaarplan.objects.create(convenant=convenant, jaar=2025)


# --- adopted only after ready, with the DB decision date ------------------------------------


def test_vaststellen_zonder_gereed_geweigerd(plan2024):
    plan2024.status = "vastgesteld"
    plan2024.vastgesteld_op = D(2024, 3, 20)
    assert "pas worden vastgesteld als het gereed is" in fouten(plan2024)["gereed_op"][0]


def test_vaststellen_vraagt_datum_db_besluit(plan2024):
    plan2024.status = "vastgesteld"
    plan2024.gereed_op = D(2023, 12, 15)
    assert "besluit van het G40-DB" in fouten(plan2024)["vastgesteld_op"][0]


def test_vaststelling_voor_gereed_geweigerd(plan2024):
    plan2024.status = "vastgesteld"
    plan2024.gereed_op = D(2024, 2, 1)
    plan2024.vastgesteld_op = D(2024, 1, 31)
    assert "ligt vóór de datum waarop het plan gereed was" in fouten(plan2024)["vastgesteld_op"][0]
    plan2024.vastgesteld_op = D(2024, 2, 1)  # the same day is fine
    plan2024.full_clean()


def test_vastgesteld_plan_bewaart_datum_besluit(plan2024):
    plan2024.status = "gereed"
    plan2024.gereed_op = D(2023, 12, 15)
    plan2024.full_clean()
    plan2024.save()
    plan2024.status = "vastgesteld"
    plan2024.vastgesteld_op = D(2024, 3, 20)
    plan2024.full_clean()
    plan2024.save()
    plan2024.refresh_from_db()
    assert plan2024.vastgesteld_op == D(2024, 3, 20)


def test_datum_vaststelling_alleen_bij_vastgesteld(plan2024):
    plan2024.status = "gereed"
    plan2024.gereed_op = D(2023, 12, 15)
    plan2024.vastgesteld_op = D(2024, 3, 20)
    assert "Alleen een vastgesteld jaarplan" in fouten(plan2024)["vastgesteld_op"][0]


@pytest.mark.parametrize("velden", [
    {"status": "vastgesteld", "gereed_op": None, "vastgesteld_op": D(2024, 3, 1)},
    {"status": "vastgesteld", "gereed_op": D(2024, 3, 2), "vastgesteld_op": D(2024, 3, 1)},
    {"status": "gereed", "gereed_op": None, "vastgesteld_op": None},
    {"status": "gereed", "gereed_op": D(2024, 1, 1), "vastgesteld_op": D(2024, 3, 1)},
    {"status": "in_voorbereiding", "gereed_op": D(2024, 1, 1), "vastgesteld_op": None},
])
def test_statusregels_ook_in_de_database(plan2024, velden):
    with pytest.raises(IntegrityError), transaction.atomic():
        Jaarplan.objects.filter(pk=plan2024.pk).update(**velden)


# --- evaluations: one per moment, in its month of the plan year -----------------------------


@pytest.mark.parametrize(("moment", "datum", "goed"), [
    ("juli", D(2024, 7, 1), True),
    ("juli", D(2024, 7, 31), True),
    ("juli", D(2024, 8, 1), False),
    ("juli", D(2024, 6, 30), False),
    ("juli", D(2025, 7, 15), False),  # July, but of another year
    ("november", D(2024, 11, 30), True),
    ("november", D(2024, 12, 1), False),
    ("november", D(2024, 7, 10), False),
])
def test_evaluatie_in_haar_maand_van_het_planjaar(plan2024, moment, datum, goed):
    evaluatie = Evaluatie(jaarplan=plan2024, moment=moment, datum=datum)
    if goed:
        evaluatie.full_clean()
    else:
        assert f"valt in {moment} 2024" in fouten(evaluatie)["datum"][0]


def test_evaluatie_maand_ook_in_de_database(plan2024):
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluatie.objects.create(jaarplan=plan2024, moment="juli", datum=D(2024, 8, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluatie.objects.create(jaarplan=plan2024, moment="november", datum=D(2024, 7, 10))


def test_hoogstens_een_juli_en_een_november_evaluatie(plan2024):
    Evaluatie.objects.create(jaarplan=plan2024, moment="juli", datum=D(2024, 7, 10))
    Evaluatie.objects.create(jaarplan=plan2024, moment="november", datum=D(2024, 11, 10))
    tweede = Evaluatie(jaarplan=plan2024, moment="juli", datum=D(2024, 7, 20))
    assert "al een evaluatie" in " ".join(fouten(tweede)["__all__"])
    with pytest.raises(IntegrityError), transaction.atomic():
        tweede.save()


def test_rapportage_niet_voor_evaluatie(plan2024):
    evaluatie = Evaluatie(
        jaarplan=plan2024, moment="juli", datum=D(2024, 7, 10), gerapporteerd_voorzitter_op=D(2024, 7, 9),
    )
    assert "ligt vóór de evaluatie" in fouten(evaluatie)["gerapporteerd_voorzitter_op"][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        evaluatie.save()


def test_ontvangers_rapportage_uit_het_convenant(plan2024):
    evaluatie = Evaluatie.objects.create(jaarplan=plan2024, moment="juli", datum=D(2024, 7, 10))
    assert evaluatie.directeur_platform31.naam == "V. Everhardt"
    assert evaluatie.voorzitter_g40.naam == "P. Depla"
    assert not evaluatie.is_gerapporteerd
    evaluatie.gerapporteerd_directeur_op = D(2024, 7, 20)
    assert not evaluatie.is_gerapporteerd
    evaluatie.gerapporteerd_voorzitter_op = D(2024, 7, 22)
    assert evaluatie.is_gerapporteerd


# --- the convenant evaluation: first half of the last year ----------------------------------


@pytest.mark.parametrize(("datum", "goed"), [
    (D(2027, 1, 1), True), (D(2027, 6, 30), True), (D(2027, 7, 1), False), (D(2026, 12, 31), False),
    (D(2026, 3, 1), False),
])
def test_convenantevaluatie_eerste_helft_laatste_jaar(convenant, datum, goed):
    evaluatie = ConvenantEvaluatie(convenant=convenant, datum=datum)
    if goed:
        evaluatie.full_clean()
    else:
        assert "1 januari 2027 t/m 30 juni 2027" in fouten(evaluatie)["datum"][0]


def test_convenantevaluatie_tweede_jaarhelft_ook_in_database(convenant):
    with pytest.raises(IntegrityError), transaction.atomic():
        ConvenantEvaluatie.objects.create(convenant=convenant, datum=D(2027, 7, 1))


# --- findings and where they go -------------------------------------------------------------


@pytest.fixture
def evaluatie_nov_2024(plan2024):
    return Evaluatie.objects.create(jaarplan=plan2024, moment="november", datum=D(2024, 11, 12))


@pytest.fixture
def woningmarkt_2024(plan2024):
    return Activiteit.objects.create(
        jaarplan=plan2024, soort="thema", themagroep=Themagroep.objects.get(naam="Woningmarkt"),
        titel="Leertraject flexwonen", budget="12000.00",
    )


def test_bevinding_over_activiteit_van_ander_plan_geweigerd(evaluatie_nov_2024, convenant):
    ander = Activiteit.objects.create(
        jaarplan=Jaarplan.objects.get(convenant=convenant, jaar=2025), soort="basisprogramma", titel="Iets",
    )
    bevinding = Bevinding(evaluatie=evaluatie_nov_2024, activiteit=ander, tekst="x", doorwerking="lopend")
    assert "hoort bij Jaarplan 2025" in fouten(bevinding)["activiteit"][0]


def test_bevinding_naar_volgend_plan_moet_daar_staan(evaluatie_nov_2024, woningmarkt_2024, convenant):
    plan2025 = Jaarplan.objects.get(convenant=convenant, jaar=2025)
    plan2026 = Jaarplan.objects.get(convenant=convenant, jaar=2026)
    in_2025 = Activiteit.objects.create(jaarplan=plan2025, soort="basisprogramma", titel="Vervolg")
    in_2026 = Activiteit.objects.create(jaarplan=plan2026, soort="basisprogramma", titel="Te laat")
    bevinding = Bevinding(
        evaluatie=evaluatie_nov_2024, activiteit=woningmarkt_2024, tekst="Meer steden willen meedoen.",
        doorwerking="volgend", wordt_activiteit=in_2025,
    )
    bevinding.full_clean()
    bevinding.wordt_activiteit = in_2026
    assert "het volgende jaarplan (2025)" in fouten(bevinding)["wordt_activiteit"][0]
    bevinding.wordt_activiteit = woningmarkt_2024  # same plan, but 'volgend' was chosen
    assert "wordt_activiteit" in fouten(bevinding)
    bevinding.doorwerking = "lopend"
    bevinding.full_clean()


def test_bevinding_zonder_doorwerking_wordt_geen_activiteit(evaluatie_nov_2024, woningmarkt_2024):
    bevinding = Bevinding(
        evaluatie=evaluatie_nov_2024, tekst="x", doorwerking="geen", wordt_activiteit=woningmarkt_2024,
    )
    assert "zonder doorwerking" in fouten(bevinding)["wordt_activiteit"][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        bevinding.save()


def test_bevinding_overnemen_in_2025(evaluatie_nov_2024, woningmarkt_2024, convenant):
    bevinding = Bevinding.objects.create(
        evaluatie=evaluatie_nov_2024, activiteit=woningmarkt_2024, tekst="Vervolg met tien steden.",
        doorwerking="volgend",
    )
    activiteit = services.neem_bevinding_over(bevinding)
    assert activiteit.jaarplan == Jaarplan.objects.get(convenant=convenant, jaar=2025)
    assert (activiteit.titel, activiteit.soort, activiteit.themagroep.naam) == (
        "Leertraject flexwonen", "thema", "Woningmarkt",
    )
    assert activiteit.doel == "Vervolg met tien steden."
    bevinding.refresh_from_db()
    assert bevinding.wordt_activiteit == activiteit
    assert list(activiteit.herkomst.all()) == [bevinding]
    # A second finding about the same activity links to the same continuation.
    tweede = Bevinding.objects.create(
        evaluatie=evaluatie_nov_2024, activiteit=woningmarkt_2024, tekst="Ook corporaties.", doorwerking="volgend",
    )
    assert services.neem_bevinding_over(tweede) == activiteit
    assert Activiteit.objects.filter(titel="Leertraject flexwonen").count() == 2


def test_bevinding_overnemen_zonder_volgend_plan(convenant):
    plan2027 = Jaarplan.objects.get(convenant=convenant, jaar=2027)
    evaluatie = Evaluatie.objects.create(jaarplan=plan2027, moment="november", datum=D(2027, 11, 5))
    bevinding = Bevinding.objects.create(evaluatie=evaluatie, tekst="Voor een volgend convenant.")
    with pytest.raises(ValidationError, match="geen jaarplan 2028"):
        services.neem_bevinding_over(bevinding)


# --- activities -----------------------------------------------------------------------------


def test_activiteit_titel_uniek_per_jaarplan(plan2024):
    Activiteit.objects.create(jaarplan=plan2024, soort="basisprogramma", titel="Netwerkdag")
    dubbel = Activiteit(jaarplan=plan2024, soort="basisprogramma", titel="Netwerkdag")
    assert "al een activiteit met deze titel" in " ".join(fouten(dubbel)["__all__"])


def test_basisprogramma_zonder_themagroep(plan2024):
    activiteit = Activiteit(
        jaarplan=plan2024, soort="basisprogramma", titel="x", themagroep=Themagroep.objects.get(naam="Europa"),
    )
    assert "basisprogramma hoort niet" in fouten(activiteit)["themagroep"][0]


# --- projectblad (convenant 2019–2022, art. 8) ----------------------------------------------


def test_projectblad_hoort_bij_convenant_2019(convenant):
    blad = Projectblad(convenant=convenant, titel="Iets", product="Rapport", planning="2023")
    assert "convenant 2019 t/m 2022" in fouten(blad)["convenant"][0]
    blad.convenant = Convenant.objects.get(slug="2019-2022")
    blad.full_clean()
    blad.jaar = 2023
    assert "2023 valt buiten de looptijd" in fouten(blad)["jaar"][0]


def test_projectblad_totaal_is_som_van_bijdragen(referentiedata):
    blad = Projectblad.objects.create(
        convenant=Convenant.objects.get(slug="2019-2022"), titel="Woningbouwversnelling", product="Handreiking",
        planning="2020",
    )
    ProjectbladPartij.objects.create(projectblad=blad, partij="Platform31", bijdrage="10000.10")
    ProjectbladPartij.objects.create(projectblad=blad, partij="G40-Stedennetwerk", bijdrage="5000.05")
    ProjectbladPartij.objects.create(projectblad=blad, partij="BZK")
    assert str(blad.totaal_budget) == "15000.15"
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectbladPartij.objects.create(projectblad=blad, partij="VNG", bijdrage="-1")


# --- the 2023 skeleton from Bijlage 2 -------------------------------------------------------


def test_jaarplan_2023_heeft_skelet_per_pijler_en_themagroep(convenant):
    plan = Jaarplan.objects.get(convenant=convenant, jaar=2023)
    themas = set(plan.activiteiten.filter(soort="thema").values_list("themagroep__naam", flat=True))
    assert themas == set(Themagroep.objects.values_list("naam", flat=True))
    assert plan.activiteiten.filter(soort="basisprogramma").exists()
    pijlers = set(plan.activiteiten.exclude(themagroep__pijler=None).values_list("themagroep__pijler__naam", flat=True))
    assert pijlers == {"Fysiek", "Economie en Werk", "Sociaal"}


def test_skelet_opnieuw_laden_verandert_niets(convenant):
    from convenant.management.commands.bootstrap import laad_referentiedata

    plan = Jaarplan.objects.get(convenant=convenant, jaar=2023)
    eigen = plan.activiteiten.get(titel="Themagroep Europa")
    eigen.doel, eigen.budget = "Eigen doel", "2500.00"
    eigen.save()
    voor = sorted(Activiteit.objects.values_list("pk", flat=True))
    assert laad_referentiedata() == {}
    assert sorted(Activiteit.objects.values_list("pk", flat=True)) == voor
    eigen.refresh_from_db()
    assert (eigen.doel, str(eigen.budget)) == ("Eigen doel", "2500.00")
