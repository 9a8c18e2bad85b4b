-- Runs once, when the postgresql container initialises an empty data volume
-- (/docker-entrypoint-initdb.d), as POSTGRES_USER against the default database.
--
-- Temporal's own databases (`temporal`, `temporal_visibility`) are created by the temporal
-- service's auto-setup; this only adds the application's database, used via DATABASE_URL.
-- An existing volume is not re-initialised: after changing this file, `docker compose down -v`.
CREATE DATABASE complaints;
