#!/bin/sh
# Creates the Temporal databases on PostgreSQL and brings their schemas up to
# date. Runs in the temporalio/admin-tools image before the server starts; a
# second run finds the databases there and only applies missing versions.
set -eu

host="${POSTGRES_SEEDS:-postgresql}"
port="${DB_PORT:-5432}"
user="${POSTGRES_USER:-temporal}"
export SQL_PASSWORD="${POSTGRES_PWD:?POSTGRES_PWD must be set}"
schema=/etc/temporal/schema/postgresql/v12

until nc -z "$host" "$port"; do
  echo "waiting for PostgreSQL at $host:$port"
  sleep 2
done

for db in temporal temporal_visibility; do
  case "$db" in
    temporal) dir="$schema/temporal/versioned" ;;
    *) dir="$schema/visibility/versioned" ;;
  esac
  tool="temporal-sql-tool --plugin postgres12 --ep $host -p $port -u $user --db $db"
  # create fails when the database exists already, which is fine.
  $tool create || echo "database $db exists"
  $tool setup-schema -v 0.0 || echo "schema of $db is set up already"
  $tool update-schema -d "$dir"
done
echo "Temporal schema is up to date"
