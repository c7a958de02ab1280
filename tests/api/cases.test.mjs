// Case work API (issue 3): routing, clients, cases, consultations, deadlines, referrals,
// escalations, transfer, export and erasure — against the real binary.
import { getZip } from '../lib/zip.mjs';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, DEMO_USERS, signedIn, errorFields } from '../lib/server.mjs';

let server;
// The server's today: Europe/Berlin (a due date before it is refused unless confirmed).
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
const tomorrow = new Date(Date.now() + 2 * 86400_000).toISOString().slice(0, 10);

const as = (email) => signedIn(server.baseUrl, email);


before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

test('topics: seeded taxonomy with de/en labels, public', async () => {
  const anon = api(server.baseUrl);
  const res = await anon.get('/api/v1/topics');
  assert.equal(res.status, 200);
  const codes = res.body.items.map((t) => t.code);
  for (const c of ['wages', 'working_time', 'leave', 'dismissal', 'contract', 'sick_pay', 'health_insurance',
    'social_security', 'occupational_safety', 'accommodation', 'discrimination', 'exploitation', 'other',
    'job_search', 'residence_status', 'recognition']) {
    assert.ok(codes.includes(c), c);
  }
  const wages = res.body.items.find((t) => t.code === 'wages');
  assert.equal(wages.labels.en, 'Wages');
  assert.ok(wages.labels.de);
  assert.equal(res.body.items.find((t) => t.code === 'job_search').in_scope, false);
});

test('clients: pseudonymous code, validation, encrypted contact data readable by the own centre only', async () => {
  const c = await as(DEMO_USERS.advisor);
  let res = await c.post('/api/v1/clients', {
    nationality: 'SY', birth_year: 1990, gender: 'female', languages: ['ar', 'de'], employment_status: 'employed',
    sector: 'I', employer: 'Hotel Beispiel', consents: { storage: true, contact: true, anonymised_use: false, date: today },
    name: 'Amina Test', phone: '+49 30 1234567', email: 'amina@example.org', address: 'Teststr. 1, 10115 Berlin',
    safe_contact: 'only by messenger after 6 pm',
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const client = res.body;
  assert.match(client.code, /^BE-\d{4}-[2-9A-HJ-NP-Z]{4}$/);
  assert.equal(client.centre_id, 'centre-be-1');
  assert.equal(client.name, 'Amina Test');

  // The record shows which identifying fields are recorded; their content only on an explicit "show".
  res = await c.get(`/api/v1/clients/${client.id}`);
  assert.equal(res.body.safe_contact, undefined);
  assert.equal(res.body.recorded.safe_contact, true);
  assert.equal(res.body.employer, 'Hotel Beispiel');
  res = await c.get(`/api/v1/clients/${client.id}/personal`);
  assert.equal(res.body.safe_contact, 'only by messenger after 6 pm');
  res = await c.get('/api/v1/clients');
  assert.ok(res.body.items.some((x) => x.id === client.id));
  assert.equal(res.body.items[0].name, undefined, 'lists carry no identifying data');

  res = await c.patch(`/api/v1/clients/${client.id}`, { phone: null, employment_status: 'unemployed' });
  assert.equal(res.status, 200);
  assert.equal(res.body.recorded.phone, false);
  assert.equal(res.body.employment_status, 'unemployed');
  res = await c.get(`/api/v1/clients/${client.id}/personal`);
  assert.equal(res.body.phone, null);
  assert.equal(res.body.name, 'Amina Test');

  res = await c.post('/api/v1/clients', {
    nationality: 'ZZ', birth_year: 3000, gender: 'x', sector: 'V', consents: { storage: true, date: tomorrow }, foo: 1,
  });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res).sort(), ['birth_year', 'consents.date', 'foo', 'gender', 'nationality', 'sector']);

  const other = await as(DEMO_USERS.advisorBayern);
  assert.equal((await other.get(`/api/v1/clients/${client.id}`)).status, 404);
  assert.equal((await other.patch(`/api/v1/clients/${client.id}`, { gender: 'male' })).status, 404);
});

test('a whole case: open, consult, deadline, refer, escalate, close with outcome', async () => {
  const c = await as(DEMO_USERS.advisor);
  const client = (await c.post('/api/v1/clients', { nationality: 'VN', gender: 'male' })).body;
  let res = await c.post('/api/v1/cases', { client_id: client.id, topics: ['wages', 'accommodation'],
    risk_flags: ['employer_tied_housing'], priority: 'high' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const k = res.body;
  assert.match(k.number, /^BE-\d{4}-\d{5}$/);
  assert.equal(k.status, 'open');
  assert.ok(k.assignee_id);
  const me = (await c.get('/api/v1/me')).body.user;
  assert.equal(k.assignee_id, me.id);
  assert.equal(k.client_code, client.code);
  assert.equal(k.assignee_name, me.display_name);

  res = await c.post(`/api/v1/cases/${k.id}/consultations`, { date: today, duration_minutes: 60, channel: 'in_person',
    language: 'vi', interpreter: true, topics: ['wages'], kind: 'acute', notes: 'Lohn seit März nicht gezahlt.' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  res = await c.post(`/api/v1/cases/${k.id}/consultations`, { date: tomorrow, duration_minutes: 0, channel: 'fax',
    language: 'vi', kind: 'acute', notes: 'x'.repeat(20001) });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res).sort(), ['channel', 'date', 'duration_minutes', 'notes']);

  res = await c.post(`/api/v1/cases/${k.id}/deadlines`, { kind: 'exclusion_period', due_date: tomorrow, note: 'Ausschlussfrist' });
  assert.equal(res.status, 201);
  res = await c.get('/api/v1/deadlines?due_within_days=7');
  assert.equal(res.status, 200);
  assert.ok(res.body.items.some((d) => d.case_id === k.id));

  res = await c.post(`/api/v1/cases/${k.id}/referrals`, { target: 'trade_union', organisation_id: 'partner-dgb', status: 'made' });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['client_consent']);
  res = await c.post(`/api/v1/cases/${k.id}/referrals`, { target: 'trade_union', organisation_id: 'partner-dgb', note: 'warm' });
  assert.equal(res.status, 201);
  const ref = res.body;
  res = await c.patch(`/api/v1/cases/${k.id}/referrals/${ref.id}`, { status: 'made', client_consent: true, consent_date: today });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.status, 'made');
  res = await c.post(`/api/v1/cases/${k.id}/referrals`, { target: 'trade_union', organisation_id: 'no-such-org' });
  assert.equal(res.status, 422);

  res = await c.post(`/api/v1/cases/${k.id}/escalations`, { summary: 'Saisonkraft, Unterkunft verrechnet', question: 'Zulässig?' });
  assert.equal(res.status, 201);
  const esc = res.body;
  const cc = await as(DEMO_USERS.competenceCentre);
  res = await cc.get('/api/v1/escalations');
  const seen = res.body.items.find((e) => e.id === esc.id);
  assert.ok(seen);
  assert.equal(seen.case_id, undefined, 'the competence centre does not see the case');
  assert.equal((await cc.get(`/api/v1/cases/${k.id}`)).status, 404);
  res = await cc.post(`/api/v1/escalations/${esc.id}/messages`, { body: 'Nur bis zur Pfändungsgrenze.' });
  assert.equal(res.status, 201);
  res = await c.get(`/api/v1/escalations/${esc.id}`);
  assert.equal(res.body.status, 'answered');
  assert.equal(res.body.messages.length, 1);

  res = await c.patch(`/api/v1/cases/${k.id}`, { status: 'closed' });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res).sort(), ['closing_reason', 'outcome']);
  res = await c.patch(`/api/v1/cases/${k.id}`, { status: 'closed', closing_reason: 'resolved',
    outcome: { wages_recovered_cents: -1 } });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['outcome.wages_recovered_cents']);
  res = await c.patch(`/api/v1/cases/${k.id}`, { status: 'closed', closing_reason: 'resolved',
    outcome: { wages_recovered_cents: 123456, settled: true } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.closed_on, today);
  assert.equal(res.body.outcome.wages_recovered_cents, 123456);

  res = await c.get(`/api/v1/cases/${k.id}`);
  assert.equal(res.status, 200);
  assert.equal(res.body.consultations[0].notes, 'Lohn seit März nicht gezahlt.');
  assert.equal(res.body.referrals[0].note, 'warm');
  assert.equal(res.body.escalations.length, 1);
  assert.equal(res.body.client.code, client.code);
  assert.equal(res.body.client_code, client.code);
  assert.equal(res.body.assignee_name, me.display_name);

  // A closed case changes only by reopening it (with a reason).
  const lead = await as(DEMO_USERS.centreLead);
  const leadMe = (await lead.get('/api/v1/me')).body.user;
  res = await lead.patch(`/api/v1/cases/${k.id}`, { assignee_id: leadMe.id });
  assert.equal(res.status, 409);
  assert.deepEqual(errorFields(res), ['assignee_id']);
  res = await lead.patch(`/api/v1/cases/${k.id}`, { status: 'open' });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['reason']);
  res = await lead.patch(`/api/v1/cases/${k.id}`, { status: 'open', reason: 'Arbeitgeber zahlt doch nicht' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.outcome, null);
  // A centre lead reassigns the case: the answer names the new assignee.
  res = await lead.patch(`/api/v1/cases/${k.id}`, { assignee_id: leadMe.id });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.assignee_name, leadMe.display_name);
  assert.equal(res.body.client_code, client.code);
});

test('case list: filters, search and cursor paging', async () => {
  const c = await as(DEMO_USERS.advisor);
  const client = (await c.post('/api/v1/clients', { nationality: 'ER' })).body;
  const made = [];
  for (let i = 0; i < 5; i++) {
    made.push((await c.post('/api/v1/cases', { client_id: client.id, topics: [i % 2 ? 'leave' : 'sick_pay'] })).body);
  }
  let res = await c.get('/api/v1/cases?topic=sick_pay&limit=2');
  assert.equal(res.status, 200);
  assert.equal(res.body.items.length, 2);
  assert.ok(res.body.next_cursor);
  const seen = new Set(res.body.items.map((x) => x.id));
  while (res.body.next_cursor) {
    res = await c.get(`/api/v1/cases?topic=sick_pay&limit=2&cursor=${encodeURIComponent(res.body.next_cursor)}`);
    for (const x of res.body.items) {
      assert.ok(!seen.has(x.id));
      seen.add(x.id);
      assert.ok(x.topics.includes('sick_pay'));
    }
  }
  for (const m of made.filter((x) => x.topics.includes('sick_pay'))) assert.ok(seen.has(m.id));

  // Each row carries the client's code and the assignee's name, so the list needs no further call.
  const me = (await c.get('/api/v1/me')).body.user;
  res = await c.get('/api/v1/cases?assignee=me&limit=200');
  for (const m of made) {
    const row = res.body.items.find((x) => x.id === m.id);
    assert.ok(row, m.number);
    assert.equal(row.client_code, client.code);
    assert.equal(row.assignee_name, me.display_name);
  }

  res = await c.get(`/api/v1/cases?q=${encodeURIComponent(made[1].number)}`);
  assert.deepEqual(res.body.items.map((x) => x.id), [made[1].id]);
  // By number in any case, and by the beginning of a number (issue 13: through the index).
  res = await c.get(`/api/v1/cases?q=${encodeURIComponent(` ${made[1].number.toLowerCase()} `)}`);
  assert.deepEqual(res.body.items.map((x) => x.id), [made[1].id]);
  res = await c.get(`/api/v1/cases?q=${encodeURIComponent(made[1].number.slice(0, -1).toLowerCase())}&limit=200`);
  assert.ok(res.body.items.some((x) => x.id === made[1].id));
  assert.ok(res.body.items.every((x) => x.number.toLowerCase().startsWith(made[1].number.slice(0, -1).toLowerCase()) ||
    (x.client_code ?? '').toLowerCase().startsWith(made[1].number.slice(0, -1).toLowerCase())));
  res = await c.get('/api/v1/cases?q=urlaub&status=open&assignee=me');
  assert.ok(res.body.items.some((x) => x.id === made[1].id));
  res = await c.get('/api/v1/cases?q=URLAUB&status=open&assignee=me');
  assert.ok(res.body.items.some((x) => x.id === made[1].id));
  assert.ok(res.body.items.every((x) => x.topics.includes('leave')));
  // The client code finds the client's cases (the list's search box says so), in any case.
  for (const code of [client.code.toLowerCase(), client.code.toUpperCase()]) {
    res = await c.get(`/api/v1/cases?q=${encodeURIComponent(code)}&limit=200`);
    assert.deepEqual(new Set(res.body.items.map((x) => x.id)), new Set(made.map((m) => m.id)));
  }
  res = await c.get('/api/v1/cases?status=lost&limit=500&foo=1');
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res).sort(), ['foo']);
  res = await c.get('/api/v1/cases?status=lost');
  assert.deepEqual(errorFields(res), ['status']);
  res = await c.get('/api/v1/cases?cursor=garbage');
  assert.deepEqual(errorFields(res), ['cursor']);
});

test('deadline from a calculator result is recomputed on the server', async () => {
  const c = await as(DEMO_USERS.advisor);
  const client = (await c.post('/api/v1/clients', { nationality: 'IR' })).body;
  const k = (await c.post('/api/v1/cases', { client_id: client.id, topics: ['dismissal'] })).body;
  const input = { notice_received: '2026-03-02', state: 'BE' };
  const calc = await c.post('/api/v1/calc/dismissal-claim-deadline', input);
  assert.equal(calc.status, 200, JSON.stringify(calc.body));
  const due = calc.body.deadline;
  // The computed date lies in the past: recorded only when confirmed.
  let res = await c.post(`/api/v1/cases/${k.id}/deadlines`, { kind: 'dismissal_claim', due_date: due,
    source: { calculator: 'dismissal-claim-deadline', input } });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['due_date']);
  res = await c.post(`/api/v1/cases/${k.id}/deadlines`, { kind: 'dismissal_claim', due_date: due, confirm_past: true,
    source: { calculator: 'dismissal-claim-deadline', input } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.source.calculator, 'dismissal-claim-deadline');
  res = await c.post(`/api/v1/cases/${k.id}/deadlines`, { kind: 'dismissal_claim', due_date: '2026-12-31',
    source: { calculator: 'dismissal-claim-deadline', input } });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['due_date']);
  res = await c.post(`/api/v1/cases/${k.id}/deadlines`, { kind: 'dismissal_claim', due_date: due, confirm_past: true,
    source: { calculator: 'dismissal-claim-deadline', input: { state: 'XX' } } });
  assert.equal(res.status, 422);
  assert.ok(errorFields(res).every((f) => f.startsWith('source.input')));
  // The exclusion clause: the first stage's end (1.5.2026 is a holiday, so 4.5.2026) becomes a
  // deadline; without the due date the calculator names no date, and nothing is recorded.
  const clause = { contract_date: '2024-04-15', standard_form: true, first_stage_months: 3, exempts_minimum_wage: true, claim_due: '2026-02-01', state: 'BY' };
  const exclusion = await c.post('/api/v1/calc/exclusion-clause', clause);
  assert.equal(exclusion.status, 200, JSON.stringify(exclusion.body));
  assert.deepEqual([exclusion.body.assert_by, exclusion.body.assert_by_unadjusted], ['2026-05-04', '2026-05-01']);
  res = await c.post(`/api/v1/cases/${k.id}/deadlines`, { kind: 'exclusion_period', due_date: '2026-05-04', confirm_past: true,
    source: { calculator: 'exclusion-clause', input: clause } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.source.result.assert_by, '2026-05-04');
  const { claim_due: _due, ...undated } = clause;
  res = await c.post(`/api/v1/cases/${k.id}/deadlines`, { kind: 'exclusion_period', due_date: '2026-05-04', confirm_past: true,
    source: { calculator: 'exclusion-clause', input: undated } });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['source.input']);
});

test('transfer: asked with consent, accepted by the receiving centre; until then the sender keeps the case', async () => {
  const c = await as(DEMO_USERS.advisor);
  const client = (await c.post('/api/v1/clients', { nationality: 'SY' })).body;
  const k = (await c.post('/api/v1/cases', { client_id: client.id, topics: ['wages'] })).body;
  let res = await c.post(`/api/v1/cases/${k.id}/transfer`, { centre_id: 'centre-by-1', consent_date: tomorrow });
  assert.equal(res.status, 422);
  res = await c.post(`/api/v1/cases/${k.id}/transfer`, { centre_id: 'centre-nowhere', consent_date: today });
  assert.equal(res.status, 422);
  // Only to advice centres, never to the competence centre; the client's consent is recorded.
  res = await c.post(`/api/v1/cases/${k.id}/transfer`, { centre_id: 'centre-fachstelle', consent_date: today });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['centre_id']);
  res = await c.post(`/api/v1/cases/${k.id}/transfer`, { centre_id: 'centre-by-1', consent_date: today, client_consent: false });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['client_consent']);
  res = await c.post(`/api/v1/cases/${k.id}/transfer`, { centre_id: 'centre-by-1', consent_date: today, client_consent: true });
  assert.equal(res.status, 202, JSON.stringify(res.body));
  const transfer = res.body;
  assert.equal(transfer.status, 'pending');
  assert.equal(transfer.client_consent, true);
  // Pending: the sender keeps the case, the receiver sees only the request.
  res = await c.get(`/api/v1/cases/${k.id}`);
  assert.equal(res.status, 200);
  assert.equal(res.body.pending_transfer.to_centre_id, 'centre-by-1');
  const by = await as(DEMO_USERS.advisorBayern);
  assert.equal((await by.get(`/api/v1/cases/${k.id}`)).status, 404);
  res = await by.get('/api/v1/transfers');
  assert.ok(res.body.items.some((t) => t.id === transfer.id && t.case_number === k.number));
  assert.equal((await c.post(`/api/v1/cases/${k.id}/transfer`, { centre_id: 'centre-hh-1', consent_date: today })).status, 409);
  assert.equal((await c.post(`/api/v1/transfers/${transfer.id}/accept`)).status, 403, 'the sender cannot accept');
  res = await by.post(`/api/v1/transfers/${transfer.id}/accept`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.status, 'accepted');
  // Accepted: the old centre loses access (a clear 409 naming the field), the new one gains it.
  res = await c.get(`/api/v1/cases/${k.id}`);
  assert.equal(res.status, 409);
  assert.deepEqual(errorFields(res), ['centre_id']);
  res = await c.patch(`/api/v1/cases/${k.id}`, { priority: 'high' });
  assert.equal(res.status, 409);
  assert.equal((await c.get(`/api/v1/clients/${client.id}`)).status, 404);
  res = await by.get(`/api/v1/cases/${k.id}`);
  assert.equal(res.status, 200);
  assert.equal(res.body.centre_id, 'centre-by-1');
  assert.equal(res.body.priority, 'normal');
  assert.equal((await by.post(`/api/v1/transfers/${transfer.id}/accept`)).status, 409);

  // Declined and cancelled transfers leave the case where it is.
  const k2 = (await c.post('/api/v1/cases', { client_id: (await c.post('/api/v1/clients', { nationality: 'IQ' })).body.id, topics: ['leave'] })).body;
  const t2 = (await c.post(`/api/v1/cases/${k2.id}/transfer`, { centre_id: 'centre-by-1', consent_date: today })).body;
  assert.equal((await by.post(`/api/v1/transfers/${t2.id}/decline`)).body.status, 'declined');
  assert.equal((await c.get(`/api/v1/cases/${k2.id}`)).body.pending_transfer, null);
  const t3 = (await c.post(`/api/v1/cases/${k2.id}/transfer`, { centre_id: 'centre-by-1', consent_date: today })).body;
  assert.equal((await c.post(`/api/v1/transfers/${t3.id}/cancel`)).body.status, 'cancelled');
  assert.equal((await by.get(`/api/v1/cases/${k2.id}`)).status, 404);
});

test('data-subject export and erasure', async () => {
  const c = await as(DEMO_USERS.advisor);
  const client = (await c.post('/api/v1/clients', { nationality: 'AF', name: 'Export Person' })).body;
  const k = (await c.post('/api/v1/cases', { client_id: client.id, topics: ['leave'] })).body;
  await c.post(`/api/v1/cases/${k.id}/consultations`, { date: today, duration_minutes: 30, channel: 'phone',
    language: 'fa', kind: 'preventive', notes: 'geheim' });
  const zip = await getZip(c, `/api/v1/clients/${client.id}/export`);
  assert.equal(zip.status, 200);
  const manifest = JSON.parse(zip.entries.get('manifest.json'));
  assert.equal(manifest.client.name, 'Export Person');
  assert.equal(manifest.cases[0].consultations[0].notes, 'geheim');
  assert.equal(manifest.cases[0].client_code, client.code);
  assert.equal('assignee_name' in manifest.cases[0], false, 'staff names stay inside the centre');
  let res = await c.del(`/api/v1/clients/${client.id}`);
  assert.equal(res.status, 204);
  assert.equal((await c.get(`/api/v1/clients/${client.id}`)).status, 404);
  res = await c.get(`/api/v1/cases/${k.id}`);
  assert.equal(res.status, 200);
  assert.equal(res.body.anonymised, true);
  assert.equal(res.body.client_id, null);
  assert.equal(res.body.client_code, null);
  assert.equal(res.body.assignee_name, null);
  assert.equal(res.body.consultations[0].notes, null);
});

test('demo data: cases exist for Berlin and Bavaria', async () => {
  const be = await as(DEMO_USERS.advisor);
  const res = await be.get('/api/v1/cases?limit=200');
  assert.ok(res.body.items.length >= 4);
  assert.ok(res.body.items.every((x) => x.centre_id === 'centre-be-1'));
  const by = await as(DEMO_USERS.advisorBayern);
  const r2 = await by.get('/api/v1/cases?limit=200');
  assert.ok(r2.body.items.length >= 3);
  assert.ok(r2.body.items.every((x) => x.centre_id === 'centre-by-1'));
});

// Review finding 1: an anonymised case takes no new personal data (deadline and referral changes
// refused with 409, nothing stored).
test('review 1: writes to an anonymised case are refused with 409', async () => {
  const c = await as(DEMO_USERS.advisor);
  const client = (await c.post('/api/v1/clients', { nationality: 'AF', name: 'Erased Person' })).body;
  const k = (await c.post('/api/v1/cases', { client_id: client.id, topics: ['leave'] })).body;
  const deadline = (await c.post(`/api/v1/cases/${k.id}/deadlines`, { kind: 'other', due_date: today })).body;
  const referral = (await c.post(`/api/v1/cases/${k.id}/referrals`, { target: 'trade_union' })).body;
  assert.equal((await c.del(`/api/v1/clients/${client.id}`)).status, 204);
  let res = await c.patch(`/api/v1/deadlines/${deadline.id}`, { note: 'Frau Erased Person, Tel. 0151' });
  assert.equal(res.status, 409);
  res = await c.patch(`/api/v1/cases/${k.id}/referrals/${referral.id}`, { note: 'Erased Person' });
  assert.equal(res.status, 409);
  const detail = (await c.get(`/api/v1/cases/${k.id}`)).body;
  assert.ok(!JSON.stringify(detail).includes('Erased Person'));
});

// Review finding 3: a deadline `source` that is not an object was a 500 (as_object() threw).
test('review 3: a deadline source that is not an object is a 422 naming source', async () => {
  const c = await as(DEMO_USERS.advisor);
  const client = (await c.post('/api/v1/clients', { nationality: 'SY' })).body;
  const k = (await c.post('/api/v1/cases', { client_id: client.id, topics: ['dismissal'] })).body;
  for (const source of ['x', [], 42, true, ['input']]) {
    const res = await c.post(`/api/v1/cases/${k.id}/deadlines`, { kind: 'other', due_date: today, source });
    assert.equal(res.status, 422, JSON.stringify({ source, body: res.body }));
    assert.ok(errorFields(res).includes('source'), JSON.stringify(res.body));
  }
  const res = await c.post(`/api/v1/cases/${k.id}/deadlines`, { kind: 'other', due_date: today, source: { calculator: 'limitation', input: 'x' } });
  assert.equal(res.status, 422);
  assert.ok(errorFields(res).includes('source.input'));
  assert.equal((await c.get(`/api/v1/cases/${k.id}/deadlines`)).body.items.length, 0);
});

// Review finding 4: the competence centre must never learn who the client is.
test('review 4: escalation texts naming the client are refused (422 naming the field)', async () => {
  const c = await as(DEMO_USERS.advisor);
  const client = (await c.post('/api/v1/clients', { nationality: 'SY', name: 'Leyla Beispiel', email: 'leyla@example.org', phone: '+49 30 7654321' })).body;
  const k = (await c.post('/api/v1/cases', { client_id: client.id, topics: ['wages'] })).body;
  const cases = [
    [{ summary: 'Frau Leyla Beispiel, Lohn fehlt', question: 'Klage?' }, ['summary']],
    [{ summary: 'Lohn fehlt', question: `Fall ${client.code}?` }, ['question']],
    [{ summary: 'Mail leyla@example.org', question: 'Tel 030 7654321?' }, ['summary', 'question']],
  ];
  for (const [body, want] of cases) {
    const res = await c.post(`/api/v1/cases/${k.id}/escalations`, body);
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.deepEqual(errorFields(res), want);
    assert.ok(!JSON.stringify(res.body).includes('Leyla'));
  }
  let res = await c.post(`/api/v1/cases/${k.id}/escalations`, { summary: 'Lohn fehlt seit März', question: 'Klage?' });
  assert.equal(res.status, 201);
  const esc = res.body;
  res = await c.post(`/api/v1/escalations/${esc.id}/messages`, { body: 'Frau Beispiel ruft morgen an' });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['body']);
  const cc = await as(DEMO_USERS.competenceCentre);
  res = await cc.post(`/api/v1/escalations/${esc.id}/messages`, { body: 'Bitte Lohnabrechnungen prüfen.' });
  assert.equal(res.status, 201);
  const thread = (await cc.get(`/api/v1/escalations/${esc.id}`)).body;
  assert.ok(!JSON.stringify(thread).includes('Beispiel'));
});

// Review finding 6: list reads are audited, one entry per listed record.
test('review 6: list reads of clients, cases, deadlines and escalations are audited', async () => {
  const c = await as(DEMO_USERS.advisor);
  const client = (await c.post('/api/v1/clients', { nationality: 'SY' })).body;
  const k = (await c.post('/api/v1/cases', { client_id: client.id, topics: ['wages'] })).body;
  const deadline = (await c.post(`/api/v1/cases/${k.id}/deadlines`, { kind: 'other', due_date: today })).body;
  const esc = (await c.post(`/api/v1/cases/${k.id}/escalations`, { summary: 'Lohn fehlt', question: 'Klage?' })).body;
  const admin = await as(DEMO_USERS.admin);
  const reads = async (id, type) => (await admin.get(`/api/v1/audit?record_id=${id}&limit=200`)).body.items
    .filter((e) => e.action === 'read' && e.record_type === type).length;
  const before = { client: await reads(client.id, 'client'), k: await reads(k.id, 'case'),
    deadline: await reads(deadline.id, 'deadline'), esc: await reads(esc.id, 'escalation') };
  assert.ok((await c.get('/api/v1/clients?limit=200')).body.items.some((x) => x.id === client.id));
  assert.ok((await c.get('/api/v1/cases?limit=200')).body.items.some((x) => x.id === k.id));
  assert.equal((await c.get(`/api/v1/cases/${k.id}/deadlines`)).status, 200);
  assert.ok((await c.get('/api/v1/deadlines?due_within_days=7')).body.items.some((x) => x.id === deadline.id));
  assert.ok((await c.get('/api/v1/escalations')).body.items.some((x) => x.id === esc.id));
  assert.equal(await reads(client.id, 'client'), before.client + 1);
  assert.equal(await reads(k.id, 'case'), before.k + 2); // the case list and the deadlines of the case
  assert.equal(await reads(deadline.id, 'deadline'), before.deadline + 1);
  assert.equal(await reads(esc.id, 'escalation'), before.esc + 1);
});
