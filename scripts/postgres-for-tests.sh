#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server on 127.0.0.1 for the test suite and prints the variables the tests read:
#   eval "$(scripts/postgres-for-tests.sh)" && ./mvnw verify
# Installs Debian's postgresql package when no server binaries are found (needs root, as on CI machines).
# The server refuses to run as root, so the cluster belongs to the postgres user.
set -euo pipefail
PORT="${CLEARANCE_TEST_PG_PORT:-55432}"
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(pg_bin)" ]; then
  echo "installing postgresql from Debian's packages" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
BIN="$(pg_bin)"
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
DIR="${CLEARANCE_TEST_PG_DIR:-/tmp/clearance-test-pg}"
if ! as_postgres "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
  rm -rf "$DIR"
  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$DIR"
  as_postgres "$BIN/initdb" -D "$DIR" -U postgres --auth=trust -E UTF8 >/dev/null
  # fsync off: the tests kill the application, never this server, so its durability is not what is tested
  as_postgres "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >&2
fi
echo "export CLEARANCE_TEST_PG_URL=jdbc:postgresql://127.0.0.1:$PORT/postgres"
echo "export CLEARANCE_TEST_PG_USER=postgres"
echo "export CLEARANCE_TEST_PG_PASSWORD="
