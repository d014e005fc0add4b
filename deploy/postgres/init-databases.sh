#!/usr/bin/env bash
# PostgreSQL image init script (/docker-entrypoint-initdb.d): one database per service.
# Runs once, when the data volume is empty.
set -euo pipefail
for db in ${SERVICE_DATABASES:-dealers requisitions returns settlement}; do
  echo "creating database $db"
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
    -c "CREATE DATABASE \"$db\" OWNER \"${POSTGRES_USER:-postgres}\""
done
