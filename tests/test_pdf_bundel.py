"""The admin's ZIP of agreement PDFs as a background task, run by a real db_worker."""

import io
import zipfile
from importlib import import_module
from types import SimpleNamespace

from django.core.management import call_command
from django.urls import reverse

import pytest
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from convenant import toegang
from overeenkomsten import bundels
from overeenkomsten.constants import BundelStatus
from overeenkomsten.models import PdfBundel, Samenwerkingsovereenkomst

from .bureau import maak_gebruiker

CHANGELIST = "admin:overeenkomsten_samenwerkingsovereenkomst_changelist"


def almere():
    return Samenwerkingsovereenkomst.objects.get(convenant__slug="2023-2027", gemeente__naam="Almere").gemeente


def vraag_aan(client, user, ids):
    client.force_login(user)
    response = client.post(reverse(CHANGELIST), {"action": "download_zip", "_selected_action": ids})
    assert response.status_code == 302
    return response


def zorg_voor_rollen():
    """The roles come from a data migration, which an earlier transactional test (the browser
    test) flushes away; make them again the way the migration does."""
    from django.apps import apps
    from django.db import connection

    rollen = import_module("convenant.migrations.0003_rollen")
    rollen.maak_rollen(apps, SimpleNamespace(connection=connection))


@pytest.mark.django_db(transaction=True)
def test_zip_van_41_door_echte_worker_met_voortgang_en_download(referentiedata, django_user_model, client):
    zorg_voor_rollen()
    relatiemanager = maak_gebruiker(django_user_model, toegang.RELATIEMANAGER, "relatiemanager")
    ids = list(Samenwerkingsovereenkomst.objects.filter(convenant__slug="2023-2027").values_list("pk", flat=True))
    assert len(ids) == 41

    response = vraag_aan(client, relatiemanager, ids)
    bundel = PdfBundel.objects.get()
    assert response["Location"] == reverse("overeenkomsten:bundel", args=[bundel.pk])
    assert bundel.status == BundelStatus.WACHT and bundel.totaal == 41 and bundel.aangevraagd_door == relatiemanager
    taak = DBTaskResult.objects.get()
    assert taak.status == "READY" and str(taak.id) == bundel.taak_id
    assert taak.args_kwargs["args"] == [str(bundel.pk)]

    pagina = client.get(response["Location"])
    assert pagina.status_code == 200
    html = pagina.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert '<progress class="bundel-voortgang" value="0" max="41">' in html
    assert "Wacht op verwerking" in html

    # A real worker, as `manage.py db_worker` runs it; it exits after this one task.
    call_command("db_worker", batch=True, no_startup_delay=True, max_tasks=1, reload=False, verbosity=0)

    taak.refresh_from_db()
    bundel.refresh_from_db()
    assert taak.status == "SUCCESSFUL", taak.traceback
    assert bundel.status == BundelStatus.KLAAR and bundel.klaar == 41 and bundel.gereed_op

    pagina = client.get(reverse("overeenkomsten:bundel", args=[bundel.pk])).content.decode()
    assert 'http-equiv="refresh"' not in pagina
    assert '<progress class="bundel-voortgang" value="41" max="41">' in pagina
    download = reverse("overeenkomsten:bundel_zip", args=[bundel.pk])
    assert download in pagina

    response = client.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archief = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    namen = archief.namelist()
    assert len(namen) == 41 and all(n.startswith("samenwerkingsovereenkomst-2023-2027-") for n in namen)
    for naam in namen:
        data = archief.read(naam)
        assert data.startswith(b"%PDF-") and len(PdfReader(io.BytesIO(data)).pages) >= 2
    deventer = PdfReader(io.BytesIO(archief.read("samenwerkingsovereenkomst-2023-2027-deventer.pdf")))
    assert "De gemeente Deventer gevestigd" in " ".join(p.extract_text() for p in deventer.pages)

    # Another user: a coördinator (Almere only) does not see a bundle of all 41; anonymous goes to login.
    coordinator = maak_gebruiker(django_user_model, toegang.COORDINATOR, "coordinator-almere", gemeente=almere())
    client.force_login(coordinator)
    assert client.get(reverse("overeenkomsten:bundel", args=[bundel.pk])).status_code == 404
    assert client.get(download).status_code == 404
    # Someone with the same rights (another relatiemanager) may.
    client.force_login(maak_gebruiker(django_user_model, toegang.RELATIEMANAGER, "relatiemanager-2"))
    assert client.get(download).status_code == 200
    client.logout()
    assert client.get(download).status_code == 302


@pytest.mark.django_db
def test_voortgang_halverwege(referentiedata, beheerder_client, beheerder):
    bundel = PdfBundel.objects.create(aangevraagd_door=beheerder, overeenkomsten=[1, 2], totaal=40, klaar=10,
                                      status=BundelStatus.BEZIG)
    PdfBundel.objects.filter(pk=bundel.pk).update(
        overeenkomsten=list(Samenwerkingsovereenkomst.objects.values_list("pk", flat=True)[:40]))
    html = beheerder_client.get(reverse("overeenkomsten:bundel", args=[bundel.pk])).content.decode()
    assert '<progress class="bundel-voortgang" value="10" max="40">25%</progress>' in html
    assert "10 van 40 (25%)" in html
    assert '<meta http-equiv="refresh" content="2">' in html
    # Not ready: no download yet.
    assert beheerder_client.get(reverse("overeenkomsten:bundel_zip", args=[bundel.pk])).status_code == 404


@pytest.mark.django_db
def test_coordinator_krijgt_alleen_eigen_gemeente_in_de_bundel(referentiedata, django_user_model, client,
                                                              django_capture_on_commit_callbacks):
    coordinator = maak_gebruiker(django_user_model, toegang.COORDINATOR, "coordinator-almere", gemeente=almere())
    alle = list(Samenwerkingsovereenkomst.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        bundel = bundels.vraag_bundel_aan(coordinator, Samenwerkingsovereenkomst.objects.filter(pk__in=alle))
    eigen = sorted(Samenwerkingsovereenkomst.objects.filter(gemeente=almere()).values_list("pk", flat=True))
    assert bundel.overeenkomsten == eigen and len(eigen) == 2
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    client.force_login(coordinator)
    assert client.get(reverse("overeenkomsten:bundel", args=[bundel.pk])).status_code == 200


@pytest.mark.django_db
def test_mislukte_bundel_toont_de_fout(referentiedata, beheerder_client, beheerder, monkeypatch):
    ids = list(Samenwerkingsovereenkomst.objects.values_list("pk", flat=True)[:2])
    bundel = PdfBundel.objects.create(aangevraagd_door=beheerder, overeenkomsten=ids, totaal=2)

    def kapot(*args, **kwargs):
        raise RuntimeError("lettertype ontbreekt")

    monkeypatch.setattr(bundels, "render_veel", kapot)
    with pytest.raises(RuntimeError):
        bundels.maak_bundel(str(bundel.pk))
    bundel.refresh_from_db()
    assert bundel.status == BundelStatus.MISLUKT
    html = beheerder_client.get(reverse("overeenkomsten:bundel", args=[bundel.pk])).content.decode()
    assert "Het maken van de PDF’s is mislukt: RuntimeError: lettertype ontbreekt" in html
    assert 'http-equiv="refresh"' not in html


@pytest.mark.django_db
def test_lege_bundel_alleen_voor_aanvrager(referentiedata, beheerder, django_user_model, client):
    bundel = PdfBundel.objects.create(aangevraagd_door=beheerder, overeenkomsten=[], totaal=0)
    url = reverse("overeenkomsten:bundel", args=[bundel.pk])
    client.force_login(django_user_model.objects.create_user("zonder-groep", password="x-123-y", is_staff=True))
    assert client.get(url).status_code == 404
    client.force_login(django_user_model.objects.create_user("geen-medewerker", password="x-123-y"))
    assert client.get(url).status_code == 403
    client.force_login(beheerder)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_een_nieuwe_bundel_ruimt_bundels_ouder_dan_de_bewaartermijn_op(referentiedata, beheerder, beheerder_client,
                                                                      settings, tmp_path):
    import datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone

    settings.MEDIA_ROOT = str(tmp_path)
    settings.PDF_BUNDEL_BEWAARDAGEN = 7
    ids = list(Samenwerkingsovereenkomst.objects.values_list("pk", flat=True)[:2])

    def bundel_van(dagen_oud, status=BundelStatus.KLAAR):
        b = PdfBundel.objects.create(aangevraagd_door=beheerder, overeenkomsten=ids, totaal=2, klaar=2, status=status)
        b.bestand.save("oud.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=True)
        PdfBundel.objects.filter(pk=b.pk).update(aangemaakt_op=timezone.now() - datetime.timedelta(days=dagen_oud))
        return b

    oud, vastgelopen, recent = bundel_van(8), bundel_van(30, BundelStatus.BEZIG), bundel_van(6)
    oude_bestanden = [tmp_path / b.bestand.name for b in (oud, vastgelopen)]
    assert all(p.exists() for p in oude_bestanden)

    nieuw = PdfBundel.objects.create(aangevraagd_door=beheerder, overeenkomsten=ids, totaal=2)
    bundels.maak_bundel(str(nieuw.pk), processen=1)

    assert set(PdfBundel.objects.values_list("pk", flat=True)) == {recent.pk, nieuw.pk}
    assert not any(p.exists() for p in oude_bestanden)
    assert (tmp_path / PdfBundel.objects.get(pk=recent.pk).bestand.name).exists()
    # The page of a removed bundle is a 404; the new one says how long it is kept.
    assert beheerder_client.get(reverse("overeenkomsten:bundel", args=[oud.pk])).status_code == 404
    html = beheerder_client.get(reverse("overeenkomsten:bundel", args=[nieuw.pk])).content.decode()
    assert "Het ZIP-bestand blijft 7 dagen beschikbaar" in html
