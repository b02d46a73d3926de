"""Bad input, round two (issue 9): bounds, formulas, crafted parameters, --out, active PDFs."""

import csv
import datetime
import io
import zlib
from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse

import openpyxl
import pytest
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from convenant import rules
from convenant.formules import VeiligCSV, VeiligXLSX, neutraliseer
from convenant.pdfcontrole import actieve_inhoud, controleer_scan
from gemeenten import importeren
from gemeenten.models import Gemeente, Inwonertal
from overeenkomsten import rapportages, resources, workflow
from overeenkomsten.documenten import controleer_pdf
from overeenkomsten.models import Samenwerkingsovereenkomst
from overeenkomsten.workflow_forms import CorrectieForm

pytestmark = pytest.mark.django_db

TE_VEEL = 10**12


def deventer(slug="2023-2027"):
    return Samenwerkingsovereenkomst.objects.get(convenant__slug=slug, gemeente__naam="Deventer")


# --- plausibility bound on inhabitants --------------------------------------------------------

def test_grootste_toegestane_bedrag_past_in_zijn_kolom():
    veld = Samenwerkingsovereenkomst._meta.get_field("bedrag_per_jaar")
    grootste = rules.jaarbedrag(rules.MAX_INWONERS, rules.MAX_BIJDRAGE_PER_INWONER)
    cijfers = len(grootste.as_tuple().digits)
    assert grootste == Decimal("20000000.00")
    assert cijfers <= veld.max_digits and -grootste.as_tuple().exponent == veld.decimal_places
    # and the rate's own column holds its bound
    tarief = Samenwerkingsovereenkomst._meta.get_field("bijdrage_per_inwoner")
    assert len(rules.MAX_BIJDRAGE_PER_INWONER.as_tuple().digits) <= tarief.max_digits


def test_modelvalidatie_weigert_te_veel_inwoners(referentiedata):
    rij = Inwonertal.objects.filter(gemeente__naam="Deventer").first()
    rij.aantal = TE_VEEL
    with pytest.raises(ValidationError) as fout:
        rij.full_clean()
    assert "aantal" in fout.value.message_dict and "plausibel" in fout.value.message_dict["aantal"][0]
    ov = deventer()
    ov.inwoners = rules.MAX_INWONERS + 1
    with pytest.raises(ValidationError) as fout:
        ov.full_clean()
    assert "inwoners" in fout.value.message_dict
    ov.inwoners, ov.bijdrage_per_inwoner = 100, Decimal("10.01")
    with pytest.raises(ValidationError) as fout:
        ov.full_clean()
    assert "bijdrage_per_inwoner" in fout.value.message_dict


def test_database_weigert_te_veel_inwoners_in_beide_tabellen(referentiedata):
    rij = Inwonertal.objects.filter(gemeente__naam="Deventer").first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Inwonertal.objects.filter(pk=rij.pk).update(aantal=rules.MAX_INWONERS + 1)
    ov = deventer()
    with pytest.raises(IntegrityError), transaction.atomic():
        Samenwerkingsovereenkomst.objects.filter(pk=ov.pk).update(inwoners=rules.MAX_INWONERS + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Samenwerkingsovereenkomst.objects.filter(pk=ov.pk).update(bijdrage_per_inwoner=Decimal("10.01"))
    Inwonertal.objects.filter(pk=rij.pk).update(aantal=rules.MAX_INWONERS)  # the bound itself is allowed


def test_cbs_import_weigert_de_regel_met_regelnummer(referentiedata):
    inhoud = b"cbs_code,inwoners\nGM0150,101446\nGM0034,1000000000000\n"
    voorstel = importeren.importeer(inhoud, "cbs.csv", datetime.date(2022, 1, 1), opslaan=True)
    assert not voorstel.geldig
    tekst = [str(f) for f in voorstel.fouten]
    assert any("3" in t and "plausibel" in t and "Almere" in t for t in tekst), tekst
    assert not Inwonertal.objects.filter(aantal__gt=rules.MAX_INWONERS).exists()


def test_importeer_inwoners_commando_weigert(referentiedata, tmp_path):
    bestand = tmp_path / "cbs.csv"
    bestand.write_text("cbs_code,inwoners\nGM0150,1000000000000\n", encoding="utf-8")
    with pytest.raises(CommandError) as fout:
        call_command("importeer_inwoners", str(bestand), "--peildatum", "2022-01-01")
    assert "plausibel" in str(fout.value) or "fout" in str(fout.value).lower()
    assert not Inwonertal.objects.filter(aantal__gt=rules.MAX_INWONERS).exists()


def test_correctieformulier_en_workflow_weigeren(referentiedata):
    form = CorrectieForm({"inwoners": "1.000.000.000.000", "reden": "typefout"})
    assert not form.is_valid() and "plausibel" in form.errors["inwoners"][0]
    ov = deventer()
    with pytest.raises(ValidationError) as fout:
        workflow.corrigeer_inwoners(ov, TE_VEEL, "typefout")
    assert "plausibel" in " ".join(fout.value.messages)
    ov.refresh_from_db()
    assert ov.inwoners == 101446


def test_admin_inline_weigert_te_veel_inwoners(referentiedata, beheerder_client):
    from .bureau import formulierdata

    gemeente = Gemeente.objects.get(naam="Deventer")
    url = reverse("admin:gemeenten_gemeente_change", args=[gemeente.pk])
    data = formulierdata(beheerder_client.get(url))
    data["inwonertallen-0-aantal"] = str(TE_VEEL)
    antwoord = beheerder_client.post(url, data)
    assert antwoord.status_code == 200  # the form again, with the error
    assert "plausibel" in antwoord.content.decode()
    assert not Inwonertal.objects.filter(aantal__gt=rules.MAX_INWONERS).exists()


# --- formulas in CSV and XLSX ----------------------------------------------------------------

@pytest.mark.parametrize("waarde,verwacht", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-1+2", "'-1+2"),
    ("@SUM(1)", "'@SUM(1)"), ("\t=1", "'\t=1"), ("Deventer", "Deventer"), (Decimal("-5.00"), Decimal("-5.00")),
    (-3, -3), (None, None),
])
def test_neutraliseer(waarde, verwacht):
    assert neutraliseer(waarde) == verwacht


def _cellen(xlsx: bytes):
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    return [c for rij in wb.active.iter_rows() for c in rij]


def test_eigen_schrijver_neutraliseert_en_houdt_getallen(referentiedata):
    kolommen = [rapportages.Kolom("naam", "naam"), rapportages.Kolom("bedrag", "bedrag", rapportages.BEDRAG)]
    tabel = rapportages.Tabel("proef", "proef", kolommen, [
        {"naam": "=HYPERLINK(\"http://x\",\"klik\")", "bedrag": Decimal("-12.50")},
        {"naam": "@SUM(1)", "bedrag": Decimal("3.00")},
    ])
    cellen = _cellen(resources.als_xlsx(tabel))
    assert not [c for c in cellen if c.data_type == "f"]
    teksten = [c.value for c in cellen if isinstance(c.value, str)]
    assert "'=HYPERLINK(\"http://x\",\"klik\")" in teksten and "'@SUM(1)" in teksten
    getallen = [c for c in cellen if c.data_type == "n" and c.value is not None]
    assert [c.value for c in getallen] == [-12.5, 3]
    tekst = resources.als_csv(tabel).decode()
    assert "'=HYPERLINK" in tekst and "'@SUM(1)" in tekst and ",-12.50" in tekst


def _admin_export(client, model_url, formaat_klasse):
    formulier = client.get(reverse(model_url)).context["form"]
    data = {"resource": "0"}
    for naam, veld in formulier.fields.items():
        if isinstance(veld, forms.BooleanField):
            data[naam] = "on"
    keuzes = dict(formulier.fields["format"].choices)
    data["format"] = next(k for k, v in keuzes.items() if v == formaat_klasse().get_title())
    antwoord = client.post(reverse(model_url), data)
    assert antwoord.status_code == 200 and "attachment" in antwoord["Content-Disposition"]
    return antwoord.content


def test_importexport_exports_neutraliseren(referentiedata, beheerder_client):
    """An uploaded file name (the inhabitants' source) and a typed title never become formulas."""
    from jaarplannen.models import Activiteit

    Inwonertal.objects.filter(gemeente__naam="Deventer").update(bron="@SUM(1)")
    Inwonertal.objects.filter(gemeente__naam="Almere").update(bron="=HYPERLINK(\"http://x\")")
    Activiteit.objects.filter(pk=Activiteit.objects.order_by("pk").first().pk).update(titel="=1+1")

    for url in ("admin:gemeenten_inwonertal_export", "admin:jaarplannen_activiteit_export"):
        cellen = _cellen(_admin_export(beheerder_client, url, VeiligXLSX))
        assert not [c.coordinate for c in cellen if c.data_type == "f"], url
        gevaarlijk = [c.value for c in cellen if isinstance(c.value, str) and c.value[:1] in "=+-@"]
        assert not gevaarlijk, (url, gevaarlijk)
        tekst = _admin_export(beheerder_client, url, VeiligCSV).decode()
        waarden = [v for rij in csv.reader(io.StringIO(tekst)) for v in rij]
        assert "'=1+1" in waarden or "'@SUM(1)" in waarden, url
        assert not [v for v in waarden if v[:1] in ("=", "+", "-", "@")], url
    cellen = _cellen(_admin_export(beheerder_client, "admin:gemeenten_inwonertal_export", VeiligXLSX))
    teksten = [c.value for c in cellen if isinstance(c.value, str)]
    assert "'@SUM(1)" in teksten and "'=HYPERLINK(\"http://x\")" in teksten
    assert any(c.data_type == "n" and c.value == 101446 for c in cellen)  # numbers stay numbers


def test_elke_exportmogelijkheid_gebruikt_veilige_formaten():
    """Any admin with import-export's export (also a future one) writes through the neutralising formats."""
    from import_export.admin import ExportMixin

    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, ExportMixin):
            formaten = model_admin.get_export_formats()
            assert formaten and all(issubclass(f, VeiligCSV | VeiligXLSX) for f in formaten), model


def test_commando_export_neutraliseert(referentiedata, tmp_path):
    ov = deventer()
    Samenwerkingsovereenkomst.objects.filter(pk=ov.pk).update(vertegenwoordiger="=cmd|' /C calc'!A0")
    uit = tmp_path / "o.xlsx"
    call_command("exporteer_overeenkomsten", "--convenant", "2023-2027", "--format", "xlsx", "--out", str(uit))
    cellen = _cellen(uit.read_bytes())
    assert not [c for c in cellen if c.data_type == "f"]


# --- crafted ids and parameters ---------------------------------------------------------------

VREEMD = ["99999999999999999999", "-1", "0", "abc", "1e5", "", " ", "²", "1,2", "x" * 300, "\x00", "' OR 1=1 --",
          "<script>", "../../etc/passwd", "%00", "9" * 40]


def _geen_serverfout(client, url, parameters):
    fouten = []
    for naam in parameters:
        for waarde in VREEMD:
            antwoord = client.get(url, {naam: waarde})
            if antwoord.status_code >= 500:
                fouten.append(f"{url}?{naam}={waarde!r}: {antwoord.status_code}")
    return fouten


def test_geen_serverfout_op_vreemde_parameters(referentiedata, beheerder_client):
    beheerder_client.raise_request_exception = False
    ov = deventer()
    info = "admin:overeenkomsten_samenwerkingsovereenkomst"
    gevallen = [
        (reverse("home"), ["convenant"]),
        (reverse("rapportages:overzicht", args=["2023-2027"]), ["formaat", "x"]),
        (reverse("rapportages:factuurlijst"), ["jaar", "formaat"]),
        (reverse("rapportages:vergelijking"), ["oud", "nieuw", "formaat"]),
        (reverse("overeenkomsten:pdf", args=[ov.pk]), ["versie", "download"]),
        (reverse("jaarplannen:kalender_ics"), ["token"]),
        (reverse(f"{info}_overgang", args=["verzenden"]), ["ids"]),
        (reverse(f"{info}_overgang", args=["scan"]), ["ids"]),
        (reverse(f"{info}_changelist"), ["convenant__id__exact", "status__exact", "o", "p", "q"]),
        (reverse("admin:gemeenten_inwonertal_changelist"), ["peildatum", "peildatum__year", "o"]),
        (reverse("admin:gemeenten_inwonertal_importeer"), ["token"]),
    ]
    fouten = []
    for url, parameters in gevallen:
        fouten += _geen_serverfout(beheerder_client, url, parameters)
    # crafted ids in the path
    for waarde in ["99999999999999999999", "9" * 40, "abc", "-1", "%00"]:
        for url in [
            f"/admin/overeenkomsten/samenwerkingsovereenkomst/{waarde}/change/",
            f"/admin/overeenkomsten/samenwerkingsovereenkomst/{waarde}/history/",
            f"/admin/gemeenten/gemeente/{waarde}/change/",
            f"/admin/jaarplannen/jaarplan/{waarde}/change/",
            f"/overeenkomsten/{waarde}/pdf/", f"/overeenkomsten/documenten/{waarde}/",
            f"/jaarplannen/{waarde}/pdf/", f"/rapportages/overzicht/{waarde}/",
            f"/admin/overeenkomsten/samenwerkingsovereenkomst/workflow/{waarde}/",
        ]:
            antwoord = beheerder_client.get(url)
            if antwoord.status_code >= 500:
                fouten.append(f"{url}: {antwoord.status_code}")
    # a crafted POST of a workflow step
    antwoord = beheerder_client.post(reverse(f"{info}_overgang", args=["opzeggen"]),
                                     {"ids": "99999999999999999999,²,1", "bevestig": "1"})
    if antwoord.status_code >= 500:
        fouten.append(f"POST overgang: {antwoord.status_code}")
    assert not fouten, "\n".join(fouten)


def test_nulteken_in_het_adres_geeft_400(referentiedata, beheerder_client):
    for url in ["/jaarplannen/kalender.ics?token=%00", "/rapportages/factuurlijst/?jaar%00=1",
                "/admin/overeenkomsten/samenwerkingsovereenkomst/?status__exact=%00"]:
        antwoord = beheerder_client.get(url)
        assert antwoord.status_code == 400 and "nulteken" in antwoord.content.decode(), url


# --- --out checked before any work ------------------------------------------------------------

def test_genereer_weigert_onschrijfbare_map_voor_het_renderen(referentiedata, monkeypatch):
    from overeenkomsten import pdf

    gerenderd = []
    monkeypatch.setattr(pdf, "render_veel", lambda *a, **k: gerenderd.append(1) or [])
    with pytest.raises(CommandError) as fout:
        call_command("genereer_overeenkomsten", "--convenant", "2023-2027", "--out", "/proc/x")
    assert "/proc/x" in str(fout.value) and "niets gedaan" in str(fout.value)
    assert not gerenderd


@pytest.mark.parametrize("commando,args", [
    ("exporteer_overeenkomsten", ["--convenant", "2023-2027"]),
    ("factuurlijst", ["--jaar", "2024"]),
    ("vergelijk_convenanten", []),
])
def test_exportcommandos_weigeren_onschrijfbaar_pad(commando, args, referentiedata, tmp_path, monkeypatch):
    from overeenkomsten import resources as res

    geschreven = []
    monkeypatch.setattr(res, "als_bytes", lambda *a, **k: geschreven.append(1) or b"")
    for pad in ["/proc/x.csv", str(tmp_path / "bestaat-niet" / "x.csv"), str(tmp_path)]:
        with pytest.raises(CommandError) as fout:
            call_command(commando, *args, "--out", pad)
        assert "niets gedaan" in str(fout.value), str(fout.value)
    assert not geschreven


def test_exit_code_en_melding_op_de_opdrachtregel(tmp_path):
    import subprocess
    import sys

    uit = subprocess.run(
        [sys.executable, "manage.py", "factuurlijst", "--jaar", "2024", "--out", "/proc/x.csv"],
        capture_output=True, text=True, env={"DEBUG": "True", "PATH": "/usr/bin:/bin", "DATABASE_URL": "sqlite:///"
                                               + str(tmp_path / "leeg.sqlite3")},
        cwd=str(__import__("pathlib").Path(__file__).resolve().parent.parent), timeout=120,
    )
    assert uit.returncode == 1
    assert "CommandError: --out /proc/x.csv" in uit.stderr and "Traceback" not in uit.stderr


# --- uploaded scans ---------------------------------------------------------------------------

def _pdf(bewerk=None) -> bytes:
    schrijver = PdfWriter()
    schrijver.add_blank_page(595, 842)
    if bewerk:
        bewerk(schrijver)
    buf = io.BytesIO()
    schrijver.write(buf)
    return buf.getvalue()


def _launch(w):
    w._root_object[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe"),
    })


def _raw_js(w):
    actie = w._add_object(DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)"),
    }))
    w._root_object[NameObject("/OpenAction")] = actie


def _pagina_aa(w):
    w.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): DictionaryObject({
        NameObject("/S"): NameObject("/SubmitForm"), NameObject("/F"): TextStringObject("http://x"),
    })})


@pytest.mark.parametrize("bewerk,genoemd", [
    (lambda w: w.add_open_action(JavaScript("app.alert(1)")), "JavaScript"),
    (lambda w: w.add_attachment("virus.exe", b"MZ"), "ingesloten"),
    (_launch, "programma"),
    (_raw_js, "JavaScript"),
    (_pagina_aa, "automatische acties"),
])
def test_scan_met_actieve_inhoud_geweigerd(bewerk, genoemd):
    data = _pdf(bewerk)
    with pytest.raises(ValidationError) as fout:
        controleer_pdf(SimpleUploadedFile("scan.pdf", data, content_type="application/pdf"))
    assert genoemd in fout.value.messages[0] and "actieve inhoud" in fout.value.messages[0]


def pdf_met_objectstream() -> bytes:
    """A PDF 1.5 whose catalog (with a JavaScript OpenAction) sits compressed in an object stream."""
    objecten = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    kop, lijf, positie = b"", b"", 0
    for nummer, obj in enumerate(objecten, start=1):
        kop += b"%d %d " % (nummer, positie)
        lijf += obj + b"\n"
        positie = len(lijf)
    inhoud = zlib.compress(kop + lijf)
    data = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"
    off4 = len(data)
    data += (b"4 0 obj\n<< /Type /ObjStm /N 3 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
             % (len(kop), len(inhoud))) + inhoud + b"\nendstream\nendobj\n"
    off5 = len(data)
    rijen = [(0, 0, 65535), (2, 4, 0), (2, 4, 1), (2, 4, 2), (1, off4, 0), (1, off5, 0)]
    xref = b"".join(bytes([t]) + a.to_bytes(4, "big") + b.to_bytes(2, "big") for t, a, b in rijen)
    xref = zlib.compress(xref)
    data += (b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length %d >>\nstream\n"
             % len(xref)) + xref + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % off5
    return data


def test_javascript_in_een_objectstream_wordt_gevonden():
    data = pdf_met_objectstream()
    assert b"/JavaScript" not in data and b"/OpenAction" not in data  # a byte search would miss it
    with pytest.raises(ValidationError) as fout:
        controleer_scan(data)
    assert "JavaScript" in fout.value.messages[0]


def test_html_polyglot_geweigerd():
    data = _pdf()
    polyglot = data.replace(b"\n", b"\n<html><script>alert(1)</script>\n", 1)
    with pytest.raises(ValidationError) as fout:
        controleer_scan(polyglot)
    assert "HTML" in fout.value.messages[0] and "<html" in fout.value.messages[0]
    with pytest.raises(ValidationError) as fout:
        controleer_scan(b"<html>" + data)
    assert "%PDF-" in fout.value.messages[0]


def test_gewone_pdfs_komen_erdoor(referentiedata):
    from overeenkomsten.pdf import render_overeenkomst_pdf

    assert actieve_inhoud(_pdf()) == set()
    echt = render_overeenkomst_pdf(deventer())  # WeasyPrint, with links and fonts
    assert actieve_inhoud(echt) == set()
    assert controleer_pdf(SimpleUploadedFile("scan.pdf", echt)) == echt


def test_scan_stap_in_de_admin_weigert_javascript(referentiedata, beheerder_client):
    from overeenkomsten.models import OvereenkomstDocument

    ov = deventer()
    Samenwerkingsovereenkomst.objects.filter(pk=ov.pk).update(
        status="ondertekend", verzonden_op=datetime.date(2023, 1, 5), ontvangen_op=datetime.date(2023, 1, 20))
    url = reverse("admin:overeenkomsten_samenwerkingsovereenkomst_overgang", args=["scan"])
    scan = SimpleUploadedFile("scan.pdf", _pdf(lambda w: w.add_open_action(JavaScript("app.alert(1)"))),
                              content_type="application/pdf")
    antwoord = beheerder_client.post(url, {"ids": str(ov.pk), "bevestig": "1", "scan": scan}, follow=True)
    assert "JavaScript" in antwoord.content.decode()
    assert not OvereenkomstDocument.objects.filter(overeenkomst=ov).exists()


def test_documenten_als_bijlage_en_in_een_zandbak(referentiedata, beheerder_client):
    from .bureau import maak_document

    ov = deventer()
    doc = maak_document(ov)
    antwoord = beheerder_client.get(reverse("overeenkomsten:document", args=[doc.pk]))
    assert antwoord.status_code == 200
    assert antwoord["Content-Disposition"].startswith("attachment")
    assert antwoord["Content-Security-Policy"] == "sandbox"
    assert antwoord["X-Content-Type-Options"] == "nosniff"
    pdf = beheerder_client.get(reverse("overeenkomsten:pdf", args=[ov.pk]))
    assert pdf["Content-Security-Policy"] == "sandbox" and pdf["X-Content-Type-Options"] == "nosniff"
    bijlage = beheerder_client.get(reverse("overeenkomsten:bijlage3_pdf", args=["2023-2027"]))
    assert bijlage["Content-Security-Policy"] == "sandbox"
