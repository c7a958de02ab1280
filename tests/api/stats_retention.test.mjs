// A closed statistics period re-read after retention anonymised every case in it (issue 11): the
// closed figures, the live figures of the same months and the distinct-person counts stay; a
// revision recorded afterwards copies the unlinked records with the same figures (a person with
// two anonymised cases still counts once); a correction after closing shows as a revision.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, fairdeskBinary, freshDatabaseUrl, DEMO_USERS, signedIn } from '../lib/server.mjs';

const SIX_YEARS = String(6 * 366 * 24 * 3600);
// A month long past and the one after it (never the running one, whatever today is).
const MONTH = '2021-09';
const NEXT = '2021-10';

function cli(db, stateDir, args, offset = '0') {
  return execFileSync(fairdeskBinary(), ['--db', db, '--state-dir', stateDir, ...args], {
    env: { ...process.env, FAIRDESK_CLOCK_OFFSET_SECONDS: offset }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
}

test('a closed period keeps its figures and distinct persons after retention anonymised all its cases', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'fairdesk-stats-retention-'));
  let server = await startServer({ db: freshDatabaseUrl(stateDir), stateDir });
  const db = server.db;
  try {
    let advisor = await signedIn(server.baseUrl, DEMO_USERS.advisor);
    let lead = await signedIn(server.baseUrl, DEMO_USERS.centreLead);
    const get = async (c, q) => {
      const res = await c.get(`/api/v1/stats/table?${new URLSearchParams(q)}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    const shapes = [
      { measure: 'consultations', rows: 'channel', from: MONTH, to: MONTH },
      { measure: 'consultations', rows: 'topic', cols: 'gender', from: MONTH, to: MONTH },
      { measure: 'persons', rows: 'gender', from: MONTH, to: MONTH },
      { measure: 'persons', rows: 'nationality', cols: 'gender', from: MONTH, to: MONTH },
      { measure: 'persons', rows: 'month', from: MONTH, to: NEXT },
      { measure: 'persons', rows: 'topic', cols: 'channel', from: MONTH, to: NEXT },
    ];
    // The month has no demo records: every record in it is this test's.
    assert.equal((await get(lead, shapes[0])).total.value, 0);

    // Amal: two cases with consultations in the month (one also in the next); Omar: one case.
    const people = [];
    for (const [nationality, gender, cases] of [['SY', 'female', [['wages', 'phone'], ['dismissal', 'in_person']]],
      ['AF', 'male', [['contract', 'video']]]]) {
      const client = (await advisor.post('/api/v1/clients', { nationality, birth_year: 1988, gender, languages: ['ar'] })).body;
      const ids = [];
      for (const [i, [topic, channel]] of cases.entries()) {
        const kase = (await advisor.post('/api/v1/cases', { client_id: client.id, topics: [topic] })).body;
        for (const date of [`${MONTH}-0${3 + i}`, `${MONTH}-1${3 + i}`, ...(i === 0 ? [`${NEXT}-02`] : [])]) {
          const res = await advisor.post(`/api/v1/cases/${kase.id}/consultations`, { date, duration_minutes: 30, channel,
            language: 'ar', kind: 'acute', notes: 'Gesprächsnotiz' });
          assert.equal(res.status, 201, JSON.stringify(res.body));
        }
        const closed = await advisor.patch(`/api/v1/cases/${kase.id}`, { status: 'closed', closing_reason: 'resolved',
          outcome: { wages_recovered_cents: 10_000, claim_filed: false, settled: true, referred: false, no_further_action: false } });
        assert.equal(closed.status, 200, JSON.stringify(closed.body));
        ids.push(kase.id);
      }
      people.push({ client: client.id, cases: ids });
    }
    const before = [];
    for (const q of shapes) before.push(await get(lead, q));
    assert.equal(before[0].total.value, 6);
    assert.equal(before[2].total.value, 2, 'Amal counts once with two cases');
    assert.equal(before[4].total.value, 2);

    let res = await lead.post('/api/v1/stats/periods', { period: MONTH });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const period = res.body;
    const closedAt = [];
    for (const q of shapes) closedAt.push(await get(lead, q));
    for (const [i, t] of closedAt.entries()) {
      const { closed_period: _c, ...figures } = t;
      const { closed_period: _b, ...was } = before[i];
      assert.deepEqual(figures, was, JSON.stringify(shapes[i]));
      assert.equal(t.closed_period?.id ?? null, shapes[i].to === MONTH ? period.id : null);
    }
    await server.stop();

    // Six years on, retention anonymises every case of the month.
    const run = cli(db, stateDir, ['retention', 'run'], SIX_YEARS);
    for (const p of people) for (const id of p.cases) assert.match(run, new RegExp(id));

    server = await startServer({ db, stateDir, demo: false, extraArgs: ['--require-2fa=false'] });
    advisor = await signedIn(server.baseUrl, DEMO_USERS.advisor);
    lead = await signedIn(server.baseUrl, DEMO_USERS.centreLead);
    for (const p of people) {
      for (const id of p.cases) assert.equal((await advisor.get(`/api/v1/cases/${id}`)).body.anonymised, true);
    }
    // The closed month, and the live range reaching beyond it, read the same figures as before.
    for (const [i, q] of shapes.entries()) assert.deepEqual(await get(lead, q), closedAt[i], JSON.stringify(q));
    let listed = (await lead.get('/api/v1/stats/periods')).body.items.find((x) => x.id === period.id);
    assert.equal(listed.changed_since, false, 'anonymising changes no figure of the period');

    // A revision now copies the unlinked records: the same figures, Amal still once.
    res = await lead.post(`/api/v1/stats/periods/${period.id}/revisions`, { reason: 'after retention' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    for (const [i, q] of shapes.entries()) {
      if (q.to !== MONTH) continue;
      const t = await get(lead, q);
      assert.equal(t.closed_period.revision, 1);
      assert.deepEqual(t.cells, closedAt[i].cells, JSON.stringify(q));
      assert.deepEqual(t.total, closedAt[i].total, JSON.stringify(q));
    }

    // A correction after closing: a late consultation of a new person is live at once, visible
    // in the closed month only as a revision with its reason.
    const late = (await advisor.post('/api/v1/clients', { nationality: 'ER', birth_year: 1990, gender: 'male', languages: ['ti'] })).body;
    const lateCase = (await advisor.post('/api/v1/cases', { client_id: late.id, topics: ['wages'] })).body;
    assert.equal((await advisor.post(`/api/v1/cases/${lateCase.id}/consultations`, { date: `${MONTH}-28`, duration_minutes: 30,
      channel: 'phone', language: 'ti', kind: 'acute', notes: 'n' })).status, 201);
    assert.equal((await get(lead, shapes[2])).total.value, 2);
    assert.equal((await get(lead, shapes[4])).total.value, 3, 'live');
    listed = (await lead.get('/api/v1/stats/periods')).body.items.find((x) => x.id === period.id);
    assert.equal(listed.changed_since, true);
    res = await lead.post(`/api/v1/stats/periods/${period.id}/revisions`, { reason: 'late entry' });
    assert.equal(res.status, 201);
    const revised = await get(lead, shapes[2]);
    assert.equal(revised.closed_period.revision, 2);
    assert.equal(revised.closed_period.revision_reason, 'late entry');
    assert.equal(revised.total.value, 3);
    assert.equal((await get(lead, { ...shapes[2], revision: '0' })).total.value, 2);
    assert.equal((await get(lead, { ...shapes[0], revision: '1' })).total.value, 6);
    assert.equal((await get(lead, shapes[0])).total.value, 7);
  } finally {
    await server.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
});
