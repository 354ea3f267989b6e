#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster on loopback for the store tests; print its URL.
# Usage: eval "$(bash scripts/postgres.sh)"   (sets TKPKD_TEST_POSTGRES_URL)
set -euo pipefail
PORT="${TKPKD_TEST_PG_PORT:-54329}"
DIR="${TKPKD_TEST_PG_DIR:-/tmp/tkpkd-pg}"
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
RUN_AS=()
# PostgreSQL refuses to run as root; Debian's package creates the postgres user.
if [ "$(id -u)" = "0" ]; then RUN_AS=(runuser -u postgres --); fi
if [ ! -f "$DIR/PG_VERSION" ]; then
  mkdir -p "$DIR"
  [ "$(id -u)" = "0" ] && chown postgres "$DIR"
  "${RUN_AS[@]}" "$BIN/initdb" -D "$DIR" -U postgres --auth=trust >/dev/null
fi
if ! "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
  "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR" -l "$DIR/log" -w \
    -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1" start >/dev/null
fi
"${RUN_AS[@]}" "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = 'tkpkd_test'" | grep -q 1 ||
  "${RUN_AS[@]}" "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres tkpkd_test
echo "export TKPKD_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:$PORT/tkpkd_test"
