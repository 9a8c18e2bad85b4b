#!/bin/sh
# Runs once, when the postgresql container initialises an empty data volume
# (/docker-entrypoint-initdb.d), as the `postgres` superuser over the local socket.
#
# One role per component, none a superuser, each owning only its own databases:
#   temporal           the Temporal server: `temporal` and `temporal_visibility`
#                      (auto-setup installs the schemas; their `btree_gin` extension is a
#                      trusted one, which a database owner may create without being a superuser)
#   complaint_archive  the api and worker: `complaints` (the archive creates its own tables)
# Grafana reads Prometheus only, so it has no role. The passwords come from the container's
# environment (docker-compose.yml, from your .env); psql quotes them (:'var'), so any
# character is safe here.
#
# An existing volume is not re-initialised: after changing this file, `docker compose down -v`;
# after changing a password in .env, `ALTER ROLE … PASSWORD …` as postgres (docs/operations.md).
set -eu

: "${TEMPORAL_DB_PASSWORD:?TEMPORAL_DB_PASSWORD is not set}"
: "${ARCHIVE_DB_PASSWORD:?ARCHIVE_DB_PASSWORD is not set}"

psql --no-psqlrc -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v temporal_password="$TEMPORAL_DB_PASSWORD" \
  -v archive_password="$ARCHIVE_DB_PASSWORD" <<'SQL'
CREATE ROLE temporal WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD :'temporal_password';
CREATE ROLE complaint_archive WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD :'archive_password';

CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;
CREATE DATABASE complaints OWNER complaint_archive;

-- Only each database's owner (and the superuser) connects to it.
REVOKE ALL ON DATABASE temporal, temporal_visibility, complaints FROM PUBLIC;
SQL
