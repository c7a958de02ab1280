// Retention: closed cases are anonymised after the retention period (default 3 years) — personal
// fields, notes and documents go, the statistical facts stay, so later statistics do not change.
// Runs `fairdesk retention run` against the real database with the clock moved forward.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, api, fairdeskBinary, freshDatabaseUrl } from '../lib/server.mjs';

const FOUR_YEARS = String(4 * 366 * 24 * 3600);
const SIX_YEARS = String(6 * 366 * 24 * 3600);

function cli(server, args, offset = '0') {
  return execFileSync(fairdeskBinary(), ['--db', server.db, '--state-dir', server.stateDir, ...args], {
    env: { ...process.env, FAIRDESK_CLOCK_OFFSET_SECONDS: offset },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

// What statistics are built from: per closed case, its facts without personal data.
async function statistics(client) {
  const res = await client.get('/api/v1/cases?status=closed&limit=200');
  assert.equal(res.status, 200);
  return res.body.items
    .map((c) => ({ number: c.number, centre: c.centre_id, topics: c.topics, outcome: c.outcome, closed_on: c.closed_on, priority: c.priority }))
    .sort((a, b) => a.number.localeCompare(b.number));
}

test('retention anonymises old closed cases and keeps their statistical facts', async () => {
  // Database and keys outlive the server processes of this test.
  const stateDir = mkdtempSync(join(tmpdir(), 'fairdesk-retention-'));
  let server = await startServer({ db: freshDatabaseUrl(stateDir), stateDir });
  const advisor = api(server.baseUrl);
  await advisor.loginOk('advisor.berlin@example.org');

  // A client with personal data and a case with a consultation note and a document, closed now.
  const client = await advisor.post('/api/v1/clients', {
    nationality: 'SY', birth_year: 1990, gender: 'female', languages: ['ar'],
    consents: { storage: true, contact: true, anonymised_use: false, date: '2026-01-05' },
    name: 'Amal Testperson', phone: '+49 30 23125 999', safe_contact: 'Nur vormittags anrufen',
  });
  assert.equal(client.status, 201, JSON.stringify(client.body));
  const kase = await advisor.post('/api/v1/cases', { client_id: client.body.id, topics: ['wages'] });
  assert.equal(kase.status, 201, JSON.stringify(kase.body));
  const caseId = kase.body.id;
  const consult = await advisor.post(`/api/v1/cases/${caseId}/consultations`, {
    date: '2026-01-06', duration_minutes: 45, channel: 'in_person', language: 'ar', interpreter: true,
    topics: ['wages'], kind: 'acute', notes: 'Arbeitgeber zahlt seit drei Monaten nicht.',
  });
  assert.equal(consult.status, 201, JSON.stringify(consult.body));
  const doc = await advisor.request('POST', `/api/v1/cases/${caseId}/documents`, {
    body: 'Lohnabrechnung Januar 2026\n', headers: { 'Content-Type': 'text/plain', 'X-Filename': 'lohn.txt' },
  });
  assert.equal(doc.status, 201, JSON.stringify(doc.body));
  const closed = await advisor.patch(`/api/v1/cases/${caseId}`, {
    status: 'closed', outcome: { wages_recovered_cents: 123456, claim_filed: false, settled: true, referred: false, no_further_action: false },
    closing_reason: 'resolved',
  });
  assert.equal(closed.status, 200, JSON.stringify(closed.body));
  const before = await statistics(advisor);
  assert.ok(before.some((c) => c.number === kase.body.number));
  // The admin sets the retention period to five years on the settings page (default: three).
  const admin = api(server.baseUrl);
  await admin.loginOk('admin@example.org');
  const set = await admin.put('/api/v1/settings/retention', { retention_years: 5 });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  assert.equal(set.body.retention_years, 5);
  const db = server.db;
  await server.stop();

  // Nothing is old enough today; four years on neither (five years kept); six years on, the case is due.
  assert.match(cli({ db, stateDir }, ['retention', 'run', '--dry-run']), /would anonymise 0 case/);
  assert.doesNotMatch(cli({ db, stateDir }, ['retention', 'run', '--dry-run'], FOUR_YEARS), new RegExp(caseId));
  const dry = cli({ db, stateDir }, ['retention', 'run', '--dry-run'], SIX_YEARS);
  assert.match(dry, new RegExp(caseId));
  // A dry run changes nothing: the real run still finds the case.
  const real = cli({ db, stateDir }, ['retention', 'run'], SIX_YEARS);
  assert.match(real, /^anonymised [1-9]\d* case/);
  assert.match(real, new RegExp(caseId));
  assert.match(cli({ db, stateDir }, ['retention', 'run'], SIX_YEARS), /^anonymised 0 case/, 'idempotent');
  assert.match(cli({ db, stateDir }, ['audit', 'verify']), /audit chain intact/);

  // Restarted on the demo data without --demo: the second factor stays optional as in the demo.
  server = await startServer({ db, stateDir, demo: false, extraArgs: ['--require-2fa=false'], env: { FAIRDESK_CLOCK_OFFSET_SECONDS: FOUR_YEARS } });
  try {
    const again = api(server.baseUrl);
    await again.loginOk('advisor.berlin@example.org');
    const after = await statistics(again);
    assert.deepEqual(after, before, 'statistical facts are unchanged');
    const c = await again.get(`/api/v1/cases/${caseId}`);
    assert.equal(c.status, 200);
    assert.equal(c.body.anonymised, true);
    assert.equal(c.body.outcome.wages_recovered_cents, 123456);
    const consultations = await again.get(`/api/v1/cases/${caseId}/consultations`);
    assert.equal(consultations.body.items.length, 1, 'the consultation itself is a statistical fact');
    for (const item of consultations.body.items) assert.equal(item.notes, null);
    const docs = await again.get(`/api/v1/cases/${caseId}/documents`);
    assert.deepEqual(docs.body.items, []);
    // Retention keeps the client row for statistics, anonymised (erasure on request deletes it).
    const person = await again.get(`/api/v1/clients/${client.body.id}/personal`);
    assert.equal(person.status, 200);
    assert.equal(person.body.anonymised, true);
    for (const field of ['name', 'phone', 'email', 'address', 'safe_contact']) assert.equal(person.body[field], null, field);
  } finally {
    await server.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
});
