// Events e-mail (issue 10): with an SMTP relay configured, the events notifications go out as
// e-mail through the real SMTP client to a local sink (tests/lib/smtp-sink.mjs) — confirmation,
// waiting list, seat offer, acceptance, the participant's own cancellation, the reminder before
// the start and the organiser's cancellation — each in the recipient's language, and the server
// log never names a recipient. Runs on SQLite or (FAIRDESK_TEST_DB_URL) PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, freshDatabaseUrl, DEMO_USERS, signedIn } from '../lib/server.mjs';
import { startSmtpSink } from '../lib/smtp-sink.mjs';

const dir = mkdtempSync(join(tmpdir(), 'fairdesk-events-mail-'));
let server;
let sink;
const inbox = [];

before(async () => {
  sink = await startSmtpSink();
  server = await startServer({
    db: freshDatabaseUrl(dir), stateDir: dir,
    extraArgs: ['--smtp-host', '127.0.0.1', '--smtp-port', String(sink.port), '--smtp-from', 'fairdesk@example.org',
      '--public-url', 'https://fairdesk.example.org/'],
  });
});
after(async () => {
  await server?.stop();
  await sink?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const as = (email) => signedIn(server.baseUrl, email);

// Waits for the mail to `to` whose text matches `pattern` (mails to others are kept for later).
async function mailTo(to, pattern) {
  for (;;) {
    const found = inbox.findIndex((m) => m.to.includes(to) && pattern.test(m.text));
    if (found >= 0) return inbox.splice(found, 1)[0];
    inbox.push(await sink.next());
  }
}

function berlin(minutes) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(Date.now() + minutes * 60000)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

test('confirmation, waiting list, offer, acceptance, cancellation and reminder arrive by e-mail in the recipient\'s language', { timeout: 120_000 }, async () => {
  const cc = await as(DEMO_USERS.competenceCentre);
  const berlinAdvisor = await as(DEMO_USERS.advisor);
  const bayern = await as(DEMO_USERS.advisorBayern);
  // The Berlin advisor reads fairdesk in English, the Bavarian one in German.
  assert.equal((await berlinAdvisor.patch('/api/v1/me', { language: 'en' })).status, 200);
  assert.equal((await bayern.patch('/api/v1/me', { language: 'de' })).status, 200);

  // A training with one seat that starts in three hours (inside the 24-hour reminder window).
  const start = berlin(180);
  const end = berlin(240);
  const created = await cc.post('/api/v1/events', {
    kind: 'training', title: 'Mindestlohn; Fragen & Antworten', languages: ['de'], capacity: 1,
    registration_deadline: start.slice(0, 10), audience: 'advisors',
    sessions: [{ start, end, online_url: 'https://meet.example.org/room' }],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;
  assert.equal((await cc.post(`/api/v1/events/${id}/publish`)).status, 200);

  // Registered: a confirmation in English, with the start in Berlin time and the event's link.
  const a = await berlinAdvisor.post(`/api/v1/events/${id}/registrations`);
  assert.equal(a.body.status, 'confirmed');
  let mail = await mailTo(DEMO_USERS.advisor, /You are registered/);
  assert.equal(mail.subject, 'fairdesk event: Mindestlohn; Fragen & Antworten');
  assert.equal(mail.from, 'fairdesk@example.org');
  assert.ok(mail.text.includes(`Starts: ${start.replace('T', ' ')} (Berlin time)`), mail.text);
  assert.ok(mail.text.includes(`https://fairdesk.example.org/events/${id}`), mail.text);
  // The reminder: the event starts within a day.
  mail = await mailTo(DEMO_USERS.advisor, /Reminder: the event starts soon/);

  // Full: the Bavarian advisor joins the waiting list and is told so, in German.
  const b = await bayern.post(`/api/v1/events/${id}/registrations`);
  assert.deepEqual([b.body.status, b.body.position], ['waitlisted', 1]);
  mail = await mailTo(DEMO_USERS.advisorBayern, /Warteliste/);
  assert.equal(mail.subject, 'fairdesk Veranstaltung: Mindestlohn; Fragen & Antworten');
  const [date, time] = start.split('T');
  assert.ok(mail.text.includes(`Beginn: ${date.split('-').reverse().join('.')}, ${time} Uhr`), mail.text);

  // The Berlin advisor cancels: a confirmation of that, and the seat is offered to the next.
  assert.equal((await berlinAdvisor.del(`/api/v1/events/${id}/registrations/${a.body.id}`)).body.status, 'cancelled');
  await mailTo(DEMO_USERS.advisor, /You have cancelled your registration/);
  await mailTo(DEMO_USERS.advisorBayern, /Platz frei geworden/);
  assert.equal((await bayern.post(`/api/v1/events/${id}/registrations/${b.body.id}/accept`)).body.status, 'confirmed');
  await mailTo(DEMO_USERS.advisorBayern, /angebotenen Platz angenommen/);
  await mailTo(DEMO_USERS.advisorBayern, /Erinnerung: Die Veranstaltung beginnt bald/);

  // The organiser cancels the event: everyone registered is told.
  assert.equal((await cc.post(`/api/v1/events/${id}/cancel`, { reason: 'Raum nicht verfügbar' })).body.status, 'cancelled');
  await mailTo(DEMO_USERS.advisorBayern, /Die Veranstaltung wurde abgesagt/);

  // The same news is in the application, newest first.
  const news = (await bayern.get('/api/v1/events/notifications')).body.items.filter((n) => n.event_id === id);
  assert.deepEqual(news.map((n) => n.kind), ['event_cancelled', 'reminder', 'confirmed', 'offered', 'waitlisted']);

  // Each mail went once: nothing else for this event is left in the sink or arrives later.
  assert.equal(inbox.filter((m) => m.text.includes(id)).length, 0);
  // No recipient address (personal data) in the server's log records (the demo start-up banner,
  // which lists the demo logins, is not a log record).
  const log = server.output().split('\n').filter((line) => line.startsWith('{')).join('\n');
  assert.ok(log.includes('"event"'));
  for (const who of [DEMO_USERS.advisor, DEMO_USERS.advisorBayern]) assert.ok(!log.includes(who), `log names ${who}`);
});
