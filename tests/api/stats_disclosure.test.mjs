// Statistics protection attacked from outside (issue 11): a state coordinator reads tables of
// figures a centre lead sees exactly. Small cells, secondary suppression (linear programming over
// the published pattern laid on the true figures, glpsol), the same pattern and figures in every
// export, comparison periods (previous year, year to date), filters on and off, and differencing
// by one person (a month range shifted by one month, one more consultation).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, freshDatabaseUrl, DEMO_USERS, errorFields, signedIn } from '../lib/server.mjs';
import { auditTable, gridOf } from '../lib/disclosure.mjs';

let server;
let stateDir;
const wagesOf = (k) => 50_000 + 37_500 * k;
const LARGEST_WAGES = wagesOf(17);
const realMonth = new Date().toISOString().slice(0, 7);
const addMonths = (month, n) => {
  const d = new Date(`${month}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 7);
};

const as = (email) => signedIn(server.baseUrl, email);
const table = (c, q) => c.get(`/api/v1/stats/table?${new URLSearchParams(q)}`);
async function ok(c, q) {
  const res = await table(c, q);
  assert.equal(res.status, 200, `${JSON.stringify(q)}: ${JSON.stringify(res.body)}`);
  return res.body;
}

// Cases closed today are in the running month, which protected views never show. So the data is
// recorded first, and the server restarted with its clock moved to the 2nd of the next month:
// the month the cases were closed in is then the last complete one.
before(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'fairdesk-disclosure-'));
  server = await startServer({ db: freshDatabaseUrl(stateDir), stateDir });
  const advisor = await as(DEMO_USERS.advisor);
  const topics = (await advisor.get('/api/v1/topics')).body.items.map((t) => t.code).slice(0, 6);
  const genders = ['female', 'male', 'female', 'diverse', 'male', 'male', 'female'];
  const nationalities = ['SY', 'AF', 'ER', 'IQ', 'UA', 'SY', 'TR', 'SY'];
  const channels = ['phone', 'in_person', 'video', 'phone', 'messenger', 'email', 'outreach'];
  for (let k = 0; k < 18; k++) {
    const client = await advisor.post('/api/v1/clients', { nationality: nationalities[k % nationalities.length], birth_year: 1960 + 3 * k,
      gender: genders[k % genders.length], languages: ['ar'], sector: k % 3 === 0 ? 'F' : k % 3 === 1 ? 'N' : 'I' });
    assert.equal(client.status, 201, JSON.stringify(client.body));
    const kase = await advisor.post('/api/v1/cases', { client_id: client.body.id, topics: [topics[k % topics.length]] });
    assert.equal(kase.status, 201, JSON.stringify(kase.body));
    const dates = [`2023-${String((k * 5) % 12 + 1).padStart(2, '0')}-1${k % 9}`, `2022-${String((k * 7) % 12 + 1).padStart(2, '0')}-0${1 + (k % 8)}`];
    if (k % 2 === 0) dates.push(`2023-${String((k * 3) % 12 + 1).padStart(2, '0')}-2${k % 8}`);
    for (const [n, date] of dates.entries()) {
      const res = await advisor.post(`/api/v1/cases/${kase.body.id}/consultations`, { date, duration_minutes: 30,
        channel: channels[(k + n) % channels.length], language: k % 4 === 0 ? 'de' : 'ar', kind: n % 2 ? 'preventive' : 'acute',
        notes: 'n' });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    if (k % 3 !== 2) {
      const closed = await advisor.patch(`/api/v1/cases/${kase.body.id}`, { status: 'closed', closing_reason: 'resolved',
        outcome: { wages_recovered_cents: k % 4 === 3 ? 0 : wagesOf(k), claim_filed: k % 2 === 0, settled: k % 3 === 0,
          referred: false, no_further_action: false } });
      assert.equal(closed.status, 200, JSON.stringify(closed.body));
    }
  }
  const db = server.db;
  await server.stop();
  const next = new Date(`${addMonths(realMonth, 1)}-02T00:00:00Z`);
  const offset = Math.ceil((next.getTime() - Date.now()) / 1000);
  server = await startServer({ db, stateDir, demo: false, extraArgs: ['--require-2fa=false'],
    env: { FAIRDESK_CLOCK_OFFSET_SECONDS: String(offset) } });
});
after(async () => {
  await server?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

const YEAR = { from: '2023-01', to: '2023-12' };
const PREVIOUS = { from: '2022-01', to: '2022-12' };
const YTD = { from: '2023-01', to: '2023-06' };
const YTD_PREVIOUS = { from: '2022-01', to: '2022-06' };
// The twelve months up to the one the cases were closed in (the last complete one on the server).
const RECENT = { from: addMonths(realMonth, -11), to: realMonth };

const SHAPES = [
  ...[YEAR, PREVIOUS, YTD, YTD_PREVIOUS].flatMap((range) => [
    { measure: 'consultations', rows: 'topic', cols: 'gender', ...range },
    { measure: 'consultations', rows: 'month', cols: 'channel', ...range },
    { measure: 'consultations', rows: 'nationality', cols: 'kind', ...range },
    { measure: 'consultations', rows: 'language', ...range },
  ]),
  { measure: 'consultations', rows: 'quarter', cols: 'topic', ...YEAR },
  { measure: 'consultations', rows: 'channel', cols: 'contact', ...YEAR },
  { measure: 'persons', rows: 'topic', cols: 'gender', ...YEAR },
  { measure: 'persons', rows: 'nationality', ...YEAR },
  { measure: 'cases_opened', rows: 'topic', cols: 'gender', ...RECENT },
  { measure: 'cases_closed', rows: 'outcome', ...RECENT },
  { measure: 'cases_closed', rows: 'sector_group', cols: 'age_band', ...RECENT },
  { measure: 'wages_recovered_cents', rows: 'topic', ...RECENT },
  { measure: 'wages_recovered_cents', rows: 'nationality', cols: 'gender', ...RECENT },
];

test('the audit finds a figure that the published ones give away', () => {
  const fig = (value, suppressed = false) => ({ value: suppressed ? null : value, suppressed });
  const exact = { cells: [fig(3), fig(20), fig(7), fig(9)], row_totals: [fig(23), fig(16)], col_totals: [fig(10), fig(29)], total: fig(39) };
  // Only the 3 hidden: its row total minus the 20 gives it away.
  const lone = { ...exact, cells: [fig(0, true), fig(20), fig(7), fig(9)] };
  assert.deepEqual(auditTable(lone, exact).map((f) => f.why), ['small figure narrowed']);
  // The 3 hidden with the 7 below it: the column gives their sum, the row total each of them.
  const pair = { ...exact, cells: [fig(0, true), fig(20), fig(0, true), fig(9)] };
  assert.ok(auditTable(pair, exact).length > 0);
  // A rectangle with large enough partners keeps it safe.
  const safe = { ...exact, cells: [fig(0, true), fig(0, true), fig(0, true), fig(0, true)] };
  assert.deepEqual(auditTable(safe, exact), []);
});

test('small cells, secondary suppression and perturbation: every protected table attacked with linear programming', async () => {
  const coordinator = await as(DEMO_USERS.stateCoordinator);
  const lead = await as(DEMO_USERS.centreLead);
  let suppressedSeen = 0;
  let smallSeen = 0;
  for (const q of SHAPES) {
    const label = JSON.stringify(q);
    const exact = await ok(lead, q);
    const prot = await ok(coordinator, q);
    assert.equal(exact.protected, false, label);
    assert.equal(prot.protected, true, label);
    assert.deepEqual(prot.row_totals.map((x) => x.row), exact.row_totals.map((x) => x.row), label);
    assert.deepEqual(prot.col_totals.map((x) => x.col), exact.col_totals.map((x) => x.col), label);
    // Filters on and off: the only centre of the state gives the very same answer as the state.
    const { centre: _c, ...byState } = prot;
    const { centre: _d, ...byCentre } = await ok(coordinator, { ...q, centre: 'centre-be-1' });
    assert.deepEqual(byCentre, byState, `${label}: the centre of the state and the state answer alike`);
    assert.deepEqual(await ok(coordinator, q), prot, `${label}: asking again gives the same answer`);

    const sum = q.measure === 'wages_recovered_cents';
    const g = gridOf(prot);
    const truth = gridOf(exact);
    for (let i = 0; i < g.length; i++) {
      for (let j = 0; j < g[i].length; j++) {
        const p = g[i][j], t = truth[i][j].value;
        if (p.suppressed) {
          suppressedSeen++;
          assert.equal(p.value, null, label);
          continue;
        }
        if (!sum) {
          assert.ok(!(t >= 1 && t <= 4), `${label} [${i},${j}]: a true ${t} is published as ${p.value}`);
          if (t >= 1 && t <= 4) smallSeen++;
          assert.ok(p.value === 0 ? t === 0 : p.value >= 5 && Math.abs(p.value - t) <= 2, `${label} [${i},${j}]: ${p.value} for ${t}`);
        } else {
          // ±5 % of the sum, or half its largest case (at most the largest recovered above).
          assert.ok(p.value === 0 ? t === 0 : Math.abs(p.value - t) <= Math.max(0.05 * t, 0.5 * Math.min(t, LARGEST_WAGES)) + 50 &&
            p.value % 100 === 0,
            `${label} [${i},${j}]: ${p.value} for ${t}`);
        }
      }
    }
    for (const row of truth) smallSeen += row.filter((x) => !sum && x.value >= 1 && x.value <= 4).length;
    // Persons are not additive (a person counts once per row, column and total): no equations.
    if (q.measure !== 'persons') {
      if (process.env.FAIRDESK_TEST_LOG === '1') console.log(label, g.flat().filter((x) => x.suppressed).length);
      assert.deepEqual(auditTable(prot, exact, { kind: sum ? 'sum' : 'count', minWidth: sum ? 100 : 5 }), [], label);
    }

    // Every export shows the same figures and the same "·".
    const csv = (await table(coordinator, { ...q, format: 'csv' })).body.replace(/^\uFEFF/, '').trim().split('\r\n');
    const shown = (x) => (x.suppressed ? '·' : String(x.value));
    const C = prot.col_totals.length;
    prot.row_totals.forEach((r, i) => {
      const expected = C ? [...prot.cells.slice(i * C, (i + 1) * C).map(shown), shown(r)] : [shown(prot.cells[i])];
      assert.deepEqual(csv[i + 1].split(','), [r.row, ...expected], `${label} csv row ${r.row}`);
    });
    assert.deepEqual(csv.at(-1).split(','), ['total', ...prot.col_totals.map(shown), shown(prot.total)], `${label} csv total`);
  }
  if (process.env.FAIRDESK_TEST_LOG === '1') console.log({ smallSeen, suppressedSeen });
  assert.ok(smallSeen > 20, `the data has small cells to protect (${smallSeen})`);
  assert.ok(suppressedSeen > 20, `and the tables suppress them (${suppressedSeen})`);
});

test('differencing by one consultation or by shifting the range one month does not reveal it', async () => {
  const advisor = await as(DEMO_USERS.advisor);
  const coordinator = await as(DEMO_USERS.stateCoordinator);
  const client = (await advisor.post('/api/v1/clients', { nationality: 'ER', birth_year: 1991, gender: 'male', languages: ['ti'] })).body;
  const kase = (await advisor.post('/api/v1/cases', { client_id: client.id, topics: ['wages'] })).body;
  const q = { measure: 'consultations', rows: 'month', from: '2021-01', to: '2021-12' };
  const lead = await as(DEMO_USERS.centreLead);
  const published = [];
  const shifted = [];
  for (let n = 0; n < 14; n++) {
    const res = await advisor.post(`/api/v1/cases/${kase.id}/consultations`, { date: `2021-06-${String(n + 1).padStart(2, '0')}`,
      duration_minutes: 30, channel: 'phone', language: 'ti', kind: 'acute', notes: 'n' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const t = await ok(coordinator, q);
    published.push(t.total.value);
    // The same records by another way (quarters) give the same published value: averaging over
    // shapes gains nothing.
    assert.equal((await ok(coordinator, { ...q, rows: 'quarter' })).total.value, t.total.value);
    // The range shifted by one month: January to June against January to May.
    const upToJune = (await ok(coordinator, { ...q, to: '2021-06' })).total;
    const upToMay = (await ok(coordinator, { ...q, to: '2021-05' })).total;
    const june = (await ok(lead, { ...q, from: '2021-06', to: '2021-06' })).total.value;
    if (!upToJune.suppressed && !upToMay.suppressed) shifted.push({ diff: upToJune.value - upToMay.value, june });
  }
  // One more consultation moves the published total by an unknown amount: over fourteen steps
  // the differences are not all exactly one (all equal to 1 would happen with probability 0.26^13).
  const steps = published.slice(1).map((v, i) => v - published[i]);
  assert.ok(steps.some((d) => d !== 1), `steps ${steps}`);
  // Nor is June's true figure the difference of the two shifted ranges, step after step.
  assert.ok(shifted.length >= 10, JSON.stringify(shifted));
  assert.ok(shifted.some((x) => x.diff !== x.june), JSON.stringify(shifted));
});

test('the running month on the server clock stays hidden from protected views, the month before is shown', async () => {
  const coordinator = await as(DEMO_USERS.stateCoordinator);
  const serverMonth = addMonths(realMonth, 1);
  const res = await table(coordinator, { measure: 'consultations', rows: 'month', from: addMonths(serverMonth, -2), to: serverMonth });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['to']);
  const programme = await as(DEMO_USERS.programme);
  assert.deepEqual(errorFields(await table(programme, { measure: 'persons', rows: 'state', from: serverMonth, to: serverMonth })), ['to']);
  assert.equal((await table(programme, { measure: 'persons', rows: 'state', from: realMonth, to: realMonth })).status, 200);
});
