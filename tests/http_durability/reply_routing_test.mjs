// Every reply reaches the connection that asked, while other connections close under it.
//
// Usage: node reply_routing_test.mjs <tenantdb binary> [steady=24] [rounds=40] [churn=400]
//
// A reply that waits for the WAL sync is written to the socket by the syncer's thread,
// and a reply with nothing to wait for by the statement's thread, outside the connection's
// strand (http_connection_durable.cc). A connection that closes meanwhile must not have
// its descriptor closed under that send: its number would go to the next connection
// accepted, which would then read someone else's reply. So:
//   - `steady` clients, each on one keep-alive connection, run `rounds` pairs of an
//     INSERT of a row of their own and `SELECT $1::TEXT AS token` with a token of their
//     own; every reply must be 200 and carry their own row count / token;
//   - meanwhile `churn` short connections each send an INSERT (or a SELECT) and close at
//     once or after a random delay of up to 2 ms, usually while its reply waits, and new
//     ones keep being accepted (taking the descriptor numbers freed).
// Passes when every steady reply is right, every steady INSERT's row is there exactly
// once, the churners' replies (when they read one) are their own, the server is healthy
// at the end and stops on SIGTERM with status 0. Every server started is killed on exit.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  startServer, stopServer, login, sql, fail, postOnAgent as post, ROOT_PASSWORD,
} from './server_process.mjs';

const binary = process.argv[2];
const STEADY = Number(process.argv[3] ?? 24);
const ROUNDS = Number(process.argv[4] ?? 40);
const CHURN = Number(process.argv[5] ?? 400);
if (!binary) {
  console.error('usage: node reply_routing_test.mjs <tenantdb binary> [steady] [rounds] [churn]');
  process.exit(2);
}
const watchdog = setTimeout(() => {
  fail('watchdog: the test ran over 150 s');
  process.exit(1);
}, 150000);


async function steadyClient(url, token, c, problems) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let firstSocket = null;
  try {
    for (let r = 0; r < ROUNDS; ++r) {
      const id = c * 1000000 + r;
      const ins = await post(agent, url, token, {
        sql: 'INSERT INTO routing.rows (id, client) VALUES ($1, $2)', params: [id, c],
      });
      firstSocket ??= ins.socket;
      const body = JSON.parse(ins.text);
      if (ins.status !== 200 || body.results?.[0]?.row_count !== 1) {
        problems.push(`client ${c} INSERT ${id}: HTTP ${ins.status} ${ins.text.slice(0, 200)}`);
        return;
      }
      const token_value = `client-${c}-round-${r}-${Math.random().toString(36).slice(2)}`;
      const sel = await post(agent, url, token, { sql: 'SELECT $1::TEXT AS token', params: [token_value] });
      const got = JSON.parse(sel.text).results?.[0]?.rows?.[0]?.[0];
      if (sel.status !== 200 || got !== token_value) {
        problems.push(`client ${c} round ${r}: asked for ${token_value}, got HTTP ${sel.status} ${sel.text.slice(0, 200)}`);
        return;
      }
      if (sel.socket !== firstSocket) {
        problems.push(`client ${c} round ${r}: the keep-alive connection was not reused`);
        return;
      }
    }
  } finally {
    agent.destroy();
  }
}

// A raw connection that sends one request and leaves: at once, or after up to 2 ms. A
// reply read before leaving must be its own (its token, or its INSERT's row count).
function churnOnce(port, token, n, problems) {
  return new Promise((resolve) => {
    const insert = n % 2 === 0;
    const marker = `churn-${n}-${Math.random().toString(36).slice(2)}`;
    const body = JSON.stringify(insert
      ? { sql: 'INSERT INTO routing.churn (id, marker) VALUES ($1, $2)', params: [n, marker] }
      : { sql: 'SELECT $1::TEXT AS token', params: [marker] });
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      s.write(`POST /v1/api/sql HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      const delay = Math.random() < 0.5 ? 0 : Math.random() * 2;
      setTimeout(() => s.destroy(), delay);
    });
    let text = '';
    s.setEncoding('utf8');
    s.on('data', (c) => { text += c; });
    s.on('error', () => {});
    s.on('close', () => {
      const at = text.indexOf('\r\n\r\n');
      if (at >= 0 && text.length > at + 4) {
        const payload = text.slice(at + 4);
        const ownToken = insert ? !payload.includes('"token"') : payload.includes(marker);
        const strange = /churn-\d+-/.test(payload) && !payload.includes(marker);
        if (!ownToken || strange || payload.includes('client-')) {
          problems.push(`churn connection ${n} read a reply that is not its own: ${payload.slice(0, 200)}`);
        }
      }
      resolve();
    });
  });
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantdb-reply-routing-'));
  let server = null;
  try {
    server = await startServer(binary, path.join(dir, 'data'));
    const token = await login(server.url, 'root', ROOT_PASSWORD);
    await sql(server.url, token, 'CREATE NAMESPACE routing');
    await sql(server.url, token,
      "CREATE TABLE routing.rows (id BIGINT PRIMARY KEY, client INT) WITH (TYPE = 'SHARED')");
    await sql(server.url, token,
      "CREATE TABLE routing.churn (id BIGINT PRIMARY KEY, marker TEXT) WITH (TYPE = 'SHARED')");
    const port = Number(new URL(server.url).port);

    const problems = [];
    const steady = [];
    for (let c = 0; c < STEADY; ++c) steady.push(steadyClient(server.url, token, c, problems));
    const churners = (async () => {
      // Eight at a time, so connections keep being accepted while others close.
      for (let n = 0; n < CHURN; n += 8) {
        const wave = [];
        for (let k = n; k < Math.min(CHURN, n + 8); ++k) wave.push(churnOnce(port, token, k, problems));
        await Promise.all(wave);
      }
    })();
    await Promise.all([...steady, churners]);
    for (const p of problems.slice(0, 10)) fail(p);
    if (problems.length > 10) fail(`... and ${problems.length - 10} more`);

    // Every steady INSERT was acknowledged: each row is there, once.
    const counted = await sql(server.url, token,
      'SELECT client, count(*), count(DISTINCT id) FROM routing.rows GROUP BY client ORDER BY client');
    const rows = counted.results[0].rows;
    if (problems.length === 0) {
      if (rows.length !== STEADY) fail(`rows of ${rows.length} clients, expected ${STEADY}`);
      for (const [client, n, distinct] of rows) {
        if (Number(n) !== ROUNDS || Number(distinct) !== ROUNDS) {
          fail(`client ${client}: ${n} rows (${distinct} distinct), expected ${ROUNDS}`);
        }
      }
    }
    const health = await fetch(`${server.url}/health`);
    if (health.status !== 200) fail(`/health answered ${health.status} at the end`);
    const status = await stopServer(server);
    server = null;
    if (status !== 0) fail(`tenantdb serve exited with ${status} on SIGTERM`);
    if (process.exitCode !== 1) {
      console.log(`PASS: ${STEADY} clients x ${ROUNDS} rounds answered right while ${CHURN} connections came and went`);
    }
  } finally {
    if (server) await stopServer(server).catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
    clearTimeout(watchdog);
  }
}

main().catch((e) => {
  fail(e.stack ?? String(e));
  process.exit(1);
});
