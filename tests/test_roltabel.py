"""The role table: every URL pattern × every role, the outcome from ONE table.

The test walks the resolver (every pattern, the admin's included), builds a
concrete URL for each from real objects, GETs it as each role and compares the
answer with the table below. A pattern without an entry fails the test with
its name, so a new URL cannot slip in without a decision about who may see it.

Adding a URL: give it a row in ``VERWACHT`` (by its ``namespace:name``), and,
if it takes parameters this module does not know yet, a line in ``WAARDEN``.
A new admin model gets a row in ``ADMIN_MODELLEN``; its standard pages follow
from the rule in ``_admin_regel``; pages that do not fit the rule get a row in
``VERWACHT``, which always wins.

Outcomes: an HTTP status, ``LOGIN`` (302 to the login page) or ``ELDERS``
(a 302 to some other page).
"""

import datetime
import re
from dataclasses import dataclass, field

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import pytest

from convenant import toegang
from convenant.management.commands.bootstrap import laad_referentiedata
from convenant.models import Convenant
from gemeenten.models import Gemeente
from jaarplannen.models import (
    Activiteit,
    Bevinding,
    ConvenantEvaluatie,
    Evaluatie,
    Jaarplan,
    KalenderToken,
    Projectblad,
)
from overeenkomsten.bundels import maak_pdf_bundel
from overeenkomsten.constants import BundelStatus, DocumentSoort
from overeenkomsten.models import PdfBundel, Samenwerkingsovereenkomst

from .bureau import maak_document, maak_gebruiker, zorg_voor_rollen

LOGIN = "login"
ELDERS = "elders"

S, R, L, C = "secretariaat", "relatiemanager", "lezer", "coordinator"
STAF, BUITEN, ANONIEM = "staf", "buiten", "anoniem"
ROLLEN = [S, R, L, C, STAF, BUITEN, ANONIEM]
GROEPEN = {S: toegang.SECRETARIAAT, R: toegang.RELATIEMANAGER, L: toegang.LEZER, C: toegang.COORDINATOR}
ALLE_DRIE = {S, R, L}  # the groups that see every municipality


def rij(s, r, l, c, staf=403, buiten=403, anoniem=LOGIN):  # noqa: E741
    """One row: the four groups, staff without a group, a non-staff account, anonymous."""
    return {S: s, R: r, L: l, C: c, STAF: staf, BUITEN: buiten, ANONIEM: anoniem}


def admin_rij(s, r, l, c, staf=403, buiten=LOGIN, anoniem=LOGIN):  # noqa: E741
    """In the admin a non-staff account is sent to the admin's login page."""
    return rij(s, r, l, c, staf, buiten, anoniem)


ALLE_STAF = admin_rij(ELDERS, ELDERS, ELDERS, ELDERS, staf=ELDERS)

# --- the table -----------------------------------------------------------------------------
VERWACHT = {
    # the desk
    "home": rij(200, 200, 200, ELDERS),  # a coördinator is sent to their own page (/mijn-gemeente/)
    "mijn_gemeente": rij(ELDERS, ELDERS, ELDERS, 200),  # the coördinator's page; the others go to the desk
    "herinneringen": rij(403, 200, 403, 403),  # reminders: who may send (the relatiemanager)
    # reports and Bijlage 3 list all 41 cities' amounts: refused for a coördinator (README)
    "rapportages:index": rij(200, 200, 200, 403),
    "rapportages:overzicht": rij(200, 200, 200, 403),
    "rapportages:factuurlijst": rij(200, 200, 200, 403),
    "rapportages:vergelijking": rij(200, 200, 200, 403),
    "overeenkomsten:bijlage3_nieuwste": rij(ELDERS, ELDERS, ELDERS, 403),
    "overeenkomsten:bijlage3": rij(200, 200, 200, 403),
    "overeenkomsten:bijlage3_pdf": rij(200, 200, 200, 403),
    # one agreement (the coördinator's own municipality); staff without a group finds nothing
    "overeenkomsten:pdf": rij(200, 200, 200, 200, staf=404),
    "overeenkomsten:voorbeeld": rij(200, 200, 200, 200, staf=404),
    "overeenkomsten:voorbeeld_png": rij(200, 200, 200, 200, staf=404),
    # a background ZIP of agreement PDFs: whoever may see every agreement in it (here Deventer's own)
    "overeenkomsten:bundel": rij(200, 200, 200, 200, staf=404),
    "overeenkomsten:bundel_zip": rij(200, 200, 200, 200, staf=404),
    # stored documents: not for the Lezer
    "overeenkomsten:document": rij(200, 200, 403, 200),
    # jaarplannen and the calendar: not for a coördinator
    "jaarplannen:kalender": rij(200, 200, 200, 403),
    "jaarplannen:kalender_abonnement": rij(405, 405, 405, 403),  # POST only
    "jaarplannen:kalender_ics": rij(200, 200, 200, 403),
    "jaarplannen:jaarplan_pdf": rij(200, 200, 200, 403),
    "jaarplannen:projectblad_pdf": rij(200, 200, 200, 403),
    # the admin's own pages
    "admin:index": admin_rij(200, 200, 200, 200, staf=200),
    "admin:login": admin_rij(ELDERS, ELDERS, ELDERS, ELDERS, staf=ELDERS, buiten=200, anoniem=200),
    # the same page, in front of it: without a `next` the login lands on the desk (config/urls.py)
    "admin/login/": admin_rij(ELDERS, ELDERS, ELDERS, ELDERS, staf=ELDERS, buiten=200, anoniem=200),
    "admin:logout": admin_rij(405, 405, 405, 405, staf=405, buiten=ELDERS, anoniem=ELDERS),  # POST only
    "admin:password_change": admin_rij(200, 200, 200, 200, staf=200),
    "admin:password_change_done": admin_rij(200, 200, 200, 200, staf=200),
    "admin:autocomplete": admin_rij(403, 403, 403, 403),  # without its parameters
    "admin:jsi18n": admin_rij(200, 200, 200, 200, staf=200),
    "admin:view_on_site": admin_rij(404, 404, 404, 404, staf=404),  # no model has a public page
    "admin:app_list": admin_rij(200, 200, 200, 200, staf=404),  # /admin/overeenkomsten/
    "admin/(?P<url>.*)$": admin_rij(404, 404, 404, 404, staf=404),  # unknown admin address
    # agreements: workflow steps and the correction have their own permission
    "admin:overeenkomsten_samenwerkingsovereenkomst_overgang": admin_rij(403, ELDERS, 403, 403),  # verzenden
    "admin:overeenkomsten_samenwerkingsovereenkomst_correctie": admin_rij(200, 403, 403, 403),
    # the register import and undoing a step: registreer_status (the secretariaat)
    "admin:overeenkomsten_samenwerkingsovereenkomst_register": admin_rij(200, 403, 403, 403),
    "admin:overeenkomsten_samenwerkingsovereenkomst_terugdraaien": admin_rij(200, 403, 403, 403),
    # what is still missing, for all cities: not for a coördinator
    "admin:overeenkomsten_samenwerkingsovereenkomst_ontbrekend": admin_rij(200, 200, 200, 403),
    # the CBS import needs add and change on inhabitants: the secretariaat and the relatiemanager (issue 10)
    "admin:gemeenten_inwonertal_importeer": admin_rij(200, 200, 403, 403),
    # open to everyone: the health check and the password reset (issue 9, item 4/5)
    "gezond": rij(200, 200, 200, 200, staf=200, buiten=200, anoniem=200),
    "admin_password_reset": rij(200, 200, 200, 200, staf=200, buiten=200, anoniem=200),
    "password_reset_done": rij(200, 200, 200, 200, staf=200, buiten=200, anoniem=200),
    "password_reset_confirm": rij(200, 200, 200, 200, staf=200, buiten=200, anoniem=200),  # an invalid link
    "password_reset_complete": rij(200, 200, 200, 200, staf=200, buiten=200, anoniem=200),
    # Open like the password-reset link (the account cannot log in yet); with an invalid token it
    # shows only that the link is invalid (tests/test_tweestaps_uitnodiging.py: a valid one).
    "tweestaps_instellen": rij(200, 200, 200, 200, staf=200, buiten=200, anoniem=200),
    # invoices (issue 11): a coördinator gets the own municipality's invoice; the list of all is a report
    "facturen:pdf": rij(200, 200, 200, 200),
    "facturen:xml": rij(200, 200, 200, 200),
    "rapportages:facturen": rij(200, 200, 200, 403),
    "admin:facturen_factureren": admin_rij(403, 200, 403, 403),  # making invoices: Platform31
    "admin:facturen_overschot": admin_rij(403, 200, 403, 403),  # settling the surplus: crediting
    # two-factor devices: an administrator's (and the account's own enrolment, beheer.tweestaps)
    "admin:otp_totp_totpdevice_config": admin_rij(403, 403, 403, 403),
    "admin:otp_totp_totpdevice_qrcode": admin_rij(403, 403, 403, 403),
}


@dataclass
class Rechten:
    """Who has the model's view, add, change permission (no group may delete)."""

    zien: set = field(default_factory=set)
    toevoegen: set = field(default_factory=set)
    wijzigen: set = field(default_factory=set)


JAARPLANWERK = Rechten(ALLE_DRIE, {S}, {S})
ADMIN_MODELLEN = {
    "auth.user": Rechten(),
    "auth.group": Rechten(),
    "convenant.organisatie": Rechten(ALLE_DRIE),
    "convenant.persoon": Rechten(ALLE_DRIE, {S, R}, {S, R}),  # issue 10: persons and their account
    "convenant.convenant": Rechten(ALLE_DRIE),
    "convenant.pijler": Rechten(ALLE_DRIE),
    "convenant.themagroep": Rechten(ALLE_DRIE),
    "gemeenten.gemeente": Rechten(ALLE_DRIE, set(), {S, R}),  # address, seat, G40 contact
    "gemeenten.inwonertal": Rechten(ALLE_DRIE, {S, R}, {S, R}),  # CBS figures
    "overeenkomsten.samenwerkingsovereenkomst": Rechten(ALLE_DRIE | {C}, {R}, {R}),
    "overeenkomsten.overeenkomstdocument": Rechten({S, R, C}),
    "jaarplannen.jaarplan": JAARPLANWERK,
    "jaarplannen.activiteit": JAARPLANWERK,
    "jaarplannen.evaluatie": JAARPLANWERK,
    "jaarplannen.bevinding": JAARPLANWERK,
    "jaarplannen.convenantevaluatie": JAARPLANWERK,
    "jaarplannen.projectblad": Rechten(ALLE_DRIE),
    "jaarplannen.kalendertoken": Rechten(),  # an administrator's
    # invoices: made by actions, never typed in (no add); a concept's dates and references by Platform31
    "facturen.factuur": Rechten(ALLE_DRIE | {C}, set(), {R}),
    "facturen.btwtarief": Rechten(ALLE_DRIE),
    "facturen.factuurgegevens": Rechten(ALLE_DRIE, {R}, {R}),
    "facturen.nummerreeks": Rechten(ALLE_DRIE),
    "facturen.overschotverrekening": Rechten(ALLE_DRIE),
    "facturen.extrabijdrage": Rechten(ALLE_DRIE, {S, R}, {S, R}),
    # login protection and second factors: an administrator's
    "axes.accessattempt": Rechten(),
    "axes.accesslog": Rechten(),
    "axes.accessfailurelog": Rechten(),
    "otp_totp.totpdevice": Rechten(),
    "otp_static.staticdevice": Rechten(),
    # background tasks (django-tasks-db's own admin): an administrator's
    "django_tasks_database.dbtaskresult": Rechten(),
}


def _admin_regel(model: str, pagina: str):
    """The outcome row of a standard admin page of `model`, from its Rechten."""
    rechten = ADMIN_MODELLEN[model]

    def per_rol(mag):
        return admin_rij(*(200 if mag(rol) else 403 for rol in (S, R, L, C)))

    match pagina:
        case "changelist" | "history" | "simple_history" | "export":
            return per_rol(lambda rol: rol in rechten.zien or rol in rechten.wijzigen)
        case "change":  # read-only for who may only view
            return per_rol(lambda rol: rol in rechten.zien or rol in rechten.wijzigen)
        case "add":
            return per_rol(lambda rol: rol in rechten.toevoegen)
        case "import":  # creates and overwrites: add and change
            return per_rol(lambda rol: rol in rechten.toevoegen and rol in rechten.wijzigen)
        case "process_import":  # a POST step: GET is refused before anything (a POST checks the permission)
            return admin_rij(405, 405, 405, 405, staf=405)
        case "delete":
            return per_rol(lambda rol: False)
        case "object":  # /admin/app/model/<id>/ redirects to the change page
            return ALLE_STAF
        case "password_change":  # auth.user's set-password page
            return per_rol(lambda rol: rol in rechten.wijzigen)
    return None


# --- the world the URLs are filled from -----------------------------------------------------

@dataclass
class Wereld:
    ov: Samenwerkingsovereenkomst  # the coördinator's own
    ander: Samenwerkingsovereenkomst  # another municipality's
    document: object
    document_ander: object
    jaarplan: Jaarplan
    projectblad: Projectblad
    gebruikers: dict
    objecten: dict  # "app.model" -> an object for admin URLs
    media: object  # MEDIA_ROOT of the module's documents
    factuur: object = None  # an invoice of the coördinator's municipality
    bundel: object = None  # a finished PDF bundle (ZIP) of the coördinator's own agreement


@pytest.fixture(autouse=True)
def _media_van_de_wereld(request, settings):
    if "wereld" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("wereld").media


def _admin_objecten(w_ov, document, gebruikers) -> dict:
    from django.apps import apps

    objecten = {}
    for sleutel in ADMIN_MODELLEN:
        model = apps.get_model(sleutel)
        objecten[sleutel] = model._default_manager.order_by("pk").first()
    objecten["overeenkomsten.samenwerkingsovereenkomst"] = w_ov
    objecten["gemeenten.gemeente"] = w_ov.gemeente
    objecten["gemeenten.inwonertal"] = w_ov.gemeente.inwonertallen.order_by("pk").first()
    objecten["overeenkomsten.overeenkomstdocument"] = document
    objecten["auth.user"] = gebruikers[S]
    from facturen.models import Factuur

    objecten["facturen.factuur"] = Factuur.objects.filter(gemeente=w_ov.gemeente).first()
    return objecten


def _maak_factuur_en_meer(ov, gebruikers):
    """An invoice (concept) for the coördinator's municipality, and one row of every admin model."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from facturen import services
    from facturen.constants import FactuurSoort
    from facturen.models import ExtraBijdrage, Factuurgegevens, Overschotverrekening

    factuur = services._nieuwe_factuur(
        [services.jaarbijdrage_regel(ov, 2024)], soort=FactuurSoort.JAARBIJDRAGE, convenant=ov.convenant,
        jaar=2024, gemeente=ov.gemeente, overeenkomst=ov, factuurdatum=datetime.date(2024, 1, 10),
        omschrijving="Bijdrage 2024",
    )
    Factuurgegevens.objects.create(gemeente=ov.gemeente)
    Overschotverrekening.objects.create(convenant=ov.convenant, jaar=2027, bedrag=1,
                                        vastgesteld_op=datetime.date(2027, 6, 1))
    ExtraBijdrage.objects.create(convenant=ov.convenant, jaar=2024, omschrijving="Extra",
                                 bedrag_per_stad=100, activiteit=Activiteit.objects.order_by("pk").first())
    gegevens = {"user_agent": "test", "ip_address": "127.0.0.1", "username": "iemand", "http_accept": "*/*",
                "path_info": "/admin/login/"}
    AccessAttempt.objects.create(**gegevens, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**gegevens)
    AccessFailureLog.objects.create(**gegevens)
    TOTPDevice.objects.create(user=gebruikers[S], name="telefoon")
    StaticDevice.objects.create(user=gebruikers[S], name="noodcodes")
    return factuur


@pytest.fixture(scope="module")
def wereld(django_db_setup, django_db_blocker, tmp_path_factory):
    """One database setup for the whole module, rolled back at its end."""
    media = tmp_path_factory.mktemp("roltabel-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        from django.contrib.auth import get_user_model

        User = get_user_model()
        zorg_voor_rollen()
        laad_referentiedata()
        ov = Samenwerkingsovereenkomst.objects.get(convenant__slug="2023-2027", gemeente__naam="Deventer")
        ander = Samenwerkingsovereenkomst.objects.get(convenant__slug="2023-2027", gemeente__naam="Almere")
        gebruikers = {
            S: maak_gebruiker(User, toegang.SECRETARIAAT, "rt-secretaris"),
            R: maak_gebruiker(User, toegang.RELATIEMANAGER, "rt-relatiemanager"),
            L: maak_gebruiker(User, toegang.LEZER, "rt-lezer"),
            C: maak_gebruiker(User, toegang.COORDINATOR, "rt-coordinator", gemeente=ov.gemeente),
            STAF: User.objects.create_user("rt-staf", "staf@example.org", "pw-test-123", is_staff=True),
            BUITEN: User.objects.create_user("rt-buiten", "buiten@example.org", "pw-test-123"),
        }
        gebruikers[BUITEN].user_permissions.add(Permission.objects.get(
            codename="view_samenwerkingsovereenkomst", content_type__app_label="overeenkomsten"))
        document = maak_document(ov, DocumentSoort.VERZONDEN)
        document_ander = maak_document(ander, DocumentSoort.VERZONDEN)
        plan = Jaarplan.objects.order_by("jaar").first()
        oud = Convenant.objects.get(slug="2019-2022")
        blad = Projectblad.objects.create(convenant=oud, jaar=2021, titel="Proef", product="Rapport",
                                          planning="2021")
        evaluatie = Evaluatie.objects.create(jaarplan=plan, moment="juli", datum=datetime.date(2023, 7, 10))
        Bevinding.objects.create(evaluatie=evaluatie, tekst="Meer bijeenkomsten")
        ConvenantEvaluatie.objects.create(convenant=oud, datum=datetime.date(2022, 5, 1))
        KalenderToken.voor(gebruikers[S])
        factuur = _maak_factuur_en_meer(ov, gebruikers)
        bundel = PdfBundel.objects.create(aangevraagd_door=gebruikers[R], overeenkomsten=[ov.pk], totaal=1,
                                          klaar=1, status=BundelStatus.KLAAR)
        bundel.bestand.save("bundel.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
        maak_pdf_bundel.enqueue(str(bundel.pk))  # a row for the task admin's pages (never run here)
        yield Wereld(
            ov=ov, ander=ander, document=document, document_ander=document_ander, jaarplan=plan,
            projectblad=blad, gebruikers=gebruikers, objecten=_admin_objecten(ov, document, gebruikers),
            media=media, factuur=factuur, bundel=bundel,
        )
        transaction.set_rollback(True)


# --- walking the resolver ------------------------------------------------------------------

@dataclass
class Patroon:
    sleutel: str  # "namespace:name", or the route for an unnamed pattern
    naam: str | None
    route: str
    pattern: URLPattern
    model: str | None  # "app.model" for an admin model's page
    pagina: str | None  # "changelist", "change", ... for an admin model's page


def _patronen(resolver=None, prefix="", ns="", model=None):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            sub_ns = ":".join(x for x in (ns, p.namespace) if x)
            sub_model = model
            if ns == "admin" and (m := re.fullmatch(r"(\w+)/(\w+)/", str(p.pattern))):
                sub_model = f"{m[1]}.{m[2]}"
            yield from _patronen(p, prefix + str(p.pattern), sub_ns, sub_model)
            continue
        naam = f"{ns}:{p.name}" if ns and p.name else p.name
        pagina = None
        if model:
            app, mod = model.split(".")
            pagina = p.name.removeprefix(f"{app}_{mod}_") if p.name else "object"
        yield Patroon(naam or prefix + str(p.pattern), naam, prefix + str(p.pattern), p, model, pagina)


def _verwacht(patroon: Patroon):
    if patroon.sleutel in VERWACHT:
        return VERWACHT[patroon.sleutel]
    if patroon.model in ADMIN_MODELLEN:
        return _admin_regel(patroon.model, patroon.pagina)
    return None


def _waarden(patroon: Patroon, w: Wereld) -> dict:
    """The value of each parameter of a pattern, from the world."""
    obj = w.objecten.get(patroon.model) if patroon.model else None
    per_naam = {
        "overeenkomsten:pdf": {"pk": w.ov.pk},
        "overeenkomsten:voorbeeld": {"pk": w.ov.pk},
        "overeenkomsten:voorbeeld_png": {"pk": w.ov.pk},
        "overeenkomsten:bundel": {"pk": w.bundel.pk},
        "overeenkomsten:bundel_zip": {"pk": w.bundel.pk},
        "overeenkomsten:document": {"pk": w.document.pk},
        "overeenkomsten:bijlage3": {"slug": "2023-2027"},
        "overeenkomsten:bijlage3_pdf": {"slug": "2023-2027"},
        "jaarplannen:jaarplan_pdf": {"pk": w.jaarplan.pk},
        "jaarplannen:projectblad_pdf": {"pk": w.projectblad.pk},
        "rapportages:overzicht": {"convenant": "2023-2027"},
        "herinneringen": {"convenant": "2023-2027"},
        "facturen:pdf": {"pk": w.factuur.pk},
        "facturen:xml": {"pk": w.factuur.pk},
        "password_reset_confirm": {"uidb64": "MQ", "token": "ongeldig-token"},
        "tweestaps_instellen": {"token": "ongeldig-token"},
        "admin:otp_totp_totpdevice_config": {"pk": w.objecten["otp_totp.totpdevice"].pk},
        "admin:otp_totp_totpdevice_qrcode": {"pk": w.objecten["otp_totp.totpdevice"].pk},
        "admin:overeenkomsten_samenwerkingsovereenkomst_overgang": {"overgang": "verzenden"},
        "admin:overeenkomsten_samenwerkingsovereenkomst_correctie": {"pk": w.ov.pk},
        "admin:overeenkomsten_samenwerkingsovereenkomst_terugdraaien": {"pk": w.ov.pk, "stap": "ontvangen"},
        "admin:overeenkomsten_samenwerkingsovereenkomst_ontbrekend": {"convenant": "2023-2027"},
        "admin:app_list": {"app_label": "overeenkomsten"},
        "admin:view_on_site": {
            "content_type_id": ContentType.objects.get_for_model(Gemeente).pk, "object_id": w.ov.gemeente_id,
        },
        "admin/(?P<url>.*)$": {"url": "bestaat-niet/"},
    }
    if patroon.sleutel in per_naam:
        return per_naam[patroon.sleutel]
    if obj is not None:
        return {"object_id": obj.pk, "id": obj.pk}
    return {}


def _url(patroon: Patroon, w: Wereld) -> str:
    waarden = _waarden(patroon, w)
    regex = patroon.pattern.pattern.regex
    if patroon.pagina == "simple_history":  # two unnamed groups: object id and history id
        obj = w.objecten[patroon.model]
        return reverse(patroon.naam, args=[obj.pk, obj.history.order_by("history_id").first().history_id])
    benodigd = list(regex.groupindex)
    ontbreekt = [n for n in benodigd if n not in waarden]
    if ontbreekt:
        raise LookupError(f"{patroon.sleutel}: geen waarde voor {', '.join(ontbreekt)} (vul WAARDEN aan)")
    kwargs = {n: waarden[n] for n in benodigd}
    if patroon.naam:
        return reverse(patroon.naam, kwargs=kwargs)
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m[1]]), patroon.route)
    if "(?P<url>" in url:
        url = "admin/" + str(kwargs["url"])
    return "/" + url


def _uitkomst(response):
    if response.status_code == 302:
        doel = response["Location"]
        return LOGIN if doel.startswith(reverse("admin:login")) else ELDERS
    return response.status_code


def test_elk_patroon_staat_in_de_tabel():
    """A URL pattern nobody decided about fails here, by name."""
    zonder = [p.sleutel for p in _patronen() if _verwacht(p) is None]
    assert not zonder, "URL-patronen zonder regel in de roltabel (tests/test_roltabel.py): " + ", ".join(zonder)


def test_tabel_heeft_geen_verouderde_regels():
    bekend = {p.sleutel for p in _patronen()}
    assert not set(VERWACHT) - bekend, f"regels voor niet-bestaande URL's: {sorted(set(VERWACHT) - bekend)}"


@pytest.mark.parametrize("rol", ROLLEN)
def test_roltabel(rol, wereld, client, db):
    if rol != ANONIEM:
        client.force_login(wereld.gebruikers[rol])
    afwijkingen = []
    for patroon in _patronen():
        verwacht = _verwacht(patroon)
        if verwacht is None:
            afwijkingen.append(f"{patroon.sleutel}: staat niet in de roltabel")
            continue
        url = _url(patroon, wereld)
        kreeg = _uitkomst(client.get(url))
        if kreeg != verwacht[rol]:
            afwijkingen.append(f"{patroon.sleutel} ({url}): verwacht {verwacht[rol]}, kreeg {kreeg}")
    assert not afwijkingen, f"{rol}:\n" + "\n".join(afwijkingen)


# --- a coördinator and another municipality ------------------------------------------------

def test_coordinator_ziet_geen_andere_gemeente(wereld, client, db):
    client.force_login(wereld.gebruikers[C])
    ander = wereld.ander
    for url in [
        reverse("overeenkomsten:pdf", args=[ander.pk]),
        reverse("overeenkomsten:voorbeeld", args=[ander.pk]),
        reverse("overeenkomsten:voorbeeld_png", args=[ander.pk]),
        reverse("overeenkomsten:document", args=[wereld.document_ander.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    info = "admin:overeenkomsten_samenwerkingsovereenkomst"
    antwoord = client.get(reverse(f"{info}_change", args=[ander.pk]))
    # Django's admin answers an object outside the queryset with a redirect and a message
    assert antwoord.status_code == 302 and antwoord["Location"] == reverse("admin:index")
    # simple-history's history page looks past the queryset; the object permission refuses it
    assert client.get(reverse(f"{info}_history", args=[ander.pk])).status_code == 403
    historie = ander.history.order_by("history_id").first().history_id
    assert client.get(reverse(f"{info}_simple_history", args=[ander.pk, historie])).status_code in (403, 404)
    lijst = client.get(reverse(f"{info}_changelist"))
    assert {o.pk for o in lijst.context["cl"].result_list} == set(
        Samenwerkingsovereenkomst.objects.filter(gemeente=wereld.ov.gemeente).values_list("pk", flat=True))
    assert len(lijst.context["cl"].result_list) == 2  # Deventer under both convenants
    doc = client.get(reverse("admin:overeenkomsten_overeenkomstdocument_changelist"))
    assert [d.pk for d in doc.context["cl"].result_list] == [wereld.document.pk]


def test_coordinator_met_gemeenterechten_blijft_bij_eigen_gemeente(wereld, client, db):
    """Should a coördinator get view rights on municipality data, the admin still shows only their own."""
    user = wereld.gebruikers[C]
    for codename in ("view_gemeente", "view_inwonertal", "view_persoon"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(user)
    eigen = wereld.ov.gemeente
    lijst = client.get(reverse("admin:gemeenten_gemeente_changelist"))
    assert [g.pk for g in lijst.context["cl"].result_list] == [eigen.pk]
    tallen = client.get(reverse("admin:gemeenten_inwonertal_changelist"))
    assert {i.gemeente_id for i in tallen.context["cl"].result_list} == {eigen.pk}
    personen = client.get(reverse("admin:convenant_persoon_changelist"))
    assert {p.gemeente_id for p in personen.context["cl"].result_list} == {eigen.pk}
    ander = wereld.ander.gemeente
    assert client.get(reverse("admin:gemeenten_gemeente_change", args=[ander.pk])).status_code == 302
    assert client.get(reverse("admin:gemeenten_gemeente_history", args=[ander.pk])).status_code == 403
    historie = ander.history.order_by("history_id").first().history_id
    assert client.get(
        reverse("admin:gemeenten_gemeente_simple_history", args=[ander.pk, historie])).status_code == 403
    assert client.get(reverse("admin:gemeenten_gemeente_change", args=[eigen.pk])).status_code == 200
    # the export holds only what the user may see
    export = client.post(reverse("admin:gemeenten_inwonertal_export"), {"format": "0", "resource": "0"})
    if export.status_code == 200 and export.get("Content-Disposition", "").startswith("attachment"):
        tekst = export.content.decode("utf-8")
        assert ander.naam not in tekst and eigen.naam in tekst


def test_import_en_export_vragen_modelrechten(wereld, client, db):
    """Staff without a group could import activities and export inhabitants: no longer."""
    client.force_login(wereld.gebruikers[STAF])
    assert client.get(reverse("admin:jaarplannen_activiteit_import")).status_code == 403
    assert client.post(reverse("admin:jaarplannen_activiteit_process_import"), {}).status_code == 403
    assert client.get(reverse("admin:jaarplannen_activiteit_export")).status_code == 403
    assert client.post(reverse("admin:gemeenten_inwonertal_export"), {"format": "0"}).status_code == 403
    # a Lezer may export (view) but not import (add + change)
    client.force_login(wereld.gebruikers[L])
    assert client.get(reverse("admin:jaarplannen_activiteit_import")).status_code == 403
    assert client.get(reverse("admin:jaarplannen_activiteit_export")).status_code == 200
    lijst = client.get(reverse("admin:jaarplannen_activiteit_changelist"))
    assert lijst.context["has_import_permission"] is False
    assert lijst.context["has_export_permission"] is True


def test_staf_status_ingetrokken_sluit_alles_af(wereld, client, db):
    """A user whose staff status is removed loses PDFs, previews, Bijlage 3 and the calendar at once."""
    user = wereld.gebruikers[S]
    client.force_login(user)
    urls = [
        reverse("overeenkomsten:pdf", args=[wereld.ov.pk]), reverse("overeenkomsten:voorbeeld", args=[wereld.ov.pk]),
        reverse("overeenkomsten:bijlage3", args=["2023-2027"]), reverse("jaarplannen:kalender"),
        reverse("jaarplannen:kalender_ics"), reverse("overeenkomsten:document", args=[wereld.document.pk]),
    ]
    assert client.get(reverse("jaarplannen:kalender")).status_code == 200
    type(user).objects.filter(pk=user.pk).update(is_staff=False)
    for url in urls:
        assert client.get(url).status_code == 403, url
    token = KalenderToken.objects.get(gebruiker=user)
    assert client.get(reverse("jaarplannen:kalender_ics"), {"token": token.token}).status_code == 404
