// ESF Plus indicators and closed statistics periods (issue 11): a closed period's indicator figures
// come from the copy taken when it was closed, so a record corrected or added afterwards does not
// move them; a revision takes the records anew (the period shows as changed until then) and the
// earlier revision stays readable. Exact or protected figures follow the statistics tables' rule
// per role: the centre lead and the Competence Centre for its own centre exact, everything else
// protected; centres outside what a role reports on are refused naming the field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_USERS, errorFields, signedIn } from '../lib/server.mjs';

let server;
// Months long past that no demo record uses (demo entries are in the last two months).
const MONTH = '2023-06';
const OTHER = '2023-09';
const today = new Date().toISOString().slice(0, 10);

const as = (email) => signedIn(server.baseUrl, email);

before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

// An ESF participant on a new case of the caller's centre, entered in `month`.
async function participant(c, month, over = {}) {
  const client = (await c.post('/api/v1/clients', { nationality: 'SY', birth_year: 1990, gender: 'female', languages: ['ar'] })).body;
  const k = (await c.post('/api/v1/cases', { client_id: client.id, topics: ['wages'] })).body;
  assert.ok(k.id, JSON.stringify(k));
  for (let i = 0; i < 2; i++) {
    const res = await c.post(`/api/v1/cases/${k.id}/consultations`, { date: today, duration_minutes: 30, channel: 'phone',
      language: 'ar', kind: 'acute', notes: 'n' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  const res = await c.post(`/api/v1/cases/${k.id}/esf`, { entry_date: `${month}-05`, gender: 'women', birth_year: 1990,
    employment_status: 'unemployed', education: 'isced_3_4', third_country_national: 'yes', foreign_background: 'yes',
    homeless: 'no', rural: 'no', disability: 'yes', minority: 'no', ...over });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { caseId: k.id, etag: res.headers.get('etag') };
}

async function indicators(c, q) {
  const res = await c.get(`/api/v1/esf/indicators?${new URLSearchParams(q)}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}
const total = (t, code) => t.rows.find((r) => r.code === code).total.value;

test('a closed period keeps its ESF Plus figures through corrections and late entries; a revision takes them anew', async () => {
  const advisor = await as(DEMO_USERS.advisor);
  const lead = await as(DEMO_USERS.centreLead);
  const first = await participant(advisor, MONTH);
  const q = { from: MONTH, to: MONTH };
  const open = await indicators(lead, q);
  assert.equal(open.closed_period, null);
  assert.equal(open.protected, false);
  assert.equal(total(open, 'EECO01'), 1);
  assert.equal(total(open, 'EECO02'), 1);
  assert.equal(total(open, 'EECO12'), 1, 'the sealed disability answer counts');

  let res = await lead.post('/api/v1/stats/periods', { period: MONTH });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const period = res.body;
  const closed = await indicators(lead, q);
  assert.equal(closed.closed_period.id, period.id);
  assert.equal(closed.closed_period.revision, 0);
  assert.deepEqual(closed.rows, open.rows);

  // After closing: a correction of the record and a late entry in the closed month.
  res = await advisor.patch(`/api/v1/cases/${first.caseId}/esf`, { employment_status: 'employed', disability: 'no' },
    { headers: { 'If-Match': first.etag } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  await participant(advisor, MONTH, { gender: 'men' });
  const after = await indicators(lead, q);
  assert.deepEqual(after.rows, open.rows, 'the closed period answers from its copy');
  assert.equal(after.closed_period.revision, 0);
  // The months outside the closed period are live.
  assert.equal(total(await indicators(lead, { from: MONTH, to: '2023-07' }), 'EECO01'), 2);
  // The period shows that the records changed since.
  let listed = (await lead.get('/api/v1/stats/periods')).body.items.find((p) => p.id === period.id);
  assert.equal(listed.changed_since, true);

  // A revision with a reason takes the records as they are now; revision 0 stays readable.
  res = await lead.post(`/api/v1/stats/periods/${period.id}/revisions`, { reason: 'ESF Plus record corrected' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const revised = await indicators(lead, q);
  assert.equal(revised.closed_period.revision, 1);
  assert.equal(revised.closed_period.revision_reason, 'ESF Plus record corrected');
  assert.equal(total(revised, 'EECO01'), 2);
  assert.equal(total(revised, 'EECO02'), 1);
  assert.equal(total(revised, 'EECO05'), 1);
  assert.equal(total(revised, 'EECO12'), 1, 'corrected to no; the late entry answered yes');
  assert.equal(revised.rows.find((r) => r.code === 'EECO01').by_gender.men.value, 1);
  assert.deepEqual((await indicators(lead, { ...q, revision: '0' })).rows, open.rows);
  listed = (await lead.get('/api/v1/stats/periods')).body.items.find((p) => p.id === period.id);
  assert.equal(listed.changed_since, false);
  // The CSV export answers from the same copy.
  const csv = await lead.get(`/api/v1/esf/indicators?${new URLSearchParams({ ...q, format: 'csv', revision: '0' })}`);
  assert.equal(csv.status, 200);
  assert.match(csv.body, /EECO05,[^\r\n]*,0,0,0,0,0\r\n/);

  // Bad revisions are refused naming the field.
  res = await lead.get(`/api/v1/esf/indicators?${new URLSearchParams({ ...q, revision: '7' })}`);
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['revision']);
  res = await lead.get(`/api/v1/esf/indicators?${new URLSearchParams({ ...q, revision: 'x' })}`);
  assert.deepEqual(errorFields(res), ['revision']);
  res = await lead.get(`/api/v1/esf/indicators?${new URLSearchParams({ from: OTHER, to: OTHER, revision: '0' })}`);
  assert.equal(res.status, 422, 'no closed period covers the table');
  assert.deepEqual(errorFields(res), ['revision']);

  // Erasing the client of a frozen record changes neither the copy nor the live figures.
  const before1 = await indicators(lead, q);
  const clientId = (await advisor.get(`/api/v1/cases/${first.caseId}`)).body.client_id;
  assert.ok(clientId);
  assert.equal((await advisor.del(`/api/v1/clients/${clientId}`)).status, 204);
  assert.deepEqual((await indicators(lead, q)).rows, before1.rows);
});

test('a nationwide closed period answers the protected views from its copy', async () => {
  const advisor = await as(DEMO_USERS.advisor);
  const cc = await as(DEMO_USERS.competenceCentre);
  const programme = await as(DEMO_USERS.programme);
  for (let i = 0; i < 6; i++) await participant(advisor, OTHER);
  const q = { from: OTHER, to: OTHER };
  const open = await indicators(programme, q);
  assert.equal(open.protected, true);
  assert.equal(open.closed_period, null);
  const res = await cc.post('/api/v1/stats/periods', { period: OTHER });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await participant(advisor, OTHER, { gender: 'men' });
  for (const who of [programme, cc, await as(DEMO_USERS.stateCoordinator)]) {
    const t = await indicators(who, q);
    assert.equal(t.protected, true);
    assert.equal(t.closed_period?.id, res.body.id);
    assert.equal(t.rows.find((r) => r.code === 'EECO01').by_gender.men.value, 0, 'the late entry is not in the copy');
  }
  assert.deepEqual((await indicators(programme, q)).rows, open.rows);
});

test('exact figures where the statistics tables give them: the own centre, also for the Competence Centre', async () => {
  const cc = await as(DEMO_USERS.competenceCentre);
  const me = (await cc.get('/api/v1/me')).body;
  const ccCentre = me.centre_id ?? me.user?.centre_id;
  assert.ok(ccCentre, JSON.stringify(me));
  await participant(cc, '2023-11');
  const q = { from: '2023-11', to: '2023-11' };

  // The Competence Centre: its own centre exact (a single participant is shown as 1), other
  // centres and nationwide protected.
  let t = await indicators(cc, { ...q, centre: ccCentre });
  assert.equal(t.protected, false);
  assert.equal(t.centre, ccCentre);
  assert.equal(total(t, 'EECO01'), 1);
  t = await indicators(cc, { ...q, centre: 'centre-be-1' });
  assert.equal(t.protected, true);
  t = await indicators(cc, q);
  assert.equal(t.protected, true);
  assert.equal(t.rows.find((r) => r.code === 'EECO01').total.suppressed, true);

  // The programme sees the same centre protected; the centre lead only the own centre, exact.
  t = await indicators(await as(DEMO_USERS.programme), { ...q, centre: ccCentre });
  assert.equal(t.protected, true);
  assert.equal(t.rows.find((r) => r.code === 'EECO01').total.suppressed, true);
  const lead = await as(DEMO_USERS.centreLead);
  t = await indicators(lead, { ...q, centre: 'centre-be-1' });
  assert.equal(t.protected, false);
  let res = await lead.get(`/api/v1/esf/indicators?${new URLSearchParams({ ...q, centre: ccCentre })}`);
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['centre']);

  // The state coordinator: centres of the own state, protected; others refused.
  const sc = await as(DEMO_USERS.stateCoordinator);
  t = await indicators(sc, { ...q, centre: 'centre-be-1' });
  assert.equal(t.protected, true);
  res = await sc.get(`/api/v1/esf/indicators?${new URLSearchParams({ ...q, centre: 'centre-by-1' })}`);
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['centre']);
  // An unknown centre is refused like one outside the scope (nothing tells whether it exists).
  for (const c of [cc, await as(DEMO_USERS.programme)]) {
    res = await c.get(`/api/v1/esf/indicators?${new URLSearchParams({ ...q, centre: 'centre-nowhere' })}`);
    assert.equal(res.status, 422);
    assert.deepEqual(errorFields(res), ['centre']);
  }
  // Advisors and the admin get no indicator table.
  for (const who of [DEMO_USERS.advisor, DEMO_USERS.admin]) {
    res = await (await as(who)).get(`/api/v1/esf/indicators?${new URLSearchParams({ ...q, centre: 'centre-be-1' })}`);
    assert.equal(res.status, 403, who);
  }
});
