// Operations (issue 13): read-only commands never write to the database they inspect;
// `fairdesk backup` under write load, `backup verify`, `restore` into a fresh database, key backup
// with a passphrase, and `fairdesk copy` (to PostgreSQL when FAIRDESK_TEST_DB_URL is set, which
// is the documented upgrade path; SQLite to SQLite otherwise). Real binary, real databases.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, api, fairdeskBinary, freshDatabaseUrl, DEMO_USERS } from '../lib/server.mjs';
import { waitUntil } from '../lib/wait.mjs';

let server;
let work;
const PASSPHRASE = 'correct horse battery staple';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n' +
  '<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

function cli(args, env = {}) {
  const r = spawnSync(fairdeskBinary(), args, { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// Runs the binary without blocking the event loop (the load keeps going meanwhile).
function cliAsync(args) {
  return new Promise((resolve) => {
    const child = spawn(fairdeskBinary(), args);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    // Bounded like cli(): a hung command is killed and reported as failed.
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, out, err }); });
  });
}

function sqliteRows(url, sql) {
  return execFileSync('sqlite3', [url.slice('sqlite:'.length), sql], { encoding: 'utf8' }).trim();
}

async function as(base, email) {
  const c = api(base);
  await c.loginOk(email);
  return c;
}

// The rows of every table in a backup file, per table, sorted (the order of rows is physical).
function tablesOf(file) {
  const tables = {};
  let current = null;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const v = JSON.parse(line);
    if (Array.isArray(v)) tables[current].push(JSON.stringify(v));
    else if (v.table) { current = v.table; tables[current] = []; }
  }
  for (const t of Object.keys(tables)) tables[t].sort();
  return tables;
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'fairdesk-ops-'));
  server = await startServer();
});
after(async () => {
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('read-only commands never migrate or create the database they inspect', () => {
  const dir = mkdtempSync(join(work, 'ro-'));
  const url = `sqlite:${join(dir, 'old.db')}`;
  // No such file: refused, and not created.
  let r = cli(['audit', 'verify', '--db', url]);
  assert.equal(r.code, 1);
  assert.match(r.err, /no database file/);
  assert.equal(existsSync(join(dir, 'old.db')), false);

  assert.equal(cli(['migrate', '--db', url]).code, 0);
  // Make the schema one migration older than the binary (undo 700, the job_runs table).
  const latest = 700;
  sqliteRows(url, `DROP TABLE job_runs; DELETE FROM schema_migrations WHERE version = ${latest}`);
  for (const args of [['audit', 'verify'], ['user', 'list'], ['retention', 'run', '--dry-run'],
    ['backup', '--out', join(dir, 'b.fdbackup')]]) {
    r = cli([...args, '--db', url, '--state-dir', dir]);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.out}`);
    assert.match(r.err, /schema is older than this fairdesk .*the first 700\); run `fairdesk migrate/, args.join(' '));
  }
  // Nothing was applied behind our back.
  assert.equal(sqliteRows(url, `SELECT COUNT(*) FROM schema_migrations WHERE version = ${latest}`), '0');
  assert.equal(sqliteRows(url, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'job_runs'"), '0');
  assert.equal(existsSync(join(dir, 'b.fdbackup')), false);
  // Up to date again: the read-only commands work.
  assert.equal(cli(['migrate', '--db', url]).code, 0);
  assert.equal(cli(['audit', 'verify', '--db', url]).code, 0);
  assert.equal(cli(['user', 'list', '--db', url, '--state-dir', dir]).code, 0);
});

test('backup under write load, verify, restore into a fresh database, keys with a passphrase', async () => {
  const c = await as(server.baseUrl, DEMO_USERS.advisor);
  // The first client and document, to decrypt after the restore.
  const named = (await c.post('/api/v1/clients', { nationality: 'SY', name: 'Backup Beispielname' })).body;
  const k0 = (await c.post('/api/v1/cases', { client_id: named.id, topics: ['wages'] })).body;
  const doc = await c.request('POST', `/api/v1/cases/${k0.id}/documents`,
    { body: PDF, headers: { 'Content-Type': 'application/pdf', 'X-Filename': 'lohn.pdf' } });
  assert.equal(doc.status, 201, JSON.stringify(doc.body));

  // 4 writers (clients, cases, consultations) until told to stop; every acknowledged id is kept.
  const acked = [];
  let stop = false;
  const writer = async () => {
    const w = await as(server.baseUrl, DEMO_USERS.advisor);
    while (!stop) {
      const person = await w.post('/api/v1/clients', { nationality: 'RO', name: 'Last Person' });
      if (person.status !== 201) throw new Error(`client ${person.status}`);
      const k = await w.post('/api/v1/cases', { client_id: person.body.id, topics: ['leave'] });
      if (k.status !== 201) throw new Error(`case ${k.status}`);
      const con = await w.post(`/api/v1/cases/${k.body.id}/consultations`,
        { date: new Date().toISOString().slice(0, 10), channel: 'in_person', duration_minutes: 30, language: 'de', kind: 'acute', notes: 'Notiz' });
      acked.push({ case: k.body.id, consultation: con.status === 201 ? con.body.id : null, at: Date.now() });
    }
  };
  let writerError = null;
  const writers = Array.from({ length: 4 }, () => writer().catch((e) => { writerError = e; }));
  const backupFile = join(work, 'under-load.fdbackup');
  let ackedBefore;
  let writtenDuring;
  let backup;
  const started = Date.now();
  try {
    await waitUntil(() => {
      if (writerError) throw writerError;
      return acked.length >= 10;
    }, { what: '10 acknowledged writes' });
    ackedBefore = acked.length;
    backup = await cliAsync(['backup', '--db', server.db, '--out', backupFile]);
    writtenDuring = acked.length - ackedBefore;
  } finally {
    stop = true;
    await Promise.all(writers);
  }
  if (writerError) throw writerError;
  assert.equal(backup.code, 0, backup.err);
  assert.match(backup.out, /Backup of .* written to/);
  assert.ok(ackedBefore >= 10);
  console.log(`backup took ${Date.now() - started} ms while ${writtenDuring} case writes were acknowledged`);

  let r = cli(['backup', 'verify', backupFile]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^backup intact: \d+ tables, \d+ rows$/m);
  // The same counts as the backup reported (empty tables included).
  assert.equal(r.out.match(/^backup intact: (\d+ tables, \d+ rows)$/m)[1], backup.out.match(/^(\d+ tables, \d+ rows)$/m)[1]);
  assert.match(r.out, /^audit chain intact: \d+ entries$/m);

  // A damaged backup is found.
  const lines = readFileSync(backupFile, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes('Backup Beispielname') || l.startsWith('["cli_'));
  assert.ok(i > 0);
  const damaged = join(work, 'damaged.fdbackup');
  writeFileSync(damaged, lines.map((l, j) => (j === i ? l.replace('cli_', 'clj_') : l)).join('\n'));
  r = cli(['backup', 'verify', damaged]);
  assert.equal(r.code, 1);
  assert.match(r.err, /checksum/);
  writeFileSync(damaged, lines.slice(0, lines.length - 5).join('\n'));
  assert.equal(cli(['backup', 'verify', damaged]).code, 1);

  // Keys apart from the data, sealed with a passphrase.
  const keyFile = join(work, 'keys.fdkeys');
  r = cli(['keys', 'backup', '--state-dir', server.stateDir, '--out', keyFile], { FAIRDESK_KEYS_PASSPHRASE: PASSPHRASE });
  assert.equal(r.code, 0, r.err);
  const newState = mkdtempSync(join(work, 'state-'));
  r = cli(['keys', 'restore', keyFile, '--state-dir', newState], { FAIRDESK_KEYS_PASSPHRASE: 'wrong passphrase!!' });
  assert.equal(r.code, 1);
  assert.match(r.err, /passphrase/);
  r = cli(['keys', 'restore', keyFile, '--state-dir', newState], { FAIRDESK_KEYS_PASSPHRASE: PASSPHRASE });
  assert.equal(r.code, 0, r.err);

  // Restore into a fresh database; a database with tables is refused.
  const target = freshDatabaseUrl(mkdtempSync(join(work, 'restore-')));
  r = cli(['restore', backupFile, '--db', target]);
  assert.equal(r.code, 0, r.err);
  r = cli(['restore', backupFile, '--db', target]);
  assert.equal(r.code, 1);
  assert.match(r.err, /not empty/);
  r = cli(['restore', backupFile, '--db', server.db]);
  assert.equal(r.code, 1);

  // Every table the same: a backup of the restored database holds the same rows.
  const again = join(work, 'again.fdbackup');
  r = cli(['backup', '--db', target, '--out', again]);
  assert.equal(r.code, 0, r.err);
  const a = tablesOf(backupFile);
  const b = tablesOf(again);
  assert.deepEqual(Object.keys(b).sort(), Object.keys(a).sort());
  for (const t of Object.keys(a)) assert.deepEqual(b[t], a[t], `table ${t}`);
  assert.ok(a.cases.length >= 10 && a.consultations.length >= 1 && a.audit_log.length > 10);
  r = cli(['audit', 'verify', '--db', target]);
  assert.equal(r.code, 0, r.err);

  // Consistent: what was acknowledged before the backup started is in it, with its audit entries.
  const restored = await startServer({ db: target, stateDir: newState, demo: false, extraArgs: ['--require-2fa=false'] });
  try {
    const rc = await as(restored.baseUrl, DEMO_USERS.advisor);
    const client = await rc.get(`/api/v1/clients/${named.id}/personal`);
    assert.equal(client.status, 200);
    assert.equal(client.body.name, 'Backup Beispielname');
    const cookie = [...rc.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const got = await fetch(new URL(`/api/v1/documents/${doc.body.id}`, restored.baseUrl), { headers: { Cookie: cookie } });
    assert.equal(got.status, 200);
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), PDF);
    for (const w of acked.slice(0, ackedBefore)) {
      assert.equal((await rc.get(`/api/v1/cases/${w.case}`)).status, 200, w.case);
    }
  } finally {
    await restored.stop();
  }
});

test('copy: every table to an empty database (SQLite to PostgreSQL with FAIRDESK_TEST_DB_URL), readable there', async () => {
  const dir = mkdtempSync(join(work, 'copy-'));
  const source = `sqlite:${join(dir, 'small.db')}`;
  const state = join(dir, 'state');
  let r = cli(['demo-data', '--db', source, '--state-dir', state]);
  assert.equal(r.code, 0, r.err);
  const src = await startServer({ db: source, stateDir: state, demo: false, extraArgs: ['--require-2fa=false'] });
  let client;
  try {
    const c = await as(src.baseUrl, DEMO_USERS.advisor);
    client = (await c.post('/api/v1/clients', { nationality: 'SY', name: 'Kopie Beispielname' })).body;
    assert.equal((await c.post('/api/v1/cases', { client_id: client.id, topics: ['wages'] })).status, 201);
  } finally {
    await src.stop();
  }
  // A table of more rows than one chunk of the reading (1,000), spread over many pages: the copy
  // and the backup of the target must hold all of them (a PostgreSQL backup once sorted the
  // chunks' positions as text and skipped rows past the first chunk).
  sqliteRows(source, 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500) ' +
    "INSERT INTO job_runs (job, period, claimed_by, started_at) SELECT 'copy-test', printf('p%05d', i), 'test', i FROM n");
  const target = freshDatabaseUrl(mkdtempSync(join(work, 'copy-target-')));
  r = cli(['copy', '--from', source, '--to', target]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /tables, \d+ rows/);
  // Refuses a non-empty target, and a source of another schema version is not touched.
  r = cli(['copy', '--from', source, '--to', target]);
  assert.equal(r.code, 1);
  assert.match(r.err, /not empty/);

  const x = join(dir, 'x.fdbackup');
  const y = join(dir, 'y.fdbackup');
  assert.equal(cli(['backup', '--db', source, '--out', x]).code, 0);
  assert.equal(cli(['backup', '--db', target, '--out', y]).code, 0);
  const a = tablesOf(x);
  const b = tablesOf(y);
  assert.ok(a.job_runs.length >= 2500, `${a.job_runs.length} job runs in the source's backup`);
  for (const t of Object.keys(a)) assert.deepEqual(b[t], a[t], `table ${t}`);
  assert.equal(cli(['audit', 'verify', '--db', target]).code, 0);

  const copied = await startServer({ db: target, stateDir: state, demo: false, extraArgs: ['--require-2fa=false'] });
  try {
    const c = await as(copied.baseUrl, DEMO_USERS.advisor);
    const got = await c.get(`/api/v1/clients/${client.id}/personal`);
    assert.equal(got.status, 200);
    assert.equal(got.body.name, 'Kopie Beispielname');
  } finally {
    await copied.stop();
  }
});
