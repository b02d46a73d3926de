"""The agreement's workflow: transitions, refusals, dates, freezing after signing, history, admin."""

import datetime
from decimal import Decimal

from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

import pytest

from overeenkomsten import workflow
from overeenkomsten.constants import DocumentSoort, Status
from overeenkomsten.models import Samenwerkingsovereenkomst

from .bureau import PDF, formulierdata, installeer_nep_documenten

pytestmark = pytest.mark.django_db

D = datetime.date
CHANGELIST = "admin:overeenkomsten_samenwerkingsovereenkomst_changelist"


@pytest.fixture
def docs(monkeypatch):
    return installeer_nep_documenten(monkeypatch)


@pytest.fixture
def vandaag(monkeypatch):
    """Today is fixed at 1 December 2027 unless a test moves it."""
    dag = {"d": D(2027, 12, 1)}
    monkeypatch.setattr(workflow, "vandaag", lambda: dag["d"])
    return dag


def ov_van(naam, slug="2023-2027"):
    return Samenwerkingsovereenkomst.objects.select_related("gemeente", "convenant").get(
        convenant__slug=slug, gemeente__naam=naam
    )


def scan(inhoud=PDF, naam="getekend.pdf"):
    return SimpleUploadedFile(naam, inhoud, content_type="application/pdf")


# --- the path through the workflow -----------------------------------------------------


def test_heel_de_weg_met_geschiedenis(referentiedata, docs, vandaag, beheerder):
    ov = ov_van("Almere")
    assert ov.status == Status.CONCEPT

    doc = workflow.markeer_verzonden(ov, D(2023, 1, 16), "griffie@almere.nl", beheerder)
    assert ov.status == Status.VERZONDEN  # the caller's instance is brought up to date
    assert doc.soort == DocumentSoort.VERZONDEN and doc.overeenkomst_id == ov.pk
    assert docs.aanroepen == [("verzonden", ov.pk, Status.VERZONDEN)]

    scan_doc = workflow.markeer_ontvangen(ov, D(2023, 2, 20), scan(), beheerder)
    assert scan_doc.soort == DocumentSoort.GETEKEND

    laatste_dag = workflow.registreer_opzegging(ov, D(2024, 8, 31), beheerder, door="gemeente",
                                                ontvangen_op=D(2024, 9, 2))
    assert laatste_dag == D(2024, 12, 31)  # sent before 1 September decides, though received after

    ov.refresh_from_db()
    assert (ov.status, ov.verzonden_op, ov.verzonden_aan, ov.ontvangen_op, ov.opzegging_verzonden_op,
            ov.opzegging_ontvangen_op, ov.opgezegd_door) == (
        Status.OPGEZEGD, D(2023, 1, 16), "griffie@almere.nl", D(2023, 2, 20), D(2024, 8, 31),
        D(2024, 9, 2), "gemeente",
    )
    assert ov.einddatum == D(2024, 12, 31)
    regels = list(ov.history.order_by("history_date").values_list("status", "history_user__username",
                                                                   "history_change_reason"))
    assert regels[1:] == [
        ("verzonden", "testbeheerder", "Verzonden op 16 januari 2023 aan griffie@almere.nl"),
        ("ondertekend", "testbeheerder", "Ondertekend ontvangen op 20 februari 2023"),
        ("opgezegd", "testbeheerder", "Opgezegd door gemeente, verzonden op 31 augustus 2024; "
                                      "loopt t/m 31 december 2024"),
    ]


@pytest.mark.parametrize(("opzegging", "laatste_dag"), [
    (D(2024, 8, 31), D(2024, 12, 31)),   # before 1 September: ends 1 January next year
    (D(2024, 9, 1), D(2025, 12, 31)),    # on 1 September: a year later
    (D(2026, 9, 1), D(2027, 12, 31)),    # never later than the agreement's own end
])
def test_einddatum_na_opzegging_volgt_de_regel(referentiedata, docs, vandaag, opzegging, laatste_dag):
    ov = ov_van("Deventer")  # signed in the fixtures
    assert workflow.registreer_opzegging(ov, opzegging, door="platform31") == laatste_dag
    assert ov_van("Deventer").einddatum == laatste_dag


def test_opnieuw_verzenden_bewaart_beide_pdfs(referentiedata, docs, vandaag):
    ov = ov_van("Almere")
    workflow.markeer_verzonden(ov, D(2023, 1, 16), "griffie@almere.nl")
    workflow.markeer_verzonden(ov, D(2023, 2, 1), "burgemeester@almere.nl")
    ov.refresh_from_db()
    assert (ov.verzonden_op, ov.verzonden_aan) == (D(2023, 2, 1), "burgemeester@almere.nl")
    assert ov.documenten.filter(soort=DocumentSoort.VERZONDEN).count() == 2
    assert ov.history.first().history_change_reason.startswith("Opnieuw verzonden op 1 februari 2023")


def test_scan_later_toevoegen(referentiedata, docs, vandaag):
    ov = ov_van("Deventer")
    assert not ov.documenten.exists()
    workflow.voeg_scan_toe(ov, scan())
    assert ov.documenten.get().soort == DocumentSoort.GETEKEND
    with pytest.raises(ValidationError, match="nog een concept"):
        workflow.voeg_scan_toe(ov_van("Almere"), scan())


# --- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize(("naam", "stap", "melding"), [
    ("Almere", "ontvangen", "Ondertekend ontvangen vastleggen kan niet: de overeenkomst is nog een concept"),
    ("Almere", "opzeggen", "Opzegging vastleggen kan niet: de overeenkomst is nog een concept"),
    ("Deventer", "verzenden", "Als verzonden vastleggen kan niet: de overeenkomst is al ondertekend "
                              "ontvangen (10 januari 2023)"),
    ("Deventer", "ontvangen", "is al ondertekend ontvangen (10 januari 2023)"),
])
def test_verboden_overgang_geweigerd_met_nederlandse_melding(referentiedata, docs, vandaag, naam, stap, melding):
    ov = ov_van(naam)
    voor = (ov.status, ov.history.count())
    with pytest.raises(ValidationError) as fout:
        if stap == "verzenden":
            workflow.markeer_verzonden(ov, D(2023, 1, 16), "iemand")
        elif stap == "ontvangen":
            workflow.markeer_ontvangen(ov, D(2023, 2, 1))
        else:
            workflow.registreer_opzegging(ov, D(2024, 1, 1), door="gemeente")
    assert melding in fout.value.messages[0]
    assert fout.value.messages[0].startswith(f"{naam} (2023-2027): ")
    ov = ov_van(naam)
    assert (ov.status, ov.history.count()) == voor
    assert docs.aanroepen == []


def test_opgezegd_is_eindstation(referentiedata, docs, vandaag):
    ov = ov_van("Deventer")
    workflow.registreer_opzegging(ov, D(2024, 3, 1), door="gemeente")
    with pytest.raises(ValidationError, match=r"is opgezegd \(opzegging verzonden op 1 maart 2024\)"):
        workflow.registreer_opzegging(ov, D(2024, 4, 1), door="gemeente")


@pytest.mark.parametrize(("stap", "datum", "melding"), [
    ("verzenden", D(2027, 12, 2), "De verzenddatum (2 december 2027) ligt in de toekomst."),
    ("verzenden", D(2022, 12, 1), "vóór de ondertekening van het convenant (19 december 2022)"),
    ("ontvangen", D(2023, 1, 15), "de ontvangstdatum (15 januari 2023) ligt vóór de verzending (16 januari 2023)"),
    ("opzeggen", D(2023, 1, 1), "ligt vóór de ontvangst van de getekende overeenkomst"),
])
def test_onmogelijke_datums_geweigerd(referentiedata, docs, vandaag, stap, datum, melding):
    ov = ov_van("Almere")
    if stap != "verzenden":
        workflow.markeer_verzonden(ov, D(2023, 1, 16), "griffie@almere.nl")
    if stap == "opzeggen":
        workflow.markeer_ontvangen(ov, D(2023, 2, 1))
    functie = {"verzenden": lambda: workflow.markeer_verzonden(ov, datum, "iemand"),
               "ontvangen": lambda: workflow.markeer_ontvangen(ov, datum),
               "opzeggen": lambda: workflow.registreer_opzegging(ov, datum, door="gemeente")}[stap]
    with pytest.raises(ValidationError) as fout:
        functie()
    assert melding in fout.value.messages[0]


def test_opzegging_na_het_einde_geweigerd(referentiedata, docs, vandaag):
    vandaag["d"] = D(2028, 2, 1)
    with pytest.raises(ValidationError, match="liep al af op 31 december 2027"):
        workflow.registreer_opzegging(ov_van("Deventer"), D(2028, 1, 15), door="gemeente")


def test_ontvangst_zonder_verzenddatum_nodig_geen_ontvanger_leeg(referentiedata, docs, vandaag):
    with pytest.raises(ValidationError, match="vul in aan wie"):
        workflow.markeer_verzonden(ov_van("Almere"), D(2023, 1, 16), "   ")


# --- all or nothing ----------------------------------------------------------------------


def test_pdf_geweigerd_dan_blijft_alles_bij_het_oude(referentiedata, docs, vandaag):
    docs.weiger_verzenden = "De overeenkomst mist: datum collegebesluit, vertegenwoordiger."
    ov = ov_van("Almere")
    with pytest.raises(ValidationError, match="mist: datum collegebesluit"):
        workflow.markeer_verzonden(ov, D(2023, 1, 16), "griffie@almere.nl")
    ov = ov_van("Almere")
    assert (ov.status, ov.verzonden_op, ov.history.count()) == (Status.CONCEPT, None, 1)


def test_geen_pdf_als_scan_dan_niet_ondertekend(referentiedata, docs, vandaag):
    ov = ov_van("Almere")
    workflow.markeer_verzonden(ov, D(2023, 1, 16), "griffie@almere.nl")
    with pytest.raises(ValidationError, match="geen PDF"):
        workflow.markeer_ontvangen(ov, D(2023, 2, 1), scan(b"MZ\x90\x00 geen pdf", "getekend.pdf"))
    ov = ov_van("Almere")
    assert (ov.status, ov.ontvangen_op) == (Status.VERZONDEN, None)
    assert not ov.documenten.filter(soort=DocumentSoort.GETEKEND).exists()


# --- enforced in the model too -----------------------------------------------------------


def test_status_niet_buiten_de_workflow_om(referentiedata):
    ov = ov_van("Almere")
    ov.status = Status.ONDERTEKEND
    ov.ontvangen_op = D(2023, 2, 1)
    with pytest.raises(ValidationError, match="alleen via de workflow"):
        ov.save()
    assert ov_van("Almere").status == Status.CONCEPT


def test_database_weigert_verzonden_zonder_datum(referentiedata):
    ov = ov_van("Almere")
    with pytest.raises(IntegrityError), transaction.atomic():
        Samenwerkingsovereenkomst.objects.filter(pk=ov.pk).update(status=Status.VERZONDEN)


@pytest.mark.parametrize(("veld", "waarde"), [
    ("inwoners", 1), ("bijdrage_per_inwoner", Decimal("0.14")), ("peildatum", D(2023, 1, 1)),
])
def test_ondertekend_ligt_bedrag_vast(referentiedata, veld, waarde):
    ov = ov_van("Deventer")
    setattr(ov, veld, waarde)
    with pytest.raises(ValidationError, match="ondertekend: .* liggen vast"):
        ov.save()
    assert ov_van("Deventer").bedrag_per_jaar == Decimal("15216.90")


def test_ondertekend_gemeente_en_convenant_vast(referentiedata):
    ov = ov_van("Deventer")
    ov.gemeente = ov_van("Almere").gemeente
    with pytest.raises(ValidationError, match="gemeente liggen vast"):
        ov.save()
    ov = ov_van("Deventer")
    ov.convenant = ov_van("Almere", "2019-2022").convenant
    with pytest.raises(ValidationError, match="convenant liggen vast"):
        ov.save()


def test_concept_mag_nog_andere_tekstgegevens_krijgen(referentiedata):
    ov = ov_van("Almere")
    ov.vertegenwoordiger = "A. Burgemeester"
    ov.save()
    assert ov_van("Almere").vertegenwoordiger == "A. Burgemeester"


def test_correctie_met_reden_in_geschiedenis(referentiedata, beheerder):
    ov = ov_van("Deventer")
    workflow.corrigeer_inwoners(ov, 101500, "CBS heeft het cijfer voor 2022 herzien", beheerder)
    ov = ov_van("Deventer")
    assert ov.inwoners == 101500
    assert ov.bedrag_per_jaar == Decimal("15225.00")
    laatste = ov.history.first()
    assert laatste.history_change_reason == "CBS heeft het cijfer voor 2022 herzien"
    assert laatste.history_user == beheerder
    assert laatste.prev_record.inwoners == 101446


@pytest.mark.parametrize(("aantal", "reden", "melding"), [
    (101500, "  ", "geef een reden"),
    (0, "tikfout", "groter dan nul"),
    (101446, "tikfout", "is al 101.446"),
    (101500, "x" * 101, "ten hoogste 100"),
])
def test_correctie_geweigerd(referentiedata, aantal, reden, melding):
    with pytest.raises(ValidationError, match=melding):
        workflow.corrigeer_inwoners(ov_van("Deventer"), aantal, reden)
    assert ov_van("Deventer").inwoners == 101446


# --- in the admin --------------------------------------------------------------------------


def test_admin_actie_met_bevestiging_en_weigering_per_overeenkomst(referentiedata, docs, vandaag, beheerder_client):
    almere, deventer = ov_van("Almere"), ov_van("Deventer")
    r = beheerder_client.post(reverse(CHANGELIST), {
        "action": "actie_verzenden", "_selected_action": [almere.pk, deventer.pk],
    })
    assert r.status_code == 302
    bevestig_url = r["Location"]
    assert "/workflow/verzenden/" in bevestig_url

    r = beheerder_client.get(bevestig_url)
    html = r.content.decode()
    assert "Als verzonden vastleggen kan niet: de overeenkomst is al ondertekend ontvangen" in html
    assert 'name="verzonden_op"' in html and f'name="aan_{almere.pk}"' in html
    assert f'name="aan_{deventer.pk}"' not in html
    assert ov_van("Almere").status == Status.CONCEPT  # nothing happens before confirming

    r = beheerder_client.post(bevestig_url, {
        "ids": f"{almere.pk},{deventer.pk}", "verzonden_op": "2023-01-16",
        f"aan_{almere.pk}": "griffie@almere.nl", "bevestig": "Bevestigen",
    })
    assert r.status_code == 302
    meldingen = [str(m) for m in get_messages(r.wsgi_request)]
    assert "Almere: verzonden op 16 januari 2023 aan griffie@almere.nl." in meldingen
    assert any(m.startswith("Deventer: niet uitgevoerd. Als verzonden vastleggen kan niet") for m in meldingen)
    assert "Als verzonden vastleggen: 1 van 2 overeenkomsten bijgewerkt." in meldingen
    almere = ov_van("Almere")
    assert (almere.status, almere.verzonden_op) == (Status.VERZONDEN, D(2023, 1, 16))
    assert almere.history.first().history_user.username == "testbeheerder"


def test_admin_ontvangen_met_scan_en_foute_invoer(referentiedata, docs, vandaag, beheerder_client):
    ov = ov_van("Almere")
    workflow.markeer_verzonden(ov, D(2023, 1, 16), "griffie@almere.nl")
    url = reverse("admin:overeenkomsten_samenwerkingsovereenkomst_overgang", args=["ontvangen"])
    r = beheerder_client.post(url, {"ids": ov.pk, "ontvangen_op": "gisteren", "bevestig": "1"})
    assert r.status_code == 200
    assert "Vul een geldige datum in" in r.content.decode()
    r = beheerder_client.post(url, {"ids": ov.pk, "ontvangen_op": "2023-02-20", "scan": scan(), "bevestig": "1"})
    assert r.status_code == 302
    ov = ov_van("Almere")
    assert (ov.status, ov.ontvangen_op) == (Status.ONDERTEKEND, D(2023, 2, 20))
    assert ov.documenten.filter(soort=DocumentSoort.GETEKEND).count() == 1


def test_admin_opzegging_meldt_einddatum(referentiedata, docs, vandaag, beheerder_client):
    ov = ov_van("Deventer")
    url = reverse("admin:overeenkomsten_samenwerkingsovereenkomst_overgang", args=["opzeggen"])
    r = beheerder_client.post(url, {"ids": ov.pk, "opgezegd_door": "gemeente", "opzegging_verzonden_op": "2025-09-01",
                                    "opzegging_ontvangen_op": "2025-09-03", "bevestig": "1"}, follow=True)
    assert ("Deventer: opgezegd door de gemeente, verzonden op 1 september 2025; de overeenkomst loopt "
            "t/m 31 december 2026." in r.content.decode())


def test_admin_wijzigformulier_kan_status_en_bedrag_niet_zetten(referentiedata, beheerder_client):
    ov = ov_van("Almere")
    url = reverse("admin:overeenkomsten_samenwerkingsovereenkomst_change", args=[ov.pk])
    r = beheerder_client.get(url)
    data = formulierdata(r)
    assert "status" not in data and "inwoners" not in data and "ontvangen_op" not in data
    data.update({"status": "ondertekend", "ontvangen_op": "2023-02-01", "inwoners": "1",
                 "vertegenwoordiger": "A. Burgemeester"})
    r = beheerder_client.post(url, data)
    assert r.status_code == 302
    ov = ov_van("Almere")
    assert (ov.status, ov.ontvangen_op, ov.vertegenwoordiger) == (Status.CONCEPT, None, "A. Burgemeester")
    assert ov.inwoners != 1


def test_admin_ondertekend_alles_alleen_lezen_behalve_opmerking(referentiedata, beheerder_client):
    ov = ov_van("Deventer")
    r = beheerder_client.get(reverse("admin:overeenkomsten_samenwerkingsovereenkomst_change", args=[ov.pk]))
    velden = set(r.context["adminform"].form.fields) - {"g40_versie"}  # the stale-edit check (test_verouderd)
    assert velden == {"opmerking"}
    html = r.content.decode()
    assert "Inwonertal corrigeren" in html and "Getekende scan toevoegen" in html and "Opzegging vastleggen" in html
    assert "Als verzonden vastleggen" not in html


def test_admin_correctie(referentiedata, beheerder_client):
    ov = ov_van("Deventer")
    url = reverse("admin:overeenkomsten_samenwerkingsovereenkomst_correctie", args=[ov.pk])
    r = beheerder_client.post(url, {"inwoners": "101.500", "reden": ""})
    assert r.status_code == 200 and "Dit veld is verplicht" in r.content.decode()
    r = beheerder_client.post(url, {"inwoners": "101.500", "reden": "CBS-herziening"}, follow=True)
    html = r.content.decode()
    assert "inwonertal gecorrigeerd naar 101.500; bedrag per jaar € 15.216,90 → € 15.225,00" in html
    assert ov_van("Deventer").inwoners == 101500  # written 101.500, never read as 101


def test_admin_geschiedenis_toont_wie_en_wat(referentiedata, beheerder_client):
    ov = ov_van("Almere")
    url = reverse("admin:overeenkomsten_samenwerkingsovereenkomst_change", args=[ov.pk])
    data = formulierdata(beheerder_client.get(url))
    data["vertegenwoordiger"] = "J. de Vries"
    assert beheerder_client.post(url, data).status_code == 302
    r = beheerder_client.get(reverse("admin:overeenkomsten_samenwerkingsovereenkomst_history", args=[ov.pk]))
    html = r.content.decode()
    assert "Geschiedenis: Almere – 2023-2027" in html
    rij = html[html.index("<tbody>"):html.index("</tr>", html.index("<tbody>"))]  # newest version first
    assert ">testbeheerder</" in rij and ">gewijzigd<" in rij
    assert "<strong>Vertegenwoordiger:</strong> (leeg)&nbsp;&rarr;&nbsp;J. de Vries" in rij


def test_admin_geschiedenis_niet_terugzetten(referentiedata, docs, vandaag, beheerder_client):
    ov = ov_van("Almere")
    workflow.markeer_verzonden(ov, D(2023, 1, 16), "griffie@almere.nl")
    eerste = ov.history.last()
    url = reverse("admin:overeenkomsten_samenwerkingsovereenkomst_simple_history", args=[ov.pk, eerste.pk])
    assert beheerder_client.get(url).status_code == 200
    assert beheerder_client.post(url, {"status": "concept"}).status_code == 403
    assert ov_van("Almere").status == Status.VERZONDEN


def test_admin_verzonden_niet_verwijderen(referentiedata, beheerder_client):
    ov = ov_van("Deventer")
    r = beheerder_client.get(reverse("admin:overeenkomsten_samenwerkingsovereenkomst_delete", args=[ov.pk]))
    assert r.status_code == 403
    r = beheerder_client.get(reverse(CHANGELIST))
    assert "delete_selected" not in r.content.decode()


# --- the audit trail of the other kept models ---------------------------------------------


def _jaarplan():
    from jaarplannen.models import Jaarplan

    return Jaarplan.objects.get(convenant__slug="2023-2027", jaar=2024)


def _evaluatie():
    from jaarplannen.models import Evaluatie

    return Evaluatie.objects.create(jaarplan=_jaarplan(), moment="juli", datum=D(2024, 7, 10))


def _inwonertal():
    from gemeenten.models import Inwonertal

    return Inwonertal.objects.get(gemeente__naam="Almere", peildatum=D(2022, 1, 1))


@pytest.mark.parametrize(("maak", "veld", "nieuw", "label"), [
    (_inwonertal, "bron", "CBS StatLine 03759ned, herzien", "Bron"),
    (_jaarplan, "titel", "Jaarplan 2024: wonen en werken", "Titel"),
    (_evaluatie, "samenvatting", "Basisprogramma loopt op schema", "Samenvatting"),
])
def test_geschiedenis_in_admin_voor_inwoners_jaarplannen_evaluaties(referentiedata, beheerder_client,
                                                                     maak, veld, nieuw, label):
    obj = maak()
    info = f"admin:{obj._meta.app_label}_{obj._meta.model_name}"
    url = reverse(f"{info}_change", args=[obj.pk])
    data = formulierdata(beheerder_client.get(url))
    data[veld] = nieuw
    r = beheerder_client.post(url, data)
    assert r.status_code == 302, r.context["errors"] if r.context else r
    html = beheerder_client.get(reverse(f"{info}_history", args=[obj.pk])).content.decode()
    rij = html[html.index("<tbody>"):html.index("</tr>", html.index("<tbody>"))]
    assert ">testbeheerder</" in rij
    assert f"<strong>{label}:</strong>" in rij and nieuw in rij


# --- with the real document storage (renders the agreement with WeasyPrint) ---------------


def test_verzenden_en_ontvangen_met_echte_documenten(referentiedata, vandaag, beheerder):
    import hashlib

    ov = ov_van("Almere")
    with pytest.raises(ValidationError, match="collegebesluit"):  # a concept is never sent
        workflow.markeer_verzonden(ov, D(2023, 1, 16), "griffie@almere.nl", beheerder)
    assert ov_van("Almere").status == Status.CONCEPT

    ov.vertegenwoordiger, ov.vertegenwoordiger_functie = "J. Jansen", "burgemeester"
    ov.collegebesluit_op = D(2023, 1, 10)
    ov.save()
    ov.gemeente.adres, ov.gemeente.plaats = "Stadhuisplein 1", "Almere"
    ov.gemeente.save()

    doc = workflow.markeer_verzonden(ov, D(2023, 1, 16), "griffie@almere.nl", beheerder)
    data = doc.bestand.open("rb").read()
    assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == doc.sha256
    assert doc.aangemaakt_door == beheerder

    with pytest.raises(ValidationError, match="geen PDF"):
        workflow.markeer_ontvangen(ov, D(2023, 2, 1), scan(b"\x89PNG\r\n\x1a\n", "scan.pdf"), beheerder)
    assert ov_van("Almere").status == Status.VERZONDEN
    workflow.markeer_ontvangen(ov, D(2023, 2, 1), scan(data, "scan.pdf"), beheerder)
    assert ov_van("Almere").documenten.filter(soort=DocumentSoort.GETEKEND).get().sha256 == doc.sha256
