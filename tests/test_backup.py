"""Backups: maak_backup → an empty database and media folder → herstel_backup finds everything intact."""

import json
import os
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

import pytest

from overeenkomsten.constants import DocumentSoort
from overeenkomsten.models import OvereenkomstDocument, Samenwerkingsovereenkomst

from .bureau import PDF, maak_document

BASIS = Path(__file__).resolve().parent.parent

TELLING = """
import json, django
django.setup()
from django.core.management import call_command
from overeenkomsten.models import Samenwerkingsovereenkomst, OvereenkomstDocument
from gemeenten.models import Gemeente
call_command("controleer_documenten")
print(json.dumps({
    "overeenkomsten": sorted(Samenwerkingsovereenkomst.objects.values_list("pk", "status", "bedrag_per_jaar")),
    "geschiedenis": Samenwerkingsovereenkomst.history.count(),
    "documenten": sorted(OvereenkomstDocument.objects.values_list("pk", "sha256")),
    "gemeenten": Gemeente.objects.count(),
}, default=str))
"""


def stand():
    return {
        "overeenkomsten": sorted([pk, st, str(b)] for pk, st, b in Samenwerkingsovereenkomst.objects.values_list(
            "pk", "status", "bedrag_per_jaar")),
        "geschiedenis": Samenwerkingsovereenkomst.history.count(),
        "documenten": sorted([pk, h] for pk, h in OvereenkomstDocument.objects.values_list("pk", "sha256")),
    }


@pytest.fixture
def lege_database():
    """The URL of a new, empty database next to the test database (dropped afterwards)."""
    if connection.vendor == "sqlite":
        yield None  # the test makes a file of its own
        return
    naam = f"g40_herstel_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as c:
        c.execute(f'CREATE DATABASE "{naam}"')
    s = connection.settings_dict
    try:
        yield f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{naam}"
    finally:
        with connection.cursor() as c:
            c.execute(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)')


def subproces_env(database_url, media):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings_test", DATABASE_URL=database_url,
               MEDIA_ROOT=str(media), SECRET_KEY=secrets.token_urlsafe(50))
    return env


@pytest.mark.django_db(transaction=True)
def test_rondreis_backup_en_herstel(referentiedata, tmp_path, settings, lege_database):
    media = Path(settings.MEDIA_ROOT)
    ovs = list(Samenwerkingsovereenkomst.objects.order_by("pk")[:3])
    for i, ov in enumerate(ovs):
        ov.save()  # a history row each
        maak_document(ov, DocumentSoort.VERZONDEN, PDF + f"% {i}\n".encode())
    maak_document(ovs[0], DocumentSoort.GETEKEND, PDF + b"% getekend\n")
    voor = stand()
    assert len(voor["documenten"]) == 4 and voor["geschiedenis"] >= 3

    call_command("maak_backup", out=str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["database"]["soort"] == connection.vendor
    assert "overeenkomsten" in manifest["migraties"] and manifest["app_versie"].startswith("0.1.0")
    documenten = [n for n in manifest["bestanden"] if n.startswith("media/")]
    assert len(documenten) == 4
    assert all(len(v["sha256"]) == 64 for v in manifest["bestanden"].values())

    url = lege_database or f"sqlite:///{tmp_path / 'hersteld.sqlite3'}"
    nieuwe_media = tmp_path / "nieuwe-media"
    env = subproces_env(url, nieuwe_media)
    uit = subprocess.run([sys.executable, "manage.py", "herstel_backup", str(tmp_path / "backup")], cwd=BASIS,
                         env=env, capture_output=True, text=True, timeout=300)
    assert uit.returncode == 0, uit.stdout + uit.stderr
    assert "4 document(en) teruggezet" in uit.stdout and "Alle documenten kloppen" in uit.stdout

    uit = subprocess.run([sys.executable, "-c", TELLING], cwd=BASIS, env=env, capture_output=True, text=True,
                         timeout=120)
    assert uit.returncode == 0, uit.stderr
    na = json.loads(uit.stdout.strip().splitlines()[-1])
    assert na["overeenkomsten"] == voor["overeenkomsten"]
    assert na["geschiedenis"] == voor["geschiedenis"]
    assert [list(d) for d in na["documenten"]] == voor["documenten"]
    assert na["gemeenten"] == 41
    for naam in documenten:
        assert (nieuwe_media / naam.removeprefix("media/")).read_bytes() == (media / naam.removeprefix(
            "media/")).read_bytes()

    # A second restore into the now filled database and media folder is refused, and changes nothing.
    uit = subprocess.run([sys.executable, "manage.py", "herstel_backup", str(tmp_path / "backup")], cwd=BASIS,
                         env=env, capture_output=True, text=True, timeout=120)
    assert uit.returncode == 1 and "is niet leeg" in uit.stderr and "er is niets gewijzigd" in uit.stderr


@pytest.mark.django_db(transaction=True)
def test_herstel_weigert_een_beschadigde_backup(referentiedata, tmp_path):
    ov = Samenwerkingsovereenkomst.objects.first()
    maak_document(ov)
    call_command("maak_backup", out=str(tmp_path / "b"))
    [doc] = (tmp_path / "b" / "media").rglob("*.pdf")
    doc.write_bytes(b"%PDF-1.4 vervalst")
    with pytest.raises(CommandError, match=r"(?s)niet intact.*SHA-256 klopt niet"):
        call_command("herstel_backup", str(tmp_path / "b"))
    (tmp_path / "leeg").mkdir()
    with pytest.raises(CommandError, match="manifest.json ontbreekt"):
        call_command("herstel_backup", str(tmp_path / "leeg"))


def test_herstel_weigert_een_gevulde_database(db, tmp_path, settings):
    call_command("maak_backup", out=str(tmp_path / "b"))
    with pytest.raises(CommandError, match="is niet leeg"):
        call_command("herstel_backup", str(tmp_path / "b"))


def test_out_wordt_gecontroleerd_voor_het_werk(db, tmp_path, monkeypatch):
    from beheer import backup

    gestart = []
    monkeypatch.setattr(backup, "postgres_bin", lambda naam: gestart.append(naam))
    monkeypatch.setattr(backup, "opgeslagen_namen", lambda: gestart.append("bestanden") or set())
    (tmp_path / "een-bestand").write_text("x")
    with pytest.raises(CommandError, match="Kan niet schrijven in .*een-bestand/sub"):
        call_command("maak_backup", out=str(tmp_path / "een-bestand" / "sub"))
    (tmp_path / "vol").mkdir()
    (tmp_path / "vol" / "iets").write_text("x")
    with pytest.raises(CommandError, match="is niet leeg"):
        call_command("maak_backup", out=str(tmp_path / "vol"))
    assert gestart == []
    assert not any((tmp_path / "vol").glob("database.*"))


def test_controleer_documenten_noemt_ontbrekende_en_gewijzigde(referentiedata, settings, capsys):
    ovs = list(Samenwerkingsovereenkomst.objects.order_by("pk")[:3])
    goed, weg, anders = (maak_document(ov) for ov in ovs)
    call_command("controleer_documenten")
    assert "Alle 3 documenten kloppen" in capsys.readouterr().out
    os.remove(weg.bestand.path)
    Path(anders.bestand.path).write_bytes(b"%PDF-1.4 ander")
    with pytest.raises(CommandError) as e:
        call_command("controleer_documenten")
    tekst = str(e.value)
    assert "2 document(en) niet in orde" in tekst
    assert f"document {weg.pk} ({weg.bestand.name}): ontbreekt" in tekst
    assert f"document {anders.pk} ({anders.bestand.name}): gewijzigd" in tekst
    assert f"document {goed.pk} " not in tekst

