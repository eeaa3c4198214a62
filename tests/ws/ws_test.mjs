// `tenantdb serve` as a separate process, its live-query WebSocket (GET /v1/ws) driven by
// npm's `ws` the way a browser or Node application would: login over HTTP, subscribe with
// a token, a snapshot and live changes, isolation between users, resume from a seq after
// a reconnect, ping/pong and bad messages.
//
// Usage: node ws_test.mjs path/to/tenantdb   (needs `npm ci --prefix tests/ws`)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';

let WebSocket;
try {
  ({ default: WebSocket } = await import('ws'));
} catch (e) {
  console.log('FAIL setup: npm `ws` is not installed: run `npm ci --prefix tests/ws` ' +
    '(scripts/test.sh does): ' + e.message);
  process.exit(1);
}

const binary = process.argv[2];
const dir = mkdtempSync(join(tmpdir(), 'tdb_ws_node_'));
const rootPassword = 'node-ws-root-password';
let server;
let failed = false;

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['serve', '--data', join(dir, 'data'), '--listen', '127.0.0.1:0'], {
      env: {
        ...process.env,
        TENANTDB_ROOT_PASSWORD: rootPassword,
        TENANTDB_LOGGING_LEVEL: 'warn',
        TENANTDB_PGWIRE_ENABLED: 'false',
        TENANTDB_WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: '3',
        ASAN_OPTIONS: 'detect_leaks=0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error('no "listening on" within 60s: ' + err)), 60000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${err}`)); });
  });
}

const basic = (user, password) => 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');

async function sql(user, text, params = []) {
  const password = user === 'root' ? rootPassword : `${user}-password-1`;
  const response = await fetch(`${server.url}/v1/api/sql`, {
    method: 'POST',
    headers: { Authorization: basic(user, password), 'Content-Type': 'application/json' },
    body: JSON.stringify({ sql: text, params }),
  });
  const json = await response.json();
  assert.equal(json.status, 'success', `${text}: ${JSON.stringify(json)}`);
  return json;
}

async function login(user) {
  const response = await fetch(`${server.url}/v1/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user, password: `${user}-password-1` }),
  });
  assert.equal(response.status, 200);
  return (await response.json()).access_token;
}

// A WebSocket with a queue of parsed messages and next(ms) to await the next one.
function open(query = '') {
  const ws = new WebSocket(server.url.replace('http://', 'ws://') + '/v1/ws' + query);
  const queue = [];
  const waiters = [];
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString());
    const waiter = waiters.shift();
    if (waiter) waiter.resolve(message); else queue.push(message);
  });
  ws.closed = new Promise((resolve) => ws.on('close', (code, reason) => {
    for (const w of waiters.splice(0)) w.reject(new Error(`closed ${code} ${reason}`));
    resolve({ code, reason: reason.toString() });
  }));
  ws.next = (ms = 10000) => {
    if (queue.length > 0) return Promise.resolve(queue.shift());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no message within ${ms} ms`)), ms);
      waiters.push({
        resolve: (m) => { clearTimeout(timer); resolve(m); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
    });
  };
  ws.sendJson = (m) => ws.send(JSON.stringify(m));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

async function connectAs(user) {
  const ws = await open('?token=' + encodeURIComponent(await login(user)));
  const hello = await ws.next();
  assert.equal(hello.type, 'auth_success', JSON.stringify(hello));
  assert.equal(hello.user, user);
  return ws;
}

async function subscribe(ws, id, sqlText, params = [], options = {}) {
  ws.sendJson({ type: 'subscribe', subscription: { id, sql: sqlText, params, options } });
  const ack = await ws.next();
  assert.equal(ack.type, 'subscription_ack', JSON.stringify(ack));
  const rows = [];
  for (;;) {
    const batch = await ws.next();
    assert.equal(batch.type, 'initial_data_batch', JSON.stringify(batch));
    rows.push(...batch.rows);
    if (!batch.batch_control.has_more) return { ack, rows, lastSeq: batch.batch_control.last_seq };
    ws.sendJson({ type: 'next_batch', subscription_id: id });
  }
}

async function test(name, fn) {
  const start = Date.now();
  try {
    await fn();
    console.log(`ok   ${name} (${Date.now() - start} ms)`);
  } catch (e) {
    failed = true;
    console.log(`FAIL ${name}: ${e.stack}`);
  }
}

try {
  server = await startServer();
  await sql('root', "CREATE USER alice WITH PASSWORD 'alice-password-1' ROLE user");
  await sql('root', "CREATE USER bob WITH PASSWORD 'bob-password-1' ROLE user");
  await sql('root', 'CREATE NAMESPACE chat');
  await sql('root', "CREATE TABLE chat.messages (id BIGINT PRIMARY KEY, thread_id TEXT, content TEXT) WITH (TYPE = 'USER')");

  await test('authenticate message: success and failure', async () => {
    const ws = await open();
    ws.sendJson({ type: 'authenticate', method: 'jwt', token: await login('alice') });
    const ok = await ws.next();
    assert.deepEqual(ok, { type: 'auth_success', user: 'alice', role: 'user' });
    ws.close();
    const bad = await open();
    bad.sendJson({ type: 'authenticate', method: 'jwt', token: 'not-a-token' });
    const error = await bad.next();
    assert.equal(error.type, 'auth_error');
    await bad.closed;
  });

  await test('snapshot, live insert/update/delete, paging and isolation', async () => {
    await sql('alice', "INSERT INTO chat.messages VALUES (1, 't1', 'hello'), (2, 't1', 'again'), (3, 't2', 'other')");
    const alice = await connectAs('alice');
    const bob = await connectAs('bob');
    const { ack, rows } = await subscribe(alice, 'chat', 'SELECT id, content FROM chat.messages WHERE thread_id = $1', ['t1'], { batch_size: 1 });
    assert.deepEqual(ack.schema.map((c) => c.name), ['id', 'content']);
    assert.deepEqual(rows, [[1, 'hello'], [2, 'again']]);
    const bobs = await subscribe(bob, 'chat', 'SELECT id, content FROM chat.messages');
    assert.deepEqual(bobs.rows, []);

    await sql('alice', "INSERT INTO chat.messages VALUES (4, 't1', 'new')");
    let m = await alice.next();
    assert.equal(m.type, 'change');
    assert.equal(m.change_type, 'insert');
    assert.deepEqual(m.rows, [[4, 'new']]);
    await sql('alice', "UPDATE chat.messages SET content = 'edited' WHERE id = 4");
    m = await alice.next();
    assert.equal(m.change_type, 'update');
    assert.deepEqual(m.rows, [[4, 'edited']]);
    assert.deepEqual(m.old_values, [[4, 'new']]);
    await sql('alice', 'DELETE FROM chat.messages WHERE id = 1');
    m = await alice.next();
    assert.equal(m.change_type, 'delete');
    assert.deepEqual(m.rows, [[1, 'hello']]);

    // Bob saw none of Alice's rows; his own arrive.
    await sql('bob', "INSERT INTO chat.messages VALUES (1, 't1', 'bob here')");
    m = await bob.next();
    assert.equal(m.change_type, 'insert');
    assert.deepEqual(m.rows, [[1, 'bob here']]);
    alice.close();
    bob.close();
  });

  await test('resume from the last seq after a reconnect', async () => {
    const first = await connectAs('alice');
    await subscribe(first, 'r', 'SELECT id FROM chat.messages');
    await sql('alice', "INSERT INTO chat.messages VALUES (10, 't3', 'x')");
    const seen = (await first.next()).seq;
    first.close();
    await first.closed;
    await sql('alice', "INSERT INTO chat.messages VALUES (11, 't3', 'y')");
    await sql('alice', "INSERT INTO chat.messages VALUES (12, 't3', 'z')");
    const again = await connectAs('alice');
    const { rows, lastSeq } = await subscribe(again, 'r', 'SELECT id FROM chat.messages', [], { from: seen });
    assert.deepEqual(rows, []);
    assert.equal(lastSeq, seen);
    const a = await again.next();
    const b = await again.next();
    assert.deepEqual([a.rows, b.rows], [[[11]], [[12]]]);
    assert.deepEqual([a.seq, b.seq], [seen + 1, seen + 2]);
    again.close();
  });

  await test('ping, unsubscribe, bad messages and limits', async () => {
    const ws = await connectAs('alice');
    ws.sendJson({ type: 'ping' });
    assert.equal((await ws.next()).type, 'pong');
    ws.send('{oops');
    assert.equal((await ws.next()).code, 'invalid_message');
    ws.sendJson({ type: 'nope' });
    assert.equal((await ws.next()).code, 'unknown_type');
    ws.sendJson({ type: 'subscribe', subscription: { id: 'x', sql: 'SELECT FROM WHERE' } });
    let m = await ws.next();
    assert.equal(m.type, 'error');
    assert.equal(m.subscription_id, 'x');
    assert.equal(m.code, 'syntax_error');
    for (const id of ['a', 'b', 'c']) await subscribe(ws, id, 'SELECT id FROM chat.messages');
    ws.sendJson({ type: 'subscribe', subscription: { id: 'd', sql: 'SELECT id FROM chat.messages' } });
    m = await ws.next();
    assert.equal(m.code, 'too_many_subscriptions');
    ws.sendJson({ type: 'unsubscribe', subscription_id: 'a' });
    assert.deepEqual(await ws.next(), { type: 'unsubscribed', subscription_id: 'a' });
    ws.close();
  });
} catch (e) {
  failed = true;
  console.log(`FAIL setup: ${e.stack}`);
} finally {
  if (server) server.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
