CREATE TABLE all_types (
  b BOOLEAN,
  s SMALLINT,
  i INT,
  g BIGINT,
  r REAL,
  d DOUBLE,
  t TEXT,
  y BYTEA,
  dt DATE,
  ts TIMESTAMP,
  tz TIMESTAMPTZ,
  j JSON,
  u UUID
)