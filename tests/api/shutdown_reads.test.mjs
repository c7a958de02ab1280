// Reads and their audit entries at shutdown (issue 13): a read of personal data is answered only
// once its audit entry is committed (by the committer thread, docs/ARCHITECTURE.md). Checked on
// the real binary (built with ASan in scripts/test, so a use of freed memory aborts it):
// - SIGTERM while 16 clients read: the server finishes what is in flight and exits 0, no
//   sanitizer report, and every read that was answered 200 is in the audit log after a restart
//   (SQLite, and PostgreSQL with FAIRDESK_TEST_DB_URL);
// - a read whose audit entry cannot be committed (another process holds SQLite's write lock
//   beyond the busy timeout) is answered 503, and its request line says 503, not 200;
// - SIGTERM while reads wait for their audit commit, and the grace runs out before the commit
//   is done: none of them is answered, the commit that ends after the grace is waited for (its
//   callbacks reach connections that are gone by then), and the process exits 0 (SQLite: the
//   write lock of another process holds the commit back).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { api, DEMO_USERS, fairdeskBinary, startServer } from '../lib/server.mjs';
import { waitUntil } from '../lib/wait.mjs';

const servers = [];
after(async () => {
  for (const s of servers.reverse()) await s.stop();
});

const onSqlite = !process.env.FAIRDESK_TEST_DB_URL;

async function as(base, email) {
  const c = api(base);
  await c.loginOk(email);
  return c;
}

function exited(server) {
  return new Promise((resolve) => {
    if (server.process.exitCode !== null || server.process.signalCode !== null) resolve(server.process.exitCode);
    else server.process.once('exit', (code) => resolve(code));
  });
}

function assertNoSanitizerReport(output) {
  assert.ok(!/AddressSanitizer|LeakSanitizer|runtime error:/.test(output), output.slice(-4000));
}

// Request lines (one JSON object per line on standard error) by request id.
function requestLines(output) {
  const lines = new Map();
  for (const l of output.split('\n')) {
    if (l.startsWith('{') && l.includes('"event":"request"')) {
      const v = JSON.parse(l);
      lines.set(v.request_id, v);
    }
  }
  return lines;
}

async function inFlight(server) {
  const text = await server.metrics();
  return Number(text.match(/^fairdesk_http_requests_in_flight (\d+)/m)?.[1] ?? 0);
}

// Another process that holds SQLite's write lock on `file` until release() (sqlite3 in a
// transaction begun with BEGIN IMMEDIATE).
async function holdWriteLock(file) {
  const child = spawn('sqlite3', [file], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c) => { out += c.toString(); });
  child.stderr.on('data', (c) => { out += c.toString(); });
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.stdin.write("BEGIN IMMEDIATE;\nSELECT 'locked';\n");
  await waitUntil(() => out.includes('locked'), { timeoutMs: 30_000, what: () => `the sqlite3 write lock (${out})` });
  return {
    async release() {
      child.stdin.end('COMMIT;\n');
      await gone;
    },
  };
}

test('SIGTERM while 16 clients read: every answered read is audited, exit 0, no sanitizer report', async () => {
  const server = await startServer();
  servers.push(server);
  const clients = [await as(server.baseUrl, DEMO_USERS.advisor), await as(server.baseUrl, DEMO_USERS.centreLead)];
  const lists = [];
  const details = new Map();  // case id -> answered reads
  let stopped = false;
  const loop = async (c) => {
    try {
      while (!stopped) {
        const list = await c.get('/api/v1/cases?limit=5');
        if (list.status !== 200) return;
        lists.push(list.body.items.map((x) => x.id));
        const id = list.body.items[0]?.id;
        if (!id) continue;
        const one = await c.get(`/api/v1/cases/${id}`);
        if (one.status !== 200) return;
        details.set(id, (details.get(id) ?? 0) + 1);
      }
    } catch {
      // the connection closed: the server is stopping
    }
  };
  const loops = Array.from({ length: 16 }, (_, i) => loop(clients[i % 2]));
  const code = exited(server);
  try {
    await waitUntil(() => lists.length >= 32, { what: '32 answered list reads' });
    server.process.kill('SIGTERM');
    assert.equal(await code, 0, server.output().slice(-4000));
  } finally {
    stopped = true;
    await Promise.all(loops);
  }
  assertNoSanitizerReport(server.output());

  const again = await startServer({ db: server.db, stateDir: server.stateDir, demo: false, extraArgs: ['--require-2fa=false'] });
  servers.push(again);
  const admin = await as(again.baseUrl, DEMO_USERS.admin);
  const trails = new Map();
  const trail = async (id) => {
    if (!trails.has(id)) {
      const reads = [];
      let cursor = '';
      do {
        const res = await admin.get(`/api/v1/audit?record_type=case&record_id=${id}&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(res.status, 200);
        reads.push(...res.body.items.filter((e) => e.action === 'read'));
        cursor = res.body.next_cursor ?? '';
      } while (cursor);
      trails.set(id, reads);
    }
    return trails.get(id);
  };
  for (const shown of lists) {
    if (shown.length === 0) continue;
    assert.ok((await trail(shown[0])).some((e) => JSON.stringify(e.record_ids) === JSON.stringify(shown)),
      `list read of ${shown.join(',')} not in the audit log`);
  }
  for (const [id, answered] of details) {
    // The read of one case names that case alone (the lists here show more than one).
    const single = (await trail(id)).filter((e) => e.record_ids.length === 1).length;
    assert.ok(single >= answered, `case ${id}: ${answered} reads answered, ${single} audited`);
  }
  console.log(`answered before SIGTERM: ${lists.length} list reads, ${[...details.values()].reduce((a, b) => a + b, 0)} case reads`);
  const verify = spawnSync(fairdeskBinary(), ['audit', 'verify', '--db', again.db], { encoding: 'utf8' });
  assert.equal(verify.status, 0, verify.stderr);
});

test('a read whose audit entry cannot be committed is answered 503, and its request line says 503',
  { skip: !onSqlite && 'the write lock of another process is held on SQLite' }, async () => {
    const server = await startServer();
    servers.push(server);
    const lead = await as(server.baseUrl, DEMO_USERS.centreLead);
    const lock = await holdWriteLock(server.db.slice('sqlite:'.length));
    let res;
    try {
      res = await lead.get('/api/v1/cases?limit=5');
    } finally {
      await lock.release();
    }
    assert.equal(res.status, 503, JSON.stringify(res.body));
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    const id = res.headers.get('x-request-id');
    await waitUntil(() => requestLines(server.output()).has(id), { timeoutMs: 10_000, what: `the request line of ${id}` });
    const line = requestLines(server.output()).get(id);
    assert.equal(line.status, 503);
    assert.equal(line.route, '/api/v1/cases');
    assert.ok(server.output().split('\n').some((l) => l.includes('"event":"request_work_failed"') && l.includes(id)));
    // The metrics count it as sent, too.
    const metrics = await server.metrics();
    assert.match(metrics, /fairdesk_http_requests_total\{[^}]*route="\/api\/v1\/cases"[^}]*status="503"[^}]*\} 1/);
    // Once the lock is gone, reads are answered again.
    assert.equal((await lead.get('/api/v1/cases?limit=5')).status, 200);
  });

test('SIGTERM while 16 reads wait for their audit commit past the grace: none is answered, exit 0',
  { skip: !onSqlite && 'the write lock of another process is held on SQLite' }, async () => {
    const server = await startServer({ extraArgs: ['--shutdown-grace', '2'] });
    servers.push(server);
    const clients = [await as(server.baseUrl, DEMO_USERS.advisor), await as(server.baseUrl, DEMO_USERS.centreLead)];
    const lock = await holdWriteLock(server.db.slice('sqlite:'.length));
    const answers = [];
    let released = false;
    try {
      const reads = Array.from({ length: 16 }, (_, i) => clients[i % 2].get('/api/v1/cases?limit=5')
        .then((r) => answers.push(r.status), () => answers.push('closed')));
      // Every read is in flight (and the /metrics request asking): each waits for the commit.
      await waitUntil(async () => (await inFlight(server)) >= 17, { timeoutMs: 30_000, what: '16 reads in flight' });
      const code = exited(server);
      server.process.kill('SIGTERM');
      await waitUntil(() => server.output().includes('"event":"shutdown_grace_expired"'),
        { timeoutMs: 30_000, what: 'the end of the grace' });
      // The commit goes through now, after the connections stopped.
      await lock.release();
      released = true;
      assert.equal(await code, 0, server.output().slice(-4000));
      await Promise.all(reads);
    } finally {
      if (!released) await lock.release();
    }
    assert.equal(answers.length, 16);
    assert.deepEqual(answers.filter((a) => a !== 'closed'), [], 'no read was answered');
    assert.ok(server.output().includes('"event":"stopped"'));
    assert.ok(!server.output().includes('shutdown_work_abandoned'));
    assertNoSanitizerReport(server.output());
  });
