// kill -9 under write load loses no acknowledged write (issue 11, section 6).
//
// Usage: node kill9_test.mjs <tenantdb binary> [rounds=2] [load_ms=2500]
//
// Starts `tenantdb serve` on a fresh data directory. Each round, 16 concurrent clients
// send single-row INSERTs with unique ids (and, every 8th request, a DELETE of an id
// whose INSERT was acknowledged) while the server is SIGKILLed at a random moment of the
// load; the server is restarted on the same directory and the table is read back:
//   - no id appears twice;
//   - every acknowledged (HTTP 200, status success) INSERT is present, unless a DELETE of
//     it was acknowledged (then it must be absent: no resurrected deletes) or was still in
//     flight at the kill (then either is right);
//   - every row present was sent by this test (acknowledged, or in flight at the kill).
// Rounds accumulate: round 2 kills the restarted server and checks rounds 1 and 2.
// Bounded: a watchdog fails the test after 180 s; every server started is killed on exit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, stopServer, waitExit, login, sql, fail, ROOT_PASSWORD } from './server_process.mjs';

const binary = process.argv[2];
const rounds = Number(process.argv[3] ?? 2);
const loadMs = Number(process.argv[4] ?? 2500);
if (!binary) {
  console.error('usage: node kill9_test.mjs <tenantdb binary> [rounds] [load_ms]');
  process.exit(2);
}
const WORKERS = 16;
const watchdog = setTimeout(() => {
  fail('watchdog: the test ran over 180 s');
  process.exit(1);
}, 180000);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantdb-kill9-'));
const logFile = path.join(dir, 'serve.log');
const dataDir = path.join(dir, 'data');

const acked = new Set();           // INSERT answered 200
const maybeInserted = new Set();   // INSERT sent, no answer (in flight at the kill)
const deleted = new Set();         // DELETE answered 200 with one row
const maybeDeleted = new Set();    // DELETE sent, no answer
let nextId = 1;

async function load(server, token) {
  let killed = false;
  let inFlight = 0;
  let maxInFlightAtKill = 0;
  let requests = 0;
  const ackedThisRound = { inserts: 0, deletes: 0 };
  const deletable = [...acked].filter((id) => !deleted.has(id) && !maybeDeleted.has(id));
  async function worker(w) {
    let n = 0;
    while (!killed) {
      n++;
      if (n % 8 === 0 && deletable.length > 0) {
        const id = deletable.splice(Math.floor(Math.random() * deletable.length), 1)[0];
        maybeDeleted.add(id);
        inFlight++;
        requests++;
        try {
          const r = await sql(server.url, token, 'DELETE FROM dur.items WHERE id = $1', [id]);
          if (r.results[0].row_count !== 1) throw new Error(`DELETE of ${id}: ${JSON.stringify(r)}`);
          maybeDeleted.delete(id);
          deleted.add(id);
          ackedThisRound.deletes++;
        } catch (e) {
          if (!killed) throw e;
        } finally {
          inFlight--;
        }
        continue;
      }
      const id = nextId++;
      maybeInserted.add(id);
      inFlight++;
      requests++;
      try {
        await sql(server.url, token, 'INSERT INTO dur.items (id, worker, note) VALUES ($1, $2, $3)',
                  [id, w, `row ${id} from worker ${w}`]);
        maybeInserted.delete(id);
        acked.add(id);
        deletable.push(id);
        ackedThisRound.inserts++;
      } catch (e) {
        if (!killed) throw e;  // an error while the server is up is a failure of its own
      } finally {
        inFlight--;
      }
    }
  }
  const workers = Array.from({ length: WORKERS }, (_, w) => worker(w));
  // Kill at a random moment in the second half of the load, whatever is in flight.
  const killAt = loadMs / 2 + Math.random() * (loadMs / 2);
  const killer = new Promise((resolve) => setTimeout(() => {
    maxInFlightAtKill = inFlight;
    killed = true;
    process.kill(server.pid, 'SIGKILL');
    resolve();
  }, killAt));
  const results = await Promise.allSettled([killer, ...workers]);
  for (const r of results) {
    if (r.status === 'rejected') throw r.reason;
  }
  if (!(await waitExit(server.proc, 10000))) throw new Error('the server survived SIGKILL');
  return { killAt, inFlightAtKill: maxInFlightAtKill, requests, ...ackedThisRound };
}

async function verify(server, round) {
  const token = await login(server.url, 'root', ROOT_PASSWORD);
  const r = await sql(server.url, token, 'SELECT id FROM dur.items ORDER BY id');
  const ids = r.results[0].rows.map((row) => Number(row[0]));
  const present = new Set(ids);
  let problems = 0;
  const report = (m) => { if (problems++ < 20) fail(`round ${round}: ${m}`); };
  if (present.size !== ids.length) report(`${ids.length - present.size} duplicate ids`);
  for (const id of acked) {
    if (deleted.has(id)) {
      if (present.has(id)) report(`id ${id}: DELETE was acknowledged, the row is back`);
    } else if (!maybeDeleted.has(id) && !present.has(id)) {
      report(`id ${id}: INSERT was acknowledged, the row is gone`);
    }
  }
  for (const id of present) {
    if (!acked.has(id) && !maybeInserted.has(id)) report(`id ${id}: a row this test never sent`);
  }
  // Settle the uncertain ones with what the server now says, for the next round.
  for (const id of maybeInserted) if (present.has(id)) acked.add(id);
  maybeInserted.clear();
  for (const id of maybeDeleted) if (!present.has(id)) deleted.add(id);
  maybeDeleted.clear();
  const count = await sql(server.url, token, 'SELECT count(*) FROM dur.items');
  if (Number(count.results[0].rows[0][0]) !== ids.length) {
    report(`count(*) ${count.results[0].rows[0][0]} but ${ids.length} rows read`);
  }
  return { token, rows: ids.length, problems };
}

let server;
try {
  server = await startServer(binary, dataDir, { logFile });
  let token = await login(server.url, 'root', ROOT_PASSWORD);
  await sql(server.url, token, 'CREATE NAMESPACE dur');
  await sql(server.url, token,
            "CREATE TABLE dur.items (id BIGINT PRIMARY KEY, worker BIGINT, note TEXT) WITH (TYPE = 'USER')");
  let sawInFlight = false;
  for (let round = 1; round <= rounds; round++) {
    const stats = await load(server, token);
    sawInFlight ||= stats.inFlightAtKill > 0;
    console.log(`round ${round}: killed -9 after ${stats.killAt.toFixed(0)} ms with ` +
                `${stats.inFlightAtKill} requests in flight; ${stats.inserts} INSERTs and ` +
                `${stats.deletes} DELETEs acknowledged this round (${stats.requests} sent)`);
    if (stats.inserts < 50) fail(`round ${round}: only ${stats.inserts} INSERTs acknowledged`);
    if (round > 1 && stats.deletes < 5) fail(`round ${round}: only ${stats.deletes} DELETEs acknowledged`);
    server = await startServer(binary, dataDir, { logFile });
    const v = await verify(server, round);
    token = v.token;
    console.log(`round ${round}: restarted; ${v.rows} rows, ${acked.size} acknowledged ids, ` +
                `${deleted.size} acknowledged deletes, ${v.problems} problems`);
  }
  if (!sawInFlight) fail('no request was in flight at any kill: the kill did not hit the load');
  const code = await stopServer(server);
  if (code !== 0) fail(`graceful stop exited with ${code}`);
} catch (e) {
  fail(e.stack ?? String(e));
  if (fs.existsSync(logFile)) console.error(fs.readFileSync(logFile, 'utf8').slice(-3000));
  if (server) server.proc.kill('SIGKILL');
} finally {
  clearTimeout(watchdog);
  fs.rmSync(dir, { recursive: true, force: true });
}
console.log(process.exitCode ? '0 passed, 1 failed' : '1 passed, 0 failed');
