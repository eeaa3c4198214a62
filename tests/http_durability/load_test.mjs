// 1,000 concurrent keep-alive connections plus slow clients (issue 11, section 6).
//
// Usage: node load_test.mjs <tenantdb binary> [connections=1000] [slow=20] [max_threads=64]
//
// Starts `tenantdb serve`, then:
//   - `slow` clients open a connection each and send part of a request and never finish
//     it (half stop inside the headers, half inside a body whose Content-Length promises
//     more); they stay open for the whole test;
//   - `connections` clients, each on its own keep-alive connection (a Node http.Agent
//     with one socket), send a first request; once every one of them has its answer
//     (so all connections are open at once: the server's socket count is checked), each
//     sends two more on the same connection: an INSERT of its own row and a point SELECT
//     of it.
// Passes when every normal request is answered 200 with the right rows within the
// deadline (30 s per request, 120 s overall; a 503 too_many_connections, the server's
// documented load shedding past max_concurrent_statements running + as many queued, is
// retried within that deadline; an INSERT retried so must not meet its own row, which
// would be a 409), the second and third request reused the first one's connection, the
// server's thread count (/proc/<pid>/status Threads, sampled every 50 ms) stays at most
// max_threads, and the server is alive and healthy at the end
// and stops cleanly on SIGTERM. Needs RLIMIT_NOFILE above 2 x connections (the ctest
// wrapper raises it). Every server started is killed on exit.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startServer, stopServer, login, sql, fail, ROOT_PASSWORD } from './server_process.mjs';

const binary = process.argv[2];
const CONNECTIONS = Number(process.argv[3] ?? 1000);
const SLOW = Number(process.argv[4] ?? 20);
const MAX_THREADS = Number(process.argv[5] ?? 64);
if (!binary) {
  console.error('usage: node load_test.mjs <tenantdb binary> [connections] [slow] [max_threads]');
  process.exit(2);
}
const REQUEST_TIMEOUT_MS = 30000;
const watchdog = setTimeout(() => {
  fail('watchdog: the test ran over 120 s');
  process.exit(1);
}, 120000);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantdb-load-'));
const logFile = path.join(dir, 'serve.log');

function procStatus(pid, field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}
function openSockets(pid) {
  let n = 0;
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (fs.readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) n++;
    } catch { /* closed meanwhile */ }
  }
  return n;
}

// One request on `agent`; resolves to { status, body, reused } or rejects on timeout.
function postOnce(url, agent, token, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/v1/api/sql`, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      timeout: REQUEST_TIMEOUT_MS,
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => {
        let json = null;
        try { json = JSON.parse(text); } catch { /* reported below */ }
        resolve({ status: res.statusCode, body: json ?? text, reused: req.reusedSocket });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

// The server admits max_concurrent_statements statements and queues as many more; past
// that it answers 503 too_many_connections ("retry shortly") without running anything.
// A client does as told: it retries after a short random pause, on the same connection,
// until REQUEST_TIMEOUT_MS has passed. Every request must still be served in that time.
let overloadRetries = 0;
async function post(url, agent, token, body) {
  const deadline = Date.now() + REQUEST_TIMEOUT_MS;
  let reused = true;
  for (;;) {
    const r = await postOnce(url, agent, token, body);
    reused &&= r.reused;
    if (r.status === 503 && r.body?.error?.code === 'too_many_connections' && Date.now() < deadline) {
      overloadRetries++;
      await new Promise((res) => setTimeout(res, 20 + Math.random() * 80));
      continue;
    }
    return { ...r, reused };
  }
}

function openSlowClients(url) {
  const { hostname, port } = new URL(url);
  const sockets = [];
  for (let i = 0; i < SLOW; i++) {
    const s = net.connect({ host: hostname, port: Number(port) });
    s.on('error', () => { /* the server may drop it: allowed */ });
    s.on('connect', () => {
      if (i % 2 === 0) {
        s.write('POST /v1/api/sql HTTP/1.1\r\nHost: x\r\nContent-Ty');
      } else {
        s.write('POST /v1/api/sql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
                `Authorization: Basic ${Buffer.from(`root:${ROOT_PASSWORD}`).toString('base64')}\r\n` +
                'Content-Length: 1000\r\n\r\n{"sql": "SELECT ');
      }
    });
    sockets.push(s);
  }
  return sockets;
}

let server;
let maxThreads = 0;
let sampler;
try {
  server = await startServer(binary, path.join(dir, 'data'), { logFile });
  const token = await login(server.url, 'root', ROOT_PASSWORD);
  await sql(server.url, token, 'CREATE NAMESPACE load');
  await sql(server.url, token,
            "CREATE TABLE load.hits (id BIGINT PRIMARY KEY, note TEXT) WITH (TYPE = 'USER')");
  const idleThreads = procStatus(server.pid, 'Threads');
  sampler = setInterval(() => { maxThreads = Math.max(maxThreads, procStatus(server.pid, 'Threads')); }, 50);

  const slow = openSlowClients(server.url);
  await new Promise((r) => setTimeout(r, 200));

  const started = Date.now();
  const agents = Array.from({ length: CONNECTIONS }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  let firstDone = 0;
  let releaseAll;
  const allFirstDone = new Promise((r) => { releaseAll = r; });
  let socketsAtBarrier = 0;
  const errors = [];
  const clients = agents.map(async (agent, i) => {
    const r1 = await post(server.url, agent, token, { sql: 'SELECT $1::BIGINT AS n', params: [i] });
    if (r1.status !== 200 || r1.body.results?.[0]?.rows?.[0]?.[0] !== i) {
      throw new Error(`client ${i} request 1: HTTP ${r1.status} ${JSON.stringify(r1.body).slice(0, 300)}`);
    }
    if (++firstDone === CONNECTIONS) {
      socketsAtBarrier = openSockets(server.pid);
      releaseAll();
    }
    await allFirstDone;
    const r2 = await post(server.url, agent, token, {
      sql: 'INSERT INTO load.hits (id, note) VALUES ($1, $2)', params: [i, `client ${i}`],
    });
    if (r2.status !== 200 || r2.body.results?.[0]?.row_count !== 1) {
      throw new Error(`client ${i} INSERT: HTTP ${r2.status} ${JSON.stringify(r2.body).slice(0, 300)}`);
    }
    const r3 = await post(server.url, agent, token, {
      sql: 'SELECT id, note FROM load.hits WHERE id = $1', params: [i],
    });
    const row = r3.body.results?.[0]?.rows?.[0];
    if (r3.status !== 200 || r3.body.results[0].rows.length !== 1 || row[0] !== i || row[1] !== `client ${i}`) {
      throw new Error(`client ${i} SELECT: HTTP ${r3.status} ${JSON.stringify(r3.body).slice(0, 300)}`);
    }
    // The first request may retry (503) on its one connection too: every later request
    // must find that connection open.
    if (!r2.reused || !r3.reused) throw new Error(`client ${i}: keep-alive connection not reused`);
  });
  const outcomes = await Promise.allSettled(clients);
  for (const o of outcomes) if (o.status === 'rejected') errors.push(o.reason);
  if (firstDone < CONNECTIONS) releaseAll();
  const seconds = (Date.now() - started) / 1000;
  clearInterval(sampler);
  maxThreads = Math.max(maxThreads, procStatus(server.pid, 'Threads'));

  console.log(`${CONNECTIONS} keep-alive connections x 3 requests (+${SLOW} slow clients) in ` +
              `${seconds.toFixed(1)} s; ${errors.length} failed; server sockets with all ` +
              `connections open: ${socketsAtBarrier}; threads: ${idleThreads} idle, ${maxThreads} max; ` +
              `${overloadRetries} retries after 503 too_many_connections`);
  for (const e of errors.slice(0, 10)) fail(e.message ?? String(e));
  if (socketsAtBarrier < CONNECTIONS) {
    fail(`the server had ${socketsAtBarrier} sockets open while ${CONNECTIONS} connections were held`);
  }
  if (maxThreads > MAX_THREADS) fail(`the server ran ${maxThreads} threads (limit ${MAX_THREADS})`);

  const count = await sql(server.url, token, 'SELECT count(*) FROM load.hits');
  if (Number(count.results[0].rows[0][0]) !== CONNECTIONS - errors.length) {
    fail(`count(*) = ${count.results[0].rows[0][0]}, expected ${CONNECTIONS - errors.length}`);
  }
  const health = await fetch(`${server.url}/health`);
  if (health.status !== 200) fail(`GET /health answered ${health.status} after the load`);
  const stillOpen = slow.filter((s) => !s.destroyed && s.readyState === 'open').length;
  console.log(`slow clients still connected at the end: ${stillOpen} of ${SLOW}`);
  for (const s of slow) s.destroy();
  for (const a of agents) a.destroy();
  const code = await stopServer(server);
  if (code !== 0) fail(`graceful stop exited with ${code}`);
} catch (e) {
  fail(e.stack ?? String(e));
  if (fs.existsSync(logFile)) console.error(fs.readFileSync(logFile, 'utf8').slice(-3000));
  if (server) server.proc.kill('SIGKILL');
} finally {
  if (sampler) clearInterval(sampler);
  clearTimeout(watchdog);
  fs.rmSync(dir, { recursive: true, force: true });
}
console.log(process.exitCode ? '0 passed, 1 failed' : '1 passed, 0 failed');
