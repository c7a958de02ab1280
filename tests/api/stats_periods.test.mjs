// Closed reporting periods (issue 11): a centre lead closes a period of the centre, the Competence
// Centre one nationwide; the figures of a closed period stay as they were through late entries,
// withdrawals and erasure; a revision with a reason takes the figures anew while the closed ones
// stay readable; everything audited; bad input 4xx naming the field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_USERS, errorFields, signedIn } from '../lib/server.mjs';

let server;
// A month long past (never the running one, whatever today is) and one next to it.
const MONTH = '2024-03';
const NEXT = '2024-04';
const thisMonth = new Date().toISOString().slice(0, 7);

const as = (email) => signedIn(server.baseUrl, email);
const table = (c, q) => c.get(`/api/v1/stats/table?${new URLSearchParams(q)}`);
const total = async (c, q) => {
  const res = await table(c, q);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
};

before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

async function consult(c, caseId, date, channel = 'phone') {
  const res = await c.post(`/api/v1/cases/${caseId}/consultations`, { date, duration_minutes: 30, channel,
    language: 'ar', kind: 'acute', notes: 'n' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

test('a centre lead closes a month: late entries, withdrawals and erasure do not move it; a revision does, visibly', async () => {
  const advisor = await as(DEMO_USERS.advisor);
  const lead = await as(DEMO_USERS.centreLead);
  const client = (await advisor.post('/api/v1/clients', { nationality: 'SY', birth_year: 1990, gender: 'female', languages: ['ar'] })).body;
  const k = (await advisor.post('/api/v1/cases', { client_id: client.id, topics: ['wages'] })).body;
  await consult(advisor, k.id, `${MONTH}-10`);
  const withdrawn = await consult(advisor, k.id, `${MONTH}-12`, 'in_person');
  await consult(advisor, k.id, `${MONTH}-14`);

  const q = { measure: 'consultations', rows: 'channel', from: MONTH, to: MONTH };
  const open = await total(lead, q);
  assert.equal(open.closed_period, null);
  const closedValue = open.total.value;
  assert.ok(closedValue >= 3);
  const persons = await total(lead, { ...q, measure: 'persons', rows: 'gender' });

  // Bad input and wrong roles: nothing is closed.
  let res = await lead.post('/api/v1/stats/periods', { period: '2024-13' });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['period']);
  res = await lead.post('/api/v1/stats/periods', { period: 'last year' });
  assert.deepEqual(errorFields(res), ['period']);
  res = await lead.post('/api/v1/stats/periods', { period: thisMonth });
  assert.equal(res.status, 422, 'the running month cannot be closed');
  assert.deepEqual(errorFields(res), ['period']);
  res = await lead.post('/api/v1/stats/periods', { period: MONTH, centre: 'centre-by-1' });
  assert.deepEqual(errorFields(res), ['centre']);
  res = await lead.post('/api/v1/stats/periods', {});
  assert.deepEqual(errorFields(res), ['period']);
  assert.equal((await advisor.post('/api/v1/stats/periods', { period: MONTH })).status, 403);
  assert.equal((await (await as(DEMO_USERS.programme)).post('/api/v1/stats/periods', { period: MONTH })).status, 403);
  assert.equal((await (await as(DEMO_USERS.admin)).post('/api/v1/stats/periods', { period: MONTH })).status, 403);
  assert.deepEqual((await lead.get('/api/v1/stats/periods')).body.items, []);

  res = await lead.post('/api/v1/stats/periods', { period: MONTH });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const period = res.body;
  assert.equal(period.scope, 'centre');
  assert.equal(period.centre, 'centre-be-1');
  assert.equal(period.state, 'BE');
  assert.equal(period.from, MONTH);
  assert.equal(period.to, MONTH);
  assert.equal(period.latest_revision, 0);
  assert.equal(period.revisions.length, 1);
  assert.equal(period.revisions[0].reason, null);
  // Overlapping the closed month: a conflict, nothing closed.
  res = await lead.post('/api/v1/stats/periods', { period: '2024-Q1' });
  assert.equal(res.status, 409);
  assert.equal((await lead.get('/api/v1/stats/periods')).body.items.length, 1);

  let closed = await total(lead, q);
  assert.equal(closed.closed_period.id, period.id);
  assert.equal(closed.closed_period.revision, 0);
  assert.equal(closed.total.value, closedValue);

  // After closing: a late entry, a withdrawal, and the client's erasure.
  await consult(advisor, k.id, `${MONTH}-20`);
  await consult(advisor, k.id, `${MONTH}-21`);
  const etag = (await advisor.get(`/api/v1/consultations/${withdrawn.id}`)).headers.get('etag');
  res = await advisor.patch(`/api/v1/consultations/${withdrawn.id}`, { withdrawn: true, reason: 'entered twice' },
    etag ? { headers: { 'If-Match': etag } } : undefined);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  // The live figures moved (a table reaching beyond the closed month is not frozen) ...
  const live = await total(lead, { ...q, to: NEXT });
  assert.equal(live.closed_period, null);
  assert.equal(live.total.value, closedValue + 1);
  // ... the closed month did not, and says the live figures changed since.
  closed = await total(lead, q);
  assert.equal(closed.total.value, closedValue);
  let listed = (await lead.get('/api/v1/stats/periods')).body.items;
  assert.equal(listed.length, 1);
  assert.equal(listed[0].changed_since, true);
  assert.equal(listed[0].can_revise, true);

  res = await advisor.del(`/api/v1/clients/${client.id}`);
  assert.equal(res.status, 204);
  assert.deepEqual(await total(lead, q), closed);
  assert.deepEqual(await total(lead, { ...q, measure: 'persons', rows: 'gender' }), { ...persons, closed_period: closed.closed_period });

  // A revision: only the centre's lead, with a reason.
  res = await lead.post(`/api/v1/stats/periods/${period.id}/revisions`, { reason: '' });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['reason']);
  assert.equal((await advisor.post(`/api/v1/stats/periods/${period.id}/revisions`, { reason: 'late entries' })).status, 403);
  const fachstelle = await as(DEMO_USERS.competenceCentre);
  assert.equal((await fachstelle.post(`/api/v1/stats/periods/${period.id}/revisions`, { reason: 'late entries' })).status, 403);
  assert.equal((await lead.post('/api/v1/stats/periods/spd_nothing/revisions', { reason: 'late entries' })).status, 404);
  res = await lead.post(`/api/v1/stats/periods/${period.id}/revisions`, { reason: 'late entries after closing' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.latest_revision, 1);
  assert.equal(res.body.revisions[1].reason, 'late entries after closing');
  assert.match(res.body.revisions[1].created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(res.body.changed_since, false);

  const revised = await total(lead, q);
  assert.equal(revised.closed_period.revision, 1);
  assert.equal(revised.closed_period.revision_reason, 'late entries after closing');
  assert.equal(revised.total.value, closedValue + 1);
  // The closed figures stay readable.
  const original = await total(lead, { ...q, revision: '0' });
  assert.equal(original.closed_period.revision, 0);
  assert.equal(original.total.value, closedValue);
  assert.deepEqual(original.cells, closed.cells);
  assert.deepEqual(errorFields(await table(lead, { ...q, revision: '2' })), ['revision']);
  assert.deepEqual(errorFields(await table(lead, { ...q, revision: 'x' })), ['revision']);
  assert.deepEqual(errorFields(await table(lead, { ...q, to: NEXT, revision: '0' })), ['revision']);
  // Every export of the closed month carries the same figures.
  const csv = await table(lead, { ...q, revision: '0', format: 'csv' });
  assert.equal(csv.body.replace(/^\uFEFF/, '').trim().split('\r\n').at(-1), `total,${closedValue}`);

  // Audited: closing and revising.
  res = await lead.get(`/api/v1/audit?${new URLSearchParams({ record_type: 'stats_period', record_id: period.id })}`);
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.items.map((e) => e.action).sort(), ['create', 'update']);
});

test('the Competence Centre closes a quarter nationwide; who sees which closed period', async () => {
  const fachstelle = await as(DEMO_USERS.competenceCentre);
  const advisor = await as(DEMO_USERS.advisorBayern);
  const client = (await advisor.post('/api/v1/clients', { nationality: 'AF', birth_year: 1985, gender: 'male', languages: ['fa'] })).body;
  const k = (await advisor.post('/api/v1/cases', { client_id: client.id, topics: ['dismissal'] })).body;
  for (const day of ['05', '06', '07', '08', '09', '10']) await consult(advisor, k.id, `2023-05-${day}`);

  const q = { measure: 'consultations', rows: 'state', from: '2023-04', to: '2023-06' };
  const before = await total(fachstelle, q);
  assert.equal(before.protected, true);
  assert.equal(before.closed_period, null);
  assert.equal((await (await as(DEMO_USERS.centreLead)).post('/api/v1/stats/periods', { period: '2023-Q2' })).status, 201);

  let res = await fachstelle.post('/api/v1/stats/periods', { period: '2023-Q2' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const period = res.body;
  assert.equal(period.scope, 'nationwide');
  assert.equal(period.centre, null);
  assert.equal(period.from, '2023-04');
  assert.equal(period.to, '2023-06');
  assert.equal((await fachstelle.post('/api/v1/stats/periods', { period: '2023' })).status, 409);

  const frozen = await total(fachstelle, q);
  assert.equal(frozen.closed_period.id, period.id);
  assert.deepEqual(frozen.cells, before.cells, 'the same records give the same protected figures');
  // A month inside the quarter is frozen too; the programme reads the same closed period.
  const programme = await as(DEMO_USERS.programme);
  const may = await total(programme, { ...q, from: '2023-05', to: '2023-05', state: 'BY' });
  assert.equal(may.closed_period.id, period.id);
  await consult(advisor, k.id, '2023-05-20');
  assert.deepEqual(await total(programme, { ...q, from: '2023-05', to: '2023-05', state: 'BY' }), may);
  // The Berlin lead's own quarter answers the Berlin lead; the nationwide one everybody else.
  const lead = await as(DEMO_USERS.centreLead);
  const own = await total(lead, q);
  assert.equal(own.closed_period.centre, 'centre-be-1');

  const ids = async (email) => (await (await as(email)).get('/api/v1/stats/periods')).body.items.map((p) => p.period).sort();
  assert.deepEqual(await ids(DEMO_USERS.centreLead), ['2023-Q2', '2023-Q2', '2024-03']);
  assert.deepEqual(await ids(DEMO_USERS.advisorBayern), ['2023-Q2']);
  assert.deepEqual(await ids(DEMO_USERS.stateCoordinator), ['2023-Q2', '2023-Q2', '2024-03']);
  assert.deepEqual(await ids(DEMO_USERS.programme), ['2023-Q2', '2023-Q2', '2024-03']);
  assert.equal((await (await as(DEMO_USERS.admin)).get('/api/v1/stats/periods')).status, 403);
  assert.deepEqual(errorFields(await fachstelle.get('/api/v1/stats/periods?x=1')), ['x']);
  const listed = (await fachstelle.get('/api/v1/stats/periods')).body.items.find((p) => p.id === period.id);
  assert.equal(listed.changed_since, true);
  assert.equal(listed.can_revise, true);
  assert.equal((await lead.post(`/api/v1/stats/periods/${period.id}/revisions`, { reason: 'late entries' })).status, 403);
});
