// `tenantdb serve` as a separate process, driven the way applications drive it: Node 20's
// built-in fetch (no npm packages) and curl, over 127.0.0.1 on a port the server picks.
// Checks the first-start path (root password from TENANTDB_ROOT_PASSWORD), users and
// isolation, value types as JavaScript reads them, errors, a body over the limit, a large
// result streamed with bounded server memory, `tenantdb sql` pointing at the server that
// holds the directory, and graceful shutdown on SIGTERM (the statement in flight
// finishes, the process exits 0), and kill -9 under write load (every acknowledged
// insert is there, once, after a restart).
//
// Usage: node http_api_test.mjs path/to/tenantdb
import { spawn, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';

const binary = process.argv[2];
const dir = mkdtempSync(join(tmpdir(), 'tdb_http_node_'));
const rootPassword = 'node-test-root-password';
let server;
let failed = false;

function basic(user, password) {
  return 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
}
const ROOT = basic('root', rootPassword);
const ALICE = basic('alice', 'alice-password-1');
const BOB = basic('bob', 'bob-password-1');

function startServer(data = 'data', { args = [], env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['serve', '--data', join(dir, data), '--listen', '127.0.0.1:0', ...args], {
      env: {
        ...process.env,
        TENANTDB_ROOT_PASSWORD: rootPassword,
        TENANTDB_SERVER_MAX_BODY_BYTES: '64kB',
        TENANTDB_LOGGING_LEVEL: 'warn',
        // The PostgreSQL-protocol listener's default port is fixed; tests run in parallel.
        TENANTDB_PGWIRE_LISTEN: '127.0.0.1:0',
        // A small ASan quarantine, so freed memory is not counted as held (debug builds).
        ASAN_OPTIONS: 'quarantine_size_mb=4:detect_leaks=0',
        // Streaming a million rows from a sanitized build on a loaded machine can take
        // longer than the default 30 s; this test is about memory and results, not that.
        TENANTDB_LIMITS_STATEMENT_TIMEOUT: '10min',
        // SIGTERM's test lets its statement finish; under a sanitized build on a loaded
        // machine that can take longer than the default 30 s grace.
        TENANTDB_SERVER_SHUTDOWN_TIMEOUT: '10min',
        ...env,
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
        resolve({ child, url: m[1], stderr: () => err });
      }
    });
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${err}`)); });
  });
}

async function sql(auth, body) {
  const response = await fetch(`${server.url}/v1/api/sql`, {
    method: 'POST',
    headers: { Authorization: auth, 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: response.status, json, text, headers: response.headers };
}

function rssKiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(/VmRSS:\s+(\d+)/)[1]);
}

// A raw TCP connection to `url`'s host and port; resolves with the socket once connected.
// socket.closedAfter resolves (with the ms since connecting) when the server closes it.
function rawConnect(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const socket = connect({ host: hostname, port: Number(port) });
    socket.on('error', reject);  // before connecting: a refused connection rejects
    socket.once('connect', () => resolve(socket));
    socket.received = '';
    socket.on('data', (d) => { socket.received += d; });
    socket.closedAfter = new Promise((done) => socket.on('close', () => done(Date.now() - start)));
  });
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
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

  await test('curl: health, ready, a first query, 401, 404', async () => {
    const health = execFileSync('curl', ['-s', `${server.url}/health`], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(health), { status: 'ok' });
    const ready = execFileSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', `${server.url}/ready`], { encoding: 'utf8' });
    assert.equal(ready, '200');
    const first = execFileSync('curl', ['-s', '-u', `root:${rootPassword}`, `${server.url}/v1/api/sql`,
      '-d', '{"sql":"SELECT 1 AS one"}'], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(first).results[0].rows, [[1]]);
    const denied = execFileSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-u', 'root:wrong-password',
      `${server.url}/v1/api/sql`, '-d', '{"sql":"SELECT 1"}'], { encoding: 'utf8' });
    assert.equal(denied, '401');
    const missing = execFileSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', `${server.url}/nope`], { encoding: 'utf8' });
    assert.equal(missing, '404');
  });

  await test('fetch: users, tables, isolation, types', async () => {
    let r = await sql(ROOT, { sql: `CREATE USER alice WITH PASSWORD 'alice-password-1' ROLE user;
      CREATE USER bob WITH PASSWORD 'bob-password-1' ROLE user;
      CREATE NAMESPACE chat;
      CREATE TABLE chat.messages (id BIGINT PRIMARY KEY, body TEXT, meta JSON, at TIMESTAMPTZ) WITH (TYPE = 'USER');
      CREATE TABLE chat.big (id BIGINT PRIMARY KEY, pad TEXT) WITH (TYPE = 'SHARED', ACCESS_LEVEL = 'PUBLIC')` });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.results.length, 5);
    r = await sql(ALICE, { sql: 'INSERT INTO chat.messages VALUES ($1, $2, $3, $4::TIMESTAMPTZ)',
      params: ['9007199254740993', 'hello', { k: [1, 'two'] }, '2024-05-01 10:00:00.123+00'] });
    assert.equal(r.status, 400, 'a string is TEXT in an INSERT unless cast: ' + r.text);
    r = await sql(ALICE, { sql: 'INSERT INTO chat.messages VALUES ($1::BIGINT, $2, $3, $4::TIMESTAMPTZ)',
      params: ['9007199254740993', 'hello', { k: [1, 'two'] }, '2024-05-01 10:00:00.123+00'] });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.results[0].message, 'INSERT 0 1');
    r = await sql(ALICE, { sql: 'SELECT id, body, meta, at FROM messages', namespace_id: 'chat' });
    assert.equal(r.status, 200, r.text);
    const [id, body, meta, at] = r.json.results[0].rows[0];
    assert.equal(id, '9007199254740993');
    assert.equal(BigInt(id), 9007199254740993n);
    assert.equal(body, 'hello');
    assert.deepEqual(meta, { k: [1, 'two'] });
    assert.equal(new Date(at).toISOString(), '2024-05-01T10:00:00.123Z');
    r = await sql(BOB, { sql: 'SELECT count(*) FROM chat.messages' });
    assert.deepEqual(r.json.results[0].rows, [[0]]);
    r = await sql(ALICE, { sql: 'DROP TABLE chat.messages' });
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, 'insufficient_privilege');
    r = await sql(ALICE, { sql: 'SELECT 1', role: 'system' });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, 'invalid_request');
    r = await sql(ALICE, '{"sql": "SELECT 1"');
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, 'invalid_request');
  });

  await test('login, bearer token, me, logout', async () => {
    let response = await fetch(`${server.url}/v1/api/auth/login`, { method: 'POST',
      body: JSON.stringify({ username: 'alice', password: 'alice-password-1' }) });
    assert.equal(response.status, 200);
    const login = await response.json();
    assert.deepEqual(login.user, { id: 'alice', role: 'user' });
    assert.ok(Date.parse(login.expires_at) > Date.now());
    response = await fetch(`${server.url}/v1/api/auth/me`, { headers: { Authorization: `Bearer ${login.access_token}` } });
    assert.deepEqual(await response.json(), { user: { id: 'alice', role: 'user' } });
    const r = await sql(`Bearer ${login.access_token}`, { sql: 'SELECT count(*) FROM chat.messages' });
    assert.deepEqual(r.json.results[0].rows, [[1]]);
    response = await fetch(`${server.url}/v1/api/auth/logout`, { method: 'POST',
      body: JSON.stringify({ refresh_token: login.refresh_token }) });
    assert.equal(response.status, 200);
    response = await fetch(`${server.url}/v1/api/auth/refresh`, { method: 'POST',
      body: JSON.stringify({ refresh_token: login.refresh_token }) });
    assert.equal(response.status, 401);
  });

  await test('curl: a body over max_body_bytes is 413', async () => {
    const body = JSON.stringify({ sql: `SELECT '${'x'.repeat(100 * 1024)}'` });
    const out = spawnSync('curl', ['-s', '-w', '\n%{http_code}', '-u', `root:${rootPassword}`,
      `${server.url}/v1/api/sql`, '--data-binary', '@-'], { input: body, encoding: 'utf8' });
    const lines = out.stdout.trim().split('\n');
    assert.equal(lines.at(-1), '413');
    assert.equal(JSON.parse(lines[0]).error.code, 'request_too_large');
  });

  await test('a large result streams with bounded server memory', async () => {
    const pad = 'p'.repeat(100);
    for (let part = 0; part < 4; part++) {  // 250 rows per request: under max_body_bytes
      const values = [];
      for (let i = part * 250; i < (part + 1) * 250; i++) values.push(`(${i}, '${pad}')`);
      const r = await sql(ROOT, { sql: `INSERT INTO chat.big VALUES ${values.join(',')}` });
      assert.equal(r.status, 200, r.text);
    }
    const before = rssKiB(server.child.pid);
    const response = await fetch(`${server.url}/v1/api/sql`, { method: 'POST',
      headers: { Authorization: ALICE },
      body: JSON.stringify({ sql: 'SELECT a.id, b.id, a.pad FROM chat.big a, chat.big b' }) });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('transfer-encoding'), 'chunked');
    const reader = response.body.getReader();
    let bytes = 0;
    let peak = before;
    let tail = '';
    let next = 4 << 20;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      tail = (tail + Buffer.from(value).toString('utf8')).slice(-200);
      if (bytes >= next) {  // read slowly now and then: the server must wait, not buffer
        next += 4 << 20;
        peak = Math.max(peak, rssKiB(server.child.pid));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    const mb = (bytes / (1 << 20)).toFixed(1);
    const grewMb = ((peak - before) / 1024).toFixed(1);
    console.log(`     streamed ${mb} MB of JSON (1,000,000 rows); server RSS grew ${grewMb} MB`);
    assert.ok(bytes > 100 * (1 << 20), `expected > 100 MB, got ${mb} MB`);
    assert.match(tail, /"status":"success"/);
    assert.ok(peak - before < 64 * 1024, `server RSS grew ${grewMb} MB while streaming ${mb} MB`);
  });

  await test('tenantdb sql on the directory names the server', async () => {
    const out = spawnSync(binary, ['sql', '--data', join(dir, 'data'), 'SELECT 1'], { encoding: 'utf8' });
    assert.notEqual(out.status, 0);
    assert.match(out.stderr, /a tenantdb server holds .*: connect to http:\/\/127\.0\.0\.1:\d+/);
  });

  await test('[http] timeouts from a config file and the environment', async () => {
    const config = join(dir, 'timeouts.toml');
    writeFileSync(config, '[http]\nidle_timeout = "1s"\nrequest_timeout = "1s"\n');
    // The environment wins over the file.
    const other = await startServer('http_timeouts', { args: ['--config', config],
      env: { TENANTDB_HTTP_REQUEST_TIMEOUT: '700ms' } });
    try {
      // An idle keep-alive connection is closed after idle_timeout (1 s), not before.
      const idle = await rawConnect(other.url);
      idle.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
      const idleMs = await withTimeout(idle.closedAfter, 10000, 'idle connection closed');
      assert.match(idle.received, /^HTTP\/1\.1 200 /);
      assert.ok(idleMs >= 900, `closed after ${idleMs} ms, before idle_timeout`);
      // A client that never finishes its request is dropped after request_timeout (700 ms
      // from the environment), while others are served.
      const slow = await rawConnect(other.url);
      slow.write('POST /v1/api/sql HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{"sql":');
      const health = await fetch(`${other.url}/health`);
      assert.equal(health.status, 200);
      const slowMs = await withTimeout(slow.closedAfter, 10000, 'slow client dropped');
      assert.ok(slowMs >= 600 && slowMs < 5000, `dropped after ${slowMs} ms`);
      assert.equal(slow.received, '');
    } finally {
      other.child.kill('SIGKILL');
    }
  });

  await test('[http] CORS and [limits] from a config file and the environment; HEAD', async () => {
    const config = join(dir, 'cors.toml');
    writeFileSync(config, '[http]\ncors_allowed_origins = ["http://app.example:3000"]\n');
    const other = await startServer('http_cors', { args: ['--config', config],
      env: { TENANTDB_LIMITS_STATEMENT_TIMEOUT: '500ms', TENANTDB_LIMITS_STATEMENT_MEM: '256kB' } });
    try {

      // CORS: a preflight from the allowed origin, with curl.
      const preflight = execFileSync('curl', ['-s', '-i', '-X', 'OPTIONS', `${other.url}/v1/api/sql`,
        '-H', 'Origin: http://app.example:3000', '-H', 'Access-Control-Request-Method: POST',
        '-H', 'Access-Control-Request-Headers: authorization,content-type'], { encoding: 'utf8' });
      assert.match(preflight, /^HTTP\/1\.1 204 /);
      assert.match(preflight, /\r\nAccess-Control-Allow-Origin: http:\/\/app\.example:3000\r\n/i);
      assert.match(preflight, /\r\nAccess-Control-Allow-Methods: POST\r\n/i);
      assert.match(preflight, /\r\nAccess-Control-Allow-Headers: Authorization, Content-Type\r\n/i);
      assert.match(preflight, /\r\nAccess-Control-Max-Age: \d+\r\n/i);
      const refused = execFileSync('curl', ['-s', '-i', '-X', 'OPTIONS', `${other.url}/v1/api/sql`,
        '-H', 'Origin: http://evil.example', '-H', 'Access-Control-Request-Method: POST'], { encoding: 'utf8' });
      assert.match(refused, /^HTTP\/1\.1 204 /);
      assert.doesNotMatch(refused, /Access-Control-Allow/i);
      // Actual responses, with fetch: success, error and 401 carry the header.
      const origin = { Origin: 'http://app.example:3000' };
      let r = await fetch(`${other.url}/v1/api/sql`, { method: 'POST',
        headers: { ...origin, Authorization: ROOT, 'Content-Type': 'application/json' },
        body: JSON.stringify({ sql: 'SELECT 1' }) });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('access-control-allow-origin'), 'http://app.example:3000');
      assert.match(r.headers.get('vary'), /Origin/);
      await r.text();
      r = await fetch(`${other.url}/v1/api/sql`, { method: 'POST',
        headers: { ...origin, Authorization: ROOT }, body: JSON.stringify({ sql: 'SELEC 1' }) });
      assert.equal(r.status, 400);
      assert.equal(r.headers.get('access-control-allow-origin'), 'http://app.example:3000');
      assert.equal((await r.json()).error.code, 'syntax_error');
      r = await fetch(`${other.url}/v1/api/sql`, { method: 'POST',
        headers: { ...origin }, body: JSON.stringify({ sql: 'SELECT 1' }) });
      assert.equal(r.status, 401);
      assert.equal(r.headers.get('access-control-allow-origin'), 'http://app.example:3000');
      await r.text();

      // [limits] from the environment, each with its clear error over HTTP: a statement
      // past statement_timeout (57014), one past statement_mem (53200).
      const values = [];
      for (let i = 0; i < 100; i++) values.push(`(${i}, 'v${i}')`);
      r = await fetch(`${other.url}/v1/api/sql`, { method: 'POST', headers: { Authorization: ROOT },
        body: JSON.stringify({ sql: `CREATE TABLE t (id INT PRIMARY KEY, v TEXT) WITH (TYPE = 'SHARED'); INSERT INTO t VALUES ${values.join(',')}` }) });
      assert.equal(r.status, 200, await r.text());
      r = await fetch(`${other.url}/v1/api/sql`, { method: 'POST', headers: { Authorization: ROOT },
        body: JSON.stringify({ sql: 'SELECT count(*) FROM t a, t b, t c, t d' }) });
      let error = (await r.json()).error;
      assert.equal(r.status, 400);
      assert.equal(error.sqlstate, '57014');
      assert.match(error.message, /statement timeout/);
      r = await fetch(`${other.url}/v1/api/sql`, { method: 'POST', headers: { Authorization: ROOT },
        body: JSON.stringify({ sql: 'SELECT a.v, b.v, c.v FROM t a, t b, t c ORDER BY 1, 2, 3' }) });
      error = (await r.json()).error;
      assert.equal(r.status, 400);
      assert.equal(error.code, 'out_of_memory');
      assert.equal(error.sqlstate, '53200');
      assert.match(error.message, /statement_mem \(256kB\)/);

      // HEAD: GET's headers, no body.
      for (const path of ['/health', '/ready', '/metrics']) {
        const head = await fetch(`${other.url}${path}`, { method: 'HEAD' });
        assert.equal(head.status, 200, path);
        assert.equal(await head.text(), '', path);
        assert.ok(Number(head.headers.get('content-length')) > 0, path);
      }
      const meHead = execFileSync('curl', ['-s', '-I', '-u', `root:${rootPassword}`, `${other.url}/v1/api/auth/me`], { encoding: 'utf8' });
      const meGet = execFileSync('curl', ['-s', '-u', `root:${rootPassword}`, `${other.url}/v1/api/auth/me`], { encoding: 'utf8' });
      assert.match(meHead, /^HTTP\/1\.1 200 /);
      assert.match(meHead, new RegExp(`\r\ncontent-length: ${meGet.length}\r\n`, 'i'));
    } finally {
      other.child.kill('SIGKILL');
    }
  });

  await test('[storage] cache sizes from a config file and the environment reach the database', async () => {
    const config = join(dir, 'storage.toml');
    writeFileSync(config, '[storage]\ntable_cache_entries = 5000\nrow_cache = "1GB"\n');
    // The environment wins over the file.
    const other = await startServer('storage_config', { args: ['--config', config],
      env: { TENANTDB_STORAGE_ROW_CACHE: '3MB' } });
    try {
      const metrics = await (await fetch(`${other.url}/metrics`)).text();
      assert.match(metrics, /^tenantdb_catalog_cache_capacity 5000$/m);
      assert.match(metrics, /^tenantdb_row_cache_capacity_bytes 3145728$/m);
    } finally {
      other.child.kill('SIGKILL');
    }
    const bad = join(dir, 'storage_bad.toml');
    writeFileSync(bad, '[storage]\nrow_cache = 64\nrows_block_cache = "1kB"\n');
    const out = spawnSync(binary, ['serve', '--data', join(dir, 'never'), '--listen', '127.0.0.1:0',
      '--config', bad], { encoding: 'utf8', env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=0' } });
    assert.equal(out.status, 1);
    assert.match(out.stderr, /storage_bad\.toml:3: \[storage\] rows_block_cache: .* out of range/);
  });

  await test('bad [http] values stop startup with the file, line and what is allowed', async () => {
    const bad = join(dir, 'bad.toml');
    writeFileSync(bad, '[http]\nidle_timeout = 5\n');
    let out = spawnSync(binary, ['serve', '--data', join(dir, 'never'), '--listen', '127.0.0.1:0', '--config', bad],
      { encoding: 'utf8', env: { ...process.env, TENANTDB_ROOT_PASSWORD: rootPassword, TENANTDB_PGWIRE_LISTEN: '127.0.0.1:0' } });
    assert.equal(out.status, 1);
    assert.match(out.stderr, /bad\.toml:2: \[http\] idle_timeout: 5 has no unit/);
    writeFileSync(bad, '[http]\ncors_allowed_origins = ["https://app.example/"]\n');
    out = spawnSync(binary, ['serve', '--data', join(dir, 'never'), '--listen', '127.0.0.1:0', '--config', bad],
      { encoding: 'utf8', env: { ...process.env, TENANTDB_ROOT_PASSWORD: rootPassword, TENANTDB_PGWIRE_LISTEN: '127.0.0.1:0' } });
    assert.equal(out.status, 1);
    assert.match(out.stderr, /bad\.toml:2: \[http\] cors_allowed_origins: "https:\/\/app\.example\/" is not an origin; expected an array of origins/);
    out = spawnSync(binary, ['serve', '--data', join(dir, 'never'), '--listen', '127.0.0.1:0'],
      { encoding: 'utf8', env: { ...process.env, TENANTDB_ROOT_PASSWORD: rootPassword, TENANTDB_HTTP_WRITE_TIMEOUT: '2h' } });
    assert.equal(out.status, 1);
    assert.match(out.stderr, /environment variable TENANTDB_HTTP_WRITE_TIMEOUT: 2h is out of range; expected a duration .* from 100ms to 1h/);
    assert.ok(!existsSync(join(dir, 'never')), 'startup stopped before creating the data directory');
  });

  await test('SIGTERM: the statement in flight finishes, then the process exits 0', async () => {
    const inflight = sql(ALICE, { sql: 'SELECT count(*) FROM chat.big a, chat.big b WHERE a.id + b.id >= 0' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    server.child.removeAllListeners('exit');
    const exited = new Promise((resolve) => server.child.on('exit', (code, signal) => resolve({ code, signal })));
    server.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 50));
    // A new request is refused: 503 on a kept-alive connection, or no connection at all.
    let refused;
    try {
      refused = (await fetch(`${server.url}/ready`)).status;
    } catch {
      refused = 'connection refused';
    }
    assert.ok(refused === 503 || refused === 'connection refused', `got ${refused}`);
    const r = await inflight;
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.results[0].rows, [[1000000]]);
    const { code } = await exited;
    assert.equal(code, 0, server.stderr());
    assert.ok(!existsSync(join(dir, 'data', 'server.url')));
    server = undefined;
  });

  await test('kill -9 under write load loses no acknowledged write', async () => {
    server = await startServer('durable');
    let r = await sql(ROOT, { sql: "CREATE TABLE acks (id BIGINT PRIMARY KEY, writer INT) WITH (TYPE = 'SHARED')" });
    assert.equal(r.status, 200, r.text);
    // A bearer token: Basic would pay for a password hash on every insert.
    const login = await (await fetch(`${server.url}/v1/api/auth/login`, { method: 'POST',
      body: JSON.stringify({ username: 'root', password: rootPassword }) })).json();
    const bearer = `Bearer ${login.access_token}`;
    const acked = [];
    let stop = false;
    let next = 0;
    const writer = async (w) => {
      while (!stop) {
        const id = next++;
        try {
          const res = await sql(bearer, { sql: 'INSERT INTO acks VALUES ($1, $2)', params: [id, w] });
          if (res.status === 200) acked.push(id);
        } catch {
          return;  // the server is gone
        }
      }
    };
    const writers = [];
    for (let w = 0; w < 8; w++) writers.push(writer(w));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    server.child.removeAllListeners('exit');
    const killed = new Promise((resolve) => server.child.on('exit', resolve));
    server.child.kill('SIGKILL');
    await killed;
    stop = true;
    await Promise.all(writers);
    assert.ok(acked.length > 20, `only ${acked.length} inserts acknowledged`);
    server = await startServer('durable');
    r = await sql(ROOT, { sql: 'SELECT count(*), count(DISTINCT id) FROM acks' });
    const [[count, distinct]] = r.json.results[0].rows;
    assert.equal(count, distinct);
    r = await sql(ROOT, { sql: 'SELECT id FROM acks' });
    const present = new Set(r.json.results[0].rows.map((row) => row[0]));
    const lost = acked.filter((id) => !present.has(id));
    console.log(`     ${acked.length} acknowledged inserts before kill -9, ${present.size} rows after restart`);
    assert.deepEqual(lost, [], `acknowledged but lost: ${lost.slice(0, 10)}`);
    assert.ok(present.size <= next);
  });
} catch (e) {
  failed = true;
  console.log(`FAIL setup: ${e.stack}`);
} finally {
  if (server) server.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
