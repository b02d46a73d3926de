#!/usr/bin/env bash
# Load test (make belasting): the production configuration (scripts/serve.sh: gunicorn --preload,
# WhiteNoise, DEBUG off, two-factor login) on a free loopback port, with a throw-away database
# (PostgreSQL from DATABASE_URL, as scripts/met-postgres.sh gives it, else a temporary SQLite file)
# holding the real data (bootstrap) and 20 test accounts with their own TOTP device; then locust,
# headless, in its own venv (.venv-belasting): USERS users (20) for DUUR (60s) on the dashboard,
# the agreements' changelist, the reports and PDF downloads. Prints throughput, p50/p95/p99 and the
# error count; exit code 1 when any request failed. Everything stops afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
USERS=${USERS:-20}
DUUR=${DUUR:-60s}
WERK=$(mktemp -d)
gunicorn_pid=""
opruimen() {
  if [ -n "$gunicorn_pid" ] && kill -0 "$gunicorn_pid" 2>/dev/null; then
    kill -TERM "$gunicorn_pid"; wait "$gunicorn_pid" 2>/dev/null || true
  fi
  rm -rf "$WERK"
}
trap opruimen EXIT

if [ ! -x .venv-belasting/bin/locust ]; then
  echo "locust installeren in .venv-belasting (los van de test-venv) ..."
  "$PYTHON" -m venv .venv-belasting
  .venv-belasting/bin/python -m pip install -q -r benchmarks/belasting/requirements.txt
fi

export DEBUG=False SECRET_KEY
SECRET_KEY=$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(50))')
export DATABASE_URL=${DATABASE_URL:-sqlite:///$WERK/db.sqlite3}
export MEDIA_ROOT=$WERK/media ALLOWED_HOSTS=127.0.0.1 OTP_VERPLICHT=True
# Plain http on loopback: no HTTPS redirect, no secure-only cookies.
export SECURE_SSL_REDIRECT=False SESSION_COOKIE_SECURE=False CSRF_COOKIE_SECURE=False SECURE_HSTS_SECONDS=0
export BELASTING_GEBRUIKERS=$WERK/gebruikers.json BELASTING_AANTAL=$USERS
export WEB_CONCURRENCY=${WEB_CONCURRENCY:-$(( $(nproc) * 2 + 1 ))}
PORT=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "Database: ${DATABASE_URL%%:*}; gegevens laden ..."
"$PYTHON" manage.py bootstrap -v0 >/dev/null
"$PYTHON" manage.py shell -c "exec(open('benchmarks/belasting/gebruikers.py').read())"

PORT=$PORT BIND=127.0.0.1 PIDFILE=$WERK/gunicorn.pid PYTHON=$PYTHON bash scripts/serve.sh >"$WERK/gunicorn.log" 2>&1 &
gunicorn_pid=$!
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$PORT/gezond/" >/dev/null 2>&1 && break
  kill -0 "$gunicorn_pid" 2>/dev/null || { cat "$WERK/gunicorn.log"; exit 1; }
  sleep 0.5
done
echo "gunicorn ($WEB_CONCURRENCY workers, $(nproc) kernen, belasting $(cut -d' ' -f1 /proc/loadavg)) op http://127.0.0.1:$PORT; locust: $USERS gebruikers, $DUUR"
timeout 300 .venv-belasting/bin/locust -f benchmarks/belasting/locustfile.py --headless --only-summary \
  -u "$USERS" -r "$USERS" -t "$DUUR" --stop-timeout 10 --host "http://127.0.0.1:$PORT" \
  --csv "$WERK/uitslag" >"$WERK/locust.log" 2>&1 || true
echo
status=0
"$PYTHON" benchmarks/belasting/samenvatting.py "$WERK/uitslag_stats.csv" || status=$?
if grep -q " 5[0-9][0-9] " "$WERK/gunicorn.log"; then
  echo "Serverfouten in het gunicorn-log:"; grep " 5[0-9][0-9] " "$WERK/gunicorn.log" | head -5
fi
exit $status
