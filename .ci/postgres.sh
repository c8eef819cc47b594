#!/usr/bin/env bash
# Starts a private PostgreSQL server for the tests and prints the Npgsql connection string of its database
# `riskalign`, which holds Orleans' schema (Silo/Sql/orleans-10.4.2-postgresql.sql). .ci/run exports it as
# RISKALIGN_TEST_POSTGRES; alone:  export RISKALIGN_TEST_POSTGRES="$(.ci/postgres.sh)"
#
# Installs Debian's postgresql package when no server binaries are present (needs root). The server is its own
# cluster (initdb) in RISKALIGN_PG_DATA (default /tmp/riskalign-pg-PORT), owned by the postgres user when run as
# root, listening on 127.0.0.1:RISKALIGN_PG_PORT (default 55432) only, so it neither needs nor touches the
# distribution's cluster on 5432. Running it again reuses the data directory and the running server, keeps the
# database and re-applies the (idempotent) schema. Stop the server with:
#   pg_ctl stop -D /tmp/riskalign-pg-55432   (as the postgres user when started as root)
# Progress goes to stderr; stdout is the connection string only.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${RISKALIGN_PG_PORT:-55432}"
data="${RISKALIGN_PG_DATA:-/tmp/riskalign-pg-$port}"
password="${RISKALIGN_PG_PASSWORD:-riskalign-ci}"
log() { echo "postgres: $*" >&2; }

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [ -z "$(bindir)" ] || [ ! -x "$(bindir)/initdb" ] || ! command -v psql >/dev/null 2>&1; then
  log "installing Debian's postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
bin="$(bindir)"

# As root, the server runs as the postgres user (PostgreSQL refuses to run as root).
if [ "$(id -u)" -eq 0 ]; then
  as_owner() { runuser -u postgres -- "$@"; }
  owner=postgres
else
  as_owner() { "$@"; }
  owner="$(id -un)"
fi

if [ ! -s "$data/PG_VERSION" ]; then
  log "initdb $data"
  mkdir -p "$data"
  chown "$owner" "$data"
  chmod 700 "$data"
  as_owner "$bin/initdb" -D "$data" -U postgres -E UTF8 --no-locale \
    --auth-local=trust --auth-host=scram-sha-256 >"$data.initdb.log" 2>&1 \
    || { cat "$data.initdb.log" >&2; exit 1; }
fi

if as_owner "$bin/pg_ctl" status -D "$data" >/dev/null 2>&1; then
  log "server in $data already running"
else
  log "starting server on 127.0.0.1:$port"
  if ! as_owner "$bin/pg_ctl" start -D "$data" -l "$data/server.log" -w -t 60 \
      -o "-p $port -k $data -c listen_addresses=127.0.0.1" >&2; then
    tail -n 20 "$data/server.log" >&2 || true
    exit 1
  fi
fi

# Superuser over the server's own socket (trust), then everything else as the riskalign role over TCP.
su_psql() { psql -h "$data" -p "$port" -U postgres -d postgres --no-psqlrc -qAt -v ON_ERROR_STOP=1 "$@"; }
su_psql -v pw="$password" <<'SQL'
SELECT format('CREATE ROLE riskalign LOGIN CREATEDB PASSWORD %L', :'pw')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'riskalign') \gexec
SELECT format('ALTER ROLE riskalign LOGIN CREATEDB PASSWORD %L', :'pw') \gexec
SELECT 'CREATE DATABASE riskalign OWNER riskalign'
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'riskalign') \gexec
SQL

PGPASSWORD="$password" Silo/Sql/apply-schema.sh -h 127.0.0.1 -p "$port" -U riskalign -d riskalign
log "database riskalign ready on 127.0.0.1:$port"
echo "Host=127.0.0.1;Port=$port;Database=riskalign;Username=riskalign;Password=$password"
