#!/usr/bin/python3
"""psycopg2 (Debian's python3-psycopg2, over libpq) against a real `tenantdb serve`.

Starts the server on a temporary data directory with both listeners on ephemeral
loopback ports, then: SCRAM login, DDL and DML with client-side parameters, every
tenantdb type read back as Python values (psycopg2's typecasters pick them by the OIDs
in RowDescription), NULLs, errors with pgcode and position, transactions and the failed
state, server-side cursors are not used (psycopg2's default cursors), cancel of a long
query (QueryCanceled, 57014). Stops the server at the end; exits non-zero on a failure.
"""
import datetime
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import psycopg2
import psycopg2.errors
import psycopg2.extensions

TENANTDB = sys.argv[1]
ROOT_PASSWORD = "root-secret-1"
failures = []


def check(name, got, expected):
    if got != expected:
        failures.append(f"{name}: expected {expected!r}, got {got!r}")


def main():
    work = tempfile.mkdtemp(prefix="tenantdb-psycopg2.")
    env = dict(os.environ, TENANTDB_ROOT_PASSWORD=ROOT_PASSWORD, TENANTDB_LOGGING_LEVEL="warn")
    server = subprocess.Popen(
        [TENANTDB, "serve", "--data", os.path.join(work, "data"), "--listen", "127.0.0.1:0",
         "--pg-listen", "127.0.0.1:0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    try:
        port = None
        deadline = time.time() + 60
        while port is None and time.time() < deadline:
            line = server.stdout.readline()
            if not line:
                break
            m = re.match(r"pgwire listening on 127\.0\.0\.1:(\d+)", line)
            if m:
                port = int(m.group(1))
        if port is None:
            print("FAIL: the server did not start", file=sys.stderr)
            return 1
        threading.Thread(target=server.stdout.read, daemon=True).start()
        run(port)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            check("server exit status", server.wait(timeout=60), 0)
        except subprocess.TimeoutExpired:
            server.kill()
            failures.append("server did not stop within 60 s of SIGTERM")
        shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print("FAIL:", f, file=sys.stderr)
    if failures:
        return 1
    print("psycopg2_test.py: all passed")
    return 0


def connect(port, user="root", password=ROOT_PASSWORD):
    return psycopg2.connect(host="127.0.0.1", port=port, user=user, password=password,
                            dbname="anything", connect_timeout=10)


def run(port):
    conn = connect(port)
    check("server_version", conn.server_version, 150000)
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("CREATE NAMESPACE py")
    cur.execute(
        "CREATE TABLE py.all_types (id BIGINT PRIMARY KEY, b BOOLEAN, i2 SMALLINT, i4 INT, "
        "f4 REAL, f8 DOUBLE, t TEXT, by BYTEA, d DATE, ts TIMESTAMP, tz TIMESTAMPTZ, j JSON, "
        "u UUID) WITH (TYPE = 'SHARED')")
    row = (1, True, -7, 123456, 1.5, -2.25, "héllo 'quoted'", psycopg2.Binary(b"\x00\x01\xff"),
           datetime.date(2024, 1, 31), datetime.datetime(2024, 1, 31, 12, 0, 0, 500000),
           datetime.datetime(2024, 1, 31, 14, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
           json.dumps({"a": [1, 2]}), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
    cur.execute("INSERT INTO py.all_types VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", row)
    check("insert rowcount", cur.rowcount, 1)
    cur.execute("INSERT INTO py.all_types (id) VALUES (%s)", (2,))
    cur.execute("SELECT * FROM py.all_types ORDER BY id")
    rows = cur.fetchall()
    check("column names", [d.name for d in cur.description],
          ["id", "b", "i2", "i4", "f4", "f8", "t", "by", "d", "ts", "tz", "j", "u"])
    first = rows[0]
    check("bigint", first[0], 1)
    check("boolean", first[1], True)
    check("smallint", first[2], -7)
    check("int", first[3], 123456)
    check("real", first[4], 1.5)
    check("double", first[5], -2.25)
    check("text", first[6], "héllo 'quoted'")
    check("bytea", bytes(first[7]), b"\x00\x01\xff")
    check("date", first[8], datetime.date(2024, 1, 31))
    check("timestamp", first[9], datetime.datetime(2024, 1, 31, 12, 0, 0, 500000))
    check("timestamptz", first[10].astimezone(datetime.timezone.utc),
          datetime.datetime(2024, 1, 31, 12, 0, tzinfo=datetime.timezone.utc))
    check("json", first[11], {"a": [1, 2]})  # psycopg2 parses json (OID 114)
    check("uuid text", str(first[12]), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
    check("nulls", rows[1][1:], (None,) * 12)

    # Arrays: psycopg2 parses int4[] (OID 1007) and text[] (1009) into Python lists by
    # the OIDs in RowDescription; Python lists go in as ARRAY[...] literals.
    cur.execute("CREATE TABLE py.arrays (id BIGINT PRIMARY KEY, n INT[], tags TEXT[], "
                "big BIGINT[]) WITH (TYPE = 'SHARED')")
    cur.execute("INSERT INTO py.arrays VALUES (%s, %s, %s, %s)",
                (1, [1, 2, None], ["a", "b c", 'q"uote', "NULL", ""], [2**53 + 1]))
    cur.execute("INSERT INTO py.arrays VALUES (2, '{}', NULL, ARRAY[]::bigint[])")
    cur.execute("SELECT n, tags, big FROM py.arrays ORDER BY id")
    check("array type oids", [d.type_code for d in cur.description], [1007, 1009, 1016])
    arrays = cur.fetchall()
    check("int[] as a list", arrays[0][0], [1, 2, None])
    check("text[] as a list", arrays[0][1], ["a", "b c", 'q"uote', "NULL", ""])
    check("bigint[] as a list", arrays[0][2], [2**53 + 1])
    check("empty and NULL arrays", arrays[1], ([], None, []))
    cur.execute("SELECT %s = ANY(n) FROM py.arrays WHERE id = 1", (2,))
    check("= ANY over a column", cur.fetchone(), (True,))

    # Errors: pgcode and the exception class psycopg2 maps it to.
    try:
        cur.execute("SELECT * FROM py.nope")
        failures.append("undefined table did not raise")
    except psycopg2.errors.UndefinedTable as e:
        check("undefined table pgcode", e.pgcode, "42P01")
    try:
        cur.execute("SELECT 1 +")
        failures.append("syntax error did not raise")
    except psycopg2.errors.SyntaxError as e:
        check("syntax error pgcode", e.pgcode, "42601")
        check("syntax error has a position", e.diag.statement_position is not None, True)

    # Transactions (psycopg2 opens one implicitly when autocommit is off).
    cur.execute("CREATE TABLE py.tx (id BIGINT PRIMARY KEY) WITH (TYPE = 'SHARED')")
    conn.autocommit = False
    cur.execute("INSERT INTO py.tx VALUES (1)")
    check("in transaction", conn.get_transaction_status(), psycopg2.extensions.TRANSACTION_STATUS_INTRANS)
    try:
        cur.execute("SELECT 1/0")
    except psycopg2.errors.DivisionByZero:
        pass
    check("failed transaction", conn.get_transaction_status(), psycopg2.extensions.TRANSACTION_STATUS_INERROR)
    try:
        cur.execute("SELECT 1")
        failures.append("statement in a failed transaction did not raise")
    except psycopg2.errors.InFailedSqlTransaction as e:
        check("25P02", e.pgcode, "25P02")
    conn.rollback()
    cur.execute("INSERT INTO py.tx VALUES (2)")
    conn.commit()
    cur.execute("SELECT id FROM py.tx")
    check("only the committed row", cur.fetchall(), [(2,)])
    conn.commit()

    # Cancel: a long cross join, cancelled from another thread.
    conn.autocommit = True
    cur.execute("CREATE TABLE py.big (id BIGINT PRIMARY KEY) WITH (TYPE = 'SHARED')")
    cur.execute("INSERT INTO py.big VALUES " + ",".join(f"({i})" for i in range(400)))
    timer = threading.Timer(0.5, conn.cancel)
    timer.start()
    started = time.time()
    try:
        cur.execute("SELECT count(*) FROM py.big a, py.big b, py.big c")
        failures.append("the long query was not cancelled")
    except psycopg2.errors.QueryCanceled as e:
        check("57014", e.pgcode, "57014")
    timer.join()
    check("cancelled promptly", time.time() - started < 20, True)
    cur.execute("SELECT 1")
    check("connection usable after cancel", cur.fetchone(), (1,))

    # COPY both ways with copy_expert: CSV in (NULL and "" apart), text out; a bad row
    # raises with its line and loads nothing.
    cur.execute("CREATE TABLE py.copied (id INT PRIMARY KEY, v TEXT) WITH (TYPE = 'SHARED')")
    data = "".join("%d,\"v %d, \"\"q\"\"\"\n" % (i, i) for i in range(1, 501)) + "501,\n502,\"\"\n"
    cur.copy_expert("COPY py.copied (id, v) FROM STDIN WITH (FORMAT csv)", io.StringIO(data))
    check("copy_expert in rowcount", cur.rowcount, 502)
    cur.execute("SELECT v IS NULL, v FROM py.copied WHERE id IN (7, 501, 502) ORDER BY id")
    check("copied values", cur.fetchall(), [(False, 'v 7, "q"'), (True, None), (False, "")])
    out = io.StringIO()
    cur.copy_expert("COPY (SELECT id, v FROM py.copied WHERE id >= 501 ORDER BY id) TO STDOUT", out)
    check("copy_expert out", out.getvalue(), "501\t\\N\n502\t\n")
    out = io.StringIO()
    cur.copy_expert("COPY py.copied TO STDOUT WITH (FORMAT csv, HEADER)", out)
    check("copy out csv lines", len(out.getvalue().splitlines()), 503)
    try:
        cur.copy_expert("COPY py.copied FROM STDIN", io.StringIO("900\tok\nnine\tbad\n"))
        failures.append("a bad COPY row did not raise")
    except psycopg2.errors.InvalidTextRepresentation as e:
        check("bad row pgcode", e.pgcode, "22P02")
        check("bad row names its line", "line 2, column id" in str(e), True)
    cur.execute("SELECT count(*) FROM py.copied")
    check("bad COPY loaded nothing", cur.fetchone(), (502,))

    # A user's session runs as that user.
    cur.execute("CREATE USER 'pyuser' WITH PASSWORD 'pyuser-secret-1' ROLE user")
    other = connect(port, "pyuser", "pyuser-secret-1")
    ocur = other.cursor()
    ocur.execute("SELECT CURRENT_USER")
    check("current_user", ocur.fetchone(), ("pyuser",))
    other.close()
    try:
        connect(port, "pyuser", "wrong")
        failures.append("wrong password connected")
    except psycopg2.OperationalError as e:
        check("wrong password message", "password authentication failed" in str(e), True)
    conn.close()


if __name__ == "__main__":
    sys.exit(main())
