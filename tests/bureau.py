"""Helpers for the secretary's-desk tests (and the benchmark): users per role, stand-in document storage,
admin forms, generated municipalities at scale."""

import datetime
import hashlib
import importlib
import sys
import types

from django.apps import apps
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection

from convenant import rules
from convenant.constants import Rol
from convenant.models import Convenant, Persoon
from gemeenten.models import Gemeente, Inwonertal
from overeenkomsten.constants import DocumentSoort, Status
from overeenkomsten.models import OvereenkomstDocument, Samenwerkingsovereenkomst

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def maak_document(ov, soort=DocumentSoort.VERZONDEN, inhoud=PDF, gebruiker=None):
    return OvereenkomstDocument.objects.create(
        overeenkomst=ov, soort=soort, bestand=ContentFile(inhoud, name=f"{soort}.pdf"),
        sha256=hashlib.sha256(inhoud).hexdigest(), grootte=len(inhoud), aangemaakt_door=gebruiker,
    )


class NepDocumenten:
    """Stands in for overeenkomsten.documenten (PDF rendering is tested with that module)."""

    def __init__(self):
        self.aanroepen = []
        self.weiger_verzenden = None

    def bewaar_verzonden_pdf(self, ov, gebruiker):
        self.aanroepen.append(("verzonden", ov.pk, ov.status))
        if self.weiger_verzenden:
            raise ValidationError(self.weiger_verzenden)
        return maak_document(ov, DocumentSoort.VERZONDEN, PDF, gebruiker)

    def bewaar_getekende_scan(self, ov, bestand, gebruiker):
        self.aanroepen.append(("getekend", ov.pk, ov.status))
        inhoud = bestand.read()
        if not inhoud.startswith(b"%PDF-"):
            raise ValidationError("Het bestand is geen PDF.")
        return maak_document(ov, DocumentSoort.GETEKEND, inhoud, gebruiker)


def installeer_nep_documenten(monkeypatch) -> NepDocumenten:
    nep = NepDocumenten()
    import overeenkomsten

    try:
        from overeenkomsten import documenten as module
    except ImportError:
        module = types.ModuleType("overeenkomsten.documenten")
        monkeypatch.setitem(sys.modules, "overeenkomsten.documenten", module)
        monkeypatch.setattr(overeenkomsten, "documenten", module, raising=False)
    monkeypatch.setattr(module, "bewaar_verzonden_pdf", nep.bewaar_verzonden_pdf, raising=False)
    monkeypatch.setattr(module, "bewaar_getekende_scan", nep.bewaar_getekende_scan, raising=False)
    return nep


def maak_gebruiker(django_user_model, rol, naam=None, gemeente=None, wachtwoord="pw-test-123"):
    """A staff account in one of the four groups; a coördinator is linked to a municipality."""
    naam = naam or rol.lower().replace(" ", "-").replace("ö", "o")
    user = django_user_model.objects.create_user(naam, f"{naam}@example.org", wachtwoord, is_staff=True)
    user.groups.add(Group.objects.get(name=rol))
    if gemeente is not None:
        Persoon.objects.create(
            naam=f"Coördinator {gemeente}", rol=Rol.COORDINATOR, gemeente=gemeente,
            email=f"{naam}@example.org", gebruiker=user,
        )
    return user


def formulierdata(response) -> dict:
    """The POST data an admin change form would send unchanged (form and inline formsets)."""
    data = {}

    def neem(form):
        for veld in form:
            waarde = veld.value()
            if waarde is None:
                continue
            if isinstance(waarde, list | tuple):
                data[veld.html_name] = [str(w) for w in waarde]
            elif isinstance(waarde, bool):
                if waarde:
                    data[veld.html_name] = "on"
            elif hasattr(waarde, "isoformat"):
                data[veld.html_name] = waarde.isoformat()
            else:
                data[veld.html_name] = str(waarde)

    neem(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        neem(formset.management_form)
        for form in formset.forms:
            neem(form)
    return data


def zorg_voor_rollen() -> None:
    """(Re)create the role groups with the data migration's own, idempotent, function.

    A transactional test ends with a flush that empties every table, including
    the groups the migration made; tests that run after one need them back.
    """
    schema_editor = types.SimpleNamespace(connection=connection)
    importlib.import_module("convenant.migrations.0003_rollen").maak_rollen(apps, schema_editor)
    # maak_rollen sets each group's permissions; the invoice rights are added by facturen's migration
    importlib.import_module("facturen.migrations.0002_btw_tarief_en_rollen").vooruit(apps, schema_editor)
    importlib.import_module("convenant.migrations.0007_rollen_beheren_gegevens").geef(apps, schema_editor)


def genereer_gemeenten(aantal: int) -> None:
    """Generated members with a CBS figure, an agreement in every state, and documents."""
    conv = Convenant.objects.get(slug="2023-2027")
    gemeenten = Gemeente.objects.bulk_create([
        Gemeente(naam=f"Proefstad {i:04d}", slug=f"proefstad-{i:04d}", cbs_code=f"GM{5000 + i:04d}",
                 contact_email=f"g40@proefstad-{i:04d}.nl" if i % 2 else "")
        for i in range(aantal)
    ])
    Inwonertal.objects.bulk_create([
        Inwonertal(gemeente=g, peildatum=conv.peildatum, aantal=20_000 + 37 * i) for i, g in enumerate(gemeenten)
    ])
    staten = [Status.CONCEPT, Status.VERZONDEN, Status.ONDERTEKEND, Status.OPGEZEGD]
    overeenkomsten = []
    for i, g in enumerate(gemeenten):
        status = staten[i % 4]
        inwoners = 20_000 + 37 * i
        overeenkomsten.append(Samenwerkingsovereenkomst(
            convenant=conv, gemeente=g, status=status, inwoners=inwoners, peildatum=conv.peildatum,
            bijdrage_per_inwoner=conv.bijdrage_per_inwoner,
            bedrag_per_jaar=rules.jaarbedrag(inwoners, conv.bijdrage_per_inwoner),
            verzonden_op=D(2023, 1, 16) if status != Status.CONCEPT else None,
            verzonden_aan="griffie" if status != Status.CONCEPT else "",
            ontvangen_op=D(2023, 1, 20) + datetime.timedelta(days=i % 90) if status in staten[2:] else None,
            opzegging_verzonden_op=D(2024, 5, 1) if status == Status.OPGEZEGD else None,
        ))
    overeenkomsten = Samenwerkingsovereenkomst.objects.bulk_create(overeenkomsten)
    OvereenkomstDocument.objects.bulk_create([
        OvereenkomstDocument(overeenkomst=ov, soort=soort, bestand=f"overeenkomsten/x/{ov.pk}-{soort}.pdf",
                             sha256=hashlib.sha256(f"{ov.pk}{soort}".encode()).hexdigest(), grootte=1000)
        for ov in overeenkomsten if ov.status != Status.CONCEPT
        for soort in ([DocumentSoort.VERZONDEN, DocumentSoort.GETEKEND] if ov.is_getekend
                      else [DocumentSoort.VERZONDEN])
    ])
