#!/usr/bin/env bash
# Applies Orleans' PostgreSQL schema (membership, grain storage and reminders) to a RiskAlign cluster database.
#
#   Silo/Sql/apply-schema.sh [psql connection arguments...]
#
# The arguments go to psql as they are, so anything psql accepts works, for example
#   Silo/Sql/apply-schema.sh -h db.lab -p 5432 -U riskalign -d riskalign       (password from PGPASSWORD or ~/.pgpass)
#   Silo/Sql/apply-schema.sh "postgresql://riskalign:secret@db.lab:5432/riskalign"
# With no arguments psql uses PGHOST, PGPORT, PGUSER, PGDATABASE and PGPASSWORD.
#
# The script runs in one transaction and stops at the first error. It creates only what is missing and rewrites the
# stored queries, so running it again (or on a database that already has the schema) is safe. Run it as the role the
# silos connect with, or grant that role access to the tables and functions afterwards.
set -euo pipefail
script="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/orleans-10.4.2-postgresql.sql"
if ! command -v psql >/dev/null 2>&1; then
  echo "error: psql not found (Debian/Ubuntu: apt-get install postgresql-client)" >&2
  exit 1
fi
PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning" \
  psql "$@" --no-psqlrc --quiet -v ON_ERROR_STOP=1 --single-transaction -f "$script"
echo "applied $(basename "$script")" >&2
