#!/usr/bin/env bash
# Production configuration on loopback:  scripts/serve.sh   (make serve)
#   DEBUG off, settings from the environment or .env, PostgreSQL from DATABASE_URL when set
#   (else the SQLite file), static files collected and served by WhiteNoise, gunicorn with
#   the app preloaded (WeasyPrint is imported once, in the master), and the background
#   worker (manage.py db_worker) beside it.
# Environment: PORT (8000), BIND (127.0.0.1), WEB_CONCURRENCY (workers, 2 × cores + 1),
#   PYTHON (.venv/bin/python), PIDFILE (file to write the master's pid to).
# Without SECRET_KEY in the environment or .env, a random key is generated once into the
# git-ignored file .secret_key (a local try; a real installation sets its own key), and the
# HTTPS-only settings are switched off because this listens on plain http://127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
export DEBUG=False
heeft_env() { [ -n "${!1:-}" ] || { [ -f .env ] && grep -q "^$1=." .env; }; }
controle=(check --deploy --fail-level ERROR)
if ! heeft_env SECRET_KEY; then
  controle=(check)
  if [ ! -s .secret_key ]; then
    (umask 077; "$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(50))' > .secret_key)
    echo "Geen SECRET_KEY ingesteld: een willekeurige sleutel staat nu in .secret_key (alleen voor een proef)." >&2
  fi
  SECRET_KEY=$(cat .secret_key)
  export SECRET_KEY
  # Local try over plain http: no HTTPS redirect, no secure-only cookies, no HSTS.
  export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-False} SESSION_COOKIE_SECURE=${SESSION_COOKIE_SECURE:-False}
  export CSRF_COOKIE_SECURE=${CSRF_COOKIE_SECURE:-False} SECURE_HSTS_SECONDS=${SECURE_HSTS_SECONDS:-0}
fi
BIND=${BIND:-127.0.0.1}
PORT=${PORT:-8000}
WORKERS=${WEB_CONCURRENCY:-$(( $(nproc) * 2 + 1 ))}
"$PYTHON" manage.py migrate --noinput -v0
"$PYTHON" manage.py collectstatic --noinput -v0
"$PYTHON" manage.py "${controle[@]}"
echo "G40-convenant (productie-instellingen) op http://$BIND:$PORT — stoppen met Ctrl-C"
# The background worker (PDF bundles, django-tasks database backend) runs beside gunicorn and
# stops when gunicorn stops (Ctrl-C, or the master's pid in PIDFILE killed).
"$PYTHON" manage.py db_worker --no-reload &
worker=$!
"$PYTHON" -m gunicorn --preload --no-control-socket \
  --workers "$WORKERS" --bind "$BIND:$PORT" --timeout 120 \
  ${PIDFILE:+--pid "$PIDFILE"} \
  --access-logfile - --error-logfile - \
  config.wsgi:application &
web=$!
# A TERM or INT to this script (Ctrl-C, a service manager, scripts/belasting.sh) stops both.
stop() { kill -TERM "$web" "$worker" 2>/dev/null || true; wait "$web" "$worker" 2>/dev/null || true; }
trap stop EXIT INT TERM
wait "$web"
