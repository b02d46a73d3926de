"""python manage.py herinneringen --convenant 2023-2027 [--send]"""

import datetime
import io

from django.core import mail
from django.core.management import CommandError, call_command

import pytest

from convenant.constants import Rol
from convenant.models import Persoon
from gemeenten.models import Gemeente
from overeenkomsten.constants import DocumentSoort, Status
from overeenkomsten.models import Samenwerkingsovereenkomst

from .bureau import maak_document

pytestmark = pytest.mark.django_db


def run(*args):
    uit, fout = io.StringIO(), io.StringIO()
    call_command("herinneringen", *args, stdout=uit, stderr=fout)
    return uit.getvalue(), fout.getvalue()


@pytest.fixture
def adressen(referentiedata):
    Gemeente.objects.filter(naam="Almere").update(contact_email="g40@almere.nl")
    breda = Gemeente.objects.get(naam="Breda")
    Persoon.objects.create(naam="B. Coördinator", rol=Rol.COORDINATOR, gemeente=breda, email="coord@breda.nl")
    Persoon.objects.create(naam="Oud Coördinator", rol=Rol.COORDINATOR, gemeente=breda, email="oud@breda.nl",
                           actief=False)
    Samenwerkingsovereenkomst.objects.filter(convenant__slug="2023-2027", gemeente=breda).update(
        status=Status.VERZONDEN, verzonden_op=datetime.date(2023, 1, 16), verzonden_aan="griffie@breda.nl",
    )
    maak_document(Samenwerkingsovereenkomst.objects.get(convenant__slug="2023-2027", gemeente=breda),
                  DocumentSoort.VERZONDEN)


def test_lijst_zonder_versturen(adressen):
    uit, fout = run("--convenant", "2023-2027")
    assert "Nog niet binnen onder convenant 2023-2027: 40 van 41 (streefdatum 1 maart 2023)." in uit
    assert "Deventer" not in uit  # signed
    regels = {r.split()[0]: r for r in uit.splitlines() if r.startswith("  ")}
    assert "Verzonden, nog niet ondertekend (1): krijgen een herinnering" in uit
    assert "coord@breda.nl" in regels["Breda"] and "oud@breda.nl" not in regels["Breda"]
    assert "verzonden op 16 januari 2023" in regels["Breda"] and "Geachte G40-coördinator" in regels["Breda"]
    # Almere was never sent: on the relatiemanager's list, no reminder
    assert "Nog niet verzonden (39), voor de relatiemanager; krijgen geen herinnering:" in uit
    assert "g40@almere.nl" not in uit and "Concept" in regels["Almere"]
    assert "Niets verstuurd" in uit
    assert mail.outbox == []


def test_versturen(adressen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the command commits each reminder, then sends
        uit, _ = run("--convenant", "2023-2027", "--send")
    assert "1 herinnering(en) verstuurd." in uit
    assert [m.to for m in mail.outbox] == [["coord@breda.nl"]]  # not Almere: never sent
    breda = mail.outbox[0]
    assert breda.subject == "Herinnering: samenwerkingsovereenkomst G40 en Platform31 2023-2027 – Breda"
    assert breda.body.startswith("Geachte G40-coördinator,")
    assert "op 16 januari 2023 verzonden aan griffie@breda.nl" in breda.body
    assert "De streefdatum was 1 maart 2023." in breda.body
    assert "€ " in breda.body and "per jaar" in breda.body
    assert "Anjel Punte, relatiemanager G40 van Platform31" in breda.body
    assert "t.a.v. Anjel Punte" in breda.body and "Koningin Julianaplein 10" in breda.body
    assert [a[2] for a in breda.attachments] == ["application/pdf"]


def test_verzonden_zonder_adres_of_pdf_gemeld(adressen, django_capture_on_commit_callbacks):
    Samenwerkingsovereenkomst.objects.filter(convenant__slug="2023-2027", gemeente__naam__in=["Almere", "Alkmaar"]
                                             ).update(status=Status.VERZONDEN, verzonden_op=datetime.date(2023, 1, 16))
    with django_capture_on_commit_callbacks(execute=True):
        uit, fout = run("--convenant", "2023-2027", "--send")
    assert "Zonder e-mailadres (1): Alkmaar." in fout
    assert "Zonder bewaarde verzonden PDF (1): Almere." in fout
    assert [m.to for m in mail.outbox] == [["coord@breda.nl"]]


def test_alles_binnen(referentiedata):
    Samenwerkingsovereenkomst.objects.filter(convenant__slug="2023-2027").update(
        status=Status.ONDERTEKEND, verzonden_op=datetime.date(2023, 1, 16), ontvangen_op=datetime.date(2023, 2, 1),
    )
    uit, _ = run("--convenant", "2023-2027", "--send")
    assert "Alle 41 overeenkomsten van convenant 2023-2027 zijn ondertekend binnen." in uit
    assert mail.outbox == []


def test_onbekend_convenant(referentiedata):
    with pytest.raises(CommandError, match="Onbekend convenant ‘2030-2034’. Bekend: 2023-2027, 2019-2022."):
        run("--convenant", "2030-2034")
