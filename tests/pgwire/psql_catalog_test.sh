#!/usr/bin/env bash
# psql's catalog commands against a real `tenantdb serve` (started here as psql_test.sh
# starts it): \d, \d TABLE, \dt, \dv, \d VIEW, \dn, \du, \l, \df, \conninfo and \timing run the
# queries psql 15 sends (pg_catalog, OPERATOR(pg_catalog.~), ::regclass, ARRAY(...),
# format_type, pg_get_indexdef, ...) and must print the right content: columns, types,
# nullability, defaults, the primary-key index, schemas, roles, the database. The
# expected output is psql's own formatting of what PostgreSQL 15 prints for the same
# schema, with tenantdb's owner (root) and database (tenantdb).
set -uo pipefail

TENANTDB=${1:?usage: psql_catalog_test.sh /path/to/tenantdb}
if ! command -v psql >/dev/null 2>&1; then
  echo "psql_catalog_test.sh: FAIL: psql is missing (apt-get install postgresql-client)" >&2
  exit 1
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tenantdb-psqlcat.XXXXXX")
source "$(dirname "$0")/serve_fixture.sh"
source "$(dirname "$0")/../cli/assertions.sh"
# expect_eq WHAT GOT EXPECTED: EXPECTED's trailing newline (psql's blank line after a
# table) is dropped, as $(...) drops GOT's.
expect_eq() {
  if [[ "$2" != "${3%$'\n'}" ]]; then
    fail "$1:"$'\n'"--- expected ---"$'\n'"$3"$'\n'"--- got ---"$'\n'"$2"
  fi
}

start_serve "$WORK"

q root "$ROOT_PASSWORD" <<'SQL'
CREATE NAMESPACE shop;
CREATE TABLE shop.items (id BIGINT PRIMARY KEY, name TEXT NOT NULL, price DOUBLE DEFAULT 1.5, added DATE, tags JSON) WITH (TYPE = 'SHARED', ACCESS_LEVEL = 'PUBLIC');
CREATE TABLE notes (id BIGINT PRIMARY KEY, owner_id UUID NOT NULL, body TEXT, at TIMESTAMPTZ DEFAULT NOW(), n SMALLINT, flag BOOLEAN DEFAULT true) WITH (TYPE = 'USER');
CREATE TABLE events (msg TEXT, level INT) WITH (TYPE = 'SHARED', ACCESS_LEVEL = 'PUBLIC');
CREATE USER 'alice' WITH PASSWORD 'alice-secret-1' ROLE user;
SQL
[[ "$RC" -eq 0 ]] || fail "setup: exit $RC: $OUT"

# \d and \dt: the relations on the search path (the session's namespace, public), each
# a table owned by root (tenantdb's tables have no owner; root may do everything).
q root "$ROOT_PASSWORD" -c '\d'
expect_eq '\d' "$OUT" "        List of relations
 Schema |  Name  | Type  | Owner 
--------+--------+-------+-------
 public | events | table | root
 public | notes  | table | root
(2 rows)
"
q root "$ROOT_PASSWORD" -c '\dt'
expect_eq '\dt' "$OUT" "        List of relations
 Schema |  Name  | Type  | Owner 
--------+--------+-------+-------
 public | events | table | root
 public | notes  | table | root
(2 rows)
"
q root "$ROOT_PASSWORD" -c '\dt shop.*'
expect_eq '\dt shop.*' "$OUT" "       List of relations
 Schema | Name  | Type  | Owner 
--------+-------+-------+-------
 shop   | items | table | root
(1 row)
"

# \d TABLE: types as PostgreSQL names them, NOT NULL, defaults as written, the
# primary-key index.
q root "$ROOT_PASSWORD" -c '\d notes'
expect_eq '\d notes' "$OUT" "                         Table \"public.notes\"
  Column  |           Type           | Collation | Nullable | Default 
----------+--------------------------+-----------+----------+---------
 id       | bigint                   |           | not null | 
 owner_id | uuid                     |           | not null | 
 body     | text                     |           |          | 
 at       | timestamp with time zone |           |          | now()
 n        | smallint                 |           |          | 
 flag     | boolean                  |           |          | TRUE
Indexes:
    \"notes_pkey\" PRIMARY KEY, btree (id)
"
q root "$ROOT_PASSWORD" -c '\d shop.items'
expect_eq '\d shop.items' "$OUT" "                     Table \"shop.items\"
 Column |       Type       | Collation | Nullable | Default 
--------+------------------+-----------+----------+---------
 id     | bigint           |           | not null | 
 name   | text             |           | not null | 
 price  | double precision |           |          | 1.5
 added  | date             |           |          | 
 tags   | json             |           |          | 
Indexes:
    \"items_pkey\" PRIMARY KEY, btree (id)
"
# A SHARED table without a primary key: no index (its hidden _rowid is not a column).
q root "$ROOT_PASSWORD" -c '\d events'
expect_eq '\d events' "$OUT" "               Table \"public.events\"
 Column |  Type   | Collation | Nullable | Default 
--------+---------+-----------+----------+---------
 msg    | text    |           |          | 
 level  | integer |           |          | "
q root "$ROOT_PASSWORD" -c '\d nosuch'
expect_eq '\d nosuch' "$OUT" "Did not find any relation named \"nosuch\"."
[[ "$RC" -eq 1 ]] || fail "\\d nosuch: expected exit 1, got $RC"

# \dn: namespaces as schemas (`default` is public; system holds the SYSTEM tables).
q root "$ROOT_PASSWORD" -c '\dn'
expect_eq '\dn' "$OUT" "List of schemas
  Name  | Owner 
--------+-------
 public | root
 shop   | root
 system | root
(3 rows)
"

# \du: users as roles; root is the superuser, alice (role user) has no attributes.
q root "$ROOT_PASSWORD" -c '\du'
expect_eq '\du' "$OUT" "                       List of roles
 Role name |             Attributes             | Member of 
-----------+------------------------------------+-----------
 alice     |                                    | {}
 root      | Superuser, Create role, Bypass RLS | {}
"

# \l: the one database.
q root "$ROOT_PASSWORD" -c '\l'
expect_eq '\l' "$OUT" "                                        List of databases
   Name   | Owner | Encoding | Collate | Ctype | ICU Locale | Locale Provider | Access privileges 
----------+-------+----------+---------+-------+------------+-----------------+-------------------
 tenantdb | root  | UTF8     | C       | C     |            | libc            | 
(1 row)
"

# \df: tenantdb has no user-defined functions.
q root "$ROOT_PASSWORD" -c '\df'
expect_eq '\df' "$OUT" "                       List of functions
 Schema | Name | Result data type | Argument data types | Type 
--------+------+------------------+---------------------+------
(0 rows)
"

# \conninfo and \timing.
q root "$ROOT_PASSWORD" -c '\conninfo'
contains '\conninfo' "$OUT" "You are connected to database \"anydb\" as user \"root\" on host \"127.0.0.1\" at port \"$PORT\"."
q root "$ROOT_PASSWORD" <<'SQL'
\timing on
SELECT count(*) FROM pg_catalog.pg_class WHERE relname = 'notes';
SQL
contains '\timing' "$OUT" "Timing is on.
 count 
-------
     1
(1 row)

Time: "

# Views: \dv lists them (relkind 'v'), \d shows a view's columns as recorded, and
# information_schema.tables says VIEW.
q root "$ROOT_PASSWORD" <<'SQL'
CREATE VIEW shop.cheap (item, cost) AS SELECT name, price FROM shop.items WHERE price < 10;
SQL
[[ "$RC" -eq 0 ]] || fail "create view: exit $RC: $OUT"
q root "$ROOT_PASSWORD" -c '\dv shop.*'
expect_eq '\dv shop.*' "$OUT" "       List of relations
 Schema | Name  | Type | Owner 
--------+-------+------+-------
 shop   | cheap | view | root
(1 row)
"
q root "$ROOT_PASSWORD" -c '\d shop.cheap'
expect_eq '\d shop.cheap' "$OUT" "                     View \"shop.cheap\"
 Column |       Type       | Collation | Nullable | Default 
--------+------------------+-----------+----------+---------
 item   | text             |           |          | 
 cost   | double precision |           |          | 
"
q root "$ROOT_PASSWORD" -A -t -c "SELECT table_name || ' ' || table_type FROM information_schema.tables WHERE table_schema = 'shop' ORDER BY 1"
expect_eq 'information_schema.tables' "$OUT" "cheap VIEW
items BASE TABLE"
q root "$ROOT_PASSWORD" -A -t -c "SELECT pg_get_viewdef('shop.cheap'::regclass)"
contains 'pg_get_viewdef' "$OUT" "SELECT name, price FROM shop.items WHERE"
q root "$ROOT_PASSWORD" -c "DROP VIEW shop.cheap"

# A user sees the catalog as system.tables shows it, and the roles system.users shows
# it (itself and root); after USE shop, \d lists shop's tables.
q alice alice-secret-1 -c '\du'
expect_eq '\du as alice' "$OUT" "                       List of roles
 Role name |             Attributes             | Member of 
-----------+------------------------------------+-----------
 alice     |                                    | {}
 root      | Superuser, Create role, Bypass RLS | {}
"
q alice alice-secret-1 -A -t -c "SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_schema IN ('public', 'shop') ORDER BY 1"
expect_eq 'information_schema.tables as alice' "$OUT" "public.events
public.notes
shop.items"
q root "$ROOT_PASSWORD" -c 'USE shop' -c '\d'
expect_eq '\d after USE shop' "$OUT" "USE
       List of relations
 Schema | Name  | Type  | Owner 
--------+-------+-------+-------
 shop   | items | table | root
(1 row)
"

# What drivers send at connect is accepted (psycopg2, node-postgres, JDBC).
q root "$ROOT_PASSWORD" -A -t <<'SQL'
SET extra_float_digits = 3;
SET application_name = 'PostgreSQL JDBC Driver';
SET DateStyle = 'ISO';
SET client_encoding = 'UTF8';
SHOW application_name;
SELECT current_setting('extra_float_digits'), current_schema(), current_database();
SQL
expect_eq 'driver settings' "$OUT" "SET
SET
SET
SET
PostgreSQL JDBC Driver
3|public|tenantdb"

if [[ "$FAILURES" -gt 0 ]]; then
  echo "psql_catalog_test.sh: $FAILURES failure(s)" >&2
  exit 1
fi
echo "psql_catalog_test.sh: all passed"
