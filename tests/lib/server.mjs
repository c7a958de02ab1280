/**
 * Test harness: starts the real fairdesk binary on a free port with a throwaway database and
 * state folder, and a small API client that keeps cookies and the CSRF token.
 *
 * Used by tests/e2e (browser) and tests/api (HTTP). Node 20+, no dependencies.
 *
 *   import { startServer, api } from '../lib/server.mjs';
 *   const server = await startServer();            // demo data, SQLite in a temp folder
 *   const client = api(server.baseUrl);
 *   await client.login('advisor.berlin@example.org');  // password defaults to the demo one
 *   const me = await client.get('/api/v1/me');     // { status, headers, body, ok }
 *   await server.stop();
 *
 * Environment:
 *   FAIRDESK_BIN          the binary (default build/release/server/fairdesk)
 *   FAIRDESK_TEST_DB_URL  a PostgreSQL URL (the cluster of scripts/pg-test-server): each server
 *                         then gets a new, empty database there instead of a fresh SQLite file
 *                         (see `freshDatabaseUrl`), so the same suites run on PostgreSQL.
 *   FAIRDESK_TEST_LOG     set to 1 to echo the server's output to stderr.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEMO_PASSWORD = 'fairdesk-demo';

/** The demo logins of `fairdesk serve --demo`, by role. */
export const DEMO_USERS = {
  admin: 'admin@example.org',
  advisor: 'advisor.berlin@example.org',
  advisorBayern: 'advisor.bayern@example.org',
  centreLead: 'lead.berlin@example.org',
  stateCoordinator: 'coordinator.berlin@example.org',
  competenceCentre: 'fachstelle@example.org',
  competenceCentre2: 'redaktion@example.org',
  programme: 'programme@example.org',
};

/** The binary under test, relative paths taken from the repository root. */
export function fairdeskBinary() {
  const bin = process.env.FAIRDESK_BIN || 'build/release/server/fairdesk';
  return resolve(REPO_ROOT, bin);
}

/**
 * A new, empty database for one server: a SQLite file in `dir`, or — when FAIRDESK_TEST_DB_URL
 * names a PostgreSQL server — a new database created on that server, so that test files never
 * see each other's data. Pass `server.db` to `startServer` to restart on the same data.
 */
export function freshDatabaseUrl(dir) {
  const base = process.env.FAIRDESK_TEST_DB_URL;
  if (!base) return `sqlite:${join(dir, 'fd.db')}`;
  const name = `fd_${randomBytes(6).toString('hex')}`;
  execFileSync('psql', [base, '-q', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${name}`], { stdio: 'pipe' });
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `fairdesk serve` and resolves once `GET /readyz` answers 200.
 *
 * @param {object} [options]
 * @param {string} [options.db]        database URL; default: `freshDatabaseUrl(<tmp>)`, a new
 *                                     empty database (SQLite, or PostgreSQL with FAIRDESK_TEST_DB_URL)
 * @param {boolean} [options.demo=true] load demo data (`--demo`)
 * @param {number} [options.port=0]    fixed port (e.g. to restart on the same address)
 * @param {string} [options.stateDir]  state folder to reuse (default: a fresh temp folder)
 * @param {string} [options.webRoot]  the built web app to serve (default web/dist)
 * @param {string[]} [options.extraArgs] more command-line arguments
 * @param {Record<string,string>} [options.env] extra environment (e.g. FAIRDESK_CLOCK_OFFSET_SECONDS)
 * @param {number} [options.timeoutMs=30000] how long to wait for readiness
 * @returns {Promise<{baseUrl: string, port: number, db: string, stateDir: string,
 *   output: () => string, metricsToken: string, metrics: () => Promise<string>, stop: () => Promise<number|null>, process: import('node:child_process').ChildProcess}>}
 */
export async function startServer(options = {}) {
  const { demo = true, port = 0, extraArgs = [], env = {}, timeoutMs = 30_000 } = options;
  const bin = fairdeskBinary();
  if (!existsSync(bin)) {
    throw new Error(`fairdesk binary not found at ${bin} (build it, or set FAIRDESK_BIN)`);
  }
  const tmp = await mkdtemp(join(tmpdir(), 'fairdesk-test-'));
  const stateDir = options.stateDir ?? tmp;
  const db = options.db ?? freshDatabaseUrl(tmp);
  const portFile = join(tmp, 'port');
  const args = [
    'serve',
    ...(demo ? ['--demo'] : []),
    '--db', db,
    '--port', String(port),
    '--port-file', portFile,
    '--state-dir', stateDir,
    '--web-root', options.webRoot ?? join(REPO_ROOT, 'web', 'dist'),
    ...extraArgs,
  ];

  // /metrics needs a bearer token (issue 8 #10); every test server gets one.
  const metricsToken = env.FAIRDESK_METRICS_TOKEN ?? randomBytes(16).toString('hex');
  let output = '';
  const child = spawn(bin, args, {
    cwd: tmp,
    env: { ...process.env, FAIRDESK_METRICS_TOKEN: metricsToken, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk) => {
    output += chunk.toString();
    if (output.length > 1_000_000) output = output.slice(-500_000);
    if (process.env.FAIRDESK_TEST_LOG === '1') process.stderr.write(chunk);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exitCode;
  const exited = new Promise((resolveExit) => {
    child.on('exit', (code, signal) => {
      exitCode = code ?? signal;
      resolveExit(code);
    });
  });

  const stop = async () => {
    if (exitCode === undefined) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(tmp, { recursive: true, force: true }).catch(() => {});
    return typeof exitCode === 'number' ? exitCode : null;
  };

  const deadline = Date.now() + timeoutMs;
  let baseUrl = null;
  let lastError = 'no port file yet';
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      await stop();
      throw new Error(`fairdesk exited (${exitCode}) before it was ready:\n${output}`);
    }
    if (!baseUrl) {
      const text = await readFile(portFile, 'utf8').catch(() => '');
      const bound = Number.parseInt(text.trim(), 10);
      if (bound > 0) baseUrl = `http://127.0.0.1:${bound}`;
    }
    if (baseUrl) {
      try {
        const response = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2000) });
        if (response.status === 200) {
          return {
            baseUrl,
            port: Number(new URL(baseUrl).port),
            db,
            stateDir,
            output: () => output,
            metricsToken,
            /** GET /metrics with the token; resolves to the text. */
            metrics: async () =>
              (await fetch(`${baseUrl}/metrics`, { headers: { Authorization: `Bearer ${metricsToken}` } })).text(),
            stop,
            process: child,
          };
        }
        lastError = `/readyz answered ${response.status}`;
      } catch (error) {
        lastError = String(error);
      }
    }
    await sleep(50);
  }
  await stop();
  throw new Error(`fairdesk was not ready within ${timeoutMs} ms (${lastError}):\n${output}`);
}

/**
 * Two `fairdesk serve` processes on one fresh database and one key folder, as app servers behind
 * a proxy (issue 13): `a` loads the demo data, `b` starts on the same database without it. Both
 * stop, and the folder goes, when the test `t` ends.
 *
 * @param {import('node:test').TestContext} t
 * @param {{env?: Record<string,string>, extraArgs?: string[]}} [options] for both servers
 * @returns {Promise<{a: Awaited<ReturnType<typeof startServer>>, b: Awaited<ReturnType<typeof startServer>>, db: string}>}
 */
export async function startTwoServers(t, { env = {}, extraArgs = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'fairdesk-two-servers-'));
  const db = freshDatabaseUrl(dir);
  const a = await startServer({ db, stateDir: dir, env, extraArgs });
  const b = await startServer({ db, stateDir: dir, demo: false, env, extraArgs }).catch(async (e) => { await a.stop(); throw e; });
  t.after(async () => {
    await b.stop();
    await a.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return { a, b, db };
}

/**
 * A minimal API client for one person: keeps the session cookie and the CSRF token of the last
 * session or /me answer, and sends the token on every state-changing request.
 *
 * Every method resolves to `{ status, ok, headers, body }` (body parsed as JSON when the answer is
 * JSON, else the text) and never throws on HTTP errors, so that tests can assert on 4xx answers.
 *
 * @param {string} baseUrl e.g. server.baseUrl
 */
export function api(baseUrl) {
  /** @type {Map<string,string>} */
  const cookies = new Map();
  const client = {
    baseUrl,
    cookies,
    /** The CSRF token in use; tests may overwrite or clear it. */
    csrfToken: null,

    /**
     * Any request. `options.body` is sent as JSON (or as-is when it is a string or Buffer);
     * `options.headers` adds headers; `options.csrf` (default true) sends the CSRF token.
     */
    async request(method, path, options = {}) {
      const headers = { Accept: 'application/json', ...(options.headers ?? {}) };
      let body;
      if (options.body !== undefined) {
        if (typeof options.body === 'string' || options.body instanceof Uint8Array) {
          body = options.body;
        } else {
          body = JSON.stringify(options.body);
        }
        if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
          headers['Content-Type'] = 'application/json';
        }
      }
      if (cookies.size) {
        headers.Cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      }
      if (method !== 'GET' && method !== 'HEAD' && options.csrf !== false && client.csrfToken) {
        headers['X-CSRF-Token'] = client.csrfToken;
      }
      const response = await fetch(new URL(path, baseUrl), { method, headers, body, redirect: 'manual' });
      for (const line of response.headers.getSetCookie?.() ?? []) {
        const [pair, ...attributes] = line.split(';');
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        const expired = attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a)) || value === '';
        if (expired) cookies.delete(name);
        else cookies.set(name, value);
      }
      const text = await response.text();
      let parsed = text;
      if ((response.headers.get('content-type') ?? '').includes('json') && text) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      if (parsed && typeof parsed === 'object' && typeof parsed.csrf_token === 'string') {
        client.csrfToken = parsed.csrf_token;
      }
      return { status: response.status, ok: response.ok, headers: response.headers, body: parsed };
    },

    get: (path, options) => client.request('GET', path, options),
    post: (path, body, options) => client.request('POST', path, { ...options, body }),
    put: (path, body, options) => client.request('PUT', path, { ...options, body }),
    patch: (path, body, options) => client.request('PATCH', path, { ...options, body }),
    del: (path, body, options) => client.request('DELETE', path, { ...options, body }),

    /** Signs in (`POST /api/v1/session`); the answer is returned whatever its status. */
    async login(email, password = DEMO_PASSWORD, totp) {
      return client.post('/api/v1/session', { email, password, ...(totp ? { totp } : {}) });
    },

    /** Signs in and throws unless it worked; resolves to the user. */
    async loginOk(email, password = DEMO_PASSWORD, totp) {
      const answer = await client.login(email, password, totp);
      if (answer.status !== 200) {
        throw new Error(`login ${email} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
      }
      return answer.body.user;
    },

    async logout() {
      const answer = await client.del('/api/v1/session');
      client.csrfToken = null;
      return answer;
    },
  };
  return client;
}

/** A client of `baseUrl` signed in as `email` (throws unless that worked). */
export async function signedIn(baseUrl, email, password = DEMO_PASSWORD) {
  const client = api(baseUrl);
  await client.loginOk(email, password);
  return client;
}

/** The fields a 4xx problem+json answer names (its `errors`), in order. */
export function errorFields(res) {
  return (res.body?.errors ?? []).map((e) => e.field);
}
