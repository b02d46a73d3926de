# Two commands for a fresh machine with Python 3.11+:
#   make run    install, load the real data, create an admin, serve http://127.0.0.1:8000
#   make serve  the same with the production configuration (gunicorn) on 127.0.0.1:8000
#               (both with the background worker for PDF bundles beside the web server)
#   make test   install, run every test on SQLite and on a throw-away PostgreSQL server
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export DEBUG ?= True

.PHONY: run serve belasting test test-sqlite test-postgres install install-test bench lint lagen clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.run: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.test: requirements-test.txt | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements-test.txt
	touch $@ $(VENV)/.run

install: $(VENV)/.run
	bash scripts/systeempakketten.sh run

install-test: $(VENV)/.test
	bash scripts/systeempakketten.sh test

run: install
	$(PY) manage.py bootstrap
	$(PY) manage.py maak_beheerder
	@echo "Open http://127.0.0.1:8000 en log in als beheerder."
	@# The background worker (PDF bundles) runs beside the web server and stops with it.
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

# Production configuration on 127.0.0.1 (gunicorn, WhiteNoise, DEBUG off): see README "Productie".
serve: install
	$(PY) manage.py bootstrap
	PYTHON=$(PY) DEBUG=False bash scripts/serve.sh

# Load test: make serve's configuration with 20 logged-in users for 60 s (locust, own venv), on a
# throw-away PostgreSQL server when one is installed, else SQLite. Prints throughput and p50/p95/p99.
belasting: install
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  PYTHON=$(PY) bash scripts/met-postgres.sh bash scripts/belasting.sh; \
	else PYTHON=$(PY) bash scripts/belasting.sh; fi

test: install-test
	$(MAKE) lagen
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

test-sqlite:
	env -u DATABASE_URL $(PY) -m pytest

test-postgres:
	PYTHON=$(PY) bash scripts/met-postgres.sh $(PY) -m pytest

bench: install-test
	$(PY) benchmarks/run.py

# The apps' import layers (pyproject.toml [tool.importlinter]); part of `make test` and `make lint`.
lagen: $(VENV)/.test
	$(VENV)/bin/lint-imports --no-cache

lint: $(VENV)/.test
	$(PY) -m pip install -q ruff==0.17.6
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports --no-cache

clean:
	rm -rf $(VENV) db.sqlite3 media .pytest_cache
