"""Faults: PostgreSQL killed (pg_ctl stop -m immediate) in the middle of a CBS import, then restarted.

The import must be whole or absent. Needs the throw-away server of scripts/met-postgres.sh,
which exports PGBIN, PGDATA_DIR, PG_OPTS, PGLOG and PG_ALS; skipped on SQLite.
"""

import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection, connections

import pytest

from gemeenten.models import Gemeente, Inwonertal

BASIS = Path(__file__).resolve().parent.parent
PEILDATUM = "2024-01-01"

pytestmark = [
    pytest.mark.skipif(not os.environ.get("PGDATA_DIR"),
                       reason="alleen met de PostgreSQL-server van scripts/met-postgres.sh (PGDATA_DIR)"),
]

# Runs the real command; after the 20th figure is saved (inside the import's transaction)
# it signals the test and waits, so the server can be killed with the import half-written.
IMPORT_MET_PAUZE = """
import sys, time, pathlib, django
django.setup()
from django.core.management import call_command
from gemeenten.models import Inwonertal
teken, bestand = pathlib.Path(sys.argv[1]), sys.argv[2]
opslaan, geteld = Inwonertal.save, [0]
def save(self, *a, **k):
    opslaan(self, *a, **k)
    geteld[0] += 1
    if geteld[0] == 20:
        teken.write_text("halverwege")
        time.sleep(120)
Inwonertal.save = save
call_command("importeer_inwoners", bestand, "--peildatum", sys.argv[3])
"""


def pg_ctl(*args):
    cmd = [*shlex.split(os.environ.get("PG_ALS", "")), f"{os.environ['PGBIN']}/pg_ctl", "-D",
           os.environ["PGDATA_DIR"], *args]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)


def herstart_postgres():
    pg_ctl("-w", "-t", "60", "-o", os.environ["PG_OPTS"], "-l", os.environ["PGLOG"], "start")
    for c in connections.all():
        c.close()  # the old connections died with the server


@pytest.mark.django_db(transaction=True)
def test_import_heel_of_niet_als_postgres_wegvalt(referentiedata, tmp_path):
    assert connection.vendor == "postgresql"
    codes = list(Gemeente.objects.order_by("cbs_code").values_list("cbs_code", flat=True))
    assert len(codes) == 41
    bestand = tmp_path / "cbs.csv"
    bestand.write_text("cbs_code,inwoners\n" + "".join(f"{c},{100000 + i}\n" for i, c in enumerate(codes)))
    teken = tmp_path / "teken"
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings_test",
               DATABASE_URL=(f"postgres://{connection.settings_dict['USER']}@{connection.settings_dict['HOST']}:"
                             f"{connection.settings_dict['PORT']}/{connection.settings_dict['NAME']}"))
    connection.close()
    proces = subprocess.Popen([sys.executable, "-c", IMPORT_MET_PAUZE, str(teken), str(bestand), PEILDATUM], cwd=BASIS,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        eind = time.monotonic() + 120
        while not teken.exists():
            assert proces.poll() is None, proces.communicate()
            assert time.monotonic() < eind, "de import kwam niet halverwege"
            time.sleep(0.1)
        pg_ctl("-m", "immediate", "-w", "stop")
    finally:
        herstart_postgres()
        proces.kill()
        proces.communicate(timeout=30)

    # Absent: none of the 20 figures written before the crash survived.
    assert Inwonertal.objects.filter(peildatum=PEILDATUM).count() == 0
    assert Inwonertal.history.filter(peildatum=PEILDATUM).count() == 0

    # And after the restart the same import goes through whole.
    uit = subprocess.run([sys.executable, "manage.py", "importeer_inwoners", str(bestand), "--peildatum", PEILDATUM],
                         cwd=BASIS, env=env, capture_output=True, text=True, timeout=300)
    assert uit.returncode == 0, uit.stdout + uit.stderr
    assert Inwonertal.objects.filter(peildatum=PEILDATUM).count() == 41
