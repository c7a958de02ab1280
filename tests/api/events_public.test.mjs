// Public events on the portal (issues 10 and 12) against the real binary, on SQLite or
// (FAIRDESK_TEST_DB_URL) PostgreSQL: the server-rendered list and event page in the portal's
// languages (RTL for Arabic) with the iCalendar link; self-registration without an account,
// confirmed by the link in an e-mail read from a local SMTP sink (double opt-in); the waiting
// list and its offer handled from the e-mail link; the contact form's protection (honeypot,
// proof of work used once, rate limit with a localised 429); bad input named on the page and
// nothing stored; name and address sealed in the database and never in the log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, freshDatabaseUrl, DEMO_USERS, signedIn } from '../lib/server.mjs';
import { startSmtpSink } from '../lib/smtp-sink.mjs';

const dir = mkdtempSync(join(tmpdir(), 'fairdesk-events-public-'));
const db = freshDatabaseUrl(dir);
let server;
let sink;
const inbox = [];

before(async () => {
  sink = await startSmtpSink();
  server = await startServer({
    db, stateDir: dir,
    extraArgs: ['--smtp-host', '127.0.0.1', '--smtp-port', String(sink.port), '--smtp-from', 'fairdesk@example.org',
      '--public-url', 'https://fairdesk.example.org'],
    env: { FAIRDESK_PORTAL_MIN_FILL_SECONDS: '0' },
  });
});
after(async () => {
  await server?.stop();
  await sink?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function sql(query) {
  const out = db.startsWith('sqlite:')
    ? execFileSync('sqlite3', [db.slice('sqlite:'.length), query], { encoding: 'utf8' })
    : execFileSync('psql', [db, '-At', '-c', query], { encoding: 'utf8' });
  return out.trim().split('\n').filter(Boolean);
}

async function mailTo(to, pattern) {
  for (;;) {
    const found = inbox.findIndex((m) => m.to.includes(to) && pattern.test(m.text));
    if (found >= 0) return inbox.splice(found, 1)[0];
    inbox.push(await sink.next());
  }
}

async function page(path, init) {
  const res = await fetch(server.baseUrl + path, { redirect: 'manual', ...init });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** The registration form's hidden fields; the proof of work solved as portal.js does, or not. */
async function form(lang, id, { solve = false } = {}) {
  const res = await page(`/${lang}/events/${id}`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('set-cookie'), null, 'no cookie before a form is sent');
  const field = (name) => res.text.match(new RegExp(`name="${name}" value="([^"]*)"`))?.[1] ?? '';
  const f = {
    pow_salt: field('pow_salt').replaceAll('&amp;', '&'), pow_challenge: field('pow_challenge'),
    pow_signature: field('pow_signature'), pow_number: '', website: '',
  };
  if (solve) {
    const max = Number(res.text.match(/data-pow-max="(\d+)"/)[1]);
    for (let n = 0; n <= max && !f.pow_number; n++) {
      if (createHash('sha256').update(f.pow_salt + n).digest('hex') === f.pow_challenge) f.pow_number = String(n);
    }
    assert.notEqual(f.pow_number, '');
  }
  return f;
}

const post = (path, fields) => page(path, {
  method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

function berlin(minutes) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(Date.now() + minutes * 60000)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

const linkIn = (mail) => {
  const url = mail.text.match(/https:\/\/fairdesk\.example\.org(\/[a-z]+\/event-registration\/[A-Za-z0-9_-]+)/);
  assert.ok(url, mail.text);
  return url[1];
};

test('a visitor registers for a public event without an account, confirms by e-mail and moves up the waiting list', { timeout: 180_000 }, async () => {
  const cc = await as(DEMO_USERS.competenceCentre);
  const day = berlin(10 * 1440).slice(0, 10);
  const title = 'Deine Rechte bei der Arbeit, Teil 1; mit Übersetzung';
  const created = await cc.post('/api/v1/events', {
    kind: 'information_event', title, languages: ['de', 'ar', 'uk'], capacity: 1, registration_deadline: day,
    audience: 'public', partner: 'Sprachschule Mitte',
    sessions: [{ start: `${day}T17:00`, end: `${day}T19:00`, place: 'Beratungsstelle Berlin, Raum 1' }],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;
  // A draft is not public.
  assert.equal((await page(`/de/events/${id}`)).status, 404);
  assert.equal((await cc.post(`/api/v1/events/${id}/publish`)).status, 200);

  // The list, server-rendered in the portal's languages, with the calendar.
  let res = await page('/de/events');
  assert.equal(res.status, 200);
  assert.ok(res.text.includes(title.replace('&', '&amp;')));
  assert.ok(res.text.includes('href="/api/v1/public/events/calendar.ics"'));
  assert.ok(res.text.includes('1 Plätze frei') || res.text.includes('Plätze frei'));
  assert.equal(res.headers.get('set-cookie'), null);
  res = await page('/ar/events');
  assert.match(res.text, /<html lang="ar" dir="rtl">/);
  assert.ok(res.text.includes(`href="/ar/events/${id}"`));
  assert.ok(res.text.includes('hreflang="uk" href="/uk/events"'));
  const ics = await fetch(`${server.baseUrl}/api/v1/public/events/calendar.ics`).then((r) => r.text());
  assert.ok(ics.includes('Deine Rechte bei der Arbeit'));

  // Bad input: named on the page, nothing stored, no mail.
  const before = sql('SELECT COUNT(*) FROM event_public_registrants')[0];
  res = await post(`/de/events/${id}`, { ...(await form('de', id)), name: 'Amira', email: 'kein-at-zeichen', consent: 'yes' });
  assert.equal(res.status, 422);
  assert.ok(res.text.includes('Bitte geben Sie eine gültige E-Mail-Adresse ein.'));
  assert.ok(res.text.includes('aria-invalid="true"'));
  res = await post(`/de/events/${id}`, { ...(await form('de', id)), name: '', email: 'amira@example.org' });
  assert.equal(res.status, 422);
  assert.ok(res.text.includes('Bitte füllen Sie dieses Feld aus.') || res.text.includes('id="name-error"'));
  assert.ok(res.text.includes('id="consent-error"'));
  res = await post(`/de/events/${id}`, { ...(await form('de', id)), name: '<script>alert(1)</script>', email: 'x@example.org' });
  assert.equal(res.status, 422, 'no consent');
  assert.ok(!res.text.includes('<script>alert(1)</script>') && res.text.includes('&lt;script&gt;'));
  // A bot filling the honeypot gets the same answer as a person, and nothing is stored.
  res = await post(`/de/events/${id}`, { ...(await form('de', id)), name: 'Bot', email: 'bot@example.org', consent: 'yes', website: 'http://spam.example' });
  assert.equal(res.status, 303);
  assert.equal(sql('SELECT COUNT(*) FROM event_public_registrants')[0], before);

  // Amira registers in German without JavaScript (proof of work unsolved: it only costs more).
  res = await post(`/de/events/${id}`, { ...(await form('de', id)), name: 'Amira Haddad', email: 'amira@example.org', consent: 'yes' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/de/events/${id}/requested`);
  assert.match((await page(res.headers.get('location'))).text, /Bitte sehen Sie in Ihre E-Mails/);
  let mail = await mailTo('amira@example.org', /Bitte bestätigen Sie Ihre Anmeldung/);
  assert.equal(mail.subject, `Anmeldung: ${title}`);
  assert.ok(mail.text.includes('Guten Tag Amira Haddad,'));
  assert.ok(mail.text.includes(`Beginn: ${day.split('-').reverse().join('.')}, 17:00 (deutsche Zeit)`), mail.text);
  const amira = linkIn(mail);
  assert.ok(amira.startsWith('/de/event-registration/'));
  // Unconfirmed, the address holds no seat and is not on the organiser's list.
  assert.deepEqual((await cc.get(`/api/v1/events/${id}/registrations`)).body.items, []);
  res = await page(amira);
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
  assert.match(res.text, /data-status="pending"/);
  res = await post(amira, { action: 'confirm' });
  assert.equal(res.status, 303);
  assert.match((await page(res.headers.get('location'))).text, /data-status="confirmed"/);
  await mailTo('amira@example.org', /Sie sind angemeldet\./);
  let people = (await cc.get(`/api/v1/events/${id}/registrations`)).body.items;
  assert.deepEqual(people.map((p) => [p.participant, p.status, p.name]), [['public', 'confirmed', 'Amira Haddad']]);
  // The same address again: no second registration, the link comes again.
  res = await post(`/de/events/${id}`, { ...(await form('de', id)), name: 'Amira', email: 'AMIRA@example.org', consent: 'yes' });
  assert.equal(res.status, 303);
  assert.equal(linkIn(await mailTo('amira@example.org', /schon angemeldet/)), amira);

  // Olena registers from the Ukrainian page with the proof of work solved: the event is full,
  // so after confirming she is on the waiting list.
  const solved = await form('uk', id, { solve: true });
  res = await post(`/uk/events/${id}`, { ...solved, name: 'Олена Коваленко', email: 'olena@example.org', consent: 'yes' });
  assert.equal(res.status, 303);
  // The same solved challenge cannot be used twice.
  res = await post(`/uk/events/${id}`, { ...solved, name: 'Олена', email: 'olena2@example.org', consent: 'yes' });
  assert.equal(res.status, 422);
  mail = await mailTo('olena@example.org', /./);
  assert.ok(mail.text.includes('Олена Коваленко'));
  const olena = linkIn(mail);
  assert.ok(olena.startsWith('/uk/event-registration/'));
  res = await post(olena, { action: 'confirm' });
  assert.match((await page(res.headers.get('location'))).text, /data-status="waitlisted"/);

  // Amira cancels from her link: the seat is offered to Olena at once, who accepts from hers.
  res = await post(amira, { action: 'cancel' });
  assert.equal(res.status, 303);
  assert.match((await page(amira)).text, /data-status="cancelled"/);
  await mailTo('olena@example.org', /./); // waiting list
  await mailTo('olena@example.org', /./); // offer
  assert.match((await page(olena)).text, /data-status="offered"/);
  res = await post(olena, { action: 'accept' });
  assert.match((await page(res.headers.get('location'))).text, /data-status="confirmed"/);
  people = (await cc.get(`/api/v1/events/${id}/registrations`)).body.items;
  assert.deepEqual(people.map((p) => [p.status, p.name]), [['cancelled', 'Amira Haddad'], ['confirmed', 'Олена Коваленко']]);
  // An unknown link is a plain 404; a second accept is refused on the page.
  assert.equal((await page('/de/event-registration/not-a-token')).status, 404);
  assert.equal((await post(olena, { action: 'accept' })).status, 409);

  // The organiser cancels the event: Olena is told by e-mail.
  await cc.post(`/api/v1/events/${id}/cancel`, { reason: 'Raum nicht verfügbar' });
  await mailTo('olena@example.org', /./);
  assert.match((await page(`/de/events/${id}`)).text, /Diese Veranstaltung wurde abgesagt/);

  // Personal data: sealed in the database, never in the log records.
  const sealed = sql('SELECT name_enc, email_enc FROM event_public_registrants').join('\n');
  for (const secret of ['amira@example.org', 'Amira Haddad', 'olena@example.org']) {
    assert.ok(!sealed.includes(secret), `${secret} stored in clear`);
  }
  const log = server.output().split('\n').filter((line) => line.startsWith('{')).join('\n');
  for (const secret of ['amira@example.org', 'Amira', 'olena@example.org', amira.split('/').pop()]) {
    assert.ok(!log.includes(secret), `log names ${secret}`);
  }
});

test('a flood from one address is refused with a localised 429 and Retry-After', async () => {
  const cc = await as(DEMO_USERS.competenceCentre);
  const day = berlin(12 * 1440).slice(0, 10);
  const created = await cc.post('/api/v1/events', {
    kind: 'workshop', title: 'Workshop Lohnabrechnung', languages: ['de'], capacity: 30, registration_deadline: day,
    audience: 'public', sessions: [{ start: `${day}T10:00`, end: `${day}T12:00` }],
  });
  const id = created.body.id;
  await cc.post(`/api/v1/events/${id}/publish`);
  const f = await form('ar', id);
  let res;
  for (let i = 0; i < 40; i++) {
    res = await post(`/ar/events/${id}`, { ...f, name: `Person ${i}`, email: `p${i}@example.org` });
    if (res.status === 429) break;
    assert.equal(res.status, 422, 'without consent');
  }
  assert.equal(res.status, 429);
  assert.ok(Number(res.headers.get('retry-after')) > 0);
  assert.match(res.text, /<html lang="ar" dir="rtl">/);
});

const as = (email) => signedIn(server.baseUrl, email);
