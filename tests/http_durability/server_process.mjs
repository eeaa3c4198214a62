// Starts and stops `tenantdb serve` for the Node tests in this folder, and speaks its SQL
// API. startServer() spawns the binary on a data directory with an ephemeral loopback
// port and waits for its "listening on http://HOST:PORT" line; every server started here
// is SIGKILLed when the test process exits, whatever the outcome.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';

const live = new Set();
function killAll() {
  for (const p of live) {
    try { process.kill(p.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
}
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => { killAll(); process.exit(130); });
}

export const ROOT_PASSWORD = 'root-password-for-tests-' + process.pid;

// Resolves to { proc, pid, url, log() } once the server listens; rejects when it exits
// first or prints nothing within timeoutMs.
export function startServer(binary, dataDir, { timeoutMs = 60000, env = {}, logFile } = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(binary, ['serve', '--data', dataDir, '--listen', '127.0.0.1:0'], {
      env: {
        ...process.env,
        TENANTDB_ROOT_PASSWORD: ROOT_PASSWORD,
        // The PostgreSQL-protocol listener has a fixed default port; tests run in parallel.
        TENANTDB_PGWIRE_ENABLED: 'false',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(proc);
    let output = '';
    let done = false;
    const onData = (chunk) => {
      output += chunk.toString();
      if (logFile) fs.appendFileSync(logFile, chunk);
      if (output.length > 1 << 20) output = output.slice(-(1 << 19));
      const m = /listening on (http:\/\/[0-9.]+:[0-9]+)/.exec(output);
      if (m && !done) {
        done = true;
        clearTimeout(timer);
        resolve({ proc, pid: proc.pid, url: m[1], log: () => output });
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code, signal) => {
      live.delete(proc);
      if (!done) {
        done = true;
        clearTimeout(timer);
        reject(new Error(`tenantdb serve exited (${code ?? signal}) before listening:\n${output}`));
      }
    });
    const timer = setTimeout(() => {
      if (!done) {
        done = true;
        proc.kill('SIGKILL');
        reject(new Error(`tenantdb serve did not listen within ${timeoutMs} ms:\n${output}`));
      }
    }, timeoutMs);
  });
}

// Resolves when `proc` has exited (true), or false after timeoutMs.
export function waitExit(proc, timeoutMs) {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    proc.once('exit', () => { clearTimeout(timer); resolve(true); });
  });
}

// SIGTERM, then SIGKILL if it is still running after graceMs. Resolves to the exit code
// or signal.
export async function stopServer(server, graceMs = 30000) {
  const { proc } = server;
  if (proc.exitCode === null && proc.signalCode === null) {
    proc.kill('SIGTERM');
    if (!(await waitExit(proc, graceMs))) {
      proc.kill('SIGKILL');
      await waitExit(proc, 10000);
      throw new Error(`tenantdb serve ignored SIGTERM for ${graceMs} ms`);
    }
  }
  return proc.exitCode ?? proc.signalCode;
}

export async function login(url, username, password) {
  const r = await fetch(`${url}/v1/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = await r.json();
  if (r.status !== 200 || !body.access_token) {
    throw new Error(`login as ${username}: HTTP ${r.status} ${JSON.stringify(body)}`);
  }
  return body.access_token;
}

// Runs `sql`; resolves to the parsed success body, throws with the error otherwise
// (error.httpStatus set when the server answered). `signal` aborts the request.
export async function sql(url, token, text, params, { signal } = {}) {
  const r = await fetch(`${url}/v1/api/sql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(params ? { sql: text, params } : { sql: text }),
    signal,
  });
  const body = await r.json();
  if (r.status !== 200 || body.status !== 'success') {
    const e = new Error(`${text.slice(0, 60)}: HTTP ${r.status} ${JSON.stringify(body)}`);
    e.httpStatus = r.status;
    throw e;
  }
  return body;
}

// One POST /v1/api/sql of `body` (an object) on a keep-alive `agent` (maxSockets 1: the
// same connection every time); resolves to { status, headers, text, socket }.
export function postOnAgent(agent, url, token, body, timeoutMs = 30000) {
  return new Promise((resolve, reject) => {
    const u = new URL(`${url}/v1/api/sql`);
    const req = http.request({
      host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      timeout: timeoutMs,
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text,
        socket: req.socket }));
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

export function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exitCode = 1;
}
