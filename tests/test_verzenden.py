"""Issue 10 item 3: sending from the app. The agreement and the reminders go by e-mail, kept and logged."""

import datetime
import email
import email.policy
import hashlib
import socket

from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse

import pytest

from convenant import toegang
from convenant.constants import Rol
from convenant.models import Persoon
from gemeenten.models import Gemeente
from overeenkomsten import berichten, workflow
from overeenkomsten.constants import BerichtSoort, BerichtStatus, DocumentSoort, Status
from overeenkomsten.models import Bericht, Samenwerkingsovereenkomst

from .bureau import PDF, installeer_nep_documenten, maak_document, maak_gebruiker

pytestmark = pytest.mark.django_db

D = datetime.date
OV = "admin:overeenkomsten_samenwerkingsovereenkomst"
RM_EMAIL = "a.punte@platform31.example"


def ov_van(naam, slug="2023-2027"):
    return Samenwerkingsovereenkomst.objects.select_related("gemeente", "convenant").get(
        convenant__slug=slug, gemeente__naam=naam)


@pytest.fixture
def docs(monkeypatch):
    return installeer_nep_documenten(monkeypatch)


@pytest.fixture
def contacten(referentiedata):
    """Almere has a general G40 address; Breda only a coördinator; the relatiemanager an address."""
    Persoon.objects.filter(naam="Anjel Punte").update(email=RM_EMAIL)
    Gemeente.objects.filter(naam="Almere").update(contact_email="g40@almere.nl")
    breda = Gemeente.objects.get(naam="Breda")
    Persoon.objects.create(naam="B. Coördinator", rol=Rol.COORDINATOR, gemeente=breda, email="coord@breda.nl")


def stored(doc) -> bytes:
    with doc.bestand.open("rb") as f:
        return f.read()


def vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the relatiemanager's contact: one lookup -------------------------------------------------


def test_relatiemanager_uit_convenant_of_rol(referentiedata):
    conv = ov_van("Almere", "2019-2022").convenant
    assert conv.relatiemanager is None  # not named on the 2019–2022 convenant in the fixtures
    assert conv.contact(Rol.RELATIEMANAGER).naam == "Anjel Punte"  # the active person with that role
    assert conv.contact(Rol.SECRETARIS_G40).naam == "Genie Hendriks"
    assert ov_van("Almere").convenant.contact(Rol.RELATIEMANAGER).naam == "Anjel Punte"  # named on 2023–2027
    ander = Persoon.objects.create(naam="R. Manager", rol=Rol.OVERIG, email="rm@example.org")
    conv.relatiemanager = ander
    assert conv.contact(Rol.RELATIEMANAGER) == ander  # named on the convenant wins


# --- sending the agreement -----------------------------------------------------------------------


def test_verzenden_mailt_de_bewaarde_pdf(contacten, docs, beheerder, django_capture_on_commit_callbacks):
    ov = ov_van("Almere")
    with django_capture_on_commit_callbacks(execute=True):
        pdf = workflow.markeer_verzonden(ov, D(2026, 11, 30), "g40@almere.nl", beheerder, mailen=True)
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(mail.outbox) == 1
    m = mail.outbox[0]
    assert m.to == ["g40@almere.nl"] and m.reply_to == [RM_EMAIL]
    assert m.subject == "Samenwerkingsovereenkomst G40 en Platform31 2023-2027 – Almere"
    [(naam, inhoud, soort)] = m.attachments
    assert inhoud == stored(pdf) == PDF and soort == "application/pdf"
    assert naam == pdf.bestand.name.rsplit("/", 1)[-1]
    assert m.body.startswith("Geachte heer, mevrouw,")  # a general address, not a coördinator
    assert "t.a.v. Anjel Punte" in m.body and "Koningin Julianaplein 10" in m.body and "Den Haag" in m.body

    bericht = Bericht.objects.get(overeenkomst=ov)
    assert (bericht.soort, bericht.status, bericht.aan, bericht.antwoord_aan, bericht.verstuurd_door) == (
        BerichtSoort.OVEREENKOMST, BerichtStatus.VERSTUURD, "g40@almere.nl", RM_EMAIL, beheerder)
    assert bericht.bijlage == pdf and bericht.verstuurd_op is not None
    eml = stored(bericht.eml)
    assert bericht.eml.soort == DocumentSoort.BERICHT and bericht.eml.bestand.name.endswith(".eml")
    assert eml == m.message().as_bytes()  # exactly the message handed to the backend
    assert bericht.eml.sha256 == hashlib.sha256(eml).hexdigest() and bericht.eml.grootte == len(eml)
    geparst = email.message_from_bytes(eml, policy=email.policy.default)
    assert [a.get_content() for a in geparst.iter_attachments()] == [PDF]
    assert ov_van("Almere").verzonden_aan == "g40@almere.nl"


def test_aanhef_voor_coordinator(contacten, docs, django_capture_on_commit_callbacks):
    ov = ov_van("Breda")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.markeer_verzonden(ov, D(2026, 11, 30), "coord@breda.nl", mailen=True)
    assert mail.outbox[0].body.startswith("Geachte G40-coördinator,")
    # a coördinator and a general address together: the general salutation
    assert berichten.aanhef_voor(ov.gemeente, ["coord@breda.nl", "info@breda.nl"]) == "Geachte heer, mevrouw,"


def test_teruggedraaide_stap_verstuurt_niets(contacten, docs, django_capture_on_commit_callbacks):
    ov = ov_van("Almere")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            workflow.markeer_verzonden(ov, D(2026, 11, 30), "g40@almere.nl", mailen=True)
            raise RuntimeError("later in the same transaction")
    assert mail.outbox == []
    assert not Bericht.objects.exists()
    assert ov_van("Almere").status == Status.CONCEPT


def test_geen_geldig_adres_dan_niets(contacten, docs):
    ov = ov_van("Almere")
    with pytest.raises(ValidationError, match="Geen e-mailadres: ‘griffie’, ‘Almere’."):
        workflow.markeer_verzonden(ov, D(2026, 11, 30), "griffie Almere", mailen=True)
    with pytest.raises(ValidationError, match="Vul het e-mailadres in"):
        workflow.markeer_verzonden(ov, D(2026, 11, 30), " , ", mailen=True)
    assert ov_van("Almere").status == Status.CONCEPT and docs.aanroepen == []


def test_zonder_mailen_alleen_vastleggen(contacten, docs, django_capture_on_commit_callbacks):
    ov = ov_van("Almere")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.markeer_verzonden(ov, D(2026, 11, 30), "per post aan de griffie")
    assert mail.outbox == [] and not Bericht.objects.exists()
    assert ov_van("Almere").status == Status.VERZONDEN


def test_mislukte_mail_wordt_vastgelegd_en_getoond(contacten, docs, settings, beheerder_client,
                                                   django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", vrije_poort(), 5
    ov = ov_van("Almere")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.markeer_verzonden(ov, D(2026, 11, 30), "g40@almere.nl", mailen=True)
    bericht = Bericht.objects.get(overeenkomst=ov)
    assert bericht.status == BerichtStatus.MISLUKT and "ConnectionRefusedError" in bericht.fout
    assert bericht.verstuurd_op is None
    assert ov_van("Almere").status == Status.VERZONDEN  # the step stands; the failure is on record
    html = beheerder_client.get(reverse(f"{OV}_change", args=[ov.pk])).content.decode()
    assert "Mislukt: ConnectionRefusedError" in html


def test_relatiemanager_verzendt_vanuit_beheer_en_ziet_bericht(contacten, docs, client, django_user_model,
                                                                django_capture_on_commit_callbacks):
    rm = maak_gebruiker(django_user_model, toegang.RELATIEMANAGER, "relatiemanager")
    client.force_login(rm)
    ov = ov_van("Almere")
    url = reverse(f"{OV}_overgang", args=["verzenden"])
    r = client.get(url, {"ids": ov.pk})
    assert r.context["form"][f"aan_{ov.pk}"].value() == "g40@almere.nl"  # proposed from the contact data
    assert r.context["form"]["per_email"].value() is True
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url, {"ids": ov.pk, "verzonden_op": "2026-11-30", f"aan_{ov.pk}": "g40@almere.nl",
                              "per_email": "on", "bevestig": "1"})
    assert r.status_code == 302
    assert [m.to for m in mail.outbox] == [["g40@almere.nl"]]
    html = client.get(reverse(f"{OV}_change", args=[ov.pk])).content.decode()
    bericht = Bericht.objects.get(overeenkomst=ov)
    assert "Samenwerkingsovereenkomst G40 en Platform31 2023-2027 – Almere" in html
    assert "Verstuurd " in html
    assert reverse("overeenkomsten:document", args=[bericht.eml_id]) in html
    r = client.get(reverse("overeenkomsten:document", args=[bericht.eml_id]))
    assert r["Content-Type"] == "message/rfc822" and b"".join(r.streaming_content) == stored(bericht.eml)


def test_echte_pdf_gaat_mee(referentiedata, beheerder, django_capture_on_commit_callbacks):
    """With the real document engine (WeasyPrint): the attachment is the stored, final PDF."""
    Gemeente.objects.filter(naam="Almere").update(adres="Stadhuisplein 1", plaats="Almere",
                                                   contact_email="g40@almere.nl")
    ov = ov_van("Almere")
    ov.vertegenwoordiger, ov.vertegenwoordiger_functie, ov.collegebesluit_op = "J. Jansen", "burgemeester", \
        D(2023, 1, 10)
    ov.save()
    with django_capture_on_commit_callbacks(execute=True):
        pdf = workflow.markeer_verzonden(ov, D(2026, 11, 30), "g40@almere.nl", beheerder, mailen=True)
    data = stored(pdf)
    assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == pdf.sha256
    assert mail.outbox[0].attachments[0][1] == data


# --- a real SMTP server on loopback ------------------------------------------------------------


@pytest.fixture
def smtpd():
    from aiosmtpd.controller import Controller

    class Verzamelaar:
        def __init__(self):
            self.enveloppen = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
            self.enveloppen.append(envelope)
            return "250 Message accepted for delivery"

    h = Verzamelaar()
    c = Controller(h, hostname="127.0.0.1", port=vrije_poort())
    c.start()
    try:
        yield c, h
    finally:
        c.stop()


def test_via_echte_smtp_server(contacten, docs, smtpd, settings, django_capture_on_commit_callbacks):
    controller, ontvanger = smtpd
    # pytest-django forces the locmem backend; this test needs the real one
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    ov = ov_van("Almere")
    with django_capture_on_commit_callbacks(execute=True):
        pdf = workflow.markeer_verzonden(ov, D(2026, 11, 30), "g40@almere.nl", mailen=True)
    [env] = ontvanger.enveloppen
    assert env.rcpt_tos == ["g40@almere.nl"]
    bericht = Bericht.objects.get(overeenkomst=ov)
    assert bericht.status == BerichtStatus.VERSTUURD
    # what the server received is the stored .eml, byte for byte (SMTP uses CRLF line ends)
    assert env.content.replace(b"\r\n", b"\n") == stored(bericht.eml)
    m = email.message_from_bytes(env.content, policy=email.policy.default)
    assert m["Reply-To"] == RM_EMAIL
    assert [a.get_content() for a in m.iter_attachments()] == [stored(pdf)]


# --- reminders --------------------------------------------------------------------------------------


@pytest.fixture
def verzonden(contacten):
    """Almere and Breda were sent (PDF kept), Alkmaar was sent without a kept PDF, Deventer is signed."""
    for naam in ("Almere", "Breda", "Alkmaar"):
        Samenwerkingsovereenkomst.objects.filter(convenant__slug="2023-2027", gemeente__naam=naam).update(
            status=Status.VERZONDEN, verzonden_op=D(2023, 1, 16), verzonden_aan="griffie",
        )
    Gemeente.objects.filter(naam="Alkmaar").update(contact_email="info@alkmaar.nl")
    return {naam: maak_document(ov_van(naam), DocumentSoort.VERZONDEN, PDF + naam.encode())
            for naam in ("Almere", "Breda")}


def test_herinneringen_alleen_verzonden_niet_getekend(verzonden):
    conv = ov_van("Almere").convenant
    lijst = berichten.herinneringen(conv)
    assert {ov.gemeente.naam: (o.adressen, o.aanhef) for ov, o, _ in lijst.versturen} == {
        "Almere": (["g40@almere.nl"], "Geachte heer, mevrouw,"),
        "Breda": (["coord@breda.nl"], "Geachte G40-coördinator,"),
    }
    assert [ov.gemeente.naam for ov in lijst.zonder_pdf] == ["Alkmaar"]
    assert len(lijst.niet_verzonden) == 41 - 1 - 3  # concepts: shown, never mailed
    assert "Deventer" not in {ov.gemeente.naam for ov in lijst.niet_verzonden}


def test_herinneringen_versturen_met_pdf(verzonden, django_capture_on_commit_callbacks):
    conv = ov_van("Almere").convenant
    with django_capture_on_commit_callbacks(execute=True):
        berichten.verstuur_herinneringen(berichten.herinneringen(conv))
    assert sorted(m.to[0] for m in mail.outbox) == ["coord@breda.nl", "g40@almere.nl"]
    for m in mail.outbox:
        naam = m.subject.rsplit("– ", 1)[1]
        assert m.subject == f"Herinnering: samenwerkingsovereenkomst G40 en Platform31 2023-2027 – {naam}"
        assert m.attachments[0][1] == stored(verzonden[naam])  # the PDF sent, again
        assert m.reply_to == [RM_EMAIL]
        assert "op 16 januari 2023 verzonden" in m.body and "t.a.v. Anjel Punte" in m.body
    breda = next(m for m in mail.outbox if m.to == ["coord@breda.nl"])
    assert breda.body.startswith("Geachte G40-coördinator,")
    assert Bericht.objects.filter(soort=BerichtSoort.HERINNERING, status=BerichtStatus.VERSTUURD).count() == 2


def test_dashboard_knop_bevestiging_en_versturen(verzonden, django_user_model, django_capture_on_commit_callbacks):
    rm = maak_gebruiker(django_user_model, toegang.RELATIEMANAGER, "relatiemanager")
    c = Client(enforce_csrf_checks=True)
    c.force_login(rm)
    assert reverse("herinneringen", args=["2023-2027"]) in c.get("/").content.decode()
    url = reverse("herinneringen", args=["2023-2027"])
    r = c.get(url)
    html = r.content.decode()
    assert "g40@almere.nl" in html and "coord@breda.nl" in html and "Geachte G40-coördinator" in html
    assert "Alkmaar" in html and "geen verzonden PDF bewaard" in html
    assert "2 herinneringen versturen" in html
    assert mail.outbox == []  # the confirmation page sends nothing
    assert c.post(url).status_code == 403  # no CSRF token
    token = r.cookies["csrftoken"].value
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(url, {"csrfmiddlewaretoken": token})
    assert r.status_code == 302 and r["Location"] == "/?convenant=2023-2027"
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(("rol", "status"), [
    (toegang.SECRETARIAAT, 403), (toegang.LEZER, 403), (toegang.COORDINATOR, 403), (None, 403),
])
def test_herinneringen_alleen_met_verzendrecht(verzonden, django_user_model, client, rol, status):
    if rol:
        user = maak_gebruiker(django_user_model, rol, "iemand", gemeente=ov_van("Almere").gemeente
                              if rol == toegang.COORDINATOR else None)
    else:
        user = django_user_model.objects.create_user("staf", password="pw-test-123", is_staff=True)
    client.force_login(user)
    url = reverse("herinneringen", args=["2023-2027"])
    assert client.get(url).status_code == status
    assert client.post(url).status_code == status
    assert mail.outbox == []


def test_herinneringen_anoniem_naar_login(client, referentiedata):
    r = client.get(reverse("herinneringen", args=["2023-2027"]))
    assert r.status_code == 302 and r["Location"].startswith(reverse("admin:login"))
