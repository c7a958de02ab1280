// Case work for daily use (issue 7, server side; issue 8 #13, #14, #16): ETag/If-Match, case edits
// and reopening, corrections and withdrawals, returning clients, merge, assignment, referrals,
// deadlines, the case list, saved filters, escalations and the identity check, transfers.
// Against the real binary, on SQLite or PostgreSQL (FAIRDESK_TEST_DB_URL).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, api, DEMO_USERS, signedIn, errorFields } from '../lib/server.mjs';

let server;
// Dates as the server counts them: in Europe/Berlin.
const berlin = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' });
const day = (offset) => berlin.format(new Date(Date.now() + offset * 86400_000));
const today = day(0);

const as = (email) => signedIn(server.baseUrl, email);
const me = async (c) => (await c.get('/api/v1/me')).body.user;

async function newCase(c, client = {}, kase = {}) {
  const cl = await c.post('/api/v1/clients', { nationality: 'SY', ...client });
  assert.equal(cl.status, 201, JSON.stringify(cl.body));
  const k = await c.post('/api/v1/cases', { client_id: cl.body.id, topics: ['wages'], ...kase });
  assert.equal(k.status, 201, JSON.stringify(k.body));
  return { client: cl.body, k: k.body };
}

before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

test('ETag and If-Match: a stale PATCH is 412 and changes nothing, on every editable record', async () => {
  const c = await as(DEMO_USERS.advisor);
  const { client, k } = await newCase(c);
  let res = await c.get(`/api/v1/cases/${k.id}`);
  const etag = res.headers.get('etag');
  assert.ok(etag, 'the case answers with an ETag');
  res = await c.patch(`/api/v1/cases/${k.id}`, { priority: 'high' }, { headers: { 'If-Match': etag } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const fresh = res.headers.get('etag');
  assert.notEqual(fresh, etag);
  res = await c.patch(`/api/v1/cases/${k.id}`, { priority: 'low' }, { headers: { 'If-Match': etag } });
  assert.equal(res.status, 412);
  assert.match(res.headers.get('content-type'), /application\/problem\+json/);
  assert.equal(res.body.status, 412);
  assert.deepEqual(errorFields(res), ['If-Match']);
  assert.equal((await c.get(`/api/v1/cases/${k.id}`)).body.priority, 'high', 'nothing changed');

  res = await c.get(`/api/v1/clients/${client.id}`);
  const clientTag = res.headers.get('etag');
  assert.equal(res.body.etag, clientTag);
  assert.equal((await c.patch(`/api/v1/clients/${client.id}`, { gender: 'male' }, { headers: { 'If-Match': clientTag } })).status, 200);
  res = await c.patch(`/api/v1/clients/${client.id}`, { gender: 'female' }, { headers: { 'If-Match': clientTag } });
  assert.equal(res.status, 412);
  assert.equal((await c.get(`/api/v1/clients/${client.id}`)).body.gender, 'male');

  const con = (await c.post(`/api/v1/cases/${k.id}/consultations`, { date: today, duration_minutes: 30, channel: 'phone', language: 'ar', kind: 'acute', notes: 'erste Notiz' }));
  assert.equal(con.status, 201);
  const conTag = con.headers.get('etag');
  assert.equal((await c.get(`/api/v1/consultations/${con.body.id}`)).headers.get('etag'), conTag);
  assert.equal((await c.patch(`/api/v1/consultations/${con.body.id}`, { duration_minutes: 45, reason: 'Tippfehler' }, { headers: { 'If-Match': conTag } })).status, 200);
  res = await c.patch(`/api/v1/consultations/${con.body.id}`, { duration_minutes: 90, reason: 'zweiter Versuch' }, { headers: { 'If-Match': conTag } });
  assert.equal(res.status, 412);
  assert.equal((await c.get(`/api/v1/consultations/${con.body.id}`)).body.duration_minutes, 45);

  const ddl = await c.post(`/api/v1/cases/${k.id}/deadlines`, { kind: 'other', due_date: day(5) });
  const ddlTag = ddl.headers.get('etag');
  assert.equal((await c.patch(`/api/v1/deadlines/${ddl.body.id}`, { done: true }, { headers: { 'If-Match': ddlTag } })).status, 200);
  assert.equal((await c.patch(`/api/v1/deadlines/${ddl.body.id}`, { done: false }, { headers: { 'If-Match': ddlTag } })).status, 412);
  assert.equal((await c.get(`/api/v1/deadlines/${ddl.body.id}`)).body.done, true);

  const ref = await c.post(`/api/v1/cases/${k.id}/referrals`, { target: 'trade_union', organisation_id: 'partner-dgb' });
  const refTag = ref.headers.get('etag');
  assert.equal((await c.patch(`/api/v1/referrals/${ref.body.id}`, { status: 'made', client_consent: true, consent_date: today }, { headers: { 'If-Match': refTag } })).status, 200);
  assert.equal((await c.patch(`/api/v1/referrals/${ref.body.id}`, { status: 'declined' }, { headers: { 'If-Match': refTag } })).status, 412);
  assert.equal((await c.get(`/api/v1/referrals/${ref.body.id}`)).body.status, 'made');
  // Without If-Match the change goes through (last writer wins, as before).
  assert.equal((await c.patch(`/api/v1/cases/${k.id}`, { priority: 'urgent' })).status, 200);
});

test('case edits: statuses, topics, risk flags, an encrypted narrative; closing warns; reopening needs a reason', async () => {
  const c = await as(DEMO_USERS.advisor);
  const { k } = await newCase(c, {}, { narrative: 'Lohn seit März offen, Arbeitgeber droht.' });
  assert.equal(k.narrative, 'Lohn seit März offen, Arbeitgeber droht.');
  let res = await c.patch(`/api/v1/cases/${k.id}`, { status: 'waiting_client', topics: ['wages', 'dismissal'],
    risk_flags: ['threats'], priority: 'high', narrative: 'Lohn seit März offen; Kündigung angedroht.' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.status, 'waiting_client');
  assert.deepEqual(res.body.risk_flags, ['threats']);
  res = await c.patch(`/api/v1/cases/${k.id}`, { status: 'waiting_third_party' });
  assert.equal(res.body.status, 'waiting_third_party');
  res = await c.patch(`/api/v1/cases/${k.id}`, { status: 'waiting' });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['status']);
  res = await c.get('/api/v1/cases?limit=200');
  assert.equal(res.body.items.find((x) => x.id === k.id).narrative, null, 'the narrative only in the case itself');
  assert.equal((await c.get(`/api/v1/cases/${k.id}`)).body.narrative, 'Lohn seit März offen; Kündigung angedroht.');

  await c.post(`/api/v1/cases/${k.id}/deadlines`, { kind: 'other', due_date: day(3) });
  await c.post(`/api/v1/cases/${k.id}/referrals`, { target: 'trade_union' });
  res = await c.patch(`/api/v1/cases/${k.id}`, { status: 'closed', closing_reason: 'resolved', outcome: { settled: true } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.warnings.map((w) => [w.code, w.count]), [['open_deadlines', 1], ['open_referrals', 1]]);

  // A closed case: no edits (409 naming the field), no new entries, nothing changes.
  for (const [body, field] of [[{ priority: 'low' }, 'priority'], [{ topics: ['leave'] }, 'topics'], [{ narrative: 'x' }, 'narrative']]) {
    res = await c.patch(`/api/v1/cases/${k.id}`, body);
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.deepEqual(errorFields(res), [field]);
  }
  res = await c.post(`/api/v1/cases/${k.id}/consultations`, { date: today, duration_minutes: 10, channel: 'phone', language: 'ar', kind: 'acute' });
  assert.equal(res.status, 409);
  assert.deepEqual(errorFields(res), ['case.status']);
  assert.equal((await c.post(`/api/v1/cases/${k.id}/deadlines`, { kind: 'other', due_date: day(3) })).status, 409);
  res = await c.get(`/api/v1/cases/${k.id}`);
  assert.equal(res.body.priority, 'high');
  assert.equal(res.body.consultations.length, 0);

  res = await c.patch(`/api/v1/cases/${k.id}`, { status: 'open' });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['reason']);
  res = await c.patch(`/api/v1/cases/${k.id}`, { status: 'open', reason: 'Arbeitgeber zahlt nicht wie vereinbart' });
  assert.equal(res.status, 200);
  assert.equal(res.body.status, 'open');
  assert.equal(res.body.closed_on, null);
  res = await c.get(`/api/v1/cases/${k.id}/history`);
  const reopen = res.body.items.find((h) => h.action === 'reopen');
  assert.equal(reopen.reason, 'Arbeitgeber zahlt nicht wie vereinbart');
  assert.equal(reopen.before.status, 'closed');
  assert.ok(reopen.changed_by_name);
});

test('corrections and withdrawals: author or centre lead, with a reason; marks, names and history kept', async () => {
  const c = await as(DEMO_USERS.advisor);
  const author = await me(c);
  const { k } = await newCase(c);
  const con = (await c.post(`/api/v1/cases/${k.id}/consultations`, { date: today, duration_minutes: 30, channel: 'phone', language: 'ar', kind: 'acute', notes: 'Lohn 1.200 EUR' })).body;
  assert.equal(con.created_by_name, author.display_name);
  assert.equal(con.corrected, false);

  let res = await c.patch(`/api/v1/consultations/${con.id}`, { notes: 'Lohn 1.500 EUR' });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['reason']);
  res = await c.patch(`/api/v1/consultations/${con.id}`, { notes: 'Lohn 1.500 EUR', reason: 'Betrag falsch übertragen', foo: 1 });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['foo']);
  assert.equal((await c.get(`/api/v1/consultations/${con.id}`)).body.notes, 'Lohn 1.200 EUR', 'nothing changed');

  // Another advisor of the centre may not correct it; the centre lead may.
  const lead = await as(DEMO_USERS.centreLead);
  const leadMe = await me(lead);
  res = await c.patch(`/api/v1/consultations/${con.id}`, { notes: 'Lohn 1.500 EUR', reason: 'Betrag falsch übertragen' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.notes, 'Lohn 1.500 EUR');
  assert.equal(res.body.corrected, true);
  assert.equal(res.body.corrected_by_name, author.display_name);
  assert.equal(res.body.change_reason, 'Betrag falsch übertragen');
  assert.ok(res.body.corrected_at);
  res = await lead.patch(`/api/v1/consultations/${con.id}`, { withdrawn: true });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['reason']);
  res = await lead.patch(`/api/v1/consultations/${con.id}`, { withdrawn: true, reason: 'falscher Fall' });
  assert.equal(res.status, 200);
  assert.equal(res.body.withdrawn, true);
  assert.equal(res.body.withdrawn_by_name, leadMe.display_name);
  assert.equal(res.body.notes, 'Lohn 1.500 EUR', 'a withdrawn entry stays visible');
  res = await lead.patch(`/api/v1/consultations/${con.id}`, { notes: 'x', reason: 'y' });
  assert.equal(res.status, 409);
  assert.deepEqual(errorFields(res), ['withdrawn']);

  // The history keeps every earlier version, decrypted for the centre; the audit trail names the change.
  res = await c.get(`/api/v1/cases/${k.id}/history`);
  const versions = res.body.items.filter((h) => h.record_id === con.id);
  assert.deepEqual(versions.map((h) => h.action), ['correct', 'withdraw']);
  assert.equal(versions[0].before.notes, 'Lohn 1.200 EUR');
  assert.equal(versions[0].reason, 'Betrag falsch übertragen');
  const trail = (await lead.get(`/api/v1/audit?record_id=${con.id}&limit=50`)).body.items;
  assert.equal(trail.filter((e) => e.action === 'update').length, 2);
  assert.ok(!JSON.stringify(trail).includes('1.200'), 'the trail holds ids, not content');

  // Deadlines and referrals: the same rules; progress (done, next status) needs no reason.
  const ddl = (await c.post(`/api/v1/cases/${k.id}/deadlines`, { kind: 'other', due_date: day(10), note: 'Frist laut Vertrag' })).body;
  assert.equal(ddl.note, 'Frist laut Vertrag');
  res = await c.patch(`/api/v1/deadlines/${ddl.id}`, { due_date: day(12) });
  assert.deepEqual(errorFields(res), ['reason']);
  res = await c.patch(`/api/v1/deadlines/${ddl.id}`, { due_date: day(12), reason: 'Zugang später' });
  assert.equal(res.status, 200);
  assert.equal(res.body.corrected, true);
  res = await c.patch(`/api/v1/deadlines/${ddl.id}`, { due_date: day(-2), reason: 'doch früher' });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['due_date']);
  res = await c.patch(`/api/v1/deadlines/${ddl.id}`, { withdrawn: true, reason: 'doppelt' });
  assert.equal(res.body.withdrawn, true);
  const ref = (await lead.post(`/api/v1/cases/${k.id}/referrals`, { target: 'trade_union', organisation_id: 'partner-dgb' })).body;
  res = await c.patch(`/api/v1/referrals/${ref.id}`, { note: 'anders', reason: 'genauer' });
  assert.equal(res.status, 403, 'not the author, not the lead');
  res = await c.patch(`/api/v1/referrals/${ref.id}`, { status: 'made', client_consent: true, consent_date: today });
  assert.equal(res.status, 200, 'moving the status on needs no reason');
});

test('referrals: status with the date of each step, declined, the organisation named', async () => {
  const c = await as(DEMO_USERS.advisor);
  const { k } = await newCase(c);
  let res = await c.post(`/api/v1/cases/${k.id}/referrals`, { target: 'trade_union', organisation_id: 'partner-dgb' });
  assert.equal(res.status, 201);
  const ref = res.body;
  assert.ok(ref.organisation_name, 'the chosen organisation is named');
  assert.match(ref.status_dates.suggested, /^\d{4}-\d{2}-\d{2}$/);
  res = await c.patch(`/api/v1/referrals/${ref.id}`, { status: 'made' });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['client_consent']);
  res = await c.patch(`/api/v1/referrals/${ref.id}`, { status: 'made', client_consent: true, consent_date: day(-1), status_date: day(-1) });
  assert.equal(res.body.status_dates.made, day(-1));
  res = await c.patch(`/api/v1/cases/${k.id}/referrals/${ref.id}`, { status: 'confirmed' });
  assert.equal(res.body.status_dates.confirmed, today);
  res = await c.patch(`/api/v1/referrals/${ref.id}`, { status: 'completed' });
  assert.equal(res.body.status, 'completed');
  assert.deepEqual([res.body.status_dates.made, res.body.status_dates.confirmed, res.body.status_dates.completed], [day(-1), today, today]);
  res = await c.patch(`/api/v1/referrals/${ref.id}`, { status: 'made' });
  assert.deepEqual(errorFields(res), ['reason'], 'a step back is a correction');
  res = await c.patch(`/api/v1/referrals/${ref.id}`, { status: 'confirmed', status_date: day(1) });
  assert.deepEqual(errorFields(res), ['status_date']);
  const other = (await c.post(`/api/v1/cases/${k.id}/referrals`, { target: 'migration_counselling' })).body;
  res = await c.patch(`/api/v1/referrals/${other.id}`, { status: 'declined' });
  assert.equal(res.status, 200);
  assert.equal(res.body.status_dates.declined, today);
  const list = (await c.get(`/api/v1/cases/${k.id}`)).body.referrals;
  assert.deepEqual(list.map((r) => r.status).sort(), ['completed', 'declined']);
  assert.ok(list.every((r) => r.created_by_name));
});

test('deadlines: a date in the past only when confirmed; overdue marked everywhere', async () => {
  const c = await as(DEMO_USERS.advisor);
  const { k } = await newCase(c);
  let res = await c.post(`/api/v1/cases/${k.id}/deadlines`, { kind: 'other', due_date: day(-3) });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['due_date']);
  assert.equal((await c.get(`/api/v1/cases/${k.id}/deadlines`)).body.items.length, 0);
  res = await c.post(`/api/v1/cases/${k.id}/deadlines`, { kind: 'other', due_date: day(-3), confirm_past: true, note: 'nachgetragen' });
  assert.equal(res.status, 201);
  assert.equal(res.body.overdue, true);
  const overdueId = res.body.id;
  await c.post(`/api/v1/cases/${k.id}/deadlines`, { kind: 'other', due_date: day(4) });
  assert.deepEqual((await c.get(`/api/v1/cases/${k.id}/deadlines`)).body.items.map((d) => d.overdue), [true, false]);
  assert.equal((await c.get(`/api/v1/cases/${k.id}`)).body.deadlines[0].overdue, true);
  assert.ok((await c.get('/api/v1/deadlines?due_within_days=7')).body.items.find((d) => d.id === overdueId).overdue);
  res = await c.get('/api/v1/cases?overdue=true&limit=200');
  const row = res.body.items.find((x) => x.id === k.id);
  assert.ok(row);
  assert.equal(row.next_deadline, day(-3));
  assert.equal(row.overdue, true);
  assert.equal((await c.patch(`/api/v1/deadlines/${overdueId}`, { done: true })).body.overdue, false);
});

test('returning clients: search by code, name, phone, e-mail (normalised), birth year and nationality', async () => {
  const c = await as(DEMO_USERS.advisor);
  const { client } = await newCase(c, { nationality: 'UA', birth_year: 1984, name: 'Olena Kovalenko-Shevchenko',
    phone: '+49 (0)30 5550-1234', email: 'Olena.K@Example.ORG' });
  const search = async (q, extra = '') => (await c.get(`/api/v1/clients?q=${encodeURIComponent(q)}${extra}&limit=200`)).body.items.map((x) => x.id);
  for (const q of [client.code, client.code.toLowerCase().slice(3), 'olena kovalenko shevchenko', 'OLENA KOVALENKO-SHEVCHENKO',
    'Kovalenko', 'shevchenko', 'Kovalenko-Shevchenko, Olena', 'shevchenko olena', '030 5550 1234', '+49 30 55501234', '0049-30-5550-1234', 'olena.k@example.org', ' OLENA.K@EXAMPLE.ORG ']) {
    assert.ok((await search(q)).includes(client.id), q);
  }
  for (const q of ['Olga', 'kovalenk', 'Kovalenko Olga', 'olena kovalenko maria', '030 5550 1235', 'olena@example.org']) {
    assert.ok(!(await search(q)).includes(client.id), q);
  }
  let res = await c.get('/api/v1/clients?birth_year=1984&nationality=UA&limit=200');
  assert.ok(res.body.items.some((x) => x.id === client.id));
  assert.ok(res.body.items.every((x) => x.birth_year === 1984 && x.nationality === 'UA'));
  assert.equal(res.body.items[0].name, undefined);
  res = await c.get('/api/v1/clients?birth_year=84&nationality=xx');
  assert.deepEqual(errorFields(res).sort(), ['birth_year', 'nationality']);
  // Another centre never finds it.
  const by = await as(DEMO_USERS.advisorBayern);
  assert.ok(!(await by.get('/api/v1/clients?q=kovalenko')).body.items.some((x) => x.id === client.id));
  // A new case for the returning client; the client's cases.
  const second = await c.post('/api/v1/cases', { client_id: client.id, topics: ['leave'] });
  assert.equal(second.status, 201);
  res = await c.get(`/api/v1/clients/${client.id}/cases`);
  assert.equal(res.body.items.length, 2);
  assert.equal((await by.get(`/api/v1/clients/${client.id}/cases`)).status, 404);
});

test('returning clients: POST /clients/search finds the same as GET ?q=, with the search out of the URL', async () => {
  const c = await as(DEMO_USERS.advisor);
  const { client } = await newCase(c, { nationality: 'UA', birth_year: 1979, name: 'Iryna Bodysearch-Melnyk',
    phone: '+49 (0)40 5550-9876', email: 'Iryna.B@Example.ORG' });
  const post = async (body) => {
    const res = await c.post('/api/v1/clients/search', body);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res;
  };
  for (const q of [client.code, 'iryna bodysearch melnyk', 'BODYSEARCH', '040 5550 9876', '0049-40-5550-9876', ' iryna.b@example.org ']) {
    const [byBody, byQuery] = [await post({ q, limit: 200 }), await c.get(`/api/v1/clients?q=${encodeURIComponent(q)}&limit=200`)];
    assert.ok(byBody.body.items.some((x) => x.id === client.id), q);
    assert.deepEqual(byBody.body.items.map((x) => x.id), byQuery.body.items.map((x) => x.id), q);
    assert.equal(byBody.body.items.find((x) => x.id === client.id).name, undefined, 'no identifying data in the answer');
  }
  assert.ok(!(await post({ q: 'bodysearc', limit: 200 })).body.items.some((x) => x.id === client.id));
  let res = await post({ birth_year: 1979, nationality: 'UA', limit: 200 });
  assert.ok(res.body.items.some((x) => x.id === client.id));
  assert.ok(res.body.items.every((x) => x.birth_year === 1979 && x.nationality === 'UA'));
  // Paging as in GET: limit and the cursor of the previous page.
  res = await post({ nationality: 'UA', limit: 1 });
  assert.equal(res.body.items.length, 1);
  if (res.body.next_cursor) {
    const next = await post({ nationality: 'UA', limit: 1, cursor: res.body.next_cursor });
    assert.notEqual(next.body.items[0]?.id, res.body.items[0].id);
  }
  // An empty search box searches nothing (as GET ?q=): the centre's clients.
  assert.ok((await post({ q: '', limit: 200 })).body.items.some((x) => x.id === client.id));
  // Bad input: problem+json naming each field; unknown fields refused.
  res = await c.post('/api/v1/clients/search', { q: 'x'.repeat(101), birth_year: 84, nationality: 'xx', limit: 500, colour: 'red' });
  assert.equal(res.status, 422);
  assert.match(res.headers.get('content-type'), /application\/problem\+json/);
  assert.deepEqual(errorFields(res).sort(), ['birth_year', 'colour', 'limit', 'nationality', 'q']);
  assert.ok(!JSON.stringify(res.body).includes('Bodysearch'));
  res = await c.post('/api/v1/clients/search', { q: 7 });
  assert.deepEqual(errorFields(res), ['q']);
  assert.equal((await c.post('/api/v1/clients/search', { q: 'bodysearch' }, { csrf: false })).status, 403);
  // Another centre never finds it; roles without case access are refused.
  const by = await as(DEMO_USERS.advisorBayern);
  res = await by.post('/api/v1/clients/search', { q: 'bodysearch', limit: 200 });
  assert.equal(res.status, 200);
  assert.ok(!res.body.items.some((x) => x.id === client.id));
  for (const who of [DEMO_USERS.admin, DEMO_USERS.programme, DEMO_USERS.stateCoordinator]) {
    assert.equal((await (await as(who)).post('/api/v1/clients/search', { q: 'bodysearch' })).status, 403, who);
  }
  assert.equal((await api(server.baseUrl).post('/api/v1/clients/search', { q: 'bodysearch' })).status, 401);
});

test('client record: the identifying fields only on an audited "show"; edits audited', async () => {
  const c = await as(DEMO_USERS.advisor);
  const { client } = await newCase(c, { name: 'Show Person', phone: '0151 2345678', address: 'Teststraße 5, 10115 Berlin',
    safe_contact: 'nur abends', birth_date: '1990-04-07', employer: 'Reinigung Blitzblank GmbH',
    consents: { storage: true, contact: false, anonymised_use: true, date: day(-2) } });
  let res = await c.get(`/api/v1/clients/${client.id}`);
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.recorded, { name: true, phone: true, email: false, address: true, safe_contact: true, birth_date: true });
  assert.equal(res.body.name, undefined);
  assert.equal(res.body.employer, 'Reinigung Blitzblank GmbH');
  assert.deepEqual(res.body.consents, { storage: true, contact: false, anonymised_use: true, date: day(-2) });
  assert.equal(res.body.birth_year, 1990);
  const lead = await as(DEMO_USERS.centreLead);
  const shows = async () => (await lead.get(`/api/v1/audit?record_id=${client.id}&limit=200`)).body.items.filter((e) => e.record_type === 'client_personal').length;
  const before = await shows();
  res = await c.get(`/api/v1/clients/${client.id}/personal`);
  assert.equal(res.body.address, 'Teststraße 5, 10115 Berlin');
  assert.equal(res.body.birth_date, '1990-04-07');
  assert.equal(await shows(), before + 1);
  const updates = async () => (await lead.get(`/api/v1/audit?record_id=${client.id}&limit=200`)).body.items.filter((e) => e.action === 'update').length;
  const u = await updates();
  res = await c.patch(`/api/v1/clients/${client.id}`, { safe_contact: 'nur per Messenger', consents: { storage: true, contact: true, date: today } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(await updates(), u + 1);
  assert.equal((await c.get(`/api/v1/clients/${client.id}/personal`)).body.safe_contact, 'nur per Messenger');
  const by = await as(DEMO_USERS.advisorBayern);
  assert.equal((await by.get(`/api/v1/clients/${client.id}/personal`)).status, 404);
});

test('merge: a centre lead merges two records of the centre (cases move); two centres: 422', async () => {
  const c = await as(DEMO_USERS.advisor);
  const a = await newCase(c, { name: 'Merge Person', phone: '030 1112223',
    consents: { storage: true, contact: false, anonymised_use: false, date: day(-30) } });
  const b = await newCase(c, { email: 'merge@example.org', birth_year: 1977,
    consents: { storage: true, contact: true, anonymised_use: true, date: day(-2) } });
  let res = await c.post(`/api/v1/clients/${a.client.id}/merge`, { source_id: b.client.id });
  assert.equal(res.status, 403, 'advisors do not merge');
  const lead = await as(DEMO_USERS.centreLead);
  const by = await as(DEMO_USERS.advisorBayern);
  const foreign = (await by.post('/api/v1/clients', { nationality: 'TR' })).body;
  res = await lead.post(`/api/v1/clients/${a.client.id}/merge`, { source_id: foreign.id });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['source_id']);
  assert.equal((await by.get(`/api/v1/clients/${foreign.id}`)).status, 200, 'nothing changed');
  res = await lead.post(`/api/v1/clients/${a.client.id}/merge`, { source_id: a.client.id });
  assert.deepEqual(errorFields(res), ['source_id']);
  res = await lead.post(`/api/v1/clients/${a.client.id}/merge`, { source_id: b.client.id });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.birth_year, 1977);
  assert.deepEqual([res.body.recorded.name, res.body.recorded.email], [true, true]);
  // The duplicate's later consent declaration is the person's current one: it is kept.
  assert.deepEqual(res.body.consents, { storage: true, contact: true, anonymised_use: true, date: day(-2) });
  assert.equal((await c.get(`/api/v1/clients/${b.client.id}`)).status, 404);
  res = await c.get(`/api/v1/clients/${a.client.id}/cases`);
  assert.deepEqual(new Set(res.body.items.map((x) => x.id)), new Set([a.k.id, b.k.id]));
  assert.ok((await c.get('/api/v1/clients?q=merge@example.org')).body.items.some((x) => x.id === a.client.id));
  const trail = (await lead.get(`/api/v1/audit?record_id=${b.client.id}&limit=50`)).body.items;
  assert.ok(trail.some((e) => e.action === 'delete'));
});

test('centre leads assign several cases at once and see each advisor\'s caseload; another centre: 422', async () => {
  const c = await as(DEMO_USERS.advisor);
  const lead = await as(DEMO_USERS.centreLead);
  const advisor = await me(c);
  const one = await newCase(c);
  const two = await newCase(c);
  let res = await c.post('/api/v1/cases/assign', { case_ids: [one.k.id], assignee_id: advisor.id });
  assert.equal(res.status, 403);
  const load = async () => (await lead.get('/api/v1/caseload')).body.items;
  const leadMe = await me(lead);
  const before = (await load()).find((x) => x.user_id === leadMe.id)?.open_cases ?? 0;
  res = await lead.post('/api/v1/cases/assign', { case_ids: [one.k.id, two.k.id], assignee_id: leadMe.id });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.ok(res.body.items.every((x) => x.assignee_id === leadMe.id && x.assignee_name === leadMe.display_name));
  assert.equal((await load()).find((x) => x.user_id === leadMe.id).open_cases, before + 2);
  assert.ok((await load()).some((x) => x.user_id === advisor.id));
  const bavarian = await me(await as(DEMO_USERS.advisorBayern));
  res = await lead.post('/api/v1/cases/assign', { case_ids: [one.k.id], assignee_id: bavarian.id });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['assignee_id']);
  res = await lead.patch(`/api/v1/cases/${two.k.id}`, { assignee_id: bavarian.id });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['assignee_id']);
  res = await lead.post('/api/v1/cases/assign', { case_ids: [one.k.id, 'case_nope'], assignee_id: advisor.id });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['case_ids[1]']);
  assert.equal((await c.get(`/api/v1/cases/${one.k.id}`)).body.assignee_id, leadMe.id, 'all or nothing');
  assert.equal((await c.get('/api/v1/caseload')).status, 403);
  // Each handover is in the case's history with who had the case before; refused ones are not.
  const handovers = async (id) => (await c.get(`/api/v1/cases/${id}/history`)).body.items.filter((h) => h.action === 'assign');
  let entries = await handovers(one.k.id);
  assert.equal(entries.length, 1, JSON.stringify(entries));
  assert.deepEqual(entries[0].before, { assignee_id: advisor.id, assignee_name: advisor.display_name });
  assert.equal(entries[0].changed_by_name, leadMe.display_name);
  res = await lead.patch(`/api/v1/cases/${two.k.id}`, { assignee_id: advisor.id });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  entries = await handovers(two.k.id);
  assert.deepEqual(entries.map((h) => h.before.assignee_name), [advisor.display_name, leadMe.display_name], 'the bulk assignment, then the edit');
});

test('case list: sort orders, all filters on the server, cursor paging; saved filters per user', async () => {
  const c = await as(DEMO_USERS.advisor);
  const client = (await c.post('/api/v1/clients', { nationality: 'ER' })).body;
  const made = [];
  for (let i = 0; i < 7; i++) {
    const k = (await c.post('/api/v1/cases', { client_id: client.id, topics: ['other'], priority: ['low', 'urgent', 'normal'][i % 3] })).body;
    if (i < 4) await c.post(`/api/v1/cases/${k.id}/deadlines`, { kind: 'other', due_date: day(20 - i) });
    made.push(k);
  }
  const ids = new Set(made.map((m) => m.id));
  const all = async (query) => {
    const out = [];
    let cursor = null;
    do {
      const res = await c.get(`/api/v1/cases?${query}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      out.push(...res.body.items);
      cursor = res.body.next_cursor;
    } while (cursor);
    return out.filter((x) => ids.has(x.id));
  };
  let rows = await all(`client_id=${client.id}&sort=next_deadline`);
  assert.equal(rows.length, 7);
  assert.deepEqual(rows.slice(0, 4).map((x) => x.next_deadline), [day(17), day(18), day(19), day(20)]);
  assert.ok(rows.slice(4).every((x) => x.next_deadline === null));
  rows = await all(`client_id=${client.id}&sort=priority`);
  assert.deepEqual([...new Set(rows.map((x) => x.priority))], ['urgent', 'normal', 'low']);
  rows = await all(`client_id=${client.id}&sort=number`);
  assert.deepEqual(rows.map((x) => x.number), [...rows.map((x) => x.number)].sort());
  rows = await all(`client_id=${client.id}&priority=urgent&q=`);
  assert.equal(rows.length, 2);
  rows = await all(`client_id=${client.id}&status=active&assignee=me`);
  assert.equal(rows.length, 7);
  rows = await all(`client_id=${client.id}&assignee=none`);
  assert.equal(rows.length, 0);
  let res = await c.get('/api/v1/cases?sort=sideways&priority=x&overdue=maybe&risk_flag=y');
  assert.deepEqual(errorFields(res).sort(), ['overdue', 'priority', 'risk_flag', 'sort']);
  res = await c.get('/api/v1/cases?sort=number&cursor=12.x');
  assert.deepEqual(errorFields(res), ['cursor']);

  res = await c.post('/api/v1/saved-filters', { name: 'Dringend', query: 'priority=urgent&sort=next_deadline' });
  assert.equal(res.status, 201);
  const saved = res.body;
  res = await c.put(`/api/v1/saved-filters/${saved.id}`, { name: 'Dringend offen', query: 'priority=urgent&status=active' });
  assert.equal(res.body.name, 'Dringend offen');
  assert.deepEqual((await c.get('/api/v1/saved-filters')).body.items.map((f) => f.name), ['Dringend offen']);
  const lead = await as(DEMO_USERS.centreLead);
  assert.equal((await lead.get('/api/v1/saved-filters')).body.items.length, 0, 'per user');
  assert.equal((await lead.del(`/api/v1/saved-filters/${saved.id}`)).status, 404);
  assert.deepEqual(errorFields(await c.post('/api/v1/saved-filters', { name: '', query: 'a#b' })).sort(), ['name', 'query']);
  assert.equal((await c.del(`/api/v1/saved-filters/${saved.id}`)).status, 204);
  assert.equal((await c.get('/api/v1/saved-filters')).body.items.length, 0);
});

test('escalations: identity check after normalising; the Fachstelle inbox, the asker and answers with names, read marks, counters', async () => {
  const c = await as(DEMO_USERS.advisor);
  const { k } = await newCase(c, { name: 'Mariam Haddad', phone: '0176 98765432', email: 'mariam@example.org',
    birth_date: '1992-11-03', employer: 'Gebäudereinigung Sauberwind GmbH', address: 'Lindenallee 17, 12345 Berlin' });
  const probes = [
    'Frau Ha\u200Bddad hat Probleme', // zero-width space
    'Frau Had\u00ADdad hat Probleme', // soft hyphen
    'Frau H\u0430ddad hat Probleme', // Cyrillic а
    'Frau ＨＡＤＤＡＤ hat Probleme', // full-width
    'Rückruf unter 9876x5432', // digits with a letter between them
    'geboren am 03.11.1992',
    'arbeitet bei Sauberwind',
    'wohnt Lindenallee 17',
  ];
  for (const summary of probes) {
    const res = await c.post(`/api/v1/cases/${k.id}/escalations`, { summary, question: 'Was tun?' });
    assert.equal(res.status, 422, summary);
    assert.deepEqual(errorFields(res), ['summary'], summary);
    assert.ok(!JSON.stringify(res.body).includes('Haddad'));
  }
  let res = await c.post(`/api/v1/cases/${k.id}/escalations`, { summary: 'Reinigungskraft, Lohn fehlt seit März', question: 'Klage oder Mahnung?' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const esc = res.body;

  const cc = await as(DEMO_USERS.competenceCentre);
  const ccMe = await me(cc);
  res = await cc.get('/api/v1/escalations');
  const row = res.body.items.find((e) => e.id === esc.id);
  assert.equal(row.centre_state, 'BE');
  assert.ok(row.centre_name);
  assert.deepEqual(row.topics, ['wages']);
  assert.ok(row.waiting_since);
  assert.equal(row.message_count, 0);
  // Who asked, by name: in the inbox, on the escalation and on the case's timeline.
  const asker = (await me(c)).display_name;
  assert.equal(esc.created_by_name, asker);
  assert.equal(row.created_by_name, asker);
  assert.equal((await c.get(`/api/v1/cases/${k.id}`)).body.escalations.find((e) => e.id === esc.id).created_by_name, asker);
  res = await cc.patch(`/api/v1/escalations/${esc.id}`, { assignee_id: ccMe.id });
  assert.equal(res.status, 200);
  assert.equal(res.body.assignee_name, ccMe.display_name);
  res = await cc.patch(`/api/v1/escalations/${esc.id}`, { assignee_id: (await me(c)).id });
  assert.deepEqual(errorFields(res), ['assignee_id'], 'only a member of the Fachstelle');
  assert.equal((await c.patch(`/api/v1/escalations/${esc.id}`, { assignee_id: ccMe.id })).status, 403);

  // issue 8 #13: the Fachstelle's own messages are never checked, so guessing tells it nothing.
  for (const guess of ['Ist es Frau Haddad?', 'Ist es Frau Müller?', 'Tel. 0176 98765432?']) {
    res = await cc.post(`/api/v1/escalations/${esc.id}/messages`, { body: guess });
    assert.equal(res.status, 201, guess);
  }
  res = await cc.post(`/api/v1/escalations/${esc.id}/messages`, { body: 'Erst schriftlich mahnen, dann klagen.' });
  assert.equal(res.status, 201);
  assert.equal(res.body.author_name, ccMe.display_name);
  res = await c.get(`/api/v1/escalations/${esc.id}`);
  assert.equal(res.body.status, 'answered', 'answering sets the status');
  assert.equal(res.body.message_count, 4);
  assert.equal(res.body.unread_answers, 4);
  assert.ok(res.body.messages.every((m) => m.author_name === ccMe.display_name));
  const last = res.body.messages.at(-1);
  res = await c.post(`/api/v1/escalations/${esc.id}/read`, { message_id: last.id });
  assert.equal(res.body.unread_answers, 3);
  res = await c.post(`/api/v1/escalations/${esc.id}/read`);
  assert.equal(res.body.unread_answers, 0);
  assert.ok(res.body.messages.every((m) => m.read_at));
  assert.equal((await cc.post(`/api/v1/escalations/${esc.id}/read`)).status, 403);
  // The asking centre's follow-up is checked and reopens the thread.
  res = await c.post(`/api/v1/escalations/${esc.id}/messages`, { body: 'Frau Mariam H. fragt nach' });
  assert.equal(res.status, 422);
  res = await c.post(`/api/v1/escalations/${esc.id}/messages`, { body: 'Die Mahnung ist raus. Weiter?' });
  assert.equal(res.status, 201);
  assert.equal((await c.get(`/api/v1/escalations/${esc.id}`)).body.status, 'open');
  // The Fachstelle closes but cannot reopen; the asking centre can.
  assert.equal((await cc.patch(`/api/v1/escalations/${esc.id}`, { status: 'closed' })).status, 200);
  assert.equal((await cc.patch(`/api/v1/escalations/${esc.id}`, { status: 'open' })).status, 403);
  assert.equal((await cc.post(`/api/v1/escalations/${esc.id}/messages`, { body: 'noch etwas' })).status, 409);
  assert.equal((await c.patch(`/api/v1/escalations/${esc.id}`, { status: 'open' })).body.status, 'open');
});

test('documents: withdrawn with a reason by the uploader or the centre lead, kept and marked', async () => {
  const c = await as(DEMO_USERS.advisor);
  const uploader = await me(c);
  const { k } = await newCase(c);
  const upload = (who) => who.request('POST', `/api/v1/cases/${k.id}/documents`, {
    body: 'Lohnabrechnung März\n', headers: { 'Content-Type': 'text/plain', 'X-Filename': 'lohn.txt' } });
  let res = await upload(c);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const doc = res.body;
  assert.equal(doc.uploaded_by_name, uploader.display_name);
  assert.equal(doc.withdrawn, false);
  res = await c.patch(`/api/v1/documents/${doc.id}`, { withdrawn: true });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['reason']);
  res = await c.patch(`/api/v1/documents/${doc.id}`, { withdrawn: false, reason: 'x' });
  assert.deepEqual(errorFields(res), ['withdrawn']);
  const lead = await as(DEMO_USERS.centreLead);
  const leadMe = await me(lead);
  const by = await as(DEMO_USERS.advisorBayern);
  assert.equal((await by.patch(`/api/v1/documents/${doc.id}`, { withdrawn: true, reason: 'x' })).status, 404);
  res = await lead.patch(`/api/v1/documents/${doc.id}`, { withdrawn: true, reason: 'falscher Fall' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.withdrawn, true);
  assert.equal(res.body.withdrawn_by_name, leadMe.display_name);
  assert.equal(res.body.change_reason, 'falscher Fall');
  res = await c.get(`/api/v1/cases/${k.id}/documents`);
  assert.equal(res.body.items[0].withdrawn, true, 'still listed, marked');
  assert.equal((await lead.patch(`/api/v1/documents/${doc.id}`, { withdrawn: true, reason: 'nochmal' })).status, 409);
  // Another advisor may not withdraw someone else's document; nothing is uploaded to a closed case.
  const other = (await upload(lead)).body;
  assert.equal((await c.patch(`/api/v1/documents/${other.id}`, { withdrawn: true, reason: 'x' })).status, 403);
  await c.patch(`/api/v1/cases/${k.id}`, { status: 'closed', closing_reason: 'resolved', outcome: { settled: true } });
  res = await upload(c);
  assert.equal(res.status, 409);
  assert.deepEqual(errorFields(res), ['case.status']);
  const trail = (await lead.get(`/api/v1/audit?record_id=${doc.id}&limit=20`)).body.items;
  assert.ok(trail.some((e) => e.action === 'update'));
});

test('employment of a case: what the calculators need, validated, encrypted at rest, audited, with history', async () => {
  const c = await as(DEMO_USERS.advisor);
  const { k } = await newCase(c, {}, { topics: ['dismissal'], employment: { employer: 'Gebäudereinigung Blank GmbH', start: '2024-03-01' } });
  assert.equal(k.employment.employer, 'Gebäudereinigung Blank GmbH');
  assert.equal(k.employment.start, '2024-03-01');
  assert.equal(k.employment.notice_received, null);

  let res = await c.get(`/api/v1/cases/${k.id}`);
  let etag = res.headers.get('etag');
  const employment = { work_state: 'BE', notice_received: day(-3), notice_given_by: 'employer', notice_form: 'written',
    contract_date: '2024-02-20', claim_due: '2025-11-15', weekly_hours: 38.5, workdays_per_week: 5, hourly_wage_cents: 1390 };
  res = await c.patch(`/api/v1/cases/${k.id}`, { employment }, { headers: { 'If-Match': etag } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  // PATCH changes only the keys sent: the employer and the start stay.
  assert.deepEqual(res.body.employment, { employer: 'Gebäudereinigung Blank GmbH', start: '2024-03-01', end: null, ...employment });
  res = await c.get(`/api/v1/cases/${k.id}`);
  assert.equal(res.body.employment.weekly_hours, 38.5);
  assert.equal(res.body.employment.notice_received, day(-3));
  etag = res.headers.get('etag');

  // Bad input: each field named, nothing changes.
  for (const [bad, field] of [
    [{ work_state: 'XX' }, 'employment.work_state'],
    [{ end: '2024-01-31' }, 'employment.end'],
    [{ notice_received: day(2) }, 'employment.notice_received'],
    [{ notice_given_by: 'court' }, 'employment.notice_given_by'],
    [{ weekly_hours: 81 }, 'employment.weekly_hours'],
    [{ hourly_wage_cents: -5 }, 'employment.hourly_wage_cents'],
    [{ start: '2024-02-30' }, 'employment.start'],
    [{ salary: 1 }, 'employment.salary'],
  ]) {
    res = await c.patch(`/api/v1/cases/${k.id}`, { employment: bad }, { headers: { 'If-Match': etag } });
    assert.equal(res.status, 422, `${JSON.stringify(bad)}: ${JSON.stringify(res.body)}`);
    assert.deepEqual(errorFields(res), [field]);
  }
  // A stale If-Match: 412.
  res = await c.patch(`/api/v1/cases/${k.id}`, { employment: { end: '2025-12-31' } }, { headers: { 'If-Match': '"stale.1"' } });
  assert.equal(res.status, 412);
  res = await c.get(`/api/v1/cases/${k.id}`);
  assert.equal(res.headers.get('etag'), etag, 'nothing changed');
  assert.equal(res.body.employment.end, null);

  // A correction: the earlier employment stays in the case's history; null clears one key.
  res = await c.patch(`/api/v1/cases/${k.id}`, { employment: { start: '2024-04-01', claim_due: null }, reason: 'Vertrag nachgesehen' },
    { headers: { 'If-Match': etag } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.employment.start, '2024-04-01');
  assert.equal(res.body.employment.claim_due, null);
  const history = (await c.get(`/api/v1/cases/${k.id}/history`)).body.items;
  const earlier = history.find((h) => h.action === 'correct' && h.reason === 'Vertrag nachgesehen');
  assert.equal(earlier.before.employment.start, '2024-03-01');
  assert.equal(earlier.before.employment.claim_due, '2025-11-15');

  // Lists carry no employment; the stored column is sealed (no employer in plain text).
  res = await c.get('/api/v1/cases?limit=200');
  assert.equal(res.body.items.find((x) => x.id === k.id).employment, null);
  const sql = `SELECT employment_enc FROM cases WHERE id = '${k.id}'`;
  const stored = server.db.startsWith('sqlite:')
    ? execFileSync('sqlite3', [server.db.slice('sqlite:'.length), sql], { encoding: 'utf8' })
    : execFileSync('psql', [server.db, '-At', '-c', sql], { encoding: 'utf8' });
  assert.ok(stored.trim().length > 20, 'something is stored');
  assert.doesNotMatch(stored, /Blank|2024-04-01|1390/);

  // Audited: each change is an update of the case in the trail the lead reads.
  const lead = await as(DEMO_USERS.centreLead);
  const trail = (await lead.get(`/api/v1/audit?record_id=${k.id}&limit=50`)).body.items;
  assert.ok(trail.filter((e) => e.action === 'update' && e.record_type === 'case').length >= 2);

  // Clearing it all; a closed case keeps it (409 naming the field).
  res = await c.patch(`/api/v1/cases/${k.id}`, { employment: null });
  assert.equal(res.status, 200);
  assert.equal(res.body.employment, null);
  res = await c.patch(`/api/v1/cases/${k.id}`, { employment: { employer: 'Blank GmbH' } });
  assert.equal(res.body.employment.employer, 'Blank GmbH');
  res = await c.patch(`/api/v1/cases/${k.id}`, { status: 'closed', closing_reason: 'resolved', outcome: { settled: true } });
  assert.equal(res.status, 200);
  res = await c.patch(`/api/v1/cases/${k.id}`, { employment: { employer: 'Andere GmbH' } });
  assert.equal(res.status, 409);
  assert.deepEqual(errorFields(res), ['employment']);
  // Another centre sees none of it.
  const other = await as(DEMO_USERS.advisorBayern);
  assert.equal((await other.get(`/api/v1/cases/${k.id}`)).status, 404);
});
