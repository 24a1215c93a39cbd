#!/bin/sh
# Runs once, when the PostgreSQL volume is new: the extensions dalin needs and the app role
# every dalin process logs in as. `dalin db migrate` (the migrate service) then creates the
# schema as the owner and grants this role its rights.
set -eu
psql -v ON_ERROR_STOP=1 -v app_password="$DALIN_APP_PASSWORD" \
    --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS btree_gin;
CREATE ROLE dalin_app LOGIN PASSWORD :'app_password';
SQL
