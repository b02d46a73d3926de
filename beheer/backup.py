"""Backups: the database plus every stored document, with a manifest of SHA-256 sums.

A backup folder holds
    manifest.json      created time, app version, migration state, SHA-256 of every file below
    database.dump      PostgreSQL: `pg_dump -Fc` (one consistent snapshot)
    database.sqlite3   SQLite: a copy made with SQLite's online backup API (consistent too)
    media/...          every file a FileField refers to, under its name in MEDIA_ROOT

The database is dumped first and the files are listed from the database afterwards,
so every document the dump refers to is in the backup (documents are only added,
never rewritten). A restore goes into an empty database and an empty media folder
only, and checks the manifest before and after.
"""

import datetime
import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import FileField

MANIFEST = "manifest.json"
FORMAAT = 1


class BackupFout(Exception):
    """A backup or restore that cannot go ahead; the message says why, in Dutch."""


def sha256_bestand(pad) -> str:
    h = hashlib.sha256()
    with open(pad, "rb") as f:
        for blok in iter(lambda: f.read(1 << 20), b""):
            h.update(blok)
    return h.hexdigest()


def postgres_bin(naam) -> str:
    """pg_dump/pg_restore from the newest server in /usr/lib/postgresql (as scripts/met-postgres.sh), or PGBIN."""
    mappen = [os.environ["PGBIN"]] if os.environ.get("PGBIN") else sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name) if Path(
            p).parent.name.isdigit() else 0)
    for m in reversed(mappen):
        if os.access(Path(m) / naam, os.X_OK):
            return str(Path(m) / naam)
    gevonden = shutil.which(naam)
    if gevonden:
        return gevonden
    raise BackupFout(f"{naam} niet gevonden (installeer het Debian-pakket postgresql-client of zet PGBIN).")


def _pg_args(alias="default"):
    s = connections[alias].settings_dict
    args, env = [], dict(os.environ)
    if s.get("HOST"):
        args += ["-h", s["HOST"]]
    if s.get("PORT"):
        args += ["-p", str(s["PORT"])]
    if s.get("USER"):
        args += ["-U", s["USER"]]
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    return args, s["NAME"], env


def controleer_schrijfbaar(map_: Path):
    """--out must be a new or empty folder we can write in; checked before any work."""
    if map_.exists() and not map_.is_dir():
        raise BackupFout(f"{map_} bestaat al en is geen map.")
    if map_.is_dir() and any(map_.iterdir()):
        raise BackupFout(f"De map {map_} is niet leeg; kies een nieuwe of lege map voor de back-up.")
    try:
        map_.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=map_):
            pass
    except OSError as e:
        raise BackupFout(f"Kan niet schrijven in {map_}: {e.strerror}.") from None


def bestandsvelden():
    """(model, FileField) for every model with a FileField, historical models included."""
    for model in apps.get_models():
        for veld in model._meta.get_fields():
            if isinstance(veld, FileField):
                yield model, veld


def opgeslagen_namen() -> set[str]:
    namen = set()
    for model, veld in bestandsvelden():
        namen.update(n for n in model._default_manager.exclude(**{veld.name: ""}).values_list(veld.name, flat=True)
                     if n)
    return namen


def migratiestand() -> dict:
    stand = {}
    for app, naam in MigrationRecorder(connection).migration_qs.order_by("app", "name").values_list("app", "name"):
        stand.setdefault(app, []).append(naam)
    return stand


def app_versie() -> str:
    try:
        import tomllib

        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as f:
            versie = tomllib.load(f)["project"]["version"]
    except (OSError, KeyError, ValueError):
        versie = "onbekend"
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=settings.BASE_DIR, capture_output=True,
                                text=True, timeout=10).stdout.strip()
    except OSError:
        commit = ""
    return f"{versie}+{commit}" if commit else versie


def maak_backup(map_: Path, melding=print) -> dict:
    map_ = Path(map_)
    controleer_schrijfbaar(map_)
    vendor = connection.vendor
    if vendor == "postgresql":
        db_bestand = "database.dump"
        args, naam, env = _pg_args()
        uit = subprocess.run([postgres_bin("pg_dump"), "-Fc", "--no-owner", "--no-privileges", *args,
                              "-f", str(map_ / db_bestand), naam], env=env, capture_output=True, text=True)
        if uit.returncode:
            raise BackupFout(f"pg_dump mislukte: {uit.stderr.strip()}")
    elif vendor == "sqlite":
        db_bestand = "database.sqlite3"
        connection.ensure_connection()
        doel = sqlite3.connect(map_ / db_bestand)
        try:
            connection.connection.backup(doel)
        finally:
            doel.close()
    else:
        raise BackupFout(f"Databasetype {vendor} wordt niet ondersteund.")
    melding(f"Database ({vendor}) opgeslagen in {db_bestand}.")

    media = Path(settings.MEDIA_ROOT)
    dump = map_ / db_bestand
    bestanden = {db_bestand: {"sha256": sha256_bestand(dump), "grootte": dump.stat().st_size}}
    ontbrekend = []
    for naam in sorted(opgeslagen_namen()):
        bron = media / naam
        if not bron.is_file():
            ontbrekend.append(naam)
            continue
        doel = map_ / "media" / naam
        doel.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(bron, doel)
        bestanden[f"media/{naam}"] = {"sha256": sha256_bestand(doel), "grootte": doel.stat().st_size}
    manifest = {
        "formaat": FORMAAT,
        "aangemaakt_op": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "app_versie": app_versie(),
        "database": {"soort": vendor, "bestand": db_bestand},
        "migraties": migratiestand(),
        "bestanden": bestanden,
        "ontbrekende_documenten": ontbrekend,
    }
    (map_ / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    melding(f"{len(bestanden) - 1} document(en) opgeslagen; manifest in {map_ / MANIFEST}.")
    return manifest


def lees_manifest(map_: Path) -> dict:
    pad = Path(map_) / MANIFEST
    try:
        manifest = json.loads(pad.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupFout(f"{pad} ontbreekt: dit is geen back-up van maak_backup.") from None
    except ValueError as e:
        raise BackupFout(f"{pad} is geen geldige JSON: {e}.") from None
    if manifest.get("formaat") != FORMAAT:
        raise BackupFout(f"Onbekend back-upformaat {manifest.get('formaat')!r} in {pad}.")
    return manifest


def controleer_manifest(map_: Path, manifest: dict) -> list[str]:
    """The files of the backup that are missing or differ from their SHA-256 in the manifest."""
    fouten = []
    for naam, gegevens in manifest["bestanden"].items():
        pad = Path(map_) / naam
        if not pad.is_file():
            fouten.append(f"{naam}: ontbreekt")
        elif sha256_bestand(pad) != gegevens["sha256"]:
            fouten.append(f"{naam}: SHA-256 klopt niet (bestand gewijzigd of beschadigd)")
    return fouten


def _database_is_leeg() -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def herstel_backup(map_: Path, melding=print):
    map_ = Path(map_)
    manifest = lees_manifest(map_)
    fouten = controleer_manifest(map_, manifest)
    if fouten:
        raise BackupFout("De back-up is niet intact; er is niets hersteld:\n  " + "\n  ".join(fouten))
    soort = manifest["database"]["soort"]
    if soort != connection.vendor:
        raise BackupFout(f"Deze back-up is van {soort}; de ingestelde database is {connection.vendor}.")
    if not _database_is_leeg():
        raise BackupFout(f"De database ({connection.settings_dict['NAME']}) is niet leeg. Herstel alleen in een "
                         "lege database; er is niets gewijzigd.")
    media = Path(settings.MEDIA_ROOT)
    if media.exists() and any(media.iterdir()):
        raise BackupFout(f"De documentenmap {media} (MEDIA_ROOT) is niet leeg. Herstel alleen in een lege map; "
                         "er is niets gewijzigd.")

    db_bestand = map_ / manifest["database"]["bestand"]
    if soort == "postgresql":
        args, naam, env = _pg_args()
        connection.close()
        uit = subprocess.run([postgres_bin("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
                              "--single-transaction", *args, "-d", naam, str(db_bestand)],
                             env=env, capture_output=True, text=True)
        if uit.returncode:
            raise BackupFout(f"pg_restore mislukte: {uit.stderr.strip()}")
    else:
        connection.ensure_connection()
        bron = sqlite3.connect(db_bestand)
        try:
            bron.backup(connection.connection)
        finally:
            bron.close()
    melding(f"Database hersteld uit {db_bestand.name}.")

    aantal = 0
    for naam, gegevens in manifest["bestanden"].items():
        if not naam.startswith("media/"):
            continue
        doel = media / naam.removeprefix("media/")
        doel.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(map_ / naam, doel)
        if sha256_bestand(doel) != gegevens["sha256"]:
            raise BackupFout(f"{doel}: na het kopiëren klopt de SHA-256 niet.")
        aantal += 1
    melding(f"{aantal} document(en) teruggezet in {media}.")
    fouten = controleer_documenten()
    if fouten:
        raise BackupFout("Na het herstel kloppen deze documenten niet:\n  " + "\n  ".join(fouten))
    melding("Alle documenten kloppen met hun SHA-256.")
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        melding("Deze code heeft nieuwere migraties dan de back-up: draai nu python manage.py migrate.")


def documentmodellen():
    """Models with a stored file and a sha256 field (not the history tables)."""
    for model, veld in bestandsvelden():
        velden = {f.name for f in model._meta.get_fields()}
        if "sha256" in velden and "history_id" not in velden:
            yield model, veld


def controleer_documenten() -> list[str]:
    """Every stored document checked against its SHA-256: a list of what is missing or changed."""
    fouten = []
    for model, veld in documentmodellen():
        for pk, naam, verwacht in model._default_manager.values_list("pk", veld.name, "sha256").order_by("pk"):
            wat = f"{model._meta.verbose_name} {pk} ({naam})"
            if not naam:
                fouten.append(f"{wat}: geen bestand vastgelegd")
                continue
            opslag = veld.storage
            if not opslag.exists(naam):
                fouten.append(f"{wat}: ontbreekt")
                continue
            h = hashlib.sha256()
            with opslag.open(naam, "rb") as f:
                for blok in iter(lambda f=f: f.read(1 << 20), b""):
                    h.update(blok)
            if h.hexdigest() != verwacht:
                fouten.append(f"{wat}: gewijzigd (SHA-256 {h.hexdigest()[:12]}…, verwacht {verwacht[:12]}…)")
    return fouten
