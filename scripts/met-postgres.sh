#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL server on loopback:
#   scripts/met-postgres.sh pytest ...
# initdb in a temporary directory, a free port, DATABASE_URL exported, and the
# server stopped and removed afterwards, whatever the command's outcome.
set -euo pipefail
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "Geen PostgreSQL-server gevonden (installeer het Debian-pakket postgresql)." >&2
  exit 1
fi
PYTHON=${PYTHON:-python3}
PGROOT=$(mktemp -d)
als_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$PGROOT"
  als_pg=(runuser -u postgres --)
fi
stop() {
  "${als_pg[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PGROOT"
}
trap stop EXIT
PGPORT=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${als_pg[@]}" "$PGBIN/initdb" -D "$PGROOT/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$PGROOT/initdb.log"
PG_OPTS="-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGROOT -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
"${als_pg[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w -t 60 -o "$PG_OPTS" start >/dev/null
"$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres g40
export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/g40"
# For tests that stop and restart the server (tests/test_storingen.py): pg_ctl -D "$PGDATA_DIR"
# -o "$PG_OPTS" -l "$PGLOG", run as "$PG_ALS" (runuser when we are root; initdb refuses root).
export PGBIN PG_OPTS PGDATA_DIR="$PGROOT/data" PGLOG="$PGROOT/server.log" PG_ALS="${als_pg[*]}"
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') draait op 127.0.0.1:$PGPORT"
"$@"
