"""The secretary's dashboard at /."""

import datetime
import re

from django.conf import settings
from django.template import Context, Template
from django.urls import reverse

import pytest

from gemeenten.models import Gemeente
from overeenkomsten import workflow
from overeenkomsten.constants import Status
from overeenkomsten.models import Samenwerkingsovereenkomst

from .bureau import installeer_nep_documenten, maak_document

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def vandaag(monkeypatch):
    dag = {"d": D(2023, 2, 19)}
    monkeypatch.setattr(workflow, "vandaag", lambda: dag["d"])
    return dag


def pagina(client, **params):
    r = client.get("/", params)
    assert r.status_code == 200
    return r.content.decode()


def ov_van(naam, slug="2023-2027"):
    return Samenwerkingsovereenkomst.objects.get(convenant__slug=slug, gemeente__naam=naam)


def test_anoniem_naar_inlogpagina(client):
    r = client.get("/")
    assert r.status_code == 302
    assert r["Location"] == f"{reverse('admin:login')}?next=/"


def test_stand_van_2023_2027(referentiedata, beheerder_client, vandaag):
    html = pagina(beheerder_client)
    assert "Samenwerkingsovereenkomsten 2023-2027" in html
    assert "1 van 41 ondertekend" in html
    assert 'aria-valuenow="1"' in html and 'data-breedte="2"' in html  # 1/41 rounds to 2 %
    assert "Nog 10 dagen tot de streefdatum van 1 maart 2023." in html
    # the signed yearly contributions against all 41
    assert "€ 15.216,90" in html and "€ 784.643,10" in html
    assert "Nog niet ondertekend binnen (40)" in html


@pytest.mark.parametrize(("dag", "tekst"), [
    (D(2023, 2, 28), "Nog 1 dag tot de streefdatum van 1 maart 2023."),
    (D(2023, 3, 1), "Vandaag is de streefdatum (1 maart 2023)."),
    (D(2023, 3, 2), "1 dag over de streefdatum van 1 maart 2023."),
    (D(2024, 3, 1), "366 dagen over de streefdatum van 1 maart 2023."),
])
def test_dagen_tot_of_over_de_streefdatum(referentiedata, beheerder_client, vandaag, dag, tekst):
    vandaag["d"] = dag
    html = pagina(beheerder_client)
    assert tekst in html
    assert ('class="g40-groot g40-termijn g40-te-laat"' in html) is (dag > D(2023, 3, 1))


def test_ontbrekende_steden_met_status_laatst_verzonden_en_link(referentiedata, beheerder_client, vandaag,
                                                                monkeypatch):
    installeer_nep_documenten(monkeypatch)
    almere = ov_van("Almere")
    workflow.markeer_verzonden(almere, D(2023, 1, 16), "griffie@almere.nl")
    workflow.markeer_verzonden(almere, D(2023, 2, 6), "burgemeester@almere.nl")
    html = pagina(beheerder_client)
    tabel = html[html.index('id="ontbrekend"'):html.index('id="kalender"')]
    assert tabel.count("<tr>") == 41  # header + 40 cities
    link = reverse("admin:overeenkomsten_samenwerkingsovereenkomst_change", args=[almere.pk])
    rij = tabel[tabel.index(link):]
    rij = rij[:rij.index("</tr>")]
    assert ">Almere</a>" in rij and "Verzonden" in rij and "6 februari 2023" in rij
    assert "burgemeester@almere.nl" in rij
    assert "Deventer" not in tabel  # signed
    assert "nog niet verzonden" in tabel

    workflow.markeer_ontvangen(almere, D(2023, 2, 15))
    html = pagina(beheerder_client)
    assert "2 van 41 ondertekend" in html and "Nog niet ondertekend binnen (39)" in html
    assert "2 nog zonder scan" in html


def test_opgezegd_telt_als_ondertekend_en_scan_telt(referentiedata, beheerder_client, vandaag):
    vandaag["d"] = D(2024, 5, 1)
    deventer = ov_van("Deventer")
    workflow.registreer_opzegging(deventer, D(2024, 4, 1), door="gemeente")
    maak_document(deventer, "getekend")
    html = pagina(beheerder_client)
    assert "1 van 41 ondertekend" in html and "waarvan 1 opgezegd" in html
    assert "zonder scan" not in html


def test_grafiek_inline_svg_zonder_externe_bronnen(referentiedata, beheerder_client, vandaag):
    Samenwerkingsovereenkomst.objects.filter(gemeente__naam__in=["Almere", "Breda"], convenant__slug="2023-2027") \
        .update(status=Status.ONDERTEKEND, verzonden_op=D(2023, 1, 16), ontvangen_op=D(2023, 2, 1))
    html = pagina(beheerder_client)
    svg = html[html.index("<svg class=\"g40-grafiek\""):html.index("</svg>", html.index("g40-grafiek\""))]
    assert "<polyline" in svg
    assert "<title>10 januari 2023: 1 van 41 ondertekend</title>" in svg
    assert "<title>1 februari 2023: 3 van 41 ondertekend</title>" in svg
    assert "streefdatum 1 maart 2023" in svg
    punten = re.search(r'points="([^"]+)"', svg).group(1)
    assert "," in punten and not re.search(r"\d,\d+,", punten)  # numbers with a decimal point, not a comma
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing fetched from elsewhere
    assert "<script src" not in html.split("</head>", 1)[1]


def test_keuze_van_convenant(referentiedata, beheerder_client, vandaag):
    html = pagina(beheerder_client, convenant="2019-2022")
    assert "Samenwerkingsovereenkomsten 2019-2022" in html
    assert "0 van 40 ondertekend" in html
    assert '<option value="2019-2022" selected>' in html and '<option value="2023-2027">' in html
    assert beheerder_client.get("/", {"convenant": "1999-2002"}).status_code == 404


@pytest.mark.parametrize(("dag", "slug"), [
    (D(2020, 6, 1), "2019-2022"), (D(2023, 2, 19), "2023-2027"), (D(2031, 1, 1), "2023-2027"),
])
def test_standaard_het_lopende_convenant(referentiedata, beheerder_client, vandaag, dag, slug):
    vandaag["d"] = dag
    assert f"Samenwerkingsovereenkomsten {slug}" in pagina(beheerder_client)


def test_alles_binnen(referentiedata, beheerder_client, vandaag):
    Samenwerkingsovereenkomst.objects.filter(convenant__slug="2023-2027").update(
        status=Status.ONDERTEKEND, verzonden_op=D(2023, 1, 16), ontvangen_op=D(2023, 2, 1),
    )
    html = pagina(beheerder_client)
    assert "41 van 41 ondertekend" in html and 'data-breedte="100"' in html
    assert "Alle overeenkomsten zijn binnen (streefdatum 1 maart 2023)." in html
    assert "Alle overeenkomsten van dit convenant zijn ondertekend ontvangen." in html


def test_lid_zonder_overeenkomst_gemeld(referentiedata, beheerder_client, vandaag):
    Gemeente.objects.create(naam="Testdam", slug="testdam", cbs_code="GM9999")
    Gemeente.objects.create(naam="Oudstad", slug="oudstad", cbs_code="GM9998",
                            lid_sinds=D(2000, 1, 1), lid_tot=D(2020, 12, 31))
    html = pagina(beheerder_client)
    assert "Zonder overeenkomst onder dit convenant:" in html and ">Testdam</a>" in html
    assert "Oudstad" not in html


def test_links_naar_het_beheer_en_telefoon(referentiedata, beheerder_client, vandaag):
    html = pagina(beheerder_client)
    changelist = reverse("admin:overeenkomsten_samenwerkingsovereenkomst_changelist")
    assert f'href="{changelist}?convenant__id__exact=' in html
    assert f'href="{reverse("admin:index")}"' in html
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    # The narrow-screen rules live in the stylesheet every page links (no inline style: CSP).
    assert '/static/g40/g40.css"' in html
    assert "@media (max-width: 767px)" in (settings.BASE_DIR / "static" / "g40" / "g40.css").read_text()
    assert 'id="site-name"' in html  # the admin's header: same look as the admin


def test_kalender_plek_voor_een_fragment(referentiedata, beheerder_client, vandaag):
    r = beheerder_client.get("/")
    kind = Template('{% extends "g40/dashboard.html" %}{% block kalender %}<p>KALENDERFRAGMENT</p>{% endblock %}')
    context = {}
    for deel in r.context:
        context.update(deel.flatten())
    html = kind.render(Context(context))
    assert html.index("KALENDERFRAGMENT") > html.index('id="ontbrekend"')


def test_dashboard_toont_verplichtingen_van_het_convenant(referentiedata, beheerder_client):
    html = beheerder_client.get("/?convenant=2023-2027").content.decode()
    blok = html[html.index('id="kalender"'):html.index('id="links"')]
    assert "Verplichtingen uit het convenant" in blok
    assert 'class="g40-kalender"' in blok and "Jaarplan" in blok
    assert reverse("jaarplannen:kalender") in blok
