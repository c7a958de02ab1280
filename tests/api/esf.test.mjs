// ESF Plus participant data (issue 11) against the real binary: entry and exit on a case,
// "refused" special-category answers, corrections with If-Match, the one-off-advice rule, the
// indicator export checked against counts computed here, protection for the programme, access by
// role and centre, and erasure that keeps the figures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_USERS, errorFields, signedIn } from '../lib/server.mjs';
import { getZip } from '../lib/zip.mjs';

let server;
const today = new Date().toISOString().slice(0, 10);
const thisMonth = today.slice(0, 7);
// A fixed past month that no demo record uses (demo entries are in the last two months).
const MONTH = '2024-03';
const EXIT_MONTH = '2024-05';
const GENDERS = ['women', 'men', 'non_binary', 'not_stated'];

const as = (email) => signedIn(server.baseUrl, email);

// A client with a case of `consultations` consultations at the advisor's centre.
async function caseWith(c, consultations) {
  const client = (await c.post('/api/v1/clients', { nationality: 'AF', birth_year: 1995, gender: 'male', languages: ['fa'] })).body;
  const k = (await c.post('/api/v1/cases', { client_id: client.id, topics: ['wages'] })).body;
  assert.ok(k.id, JSON.stringify(k));
  for (let i = 0; i < consultations; i++) {
    const res = await c.post(`/api/v1/cases/${k.id}/consultations`, { date: today, duration_minutes: 45, channel: 'in_person',
      language: 'fa', kind: 'acute', notes: 'n' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  return { client, case: k };
}

function entry(over = {}) {
  return { entry_date: `${MONTH}-12`, gender: 'women', birth_year: 1990, employment_status: 'unemployed', education: 'isced_3_4',
    third_country_national: 'yes', foreign_background: 'yes', homeless: 'no', rural: 'no', disability: 'no', minority: 'no', ...over };
}

// The indicators computed independently from what the test recorded.
function expected(records) {
  const rows = {
    EECO01: () => true,
    EECO02: (r) => ['unemployed', 'long_term_unemployed'].includes(r.employment_status),
    EECO03: (r) => r.employment_status === 'long_term_unemployed',
    EECO04: (r) => r.employment_status === 'inactive',
    EECO05: (r) => ['employed', 'self_employed'].includes(r.employment_status),
    EECO07: (r) => { const age = Number(r.entry_date.slice(0, 4)) - r.birth_year; return age >= 18 && age <= 29; },
    EECO08: (r) => Number(r.entry_date.slice(0, 4)) - r.birth_year >= 55,
    EECO09: (r) => r.education === 'isced_0_2',
    EECO11: (r) => r.education === 'isced_5_8',
    EECO12: (r) => r.disability === 'yes',
    EECO13: (r) => r.third_country_national === 'yes',
    EECO15: (r) => r.minority === 'yes',
    EECO16: (r) => r.homeless === 'yes',
    REFUSED_DISABILITY: (r) => r.disability === 'refused',
    REFUSED_MINORITY: (r) => r.minority === 'refused',
    LEAVERS: (r) => !!r.exit_date,
    EECR01: (r) => r.exit_status === 'job_searching',
    EECR03: (r) => r.qualification === 'yes',
    EECR04: (r) => ['employed', 'self_employed'].includes(r.exit_status),
  };
  const out = {};
  for (const [code, pred] of Object.entries(rows)) {
    const exitRow = code === 'LEAVERS' || code.startsWith('EECR');
    const counted = records.filter((r) => (exitRow ? r.exit_date?.startsWith(EXIT_MONTH) : r.entry_date.startsWith(MONTH)) && pred(r));
    out[code] = { total: counted.length, ...Object.fromEntries(GENDERS.map((g) => [g, counted.filter((r) => r.gender === g).length])) };
  }
  return out;
}

const recorded = [];  // what the test recorded in MONTH (the records as the server answered them)
let erasable;          // a client whose erasure must not change the figures

before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

test('an advisor records entry and exit; refused special-category answers; corrections need a fresh If-Match', async () => {
  const c = await as(DEMO_USERS.advisor);
  const { case: k } = await caseWith(c, 2);
  let res = await c.get(`/api/v1/cases/${k.id}/esf`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual({ eligible: res.body.eligible, participant: res.body.participant, consultations: res.body.consultations },
    { eligible: true, participant: null, consultations: 2 });

  res = await c.post(`/api/v1/cases/${k.id}/esf`, entry({ disability: 'refused', minority: 'refused', birth_year: 2000 }));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.disability, 'refused');
  assert.equal(res.body.minority, 'refused');
  assert.equal(res.body.age_band, '18_29');
  assert.ok(res.body.special_asked_at, 'the attempt to ask is recorded');
  const etag1 = res.headers.get('etag');
  assert.ok(etag1);

  // A second entry for the same case is a conflict.
  assert.equal((await c.post(`/api/v1/cases/${k.id}/esf`, entry())).status, 409);

  // The exit; then a correction with the stale tag is 412 and changes nothing.
  res = await c.patch(`/api/v1/cases/${k.id}/esf`, { exit_date: `${EXIT_MONTH}-20`, exit_status: 'employed', qualification: 'yes' },
    { headers: { 'If-Match': etag1 } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.exit_status, 'employed');
  const etag2 = res.headers.get('etag');
  assert.notEqual(etag2, etag1);
  res = await c.patch(`/api/v1/cases/${k.id}/esf`, { exit_status: 'job_searching' }, { headers: { 'If-Match': etag1 } });
  assert.equal(res.status, 412);
  assert.equal(res.headers.get('content-type'), 'application/problem+json');
  res = await c.get(`/api/v1/cases/${k.id}/esf`);
  assert.equal(res.body.participant.exit_status, 'employed');
  assert.equal(res.headers.get('etag'), etag2);

  // Bad input: 422 naming each field, nothing changes.
  res = await c.patch(`/api/v1/cases/${k.id}/esf`, { disability: 'maybe', exit_date: '2024-13-01', colour: 'red' },
    { headers: { 'If-Match': etag2 } });
  assert.equal(res.status, 422);
  for (const f of ['disability', 'exit_date', 'colour']) assert.ok(errorFields(res).includes(f), JSON.stringify(res.body));
  res = await c.patch(`/api/v1/cases/${k.id}/esf`, { long_term_status: 'employed', exit_date: today },
    { headers: { 'If-Match': etag2 } });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['long_term_status']);
  res = await c.patch(`/api/v1/cases/${k.id}/esf`, { exit_date: '2024-02-01' }, { headers: { 'If-Match': etag2 } });
  assert.deepEqual(errorFields(res), ['exit_date'], 'exit before entry');
  res = await c.get(`/api/v1/cases/${k.id}/esf`);
  assert.equal(res.headers.get('etag'), etag2);
  assert.equal(res.body.participant.exit_date, `${EXIT_MONTH}-20`);
  recorded.push(res.body.participant);

  // Missing required items at entry are named.
  const other = await caseWith(c, 2);
  res = await c.post(`/api/v1/cases/${other.case.id}/esf`, { entry_date: `${MONTH}-01`, gender: 'men' });
  assert.equal(res.status, 422);
  for (const f of ['birth_year', 'employment_status', 'education', 'disability', 'minority']) assert.ok(errorFields(res).includes(f));
  assert.equal((await c.get(`/api/v1/cases/${other.case.id}/esf`)).body.participant, null);
});

test('short one-off advice is not a participation', async () => {
  const c = await as(DEMO_USERS.advisor);
  const { case: k } = await caseWith(c, 1);
  let res = await c.get(`/api/v1/cases/${k.id}/esf`);
  assert.equal(res.body.eligible, false);
  res = await c.post(`/api/v1/cases/${k.id}/esf`, entry());
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['consultations']);
  assert.match(res.body.errors[0].message, /one-off/);
  assert.equal((await c.get(`/api/v1/cases/${k.id}/esf`)).body.participant, null);
});

test('another centre, the state coordinator and the admin cannot reach the record', async () => {
  const c = await as(DEMO_USERS.advisor);
  const { case: k } = await caseWith(c, 2);
  assert.equal((await c.post(`/api/v1/cases/${k.id}/esf`, entry({ gender: 'men' }))).status, 201);
  const bayern = await as(DEMO_USERS.advisorBayern);
  assert.equal((await bayern.get(`/api/v1/cases/${k.id}/esf`)).status, 404);
  assert.equal((await bayern.post(`/api/v1/cases/${k.id}/esf`, entry())).status, 404);
  assert.equal((await bayern.patch(`/api/v1/cases/${k.id}/esf`, { rural: 'yes' })).status, 404);
  for (const who of [DEMO_USERS.stateCoordinator, DEMO_USERS.programme, DEMO_USERS.admin]) {
    const x = await as(who);
    assert.equal((await x.get(`/api/v1/cases/${k.id}/esf`)).status, 403, who);
  }
  const res = await c.get(`/api/v1/cases/${k.id}/esf`);
  recorded.push(res.body.participant);
});

test('the centre lead exports exact indicators that match counts computed independently', async () => {
  const c = await as(DEMO_USERS.advisor);
  const more = [
    entry({ gender: 'women', employment_status: 'long_term_unemployed', education: 'isced_0_2', birth_year: 1960, homeless: 'yes' }),
    entry({ gender: 'men', employment_status: 'employed', education: 'isced_5_8', disability: 'yes', minority: 'yes' }),
    entry({ gender: 'non_binary', employment_status: 'inactive', birth_year: 2001, third_country_national: 'no' }),
    entry({ gender: 'women', employment_status: 'self_employed', minority: 'refused',
      exit_date: `${EXIT_MONTH}-02`, exit_status: 'job_searching', qualification: 'no' }),
    entry({ gender: 'not_stated', employment_status: 'unemployed', disability: 'refused' }),
    entry({ gender: 'women', employment_status: 'unemployed', exit_date: `${EXIT_MONTH}-30`, exit_status: 'self_employed', qualification: 'yes' }),
  ];
  for (const [i, body] of more.entries()) {
    const made = await caseWith(c, 2 + (i % 2));
    const res = await c.post(`/api/v1/cases/${made.case.id}/esf`, body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    recorded.push(res.body);
    if (i === 0) erasable = made.client;
  }
  const want = expected(recorded);
  assert.ok(want.EECO01.total >= 8);

  const lead = await as(DEMO_USERS.centreLead);
  let res = await lead.get(`/api/v1/esf/indicators?from=${MONTH}&to=${EXIT_MONTH}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.protected, false);
  assert.equal(res.body.centre, 'centre-be-1');
  const got = Object.fromEntries(res.body.rows.map((r) => [r.code,
    { total: r.total.value, ...Object.fromEntries(GENDERS.map((g) => [g, r.by_gender[g].value])) }]));
  for (const [code, figures] of Object.entries(want)) assert.deepEqual(got[code], figures, code);

  // The same figures as CSV (German labels, semicolons).
  res = await lead.get(`/api/v1/esf/indicators?from=${MONTH}&to=${EXIT_MONTH}&format=csv&delimiter=semicolon`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/csv/);
  const lines = res.body.replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(';'));
  assert.deepEqual(lines[0], ['Code', 'Indikator', 'Frauen', 'Männer', 'nicht-binär', 'ohne Angabe', 'Insgesamt']);
  for (const [code, f] of Object.entries(want)) {
    const line = lines.find((l) => l[0] === code);
    assert.deepEqual(line.slice(2).map(Number), [f.women, f.men, f.non_binary, f.not_stated, f.total], code);
  }

  // XLSX: a workbook (ZIP) with the same figures.
  res = await lead.request('GET', `/api/v1/esf/indicators?from=${MONTH}&to=${EXIT_MONTH}&format=xlsx&lang=en`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(res.headers.get('content-disposition'), /fairdesk-esf-indicators-2024-03-2024-05\.xlsx/);

  // An advisor and the admin get no export; bad periods are named.
  assert.equal((await c.get(`/api/v1/esf/indicators?from=${MONTH}&to=${MONTH}`)).status, 403);
  assert.equal((await (await as(DEMO_USERS.admin)).get(`/api/v1/esf/indicators?from=${MONTH}&to=${MONTH}`)).status, 403);
  for (const [q, field] of [[`from=${MONTH}&to=2024-01`, 'to'], [`from=2020-12&to=${MONTH}`, 'from'], [`from=2024-3&to=${MONTH}`, 'from'],
    [`from=${MONTH}&to=${MONTH}&format=pdf`, 'format'], [`from=${MONTH}&to=${MONTH}&state=XX`, 'state'],
    [`from=${MONTH}&to=${MONTH}&state=BY`, 'state'], [`from=${MONTH}&to=${MONTH}&sort=1`, 'sort']]) {
    res = await lead.get(`/api/v1/esf/indicators?${q}`);
    assert.equal(res.status, 422, q);
    assert.deepEqual(errorFields(res), [field], q);
  }
});

test('the centre lead exports pseudonymised records that add up to the indicators', async () => {
  const want = expected(recorded);
  const lead = await as(DEMO_USERS.centreLead);
  const q = `/api/v1/esf/records?from=${MONTH}&to=${EXIT_MONTH}`;
  let res = await lead.get(q);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.centre, 'centre-be-1');
  const rows = res.body.records;
  assert.equal(rows.length, recorded.length);
  const ids = new Set(recorded.map((r) => r.id));
  for (const r of rows) {
    assert.match(r.pseudonym, /^P[0-9a-f]{16}$/);
    assert.ok(!ids.has(r.pseudonym));
    for (const k of ['id', 'case_id', 'birth_year', 'entry_date', 'exit_date', 'centre_id']) assert.ok(!(k in r), k);
    assert.equal(r.entry_month, MONTH);
  }
  // Every indicator counts exactly the records that name it.
  for (const [code, f] of Object.entries(want)) {
    assert.equal(rows.filter((r) => r.indicators.includes(code)).length, f.total, code);
    for (const g of GENDERS) assert.equal(rows.filter((r) => r.gender === g && r.indicators.includes(code)).length, f[g], `${code} ${g}`);
  }
  assert.equal(rows.filter((r) => r.disability === 'refused').length, want.REFUSED_DISABILITY.total);
  // Stable pseudonyms: the same records give the same rows.
  assert.deepEqual((await lead.get(q)).body, res.body);

  res = await lead.get(`${q}&format=csv&delimiter=semicolon`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/csv/);
  assert.match(res.headers.get('content-disposition'), /fairdesk-esf-records-2024-03-2024-05\.csv/);
  const lines = res.body.replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(';'));
  assert.equal(lines[0][0], 'pseudonym');
  assert.equal(lines[0].at(-1), 'indicators');
  assert.equal(lines.length, rows.length + 1);
  assert.deepEqual(lines.slice(1).map((l) => l[0]).sort(), rows.map((r) => r.pseudonym).sort());

  // Only the centre lead; bad input is named.
  for (const who of [DEMO_USERS.advisor, DEMO_USERS.programme, DEMO_USERS.stateCoordinator, DEMO_USERS.admin]) {
    assert.equal((await (await as(who)).get(q)).status, 403, who);
  }
  for (const [extra, field] of [['&format=xlsx', 'format'], ['&delimiter=tab', 'delimiter'], ['&id=1', 'id']]) {
    res = await lead.get(q + extra);
    assert.equal(res.status, 422, extra);
    assert.deepEqual(errorFields(res), [field]);
  }
  res = await lead.get(`/api/v1/esf/records?from=${MONTH}`);
  assert.deepEqual(errorFields(res), ['to']);
});

test('results still to be recorded are listed for the centre until they are recorded', async () => {
  const c = await as(DEMO_USERS.advisor);
  const { case: k } = await caseWith(c, 2);
  let res = await c.post(`/api/v1/cases/${k.id}/esf`, entry({ gender: 'men', exit_date: `${EXIT_MONTH}-10` }));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  recorded.push(res.body);
  res = await c.get('/api/v1/esf/due');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const mine = res.body.items.filter((i) => i.case_id === k.id);
  const number = k.number;
  assert.ok(number);
  assert.deepEqual(mine, [
    { case_id: k.id, case_number: number, kind: 'exit_status', exit_date: `${EXIT_MONTH}-10`, due_from: '2024-06-07', due: true },
    { case_id: k.id, case_number: number, kind: 'long_term_status', exit_date: `${EXIT_MONTH}-10`, due_from: '2024-11-10', due: true },
  ]);
  const dates = res.body.items.map((i) => i.due_from);
  assert.deepEqual(dates, [...dates].sort());
  // The centre lead sees the same list; another centre and roles without case work do not.
  const lead = await as(DEMO_USERS.centreLead);
  assert.ok((await lead.get('/api/v1/esf/due')).body.items.some((i) => i.case_id === k.id));
  // The Competence Centre records participants of its own centre: its own list, not this one.
  const cc = await (await as(DEMO_USERS.competenceCentre)).get('/api/v1/esf/due');
  assert.equal(cc.status, 200);
  assert.ok(!cc.body.items.some((i) => i.case_id === k.id));
  assert.ok(!(await (await as(DEMO_USERS.advisorBayern)).get('/api/v1/esf/due')).body.items.some((i) => i.case_id === k.id));
  for (const who of [DEMO_USERS.programme, DEMO_USERS.stateCoordinator, DEMO_USERS.admin]) {
    assert.equal((await (await as(who)).get('/api/v1/esf/due')).status, 403, who);
  }
  // Recording both results clears them.
  const etag = (await c.get(`/api/v1/cases/${k.id}/esf`)).headers.get('etag');
  res = await c.patch(`/api/v1/cases/${k.id}/esf`, { exit_status: 'job_searching', long_term_status: 'unknown' }, { headers: { 'If-Match': etag } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  recorded[recorded.length - 1] = res.body;
  assert.ok(!(await c.get('/api/v1/esf/due')).body.items.some((i) => i.case_id === k.id));
});

test('the programme and the Competence Centre see protected figures only', async () => {
  const want = expected(recorded);
  for (const who of [DEMO_USERS.programme, DEMO_USERS.competenceCentre]) {
    const p = await as(who);
    let res = await p.get(`/api/v1/esf/indicators?from=${MONTH}&to=${EXIT_MONTH}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.protected, true);
    for (const row of res.body.rows) {
      const exact = want[row.code];
      for (const [g, f] of [...GENDERS.map((g) => [g, row.by_gender[g]]), ['total', row.total]]) {
        if (f.suppressed) {
          assert.equal(f.value, null);
          continue;
        }
        assert.ok(f.value === 0 || f.value >= 5, `${row.code} ${g}: a published count is 0 or at least 5 (${f.value})`);
        if (exact) {
          assert.ok(exact[g] === 0 || exact[g] >= 5, `${row.code} ${g}: exact ${exact[g]} was published`);
          assert.ok(Math.abs(f.value - exact[g]) <= 2, `${row.code} ${g}: perturbation within ±2`);
          if (exact[g] === 0) assert.equal(f.value, 0);
        }
      }
      // Never exactly one suppressed figure among a row's genders (it would follow from the total).
      const hidden = GENDERS.filter((g) => row.by_gender[g].suppressed);
      if (!row.total.suppressed) assert.notEqual(hidden.length, 1, row.code);
    }
    // Rows that add up to the total (employment status) are protected together: a single
    // suppressed figure among them in a gender column would follow from the published rest.
    const byCode = Object.fromEntries(res.body.rows.map((r) => [r.code, r]));
    for (const g of [...GENDERS, 'total']) {
      const figure = (code) => (g === 'total' ? byCode[code].total : byCode[code].by_gender[g]);
      const hidden = ['EECO01', 'EECO02', 'EECO04', 'EECO05'].filter((code) => figure(code).suppressed);
      assert.notEqual(hidden.length, 1, `employment block, ${g}: ${hidden}`);
    }
    const women = res.body.rows.find((r) => r.code === 'EECO01').by_gender.women;
    assert.ok(want.EECO01.women < 5 ? women.suppressed : !women.suppressed);
    // The same query again gives the same values (no averaging away of the noise).
    const again = await p.get(`/api/v1/esf/indicators?from=${MONTH}&to=${EXIT_MONTH}`);
    assert.deepEqual(again.body, res.body);
    // The running month is not shown in protected views.
    res = await p.get(`/api/v1/esf/indicators?from=${MONTH}&to=${thisMonth}`);
    assert.equal(res.status, 422);
    assert.deepEqual(errorFields(res), ['to']);
  }
  const sc = await as(DEMO_USERS.stateCoordinator);
  const res = await sc.get(`/api/v1/esf/indicators?from=${MONTH}&to=${EXIT_MONTH}`);
  assert.equal(res.body.protected, true);
  assert.equal(res.body.state, 'BE');
});

test('erasing a client unlinks the record and keeps the figures', async () => {
  const lead = await as(DEMO_USERS.centreLead);
  const q = `/api/v1/esf/indicators?from=${MONTH}&to=${EXIT_MONTH}`;
  const before = (await lead.get(q)).body;
  const c = await as(DEMO_USERS.advisor);
  // The data-subject export carries the record, special-category answers included.
  const zip = await getZip(c, `/api/v1/clients/${erasable.id}/export`);
  assert.equal(zip.status, 200);
  const manifest = JSON.parse(zip.entries.get('manifest.json'));
  const exported = manifest.cases.map((k) => k.esf_participant).find(Boolean);
  assert.equal(exported.birth_year, 1960);
  assert.equal(exported.homeless, 'yes');
  assert.equal(exported.disability, 'no');
  const res = await c.del(`/api/v1/clients/${erasable.id}`);
  assert.equal(res.status, 204, JSON.stringify(res.body));
  assert.deepEqual((await lead.get(q)).body, before);
});
