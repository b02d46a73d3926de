"""Run the project's benchmarks: `make bench` (or .venv/bin/python benchmarks/run.py).

Sets up a throw-away SQLite database with the real reference data, runs every
benchmark, prints a Markdown table and writes the figures as JSON to
benchmarks/resultaten.json. Exit code 1 when a target is missed.
"""

import json
import os
import sys
import tempfile
from pathlib import Path

BASIS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASIS))


def main() -> int:
    tmp = tempfile.mkdtemp(prefix="g40-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DEBUG", "True")
    os.environ["MEDIA_ROOT"] = f"{tmp}/media"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("bootstrap", verbosity=0)

    from benchmarks import pdf_benchmark

    print("Benchmark: overeenkomsten als PDF …", flush=True)
    resultaat = pdf_benchmark.meet()
    print(pdf_benchmark.tabel(resultaat))
    (BASIS / "benchmarks" / "resultaten.json").write_text(
        json.dumps({"pdf": resultaat}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return 0 if resultaat["doel_gehaald"] else 1


if __name__ == "__main__":
    sys.exit(main())
