// A failed sync of the write-ahead log, through the real server and real sockets.
//
// Usage: node sync_failure_test.mjs <tenantdb binary> <fail_wal_sync_preload.so>
//
// The server runs with fail_wal_sync_preload.so in LD_PRELOAD: once a trigger file
// exists, every fsync/fdatasync of a RocksDB log file fails with EIO, as a failing disk's
// would. Then:
//   - rows inserted (and acknowledged) before the failure;
//   - the INSERT whose commit waits for the failed sync gets HTTP 500 io_error (58030)
//     saying the log could not be synced, and its connection is closed;
//   - the failure is sticky: a later INSERT and a SELECT get the same error, quickly;
//   - /health and /ready answer 503 io_error, so whoever watches them restarts the server;
//   - SIGTERM still stops the server;
//   - restarted without the failing syncs on the same directory, every acknowledged row
//     is there exactly once, and writes and /health work again.
// Every server started is killed on exit.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {
  startServer, stopServer, login, sql, fail, postOnAgent, ROOT_PASSWORD,
} from './server_process.mjs';

const [binary, preload] = process.argv.slice(2);
if (!binary || !preload) {
  console.error('usage: node sync_failure_test.mjs <tenantdb binary> <fail_wal_sync_preload.so>');
  process.exit(2);
}
const watchdog = setTimeout(() => {
  fail('watchdog: the test ran over 150 s');
  process.exit(1);
}, 150000);

// One POST on `agent`; resolves to { status, headers, body, closed } where `closed` says
// whether the server closed the connection after the reply.
async function post(agent, url, token, body) {
  const r = await postOnAgent(agent, url, token, body, 20000);
  const closed = r.socket.destroyed || await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 2000);
    r.socket.once('close', () => { clearTimeout(timer); resolve(true); });
  });
  return { status: r.status, headers: r.headers, body: JSON.parse(r.text), closed };
}

function expectIoError(what, r, status) {
  if (r.status !== status) {
    fail(`${what}: HTTP ${r.status}, expected ${status}: ${JSON.stringify(r.body)}`);
  }
  const e = r.body.error ?? {};
  if (r.body.status !== 'error' || e.code !== 'io_error' || e.sqlstate !== '58030') {
    fail(`${what}: expected an io_error (58030) body, got ${JSON.stringify(r.body)}`);
  }
  if (!/write-ahead log could not be synced/.test(e.message ?? '')) {
    fail(`${what}: the message does not say the log could not be synced: ${e.message}`);
  }
  if (!/restart/.test(e.message ?? '')) {
    fail(`${what}: the message does not say to restart: ${e.message}`);
  }
}

async function get(url, route) {
  const r = await fetch(`${url}${route}`);
  return { status: r.status, body: await r.json() };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantdb-sync-failure-'));
const trigger = path.join(dir, 'fail-syncs-now');
try {
  const dataDir = path.join(dir, 'data');
  let server = await startServer(binary, dataDir, {
    env: {
      LD_PRELOAD: preload,
      TDB_FAIL_WAL_SYNC_WHEN: trigger,
      // The sanitizer runtime is linked into the binary: nothing for it to check here.
      ASAN_OPTIONS: `${process.env.ASAN_OPTIONS ?? ''}:verify_asan_link_order=0`,
    },
  });
  let token = await login(server.url, 'root', ROOT_PASSWORD);
  await sql(server.url, token, 'CREATE TABLE synced (id BIGINT PRIMARY KEY, note TEXT)');
  for (let id = 1; id <= 5; ++id) {
    await sql(server.url, token, 'INSERT INTO synced VALUES ($1, $2)', [id, `row ${id}`]);
  }
  for (const route of ['/health', '/ready']) {
    const r = await get(server.url, route);
    if (r.status !== 200) {
      fail(`${route} before the failure: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    }
  }

  fs.writeFileSync(trigger, '');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const failed = await post(agent, server.url, token,
    { sql: 'INSERT INTO synced VALUES ($1, $2)', params: [6, 'row 6'] });
  expectIoError('the INSERT whose sync failed', failed, 500);
  if (!failed.closed) fail('the connection of the INSERT whose sync failed stayed open');
  if (failed.headers.connection !== 'close') {
    fail(`the failed INSERT's reply did not say Connection: close (${failed.headers.connection})`);
  }

  const started = Date.now();
  const again = await post(agent, server.url, token,
    { sql: 'INSERT INTO synced VALUES ($1, $2)', params: [7, 'row 7'] });
  expectIoError('an INSERT after the failure', again, 500);
  const read = await post(agent, server.url, token, { sql: 'SELECT count(*) AS n FROM synced' });
  expectIoError('a SELECT after the failure', read, 500);
  const took = Date.now() - started;
  if (took > 10000) fail(`answers after the failure took ${took} ms`);
  agent.destroy();

  for (const route of ['/health', '/ready']) {
    const r = await get(server.url, route);
    expectIoError(`${route} after the failure`, r, 503);
  }

  const code = await stopServer(server);
  console.log(`server stopped after the failure with ${code}`);

  // A restart recovers: the acknowledged rows, once each; writes again.
  fs.rmSync(trigger);
  server = await startServer(binary, dataDir);
  token = await login(server.url, 'root', ROOT_PASSWORD);
  const rows = (await sql(server.url, token, 'SELECT id FROM synced ORDER BY id')).results[0].rows;
  const ids = rows.map((r) => Number(r[0]));
  for (let id = 1; id <= 5; ++id) {
    const times = ids.filter((x) => x === id).length;
    if (times !== 1) fail(`acknowledged row ${id} is there ${times} times`);
  }
  if (ids.some((x) => x < 1 || x > 7)) fail(`rows nobody wrote after the restart: ${ids}`);
  await sql(server.url, token, 'INSERT INTO synced VALUES (8, $1)', ['row 8']);
  const health = await get(server.url, '/health');
  if (health.status !== 200) fail(`/health after the restart: HTTP ${health.status}`);
  const stopped = await stopServer(server);
  if (stopped !== 0) fail(`the restarted server stopped with ${stopped}, expected 0`);
  console.log(`rows after the restart: ${ids.join(',')}`);
} catch (e) {
  fail(e.stack ?? String(e));
} finally {
  clearTimeout(watchdog);
  fs.rmSync(dir, { recursive: true, force: true });
}
if (process.exitCode) process.exit(process.exitCode);
console.log('PASS sync_failure_test');
