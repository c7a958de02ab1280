// Audit trail (issue 3): every access to client, case and document data is logged with ids only;
// centre leads read their centre's trail, admins all; `fairdesk audit verify` detects a changed
// or deleted entry. Against the real binary, on SQLite or (FAIRDESK_TEST_DB_URL) PostgreSQL.
// Tampering goes straight to the database (sqlite3 / psql), as an intruder would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { startServer, api, fairdeskBinary, DEMO_USERS, signedIn, errorFields } from '../lib/server.mjs';

let server;
const SECRET_NAME = 'Amina Geheimname';

const as = (email) => signedIn(server.baseUrl, email);


function verify() {
  const r = spawnSync(fairdeskBinary(), ['audit', 'verify', '--db', server.db], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// Runs SQL against the server's database behind its back.
function sql(statements) {
  if (server.db.startsWith('sqlite:')) {
    execFileSync('sqlite3', [server.db.slice('sqlite:'.length), statements], { stdio: 'pipe' });
  } else {
    execFileSync('psql', [server.db, '-q', '-v', 'ON_ERROR_STOP=1', '-c', statements], { stdio: 'pipe' });
  }
}

const isSqlite = () => server.db.startsWith('sqlite:');
const dropTriggers = () =>
  isSqlite()
    ? 'DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;'
    : 'DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log;';

let caseBe;
let clientBe;
let caseBy;

before(async () => {
  server = await startServer();
  const be = await as(DEMO_USERS.advisor);
  clientBe = (await be.post('/api/v1/clients', { nationality: 'SY', name: SECRET_NAME })).body;
  assert.ok(clientBe.id, JSON.stringify(clientBe));
  caseBe = (await be.post('/api/v1/cases', { client_id: clientBe.id, topics: ['wages'] })).body;
  assert.ok(caseBe.id, JSON.stringify(caseBe));
  assert.equal((await be.get(`/api/v1/cases/${caseBe.id}`)).status, 200);
  assert.equal((await be.get(`/api/v1/clients/${clientBe.id}`)).status, 200);
  const by = await as(DEMO_USERS.advisorBayern);
  const clientBy = (await by.post('/api/v1/clients', { nationality: 'UA' })).body;
  caseBy = (await by.post('/api/v1/cases', { client_id: clientBy.id, topics: ['leave'] })).body;
  assert.ok(caseBy.id, JSON.stringify(caseBy));
});
after(async () => {
  await server?.stop();
});

test('reads and writes are logged with ids only', async () => {
  const admin = await as(DEMO_USERS.admin);
  const res = await admin.get(`/api/v1/audit?record_id=${caseBe.id}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const actions = res.body.items.map((e) => `${e.action} ${e.record_type}`);
  assert.ok(actions.includes('create case'), actions.join());
  assert.ok(actions.includes('read case'), actions.join());
  const e = res.body.items[0];
  // Labels for display (issue 7): the acting user's name and the record's case number, client
  // code or user name; never a client's name.
  assert.deepEqual(Object.keys(e).sort(), ['action', 'at', 'centre_id', 'hash', 'record_centre_id', 'record_id',
    'record_ids', 'record_label', 'record_type', 'role', 'seq', 'user_id', 'user_name']);
  assert.equal(e.record_label, caseBe.number);
  assert.equal(e.user_name, 'Bahar Yilmaz');
  assert.equal(e.role, 'advisor');
  assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(e.hash, /^[0-9a-f]{64}$/);
  const all = await admin.get('/api/v1/audit?limit=200');
  assert.equal(JSON.stringify(all.body).includes(SECRET_NAME), false);
  assert.equal(JSON.stringify(all.body).includes('Geheim'), false);
});

test('entries about a case or client record by another name carry the case number or client code', async () => {
  const be = await as(DEMO_USERS.advisor);
  assert.equal((await be.get(`/api/v1/cases/${caseBe.id}/documents`)).status, 200);
  assert.equal((await be.get(`/api/v1/clients/${clientBe.id}/personal`)).status, 200);
  const referral = await be.post(`/api/v1/cases/${caseBe.id}/referrals`, { target: 'trade_union', status: 'suggested' });
  assert.equal(referral.status, 201, JSON.stringify(referral.body));
  const escalation = await be.post(`/api/v1/cases/${caseBe.id}/escalations`, { summary: 'Lohn nicht gezahlt', question: 'Welche Frist gilt?' });
  assert.equal(escalation.status, 201, JSON.stringify(escalation.body));
  const lead = await as(DEMO_USERS.centreLead);
  const items = (await lead.get('/api/v1/audit?limit=200')).body.items;
  const label = (type, id) => items.find((e) => e.record_type === type && e.record_id === id)?.record_label;
  assert.equal(label('case_documents', caseBe.id), caseBe.number);
  assert.equal(label('client_personal', clientBe.id), clientBe.code);
  assert.equal(label('referral', referral.body.id), caseBe.number);
  assert.equal(label('escalation', escalation.body.id), caseBe.number);
});

test('a list read is one entry naming every record shown, in the order shown', async () => {
  const be = await as(DEMO_USERS.advisor);
  for (let i = 0; i < 3; i++) {
    const person = (await be.post('/api/v1/clients', { nationality: 'SY' })).body;
    assert.equal((await be.post('/api/v1/cases', { client_id: person.id, topics: ['wages'] })).status, 201);
  }
  const admin = await as(DEMO_USERS.admin);
  const head = (await admin.get('/api/v1/audit?limit=1')).body.items[0].seq;
  const list = await be.get('/api/v1/cases?limit=3');
  assert.equal(list.status, 200);
  const shown = list.body.items.map((k) => k.id);
  assert.equal(shown.length, 3);
  // Answered only after the entry is committed: it is there at once, and it is the only new one.
  const after = (await admin.get('/api/v1/audit?limit=200')).body.items.filter((e) => e.seq > head);
  const reads = after.filter((e) => e.action === 'read' && e.record_type === 'case');
  assert.equal(reads.length, 1, JSON.stringify(after));
  assert.deepEqual(reads[0].record_ids, shown);
  assert.equal(reads[0].record_id, shown[0]);
  // "Who saw this case" finds the list entry by any of its cases.
  const byLast = (await admin.get(`/api/v1/audit?record_id=${shown[2]}&limit=200`)).body.items;
  assert.ok(byLast.some((e) => e.seq === reads[0].seq));
  assert.equal(verify().code, 0);
});

test('centre leads see their centre only; admins see all; others nothing', async () => {
  const lead = await as(DEMO_USERS.centreLead);
  let res = await lead.get('/api/v1/audit?limit=200');
  assert.equal(res.status, 200);
  assert.ok(res.body.items.length > 0);
  for (const e of res.body.items) {
    assert.ok(e.centre_id === caseBe.centre_id || e.record_centre_id === caseBe.centre_id, JSON.stringify(e));
  }
  assert.equal(res.body.items.some((e) => e.record_id === caseBy.id), false);
  res = await lead.get(`/api/v1/audit?record_id=${caseBy.id}`);
  assert.equal(res.body.items.length, 0);

  const admin = await as(DEMO_USERS.admin);
  res = await admin.get(`/api/v1/audit?record_id=${caseBy.id}`);
  assert.ok(res.body.items.length > 0);

  for (const email of [DEMO_USERS.advisor, DEMO_USERS.stateCoordinator, DEMO_USERS.programme, DEMO_USERS.competenceCentre]) {
    const x = await as(email);
    assert.equal((await x.get('/api/v1/audit')).status, 403, email);
  }
  assert.equal((await api(server.baseUrl).get('/api/v1/audit')).status, 401);
});

test('filters, cursor paging and bad parameters', async () => {
  const admin = await as(DEMO_USERS.admin);
  const today = new Date().toISOString().slice(0, 10);
  let res = await admin.get(`/api/v1/audit?record_type=client&record_id=${clientBe.id}&from=${today}&to=${today}`);
  assert.equal(res.status, 200);
  assert.ok(res.body.items.length >= 2);
  assert.ok(res.body.items.every((e) => e.record_type === 'client' && e.record_ids.includes(clientBe.id)));
  const userId = res.body.items[0].user_id;
  res = await admin.get(`/api/v1/audit?user_id=${userId}&limit=200`);
  assert.ok(res.body.items.every((e) => e.user_id === userId));
  res = await admin.get('/api/v1/audit?to=2000-01-01');
  assert.equal(res.body.items.length, 0);

  const first = await admin.get('/api/v1/audit?limit=2');
  assert.equal(first.body.items.length, 2);
  assert.ok(first.body.next_cursor);
  const second = await admin.get(`/api/v1/audit?limit=2&cursor=${first.body.next_cursor}`);
  assert.equal(second.body.items.length, 2);
  assert.ok(second.body.items[0].seq < first.body.items[1].seq);

  for (const [query, field] of [['limit=0', 'limit'], ['limit=201', 'limit'], ['from=yesterday', 'from'],
    ['to=2026-13-01', 'to'], ['cursor=abc', 'cursor'], ['record_type=Case', 'record_type'],
    ['record_id=%3Cscript%3E', 'record_id'], ['colour=red', 'colour'], ['from=2026-03-02&to=2026-03-01', 'to']]) {
    res = await admin.get(`/api/v1/audit?${query}`);
    assert.equal(res.status, 422, query);
    assert.ok(errorFields(res).includes(field), `${query}: ${JSON.stringify(res.body)}`);
  }
});

test('fairdesk audit verify: intact, then a changed and a deleted entry are found', async () => {
  let r = verify();
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^audit chain intact: \d+ entries$/m);
  const entries = Number(/intact: (\d+) entries/.exec(r.out)[1]);
  assert.ok(entries >= 6);

  // The log refuses changes through SQL while its triggers stand.
  assert.throws(() => sql('UPDATE audit_log SET action = \'update\' WHERE seq = 3'));
  assert.throws(() => sql('DELETE FROM audit_log WHERE seq = 2'));
  assert.equal(verify().code, 0);

  // An intruder drops the triggers and rewrites entry 3.
  const admin = await as(DEMO_USERS.admin);
  const third = (await admin.get('/api/v1/audit?limit=200')).body.items.find((e) => e.seq === 3);
  const other = third.action === 'read' ? 'update' : 'read';
  sql(`${dropTriggers()} UPDATE audit_log SET action = '${other}' WHERE seq = 3;`);
  r = verify();
  assert.notEqual(r.code, 0);
  assert.match(r.err, /seq 3\b/);

  // Put back: intact again.
  sql(`UPDATE audit_log SET action = '${third.action}' WHERE seq = 3;`);
  r = verify();
  assert.equal(r.code, 0, r.err);

  // Delete entry 2.
  sql('DELETE FROM audit_log WHERE seq = 2;');
  r = verify();
  assert.notEqual(r.code, 0);
  assert.match(r.err, /seq 2\b/);
});

test('verify reports a database it cannot open', () => {
  const r = spawnSync(fairdeskBinary(), ['audit', 'verify', '--db', 'postgresql://nobody@127.0.0.1:1/none'],
    { encoding: 'utf8', timeout: 60_000 });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /fairdesk:/);
});
