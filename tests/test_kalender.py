"""The calendar of obligations: computed from the convenant, shown as a list, offered as .ics."""

import datetime
from collections import Counter

from django.contrib.auth.models import Permission
from django.template.loader import render_to_string
from django.urls import reverse

import pytest
from icalendar import Calendar

from convenant.models import Convenant
from jaarplannen import kalender
from jaarplannen.models import ConvenantEvaluatie, Evaluatie, Jaarplan, KalenderToken

D = datetime.date


@pytest.fixture
def convenant(referentiedata):
    return Convenant.objects.get(slug="2023-2027")


def per_sleutel(items):
    return {v.sleutel: v for v in items}


def test_kalender_2023_2027_volgt_het_convenant(convenant):
    items = kalender.verplichtingen(convenant, vandaag=D(2022, 12, 31))
    soorten = Counter(v.soort for v in items)
    assert soorten == {
        "jaarplan_gereed": 5, "jaarplan_vaststelling": 5, "evaluatie": 10, "rapportage": 10,
        "opzegtermijn": 4, "convenantevaluatie": 1, "convenantrapportage": 1,
        "facturering": 5,  # the yearly invoices in the first quarter (added by facturen)
    }
    v = per_sleutel(items)
    # Art. 2d: ready by 1 January, the 2023 plan by 1 March.
    assert [v[f"2023-2027-{j}-gereed"].datum for j in range(2023, 2028)] == [
        D(2023, 3, 1), D(2024, 1, 1), D(2025, 1, 1), D(2026, 1, 1), D(2027, 1, 1),
    ]
    # Art. 4f: adopted by the DB in March at the latest.
    for jaar in range(2023, 2028):
        vaststelling = v[f"2023-2027-{jaar}-vaststelling"]
        assert (vaststelling.vanaf, vaststelling.datum) == (D(jaar, 3, 1), D(jaar, 3, 31))
        assert vaststelling.wanneer == f"maart {jaar}"
        # Art. 7c: evaluated in July and November, reported to the two chairs.
        juli, november = v[f"2023-2027-{jaar}-evaluatie-juli"], v[f"2023-2027-{jaar}-evaluatie-november"]
        assert (juli.vanaf, juli.datum) == (D(jaar, 7, 1), D(jaar, 7, 31))
        assert (november.vanaf, november.datum) == (D(jaar, 11, 1), D(jaar, 11, 30))
        assert v[f"2023-2027-{jaar}-rapportage-juli"].datum == D(jaar, 8, 31)
        assert v[f"2023-2027-{jaar}-rapportage-november"].datum == D(jaar, 12, 31)
        assert "directeur van Platform31" in v[f"2023-2027-{jaar}-rapportage-juli"].omschrijving
        assert "V. Everhardt" in v[f"2023-2027-{jaar}-rapportage-juli"].toelichting
    # Termination before 1 September for 1 January; in 2027 a notice no longer ends anything early.
    opzeggen = [x for x in items if x.soort == "opzegtermijn"]
    assert [x.datum for x in opzeggen] == [D(2023, 9, 1), D(2024, 9, 1), D(2025, 9, 1), D(2026, 9, 1)]
    assert "beëindiging per 1 januari 2024" in opzeggen[0].omschrijving
    # Art. 7b: the convenant is evaluated in the first half of its last year.
    evaluatie = v["2023-2027-convenantevaluatie"]
    assert (evaluatie.vanaf, evaluatie.datum) == (D(2027, 1, 1), D(2027, 6, 30))
    assert evaluatie.wanneer == "1 januari 2027 t/m 30 juni 2027"
    assert v["2023-2027-convenantrapportage"].datum == D(2027, 7, 31)
    # Sorted by date, all upcoming before the start.
    assert [x.datum for x in items] == sorted(x.datum for x in items)
    assert {x.status for x in items} == {"upcoming"}


def test_status_uit_de_gegevens(convenant):
    plan2024 = Jaarplan.objects.get(convenant=convenant, jaar=2024)
    plan2024.status, plan2024.gereed_op = "vastgesteld", D(2023, 12, 20)
    plan2024.vastgesteld_op = D(2024, 3, 14)
    plan2024.save()
    Evaluatie.objects.create(
        jaarplan=plan2024, moment="juli", datum=D(2024, 7, 9),
        gerapporteerd_directeur_op=D(2024, 7, 20), gerapporteerd_voorzitter_op=D(2024, 7, 21),
    )
    Evaluatie.objects.create(
        jaarplan=plan2024, moment="november", datum=D(2024, 11, 28), gerapporteerd_directeur_op=D(2024, 12, 2),
    )

    v = per_sleutel(kalender.verplichtingen(convenant, vandaag=D(2024, 11, 20)))
    assert v["2023-2027-2024-gereed"].status == "done"
    assert v["2023-2027-2024-gereed"].toelichting == "gereed op 20 december 2023"
    assert v["2023-2027-2024-vaststelling"].status == "done"
    assert v["2023-2027-2024-evaluatie-juli"].status == "done"
    assert v["2023-2027-2024-evaluatie-juli"].datum == D(2024, 7, 9)  # the day it was held
    assert v["2023-2027-2024-rapportage-juli"].status == "done"
    assert v["2023-2027-2024-evaluatie-november"].status == "upcoming"  # planned for 28 November
    assert v["2023-2027-2023-gereed"].status == "overdue"  # never recorded as ready
    assert v["2023-2027-2023-gereed"].status_label == "Te laat"
    assert v["2023-2027-2025-gereed"].status == "upcoming"
    assert v["2023-2027-2024-opzegtermijn"].status == "done"
    assert v["2023-2027-2024-opzegtermijn"].status_label == "Verstreken"
    assert v["2023-2027-2025-opzegtermijn"].status == "upcoming"

    later = per_sleutel(kalender.verplichtingen(convenant, vandaag=D(2025, 1, 2)))
    assert later["2023-2027-2024-evaluatie-november"].status == "done"
    assert later["2023-2027-2024-rapportage-november"].status == "overdue"  # the voorzitter still waits
    assert "voorzitter G40 P. Depla: nog niet" in later["2023-2027-2024-rapportage-november"].toelichting
    assert later["2023-2027-2025-gereed"].status == "overdue"


@pytest.mark.parametrize(("vandaag", "status"), [
    (D(2024, 1, 1), "upcoming"),  # the ready-by day itself is still in time
    (D(2024, 1, 2), "overdue"),
])
def test_gereed_uiterlijk_rand(convenant, vandaag, status):
    assert per_sleutel(kalender.verplichtingen(convenant, vandaag))["2023-2027-2024-gereed"].status == status


@pytest.mark.parametrize(("vandaag", "status"), [(D(2025, 8, 31), "upcoming"), (D(2025, 9, 1), "done")])
def test_opzegtermijn_rand(convenant, vandaag, status):
    assert per_sleutel(kalender.verplichtingen(convenant, vandaag))["2023-2027-2025-opzegtermijn"].status == status


def test_convenantevaluatie_afgerond(convenant):
    ConvenantEvaluatie.objects.create(convenant=convenant, datum=D(2027, 5, 10))
    v = per_sleutel(kalender.verplichtingen(convenant, vandaag=D(2027, 6, 1)))
    assert v["2023-2027-convenantevaluatie"].status == "done"
    assert v["2023-2027-convenantevaluatie"].url.startswith("/admin/jaarplannen/convenantevaluatie/")
    assert v["2023-2027-convenantrapportage"].status == "upcoming"


def test_links_naar_het_beheer(convenant):
    plan = Jaarplan.objects.get(convenant=convenant, jaar=2025)
    v = per_sleutel(kalender.verplichtingen(convenant, vandaag=D(2025, 1, 1)))
    assert v["2023-2027-2025-gereed"].url == reverse("admin:jaarplannen_jaarplan_change", args=[plan.pk])
    assert v["2023-2027-2025-evaluatie-juli"].url == (
        reverse("admin:jaarplannen_evaluatie_add") + f"?jaarplan={plan.pk}&moment=juli"
    )


def test_aantal_queries_vast(convenant, django_assert_max_num_queries):
    for jaar in (2024, 2025):
        plan = Jaarplan.objects.get(convenant=convenant, jaar=jaar)
        Evaluatie.objects.create(jaarplan=plan, moment="juli", datum=D(jaar, 7, 9))
        Evaluatie.objects.create(jaarplan=plan, moment="november", datum=D(jaar, 11, 9))
    convenant = Convenant.objects.get(pk=convenant.pk)
    # plans; evaluations with their two recipients; the convenant evaluation; the convenant's two chairs;
    # the invoices' source (facturen.kalender): the convenant's invoices and its agreements
    with django_assert_max_num_queries(9):
        kalender.verplichtingen(convenant, vandaag=D(2025, 12, 1))


def test_lopende_convenanten(referentiedata):
    assert [c.slug for c in kalender.lopende_convenanten(D(2020, 6, 1))] == ["2019-2022"]
    assert [c.slug for c in kalender.lopende_convenanten(D(2025, 6, 1))] == ["2023-2027"]
    assert [c.slug for c in kalender.lopende_convenanten(D(2030, 1, 1))] == ["2023-2027"]


def test_dashboard_eerst_te_laat_dan_komend(referentiedata):
    items = kalender.voor_dashboard(vandaag=D(2024, 2, 1), aantal=3)
    te_laat = [v for v in items if v.status == "overdue"]
    komend = [v for v in items if v.status == "upcoming"]
    assert items == te_laat + komend
    # Every overdue obligation, however old (issue 10: the dashboard hid the older ones); only
    # what is coming is cut off (the rest is on the calendar page).
    assert te_laat == [v for v in kalender.actuele_verplichtingen(D(2024, 2, 1)) if v.status == "overdue"]
    assert [v.omschrijving for v in te_laat][-3:] == [
        "Evaluatie jaarplan 2023 (november)",
        "Rapportage evaluatie november 2023 aan de directeur van Platform31 en de voorzitter van de G40",
        "Jaarplan 2024 gereed",
    ]
    assert [v.omschrijving for v in komend] == [
        "Vaststelling jaarplan 2024 door het G40-DB", "Jaarfacturen 2024 aan de steden versturen",
        "Evaluatie jaarplan 2024 (juli)",
    ]


def test_fragment_voor_het_dashboard(convenant):
    html = render_to_string("jaarplannen/_kalender.html", {
        "verplichtingen": kalender.verplichtingen(convenant, vandaag=D(2023, 3, 2)),
    })
    assert "1 maart 2023" in html
    assert "Jaarplan 2023 gereed" in html
    assert "Te laat" in html
    assert "juli 2023" in html
    assert 'href="/admin/jaarplannen/jaarplan/' in html


# --- the page and the feed ------------------------------------------------------------------


def test_kalenderpagina_alleen_na_inloggen(client, referentiedata):
    r = client.get(reverse("jaarplannen:kalender"))
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("admin:login"))


def test_kalenderpagina_toont_lijst_en_maakt_abonnement(beheerder_client, beheerder, referentiedata):
    r = beheerder_client.get(reverse("jaarplannen:kalender"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Jaarplan 2023 gereed" in html and "Abonnementslink maken" in html
    r = beheerder_client.post(reverse("jaarplannen:kalender_abonnement"), {"actie": "maken"}, follow=True)
    token = KalenderToken.objects.get(gebruiker=beheerder)
    assert len(token.token) >= 40
    assert f"kalender.ics?token={token.token}" in r.content.decode()


def ics_events(inhoud: bytes) -> list:
    return list(Calendar.from_ical(inhoud).walk("VEVENT"))


def test_ics_met_inloggen_bevat_de_verplichtingen(beheerder_client, referentiedata):
    r = beheerder_client.get(reverse("jaarplannen:kalender_ics"))
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/calendar")
    events = ics_events(r.content)
    # 36 from the convenant's text, plus the yearly invoicing still to come (facturen.kalender)
    facturering = [v for v in kalender.actuele_verplichtingen() if v.soort == "facturering"]
    assert len(events) == 36 + len(facturering)
    assert len({str(e["UID"]) for e in events}) == len(events)
    per_titel = {str(e["SUMMARY"]).split(": ", 1)[-1].lstrip("✓ "): e for e in events}
    gereed_2023 = per_titel["Jaarplan 2023 gereed"]
    assert gereed_2023.decoded("DTSTART") == D(2023, 3, 1)
    assert gereed_2023.decoded("DTEND") == D(2023, 3, 2)
    juli = per_titel["Evaluatie jaarplan 2026 (juli)"]
    assert (juli.decoded("DTSTART"), juli.decoded("DTEND")) == (D(2026, 7, 1), D(2026, 8, 1))
    assert per_titel["Evaluatie van het convenant 2023-2027"].decoded("DTSTART") == D(2027, 1, 1)
    assert "Opzeggen van een overeenkomst vóór 1 september 2026 (beëindiging per 1 januari 2027)" in per_titel
    assert str(gereed_2023["URL"]).startswith("http://testserver/admin/jaarplannen/jaarplan/")


def test_ics_met_token_zonder_sessie(client, beheerder, referentiedata):
    token = KalenderToken.voor(beheerder)
    r = client.get(reverse("jaarplannen:kalender_ics"), {"token": token.token})
    assert r.status_code == 200
    assert any("Jaarplan 2024 gereed" in str(e["SUMMARY"]) for e in ics_events(r.content))


@pytest.mark.parametrize("token", ["verkeerd", ""])
def test_ics_verkeerd_token_geweigerd(client, beheerder, referentiedata, token):
    KalenderToken.voor(beheerder)
    r = client.get(reverse("jaarplannen:kalender_ics"), {"token": token})
    assert r.status_code == 404


def test_ics_anoniem_naar_inlogpagina(client, referentiedata):
    r = client.get(reverse("jaarplannen:kalender_ics"))
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("admin:login"))


def test_vernieuwd_of_ingetrokken_token_werkt_niet_meer(client, beheerder_client, beheerder, referentiedata):
    oud = KalenderToken.voor(beheerder).token
    beheerder_client.post(reverse("jaarplannen:kalender_abonnement"), {"actie": "vernieuwen"})
    nieuw = KalenderToken.objects.get(gebruiker=beheerder).token
    assert nieuw != oud
    assert client.get(reverse("jaarplannen:kalender_ics"), {"token": oud}).status_code == 404
    assert client.get(reverse("jaarplannen:kalender_ics"), {"token": nieuw}).status_code == 200
    beheerder_client.post(reverse("jaarplannen:kalender_abonnement"), {"actie": "intrekken"})
    assert client.get(reverse("jaarplannen:kalender_ics"), {"token": nieuw}).status_code == 404


def test_token_van_inactieve_of_onbevoegde_gebruiker_geweigerd(client, django_user_model, referentiedata):
    gebruiker = django_user_model.objects.create_user("gast", password="pw-test-123")
    token = KalenderToken.voor(gebruiker).token
    assert client.get(reverse("jaarplannen:kalender_ics"), {"token": token}).status_code == 404
    gebruiker.user_permissions.add(Permission.objects.get(codename="view_jaarplan"))
    # The permission alone is not enough: the feed is for staff accounts (convenant.toegang).
    assert client.get(reverse("jaarplannen:kalender_ics"), {"token": token}).status_code == 404
    gebruiker.is_staff = True
    gebruiker.save()
    assert client.get(reverse("jaarplannen:kalender_ics"), {"token": token}).status_code == 200
    gebruiker.is_active = False
    gebruiker.save()
    assert client.get(reverse("jaarplannen:kalender_ics"), {"token": token}).status_code == 404


def test_ingelogd_zonder_recht_krijgt_403(client, django_user_model, referentiedata):
    client.force_login(django_user_model.objects.create_user("gast", password="pw-test-123"))
    assert client.get(reverse("jaarplannen:kalender")).status_code == 403
    assert client.get(reverse("jaarplannen:kalender_ics")).status_code == 403
    assert client.post(reverse("jaarplannen:kalender_abonnement"), {"actie": "maken"}).status_code == 403
    assert not KalenderToken.objects.exists()
