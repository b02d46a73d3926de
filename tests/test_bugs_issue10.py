"""Issue 10 item 9: the bugs seen on the way, each with a test that failed before its fix."""

import datetime
import urllib.parse

from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from bureau import dashboard
from convenant import toegang
from convenant.models import Convenant
from jaarplannen import kalender
from jaarplannen.constants import VerplichtingStatus
from jaarplannen.models import Jaarplan
from overeenkomsten import documenten, pdf, workflow
from overeenkomsten.constants import DocumentSoort, Status
from overeenkomsten.models import Samenwerkingsovereenkomst

from .bureau import PDF, installeer_nep_documenten, maak_document, maak_gebruiker

pytestmark = pytest.mark.django_db

D = datetime.date
OV = "admin:overeenkomsten_samenwerkingsovereenkomst"


def ov_van(naam, slug="2023-2027"):
    return Samenwerkingsovereenkomst.objects.select_related("gemeente", "convenant").get(
        convenant__slug=slug, gemeente__naam=naam)


def maak_compleet(ov):
    ov.vertegenwoordiger, ov.vertegenwoordiger_functie, ov.collegebesluit_op = "J. Wienen", "burgemeester", \
        D(2023, 2, 7)
    ov.save()
    ov.gemeente.adres, ov.gemeente.plaats = "Grote Markt 2", ov.gemeente.naam
    ov.gemeente.save()
    return ov


# --- the final PDF leaves the signing date blank, not a red [datum] --------------------------


def test_definitieve_pdf_zonder_rode_datum(referentiedata):
    ov = maak_compleet(ov_van("Haarlem"))
    assert ov.ondertekend_op is None
    html = pdf.maak_document(ov, definitief=True).html
    assert "[datum]" not in html and 'class="leeg"' not in html
    assert 'op <span class="nb"><span class="invullen"></span></span>' in html  # a line to write on
    # a concept still marks what is missing
    assert "[datum]" in pdf.maak_document(ov_van("Almere")).html


# --- chart labels do not overlap ------------------------------------------------------------------


def _breedte(tekst):
    return len(tekst) * dashboard.LETTERBREEDTE


def _vakken(labels):
    for x, tekst, anker in labels:
        w = _breedte(tekst)
        links = {"start": x, "middle": x - w / 2, "end": x - w}[anker]
        yield links, links + w


@pytest.mark.parametrize("ontvangen", [[], [D(2023, 1, 20)], [D(2023, 1, 20), D(2026, 11, 30)]])
def test_grafieklabels_overlappen_niet(referentiedata, ontvangen):
    conv = Convenant.objects.get(slug="2023-2027")
    g = dashboard._grafiek(conv, ontvangen, 41)
    vakken = sorted(_vakken(g.labels_x))
    assert vakken, "at least one date label"
    for (_, rechts), (links, _) in zip(vakken, vakken[1:], strict=False):
        assert rechts <= links, g.labels_x
    assert all(0 <= a and b <= g.breedte for a, b in vakken), g.labels_x  # nothing cut off


# --- "nog zonder scan" lists exactly the signed agreements without a scan ------------------------


def test_nog_zonder_scan_filter(referentiedata, beheerder_client):
    conv = Convenant.objects.get(slug="2023-2027")
    # Deventer is signed without a scan; Almere signed with one
    Samenwerkingsovereenkomst.objects.filter(pk=ov_van("Almere").pk).update(
        status=Status.ONDERTEKEND, verzonden_op=D(2023, 1, 16), ontvangen_op=D(2023, 2, 1))
    maak_document(ov_van("Almere"), DocumentSoort.GETEKEND)
    html = beheerder_client.get("/").content.decode()
    link = f"{reverse(f'{OV}_changelist')}?convenant__id__exact={conv.pk}&amp;scan=zonder"
    assert f'href="{link}"' in html and "1 nog zonder scan" in html
    r = beheerder_client.get(link.replace("&amp;", "&"))
    assert [ov.gemeente.naam for ov in r.context["cl"].result_list] == ["Deventer"]


# --- a refused step keeps the form, the input and the list's filters --------------------------------


def test_geweigerde_stap_houdt_formulier_en_filters(referentiedata, beheerder_client, monkeypatch):
    installeer_nep_documenten(monkeypatch)
    monkeypatch.setattr(workflow, "vandaag", lambda: D(2026, 12, 1))
    ov = ov_van("Almere")
    workflow.markeer_verzonden(ov, D(2023, 1, 16), "griffie@almere.nl")
    filters = f"convenant__id__exact={ov.convenant_id}&status__exact=verzonden"
    r = beheerder_client.post(f"{reverse(f'{OV}_changelist')}?{filters}", {
        "action": "actie_ontvangen", "_selected_action": [ov.pk],
    })
    bevestig = r["Location"]
    assert urllib.parse.quote(filters, safe="") in bevestig or urllib.parse.quote(filters) in bevestig
    scan = SimpleUploadedFile("getekend.pdf", PDF, content_type="application/pdf")
    r = beheerder_client.post(bevestig, {"ids": ov.pk, "ontvangen_op": "2023-01-10", "scan": scan,
                                         "bevestig": "1"})
    # received before it was sent: refused by the workflow, the page stays with the input
    assert r.status_code == 200
    html = r.content.decode()
    assert "ligt vóór de verzending (16 januari 2023)" in html
    assert 'value="2023-01-10"' in html
    assert "kies het bestand opnieuw" in html
    assert ov_van("Almere").status == Status.VERZONDEN
    # corrected, it goes through and lands on the filtered list
    scan = SimpleUploadedFile("getekend.pdf", PDF, content_type="application/pdf")
    r = beheerder_client.post(bevestig, {"ids": ov.pk, "ontvangen_op": "2023-02-10", "scan": scan,
                                         "bevestig": "1"})
    assert r.status_code == 302
    assert r["Location"] == f"{reverse(f'{OV}_changelist')}?{filters}"
    assert ov_van("Almere").status == Status.ONDERTEKEND


# --- the history speaks Dutch ---------------------------------------------------------------------------


def test_geschiedenis_leesbaar(referentiedata, beheerder_client, monkeypatch):
    installeer_nep_documenten(monkeypatch)
    monkeypatch.setattr(workflow, "vandaag", lambda: D(2026, 12, 1))
    ov = ov_van("Almere")
    workflow.markeer_verzonden(ov, D(2026, 12, 1), "griffie@almere.nl")
    html = beheerder_client.get(reverse(f"{OV}_history", args=[ov.pk])).content.decode()
    assert "None" not in html
    assert "leeg&nbsp;&rarr;&nbsp;1 december 2026" in html
    assert "Concept&nbsp;&rarr;&nbsp;Verzonden" in html
    assert "concept&nbsp;&rarr;&nbsp;verzonden" not in html


# --- every overdue obligation shows, also from years ago -------------------------------------------------


def test_dashboard_toont_alle_achterstallige_verplichtingen(referentiedata):
    conv = Convenant.objects.get(slug="2023-2027")
    Jaarplan.objects.filter(convenant=conv).delete()
    vandaag = D(2026, 12, 1)
    alle = [v for v in kalender.verplichtingen(conv, vandaag) if v.status == VerplichtingStatus.OVERDUE]
    assert any(v.datum.year == 2023 for v in alle)
    getoond = kalender.voor_dashboard(vandaag, convenant=conv)
    assert [v for v in getoond if v.status == VerplichtingStatus.OVERDUE] == alle


# --- the comparison refuses the same convenant on both sides ---------------------------------------------


def test_vergelijking_met_zichzelf_geweigerd(referentiedata, beheerder_client):
    r = beheerder_client.get(reverse("rapportages:vergelijking"), {"oud": "2023-2027", "nieuw": "2023-2027"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Kies twee verschillende convenanten" in html
    assert r.context["tabel"] is None
    r = beheerder_client.get(reverse("rapportages:vergelijking"), {"oud": "2023-2027", "nieuw": "2023-2027",
                                                                  "formaat": "csv"})
    assert r.status_code == 200 and "text/csv" not in r.get("Content-Type", "")


# --- scan file names carry their kind once ------------------------------------------------------------------


def test_scan_bestandsnaam_zonder_dubbel_voorvoegsel(referentiedata):
    import io

    from pypdf import PdfWriter

    schrijver = PdfWriter()
    schrijver.add_blank_page(width=595, height=842)
    inhoud = io.BytesIO()
    schrijver.write(inhoud)
    ov = ov_van("Deventer")
    doc = documenten.bewaar_getekende_scan(ov, SimpleUploadedFile("x.pdf", inhoud.getvalue()))
    naam = doc.bestand.name.rsplit("/", 1)[-1]
    assert naam.startswith("getekend-2023-2027-deventer") and "getekend-getekend" not in naam


# --- error pages in Dutch, in the site's look ---------------------------------------------------------------


def test_403_in_het_nederlands(referentiedata, client, django_user_model):
    staf = django_user_model.objects.create_user("staf", password="pw-test-123", is_staff=True)
    client.force_login(staf)
    r = client.get("/")
    assert r.status_code == 403
    html = r.content.decode()
    assert "Geen toegang" in html and "403 Forbidden" not in html
    assert 'lang="nl"' in html and "G40-convenant" in html


def test_404_en_500_sjablonen(settings, client, referentiedata, django_user_model):
    from django.template.loader import render_to_string

    settings.DEBUG = False
    r = client.get("/bestaat-niet/")
    assert r.status_code in (302, 404)  # anonymous: the dashboard catch-all is not there, 404
    html = render_to_string("404.html")
    assert "Pagina niet gevonden" in html
    html = render_to_string("500.html")
    assert "Er ging iets mis" in html


# --- "Het jaarplan … is gewijzigd" -----------------------------------------------------------------------------


def test_jaarplan_melding_met_het(referentiedata, django_user_model, client):
    from .bureau import formulierdata

    secretaris = maak_gebruiker(django_user_model, toegang.SECRETARIAAT, "secretaris")
    client.force_login(secretaris)
    plan = Jaarplan.objects.first()
    url = reverse("admin:jaarplannen_jaarplan_change", args=[plan.pk])
    data = formulierdata(client.get(url))
    r = client.post(url, data)
    assert r.status_code == 302, r.context["adminform"].form.errors if r.context else r
    meldingen = [str(m) for m in get_messages(r.wsgi_request)]
    assert any(m.startswith("Het jaarplan ") and "is met succes gewijzigd" in m for m in meldingen), meldingen
    assert not any(m.startswith("De jaarplan") for m in meldingen)
