// The portal's deletion job against the real binary, on SQLite and (with FAIRDESK_TEST_DB_URL)
// PostgreSQL: contact requests that did not become a case are deleted 90 days after they arrived
// (the privacy notice's promise), a converted one stays while its case lives, and public event
// registrations never confirmed are deleted after 48 hours. Two app servers on one database
// start 91 days later (FAIRDESK_CLOCK_OFFSET_SECONDS): exactly one of them runs the job for the
// hour (ops::JobRunner's claim in job_runs), each deletion is audited and the chain stays intact.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, api, fairdeskBinary, freshDatabaseUrl, DEMO_USERS } from '../lib/server.mjs';
import { startSmtpSink } from '../lib/smtp-sink.mjs';
import { waitUntil } from '../lib/wait.mjs';
import { sqlRows, publicForm, postForm } from '../lib/portal.mjs';

const dir = mkdtempSync(join(tmpdir(), 'fairdesk-portal-retention-'));
const db = freshDatabaseUrl(dir);
const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
  rmSync(dir, { recursive: true, force: true });
});

const sql = (query) => sqlRows(db, query);
const protection = (base, path) => publicForm(base, path);

test('old contact requests and unconfirmed event registrations are deleted once, by one of two app servers', { timeout: 240_000 }, async () => {
  const sink = await startSmtpSink();
  cleanups.push(() => sink.stop());
  const first = await startServer({
    db, stateDir: dir,
    extraArgs: ['--smtp-host', '127.0.0.1', '--smtp-port', String(sink.port), '--smtp-from', 'fairdesk@example.org'],
    env: { FAIRDESK_PORTAL_MIN_FILL_SECONDS: '0' },
  });
  cleanups.push(() => first.stop());
  const base = first.baseUrl;

  // Three contact requests to the Bavarian centre: one stays new, one is closed, one becomes a case.
  const references = [];
  for (const name of ['Neu', 'Erledigt', 'Fall']) {
    const res = await postForm(base, '/de/contact', { ...(await protection(base, '/de/contact')), name: `Retention ${name}`,
      reach: '+49 170 0000000', postcode: '80331', language: 'de', topic: 'wages', message: 'Kein Lohn.', consent: 'yes' });
    assert.equal(res.status, 303, res.text.slice(0, 300));
    references.push(new URL(res.headers.get('location'), base).searchParams.get('ref'));
  }
  const advisor = api(base);
  await advisor.loginOk(DEMO_USERS.advisorBayern);
  const inbox = (await advisor.get('/api/v1/contact-requests?status=new')).body.items;
  const byRef = (ref) => inbox.find((r) => r.reference === ref);
  assert.equal((await advisor.post(`/api/v1/contact-requests/${byRef(references[1]).id}/close`)).status, 200);
  const converted = await advisor.post(`/api/v1/contact-requests/${byRef(references[2]).id}/convert`);
  assert.equal(converted.status, 201, JSON.stringify(converted.body));

  // A public event far ahead, and a registration whose address is never confirmed.
  const cc = api(base);
  await cc.loginOk(DEMO_USERS.competenceCentre);
  const day = new Date(Date.now() + 200 * 86400_000).toISOString().slice(0, 10);
  const event = await cc.post('/api/v1/events', {
    kind: 'information_event', title: 'Aufbewahrung geprüft', languages: ['de'], capacity: 5, registration_deadline: day,
    audience: 'public', sessions: [{ start: `${day}T17:00`, end: `${day}T19:00`, place: 'Raum 1' }],
  });
  assert.equal(event.status, 201, JSON.stringify(event.body));
  assert.equal((await cc.post(`/api/v1/events/${event.body.id}/publish`)).status, 200);
  const reg = await postForm(base, `/de/events/${event.body.id}`, { ...(await protection(base, `/de/events/${event.body.id}`)),
    name: 'Nie Bestätigt', email: 'unbestaetigt@example.org', consent: 'yes' });
  assert.equal(reg.status, 303);
  const pending = () => sql(`SELECT COUNT(*) FROM event_registrations WHERE event_id = '${event.body.id}' AND status = 'pending'`)[0];
  const sealed = () => sql(`SELECT COUNT(*) FROM event_public_registrants WHERE event_id = '${event.body.id}'`)[0];
  assert.equal(pending(), '1');
  assert.equal(sealed(), '1');
  const requests = () => sql('SELECT reference FROM contact_requests ORDER BY reference');
  assert.deepEqual(requests(), [...references].sort());
  await first.stop();

  // 91 days later two app servers start on the same database at the same time.
  const later = { FAIRDESK_CLOCK_OFFSET_SECONDS: String(91 * 86400) };
  const servers = await Promise.all([0, 1].map(() => startServer({ db, stateDir: dir, demo: false,
    extraArgs: ['--require-2fa=false'], env: later })));
  for (const s of servers) cleanups.push(() => s.stop());
  // Each server tries the hour's claim at start-up; the job's rows say who ran it.
  const claims = () => sql("SELECT period || ' ' || CASE WHEN finished_at IS NULL THEN 'open' ELSE 'done' END FROM job_runs WHERE job = 'portal-retention'");
  await waitUntil(() => requests().length === 1 && pending() === '0' && claims().length > 0 && claims().every((c) => c.endsWith('done')),
    { timeoutMs: 60_000, what: () => `the deletions (requests ${requests()}, pending ${pending()}, claims ${claims()})` });
  assert.deepEqual(requests(), [references[2]], 'the converted request stays while its case lives');
  assert.equal(sealed(), '0', 'name and address of the unconfirmed registration are gone');
  // Exactly one run per claimed hour across all servers (the first one ran its own hour, today).
  // The run's log record follows its commit: wait for it to come through the pipe.
  const runLines = () => [first, ...servers].flatMap((s) => s.output().split('\n').filter((l) => l.includes('"portal_retention_run"')));
  await waitUntil(() => runLines().length >= claims().length, { what: () => `a log record per claim (${runLines().join(' ')})` });
  const runs = runLines();
  const periods = runs.map((l) => JSON.parse(l).period);
  assert.deepEqual([...periods].sort(), claims().map((c) => c.split(' ')[0]).sort(), runs.join('\n'));
  assert.ok(runs.some((l) => l.includes('"contact_requests":2') && l.includes('"unconfirmed_registrations":1')), runs.join('\n'));
  // Each deletion is audited as a system erase, and the chain stays intact.
  const audited = sql("SELECT COUNT(*) FROM audit_log WHERE action = 'erase' AND record_type = 'contact_request'")[0];
  assert.equal(audited, '2');
  for (const s of servers) await s.stop();
  const verify = execFileSync(fairdeskBinary(), ['--db', db, '--state-dir', dir, 'audit', 'verify'], { encoding: 'utf8', env: { ...process.env, ...later } });
  assert.match(verify, /audit chain intact/);
});
