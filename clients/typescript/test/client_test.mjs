// @tenantdb/client against a real `tenantdb serve` (TENANTDB_BIN, or argv[2]) on a
// loopback port: login and query, a live subscription (snapshot, insert, update, delete),
// resume after a dropped connection and after kill -9 of the server (every change written
// while the client was away arrives once, in order), a resync for a live window, errors.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { test, after } from 'node:test';
import WebSocket from 'ws';

import { TenantdbClient, TenantdbError } from '../src/index.js';

const binary = process.env.TENANTDB_BIN ?? process.argv[2];
if (!binary) throw new Error('set TENANTDB_BIN to the tenantdb binary');
const dir = mkdtempSync(join(tmpdir(), 'tdb_ts_client_'));
const rootPassword = 'ts-client-root-password';
const live = new Set();

function startServer(listen = '127.0.0.1:0') {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['serve', '--data', join(dir, 'data'), '--listen', listen], {
      env: {
        ...process.env,
        TENANTDB_ROOT_PASSWORD: rootPassword,
        TENANTDB_LOGGING_LEVEL: 'warn',
        TENANTDB_PGWIRE_ENABLED: 'false', // tests run in parallel: no fixed 5433
        ASAN_OPTIONS: 'detect_leaks=0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 60000);
    const onData = (d) => {
      out += d;
      const m = /listening on (http:\/\/[0-9.]+:(\d+))/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], port: m[2] });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      live.delete(child);
      clearTimeout(timer);
      reject(new Error(`serve exited ${code}:\n${out}`));
    });
  });
}

function stop(child, signal = 'SIGTERM') {
  return new Promise((resolve) => {
    if (!live.has(child)) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

after(async () => {
  for (const child of live) await stop(child, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

// Resolves once `predicate()` holds, polling; fails after `ms`.
async function until(predicate, what, ms = 20000) {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// A subscription's view of its rows, built only from the changes it was sent.
function mirror() {
  const rows = new Map();
  const log = [];
  return {
    rows,
    log,
    onChange(change) {
      log.push(change);
      if (change.type === 'resync') rows.clear();
      if (change.type === 'initial' || change.type === 'insert' || change.type === 'update') {
        for (const row of change.rows) rows.set(row[0], row);
      }
      if (change.type === 'delete') for (const row of change.rows) rows.delete(row[0]);
    },
  };
}

let server;

test('login, query and errors', async () => {
  server = await startServer();
  const admin = new TenantdbClient(server.url);
  await admin.login('root', rootPassword);
  await admin.query('CREATE NAMESPACE chat');
  await admin.query(
    "CREATE TABLE chat.messages (id BIGINT PRIMARY KEY, thread_id TEXT NOT NULL, body TEXT) WITH (TYPE = 'USER')",
  );
  await admin.query("CREATE USER alice PASSWORD 'alice-password-1' ROLE user");
  await admin.query("CREATE USER bob PASSWORD 'bob-password-1' ROLE user");

  const alice = new TenantdbClient(server.url, { WebSocket });
  const user = await alice.login('alice', 'alice-password-1');
  assert.deepEqual(user, { id: 'alice', role: 'user' });
  const [inserted] = await alice.query('INSERT INTO chat.messages VALUES ($1, $2, $3)', [1, 't1', 'hi']);
  assert.equal(inserted.message, 'INSERT 0 1');
  const [selected] = await alice.query('SELECT id, body FROM chat.messages');
  assert.deepEqual(selected.rows, [[1, 'hi']]);
  assert.deepEqual(selected.schema.map((c) => c.name), ['id', 'body']);

  await assert.rejects(alice.query('SELECT nosuch FROM chat.messages'), (e) => {
    assert.ok(e instanceof TenantdbError);
    assert.equal(e.code, 'undefined_column');
    assert.equal(e.sqlstate, '42703');
    assert.equal(e.position, 8);
    assert.equal(e.status, 400);
    return true;
  });
  await assert.rejects(new TenantdbClient(server.url).login('alice', 'wrong-password'), (e) => e.status === 401);
  await assert.rejects(new TenantdbClient(server.url).query('SELECT 1'), /not logged in/);
  alice.close();
});

test('a subscription sees its snapshot and every change, and resumes after a dropped connection', async () => {
  const alice = new TenantdbClient(server.url, { WebSocket, reconnect: { initialDelayMs: 20 } });
  await alice.login('alice', 'alice-password-1');
  const bob = new TenantdbClient(server.url);
  await bob.login('bob', 'bob-password-1');
  await bob.query('INSERT INTO chat.messages VALUES (1, $1, $2)', ['t1', "bob's"]);

  const view = mirror();
  const errors = [];
  const sub = alice.subscribe("SELECT id, body FROM chat.messages WHERE thread_id = 't1'", {
    onChange: view.onChange,
    onError: (e) => errors.push(e),
  });
  await until(() => view.log.some((c) => c.type === 'ready'), 'the snapshot');
  assert.deepEqual([...view.rows.values()], [[1, 'hi']], JSON.stringify(view.log)); // alice's row only

  await alice.query("INSERT INTO chat.messages VALUES (2, 't1', 'second'), (3, 't2', 'other thread')");
  await alice.query("UPDATE chat.messages SET body = 'hello' WHERE id = 1");
  await alice.query('DELETE FROM chat.messages WHERE id = 2');
  await bob.query("INSERT INTO chat.messages VALUES (9, 't1', 'not for alice')");
  await until(() => view.log.some((c) => c.type === 'delete'), 'the delete');
  assert.deepEqual([...view.rows.values()], [[1, 'hello']]);
  const seqs = view.log.filter((c) => c.seq !== undefined && c.type !== 'ready').map((c) => c.seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));

  // Dropped: the changes made meanwhile arrive after the reconnect, once each.
  alice.dropConnection();
  const writer = new TenantdbClient(server.url);
  await writer.login('alice', 'alice-password-1');
  for (let id = 10; id < 30; ++id) {
    await writer.query("INSERT INTO chat.messages VALUES ($1, 't1', 'while away')", [id]);
  }
  await until(() => view.rows.size === 21, 'the 20 changes made while away');
  const inserts = view.log.filter((c) => c.type === 'insert').flatMap((c) => c.rows.map((r) => r[0]));
  assert.equal(new Set(inserts).size, inserts.length, `no change twice: ${inserts}`);
  assert.equal(view.log.filter((c) => c.type === 'resync').length, 0);
  const [fresh] = await writer.query("SELECT id, body FROM chat.messages WHERE thread_id = 't1' ORDER BY id");
  assert.deepEqual([...view.rows.values()].sort((a, b) => a[0] - b[0]), fresh.rows);
  assert.deepEqual(errors, []);
  assert.ok(sub.lastSeq > 0);
  sub.unsubscribe();
  alice.close();
});

test('resume after kill -9 of the server: acknowledged changes arrive once, in order', async () => {
  const alice = new TenantdbClient(server.url, { WebSocket, reconnect: { initialDelayMs: 50, maxDelayMs: 500 } });
  await alice.login('alice', 'alice-password-1');
  const view = mirror();
  alice.subscribe("SELECT id, body FROM chat.messages WHERE thread_id = 't9'", { onChange: view.onChange });
  await until(() => view.log.some((c) => c.type === 'ready'), 'the snapshot');
  await alice.query("INSERT INTO chat.messages VALUES (100, 't9', 'before the crash')");
  await until(() => view.rows.has(100), 'the first insert');

  const port = server.port;
  await stop(server.child, 'SIGKILL');
  server = await startServer(`127.0.0.1:${port}`);
  const writer = new TenantdbClient(server.url);
  await writer.login('alice', 'alice-password-1');
  for (let id = 101; id <= 110; ++id) {
    await writer.query("INSERT INTO chat.messages VALUES ($1, 't9', 'after the restart')", [id]);
  }
  await until(() => view.rows.size === 11, 'the changes after the restart', 30000);
  const ids = view.log.filter((c) => c.type === 'insert').flatMap((c) => c.rows.map((r) => r[0]));
  assert.deepEqual(ids, [100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110]);
  alice.close();
});

test('a live window starts over after a reconnect; a bad subscription reports its error', async () => {
  const alice = new TenantdbClient(server.url, { WebSocket, reconnect: { initialDelayMs: 20 } });
  await alice.login('alice', 'alice-password-1');
  const view = mirror();
  alice.subscribe("SELECT id, body FROM chat.messages WHERE thread_id = 't9' ORDER BY id DESC LIMIT 3", {
    onChange: view.onChange,
  });
  await until(() => view.log.some((c) => c.type === 'ready'), 'the window');
  assert.deepEqual([...view.rows.keys()].sort(), [108, 109, 110]);
  alice.dropConnection();
  await until(() => view.log.filter((c) => c.type === 'ready').length === 2, 'the window again');
  assert.ok(view.log.some((c) => c.type === 'resync'));
  assert.deepEqual([...view.rows.keys()].sort(), [108, 109, 110]);

  const errors = [];
  alice.subscribe('SELECT nosuch FROM chat.messages', { onError: (e) => errors.push(e) });
  await until(() => errors.length === 1, 'the error');
  assert.equal(errors[0].code, 'undefined_column');
  alice.close();
});

test('ALTER TABLE: the subscription starts over with the new columns; DROP TABLE ends it', async () => {
  const admin = new TenantdbClient(server.url);
  await admin.login('root', rootPassword);
  await admin.query("CREATE TABLE chat.notes (id BIGINT PRIMARY KEY, body TEXT) WITH (TYPE = 'USER')");
  const alice = new TenantdbClient(server.url, { WebSocket });
  await alice.login('alice', 'alice-password-1');
  await alice.query("INSERT INTO chat.notes VALUES (1, 'one')");
  const view = mirror();
  const errors = [];
  const sub = alice.subscribe('SELECT * FROM chat.notes', { onChange: view.onChange, onError: (e) => errors.push(e) });
  await until(() => view.log.some((c) => c.type === 'ready'), 'the snapshot');
  assert.deepEqual(sub.schema.map((c) => c.name), ['id', 'body']);

  await admin.query('ALTER TABLE chat.notes ADD COLUMN mood TEXT');
  await until(() => view.log.filter((c) => c.type === 'ready').length === 2, 'the snapshot after ALTER TABLE');
  assert.ok(view.log.some((c) => c.type === 'resync'));
  assert.deepEqual(sub.schema.map((c) => c.name), ['id', 'body', 'mood']);
  await alice.query("INSERT INTO chat.notes VALUES (2, 'two', 'happy')");
  await until(() => view.rows.has(2), 'a change with the new column');
  assert.deepEqual(view.rows.get(2), [2, 'two', 'happy']);
  assert.deepEqual(errors, []);

  await admin.query('DROP TABLE chat.notes');
  await until(() => errors.length === 1, 'the end of the subscription');
  assert.equal(errors[0].code, 'table_dropped');
  assert.equal(errors[0].subscriptionId, sub.id);
  alice.close();
  admin.close();
  await stop(server.child);
});
