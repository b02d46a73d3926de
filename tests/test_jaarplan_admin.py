"""A staff user's day in the admin: write the 2024 plan, evaluate it, carry a finding into 2025."""

import datetime
import json

from django.contrib.auth.models import Permission
from django.urls import reverse

import pytest

from convenant.models import Convenant, Persoon, Themagroep
from jaarplannen.models import Activiteit, Bevinding, Evaluatie, Jaarplan, Projectblad

D = datetime.date


def formulierdata(response) -> dict:
    """The POST data of an admin change form as it was shown (main form and existing inline rows)."""
    data = {}

    def voeg_toe(form):
        for naam in form.fields:
            waarde = form[naam].value()
            if waarde is None or waarde is False:
                continue
            data[form.add_prefix(naam)] = "on" if waarde is True else waarde

    voeg_toe(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for sleutel, waarde in formset.management_form.initial.items():
            data[f"{formset.prefix}-{sleutel}"] = waarde
        data[f"{formset.prefix}-TOTAL_FORMS"] = len(formset.initial_forms)
        for form in formset.initial_forms:
            voeg_toe(form)
    return data


def nieuwe_rij(data: dict, prefix: str, **velden):
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    for naam, waarde in velden.items():
        data[f"{prefix}-{index}-{naam}"] = waarde
    data[f"{prefix}-TOTAL_FORMS"] = index + 1


def foutmeldingen(response) -> str:
    teksten = [str(response.context["adminform"].form.errors)]
    for inline in response.context["inline_admin_formsets"]:
        teksten += [str(e) for e in inline.formset.errors] + [str(inline.formset.non_form_errors())]
    return " ".join(teksten)


@pytest.fixture
def plan2024(referentiedata):
    return Jaarplan.objects.get(convenant__slug="2023-2027", jaar=2024)


@pytest.fixture
def url2024(plan2024):
    return reverse("admin:jaarplannen_jaarplan_change", args=[plan2024.pk])


def test_jaarplan_pagina_toont_activiteiten_evaluaties_en_pdf(beheerder_client, referentiedata):
    plan = Jaarplan.objects.get(convenant__slug="2023-2027", jaar=2023)
    r = beheerder_client.get(reverse("admin:jaarplannen_jaarplan_change", args=[plan.pk]))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Themagroep Woningmarkt" in html
    assert "gereed uiterlijk 1 maart 2023" in html
    assert reverse("jaarplannen:jaarplan_pdf", args=[plan.pk]) in html
    prefixes = {i.formset.prefix for i in r.context["inline_admin_formsets"]}
    assert prefixes == {"activiteiten", "evaluaties"}
    # Sensible order: the basisprogramma first, then the pijlers in their order, standalone groups last.
    rijen = [f.instance for f in r.context["inline_admin_formsets"][0].formset.initial_forms]
    assert rijen[0].soort == "basisprogramma"
    assert [a.themagroep.naam for a in rijen if a.themagroep][:1] == ["Duurzaamheid"]
    assert rijen[-1].themagroep.pijler is None


def test_changelist_met_budget_en_pdf_link(beheerder_client, plan2024):
    Activiteit.objects.create(jaarplan=plan2024, soort="basisprogramma", titel="A", budget="1500.25")
    Activiteit.objects.create(jaarplan=plan2024, soort="basisprogramma", titel="B", budget="1000.00")
    r = beheerder_client.get(reverse("admin:jaarplannen_jaarplan_changelist"))
    html = r.content.decode()
    assert "€ 2.500,25" in html
    assert reverse("jaarplannen:jaarplan_pdf", args=[plan2024.pk]) in html


def test_jaarplan_2024_schrijven_met_activiteiten_en_evaluaties(beheerder_client, url2024, plan2024):
    data = formulierdata(beheerder_client.get(url2024))
    data.update({"titel": "Jaarplan 2024", "status": "gereed", "gereed_op": "2023-12-15"})
    nieuwe_rij(
        data, "activiteiten", soort="basisprogramma", titel="G40-netwerkdag", doel="Kennis delen",
        acties="Organiseren", planning="Q2", budget="7500,50", status="gepland", volgorde="1",
        verantwoordelijke_g40=Persoon.objects.get(naam="Genie Hendriks").pk,
        verantwoordelijke_platform31=Persoon.objects.get(naam="Anjel Punte").pk,
    )
    nieuwe_rij(
        data, "activiteiten", soort="thema", themagroep=Themagroep.objects.get(naam="Woningmarkt").pk,
        titel="Leertraject flexwonen", budget="12000", status="gepland", volgorde="2",
    )
    nieuwe_rij(data, "evaluaties", moment="juli", datum="2024-07-31")
    nieuwe_rij(data, "evaluaties", moment="november", datum="2024-11-14", gerapporteerd_directeur_op="2024-11-20")
    r = beheerder_client.post(url2024, data)
    assert r.status_code == 302, foutmeldingen(r)
    plan2024.refresh_from_db()
    assert (plan2024.status, plan2024.gereed_op) == ("gereed", D(2023, 12, 15))
    flex = plan2024.activiteiten.get(titel="Leertraject flexwonen")
    assert str(flex.budget) == "12000.00"
    assert plan2024.activiteiten.get(titel="G40-netwerkdag").verantwoordelijke_g40.naam == "Genie Hendriks"
    assert sorted(plan2024.evaluaties.values_list("moment", "datum")) == [
        ("juli", D(2024, 7, 31)), ("november", D(2024, 11, 14)),
    ]
    november = plan2024.evaluaties.get(moment="november")
    assert november.directeur_platform31.naam == "V. Everhardt"


def test_fout_in_evaluatie_bewaart_alles_wat_is_ingevuld(beheerder_client, url2024, plan2024):
    data = formulierdata(beheerder_client.get(url2024))
    data["toelichting"] = "Eigen toelichting die niet verloren mag gaan"
    nieuwe_rij(data, "activiteiten", soort="basisprogramma", titel="Onverloren activiteit", status="gepland",
               volgorde="0")
    nieuwe_rij(data, "evaluaties", moment="juli", datum="2024-08-01")
    r = beheerder_client.post(url2024, data)
    assert r.status_code == 200
    assert "valt in juli 2024" in foutmeldingen(r)
    html = r.content.decode()
    assert "Onverloren activiteit" in html
    assert "Eigen toelichting die niet verloren mag gaan" in html
    assert not plan2024.activiteiten.filter(titel="Onverloren activiteit").exists()
    assert not plan2024.evaluaties.exists()


def test_twee_juli_evaluaties_in_een_formulier_geweigerd(beheerder_client, url2024, plan2024):
    data = formulierdata(beheerder_client.get(url2024))
    nieuwe_rij(data, "evaluaties", moment="juli", datum="2024-07-10")
    nieuwe_rij(data, "evaluaties", moment="juli", datum="2024-07-20")
    r = beheerder_client.post(url2024, data)
    assert r.status_code == 200
    assert "moment" in foutmeldingen(r).lower()
    assert not plan2024.evaluaties.exists()


def test_vaststellen_voor_gereed_geweigerd_in_admin(beheerder_client, url2024, plan2024):
    data = formulierdata(beheerder_client.get(url2024))
    data.update({"status": "vastgesteld", "vastgesteld_op": "2024-03-20"})
    r = beheerder_client.post(url2024, data)
    assert r.status_code == 200
    assert "pas worden vastgesteld als het gereed is" in foutmeldingen(r)
    plan2024.refresh_from_db()
    assert plan2024.status == "in_voorbereiding"


def test_bevinding_doorvertalen_naar_2025(beheerder_client, plan2024):
    flex = Activiteit.objects.create(
        jaarplan=plan2024, soort="thema", themagroep=Themagroep.objects.get(naam="Woningmarkt"),
        titel="Leertraject flexwonen",
    )
    plan2025 = Jaarplan.objects.get(convenant__slug="2023-2027", jaar=2025)
    vervolg = Activiteit.objects.create(jaarplan=plan2025, soort="basisprogramma", titel="Vervolg flexwonen")
    elders = Activiteit.objects.create(
        jaarplan=Jaarplan.objects.get(convenant__slug="2023-2027", jaar=2026), soort="basisprogramma",
        titel="Ver weg",
    )
    evaluatie = Evaluatie.objects.create(jaarplan=plan2024, moment="november", datum=D(2024, 11, 14))
    url = reverse("admin:jaarplannen_evaluatie_change", args=[evaluatie.pk])
    r = beheerder_client.get(url)
    assert r.status_code == 200
    keuzes = r.context["inline_admin_formsets"][0].formset.empty_form.fields["wordt_activiteit"].queryset
    assert vervolg in keuzes and flex in keuzes and elders not in keuzes
    data = formulierdata(r)
    nieuwe_rij(data, "bevindingen", activiteit=flex.pk, tekst="Tien steden willen verder.", doorwerking="volgend",
               wordt_activiteit=vervolg.pk, volgorde="1")
    data["gerapporteerd_directeur_op"] = "2024-11-20"
    data["gerapporteerd_voorzitter_op"] = "2024-11-21"
    r = beheerder_client.post(url, data)
    assert r.status_code == 302, foutmeldingen(r)
    bevinding = Bevinding.objects.get(evaluatie=evaluatie)
    assert bevinding.wordt_activiteit == vervolg
    evaluatie.refresh_from_db()
    assert evaluatie.is_gerapporteerd
    # The activity in 2025 shows where it came from.
    r = beheerder_client.get(reverse("admin:jaarplannen_activiteit_change", args=[vervolg.pk]))
    assert "Tien steden willen verder." in r.content.decode()


def test_actie_neemt_bevinding_over_in_volgend_jaarplan(beheerder_client, plan2024):
    evaluatie = Evaluatie.objects.create(jaarplan=plan2024, moment="juli", datum=D(2024, 7, 10))
    Bevinding.objects.create(evaluatie=evaluatie, tekst="Een netwerkdag voor wethouders.", doorwerking="volgend")
    Bevinding.objects.create(evaluatie=evaluatie, tekst="Loopt goed.", doorwerking="geen")
    r = beheerder_client.post(
        reverse("admin:jaarplannen_evaluatie_changelist"),
        {"action": "bevindingen_overnemen", "_selected_action": [evaluatie.pk]}, follow=True,
    )
    assert "1 bevinding(en) overgenomen" in r.content.decode()
    nieuw = Activiteit.objects.get(jaarplan__jaar=2025, titel="Een netwerkdag voor wethouders.")
    assert nieuw.soort == "basisprogramma"
    assert Bevinding.objects.get(tekst__startswith="Een netwerkdag").wordt_activiteit == nieuw


@pytest.mark.parametrize(("veld", "zoek", "verwacht"), [
    ("themagroep", "woning", "Woningmarkt"),
    ("verantwoordelijke_g40", "Hendriks", "Genie Hendriks"),
    ("verantwoordelijke_platform31", "Punte", "Anjel Punte"),
])
def test_autocomplete_themagroepen_en_personen(beheerder_client, referentiedata, veld, zoek, verwacht):
    r = beheerder_client.get(reverse("admin:autocomplete"), {
        "app_label": "jaarplannen", "model_name": "activiteit", "field_name": veld, "term": zoek,
    })
    assert r.status_code == 200
    assert verwacht in [rij["text"].split(" (")[0] for rij in json.loads(r.content)["results"]]


def test_projectblad_toevoegen_met_partijen(beheerder_client, referentiedata):
    url = reverse("admin:jaarplannen_projectblad_add")
    r = beheerder_client.get(url)
    keuzes = r.context["adminform"].form.fields["convenant"].queryset
    assert [c.slug for c in keuzes] == ["2019-2022"]
    data = formulierdata(r)
    data.update({
        "convenant": Convenant.objects.get(slug="2019-2022").pk, "jaar": "2021", "titel": "Kennisdossier binnensteden",
        "product": "Kennisdossier", "planning": "Q1–Q3 2021",
        "pijlersecretaris_g40": Persoon.objects.get(naam="Genie Hendriks").pk,
    })
    nieuwe_rij(data, "partijen", partij="Platform31", contactpersoon="A. Punte", bijdrage="20000,00", volgorde="1")
    nieuwe_rij(data, "partijen", partij="G40-Stedennetwerk", bijdrage="5000", volgorde="2")
    r = beheerder_client.post(url, data)
    assert r.status_code == 302, foutmeldingen(r)
    blad = Projectblad.objects.get(titel="Kennisdossier binnensteden")
    assert str(blad.totaal_budget) == "25000.00"
    r = beheerder_client.get(reverse("admin:jaarplannen_projectblad_changelist"))
    assert "€ 25.000,00" in r.content.decode()
    assert reverse("jaarplannen:projectblad_pdf", args=[blad.pk]) in r.content.decode()


def test_medewerker_met_alleen_jaarplanrechten(client, django_user_model, plan2024):
    """Staff with the jaarplannen permissions (not superuser) can edit a plan."""
    medewerker = django_user_model.objects.create_user("medewerker", password="pw-test-123", is_staff=True)
    medewerker.user_permissions.set(Permission.objects.filter(content_type__app_label="jaarplannen"))
    client.force_login(medewerker)
    r = client.get(reverse("admin:jaarplannen_jaarplan_change", args=[plan2024.pk]))
    assert r.status_code == 200
    assert r.context["has_change_permission"]


def test_nieuw_jaarplan_met_evaluatie_in_een_keer(beheerder_client, referentiedata):
    convenant = Convenant.objects.get(slug="2023-2027")
    Jaarplan.objects.filter(convenant=convenant, jaar=2026).delete()
    url = reverse("admin:jaarplannen_jaarplan_add")
    r = beheerder_client.get(url, {"convenant": convenant.pk, "jaar": 2026})
    assert r.context["adminform"].form.initial["jaar"] == "2026"
    data = formulierdata(r)
    data.update({"convenant": convenant.pk, "jaar": "2026", "status": "in_voorbereiding"})
    nieuwe_rij(data, "activiteiten", soort="basisprogramma", titel="Netwerkdag 2026", status="gepland", volgorde="0")
    nieuwe_rij(data, "evaluaties", moment="november", datum="2026-12-01")
    r = beheerder_client.post(url, data)
    assert r.status_code == 200
    assert "valt in november 2026" in foutmeldingen(r)
    assert not Jaarplan.objects.filter(convenant=convenant, jaar=2026).exists()
    data["evaluaties-0-datum"] = "2026-11-30"
    r = beheerder_client.post(url, data)
    assert r.status_code == 302, foutmeldingen(r)
    plan = Jaarplan.objects.get(convenant=convenant, jaar=2026)
    assert plan.evaluaties.get().voorzitter_g40.naam == "P. Depla"
    assert plan.activiteiten.get().titel == "Netwerkdag 2026"


def test_jaarplan_buiten_looptijd_in_admin_geweigerd(beheerder_client, referentiedata):
    url = reverse("admin:jaarplannen_jaarplan_add")
    data = formulierdata(beheerder_client.get(url))
    data.update({"convenant": Convenant.objects.get(slug="2023-2027").pk, "jaar": "2028",
                 "status": "in_voorbereiding"})
    r = beheerder_client.post(url, data)
    assert r.status_code == 200
    assert "2028 valt buiten de looptijd van het convenant (2023–2027)" in foutmeldingen(r)
