// Events and training (issue 10) against the real binary, on SQLite or (FAIRDESK_TEST_DB_URL)
// PostgreSQL: bad input named by field, the waiting list moving up on cancellation and on expiry
// (a restart with the clock 49 hours on), 50 concurrent registrations for the last seat,
// attendance and a certificate read back with pdftotext and verified publicly, iCalendar read by
// ical.js plus our own strict checks (CRLF, 75 octets, UTF-8 intact), the secret feed token,
// head counts and reporting.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { startServer, api, freshDatabaseUrl, DEMO_USERS, signedIn, errorFields } from '../lib/server.mjs';

const dir = mkdtempSync(join(tmpdir(), 'fairdesk-events-'));
const data = { db: freshDatabaseUrl(dir), stateDir: dir };
let server;

before(async () => { server = await startServer(data); });
after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const as = (email) => signedIn(server.baseUrl, email);

// Local Berlin date/time `minutes` from now, as the API takes it.
function berlin(minutes) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(Date.now() + minutes * 60000)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}
const day = (minutes) => berlin(minutes).slice(0, 10);

function training(extra = {}) {
  return {
    kind: 'training', title: 'Arbeitsrecht kompakt; Teil 1, Grundlagen', languages: ['de'], capacity: 2,
    registration_deadline: day(20 * 1440), audience: 'advisors',
    sessions: [{ start: `${day(30 * 1440)}T09:00`, end: `${day(30 * 1440)}T16:00`, place: 'Berlin, Raum 2' }],
    ...extra,
  };
}

// The last Sunday of October at least 60 days ahead (the clocks go back that night).
function nextOctoberChange() {
  for (let year = new Date().getUTCFullYear(); ; year++) {
    const d = new Date(Date.UTC(year, 9, 31));
    d.setUTCDate(31 - d.getUTCDay());
    if (d.getTime() > Date.now() + 60 * 86400e3) return d.toISOString().slice(0, 10);
  }
}

// Our strict reading of RFC 5545 § 3.1 on top of ical.js (which is lenient about line ends).
function strictIcs(text) {
  const bytes = Buffer.from(text, 'utf8');
  assert.ok(text.endsWith('\r\n'));
  for (const line of text.slice(0, -2).split('\r\n')) {
    assert.ok(!line.includes('\n') && !line.includes('\r'), 'bare LF or CR');
    assert.ok(Buffer.byteLength(line, 'utf8') <= 75, `line over 75 octets: ${line}`);
  }
  assert.equal(Buffer.from(bytes.toString('utf8'), 'utf8').compare(bytes), 0, 'invalid UTF-8');
  const comp = new ICAL.Component(ICAL.parse(text));
  assert.equal(comp.getAllSubcomponents('vtimezone').length, 1);
  const events = comp.getAllSubcomponents('vevent');
  for (const ev of events) {
    assert.ok(ev.getFirstPropertyValue('uid'));
    assert.ok(ev.getFirstPropertyValue('dtstamp'));
    assert.equal(ev.getFirstProperty('dtstart').getParameter('tzid'), 'Europe/Berlin');
  }
  return events;
}

test('bad input is a 422 naming each field, and nothing is stored', async () => {
  const cc = await as(DEMO_USERS.competenceCentre);
  const before = (await cc.get('/api/v1/events?scope=all')).body.items.length;
  let res = await cc.post('/api/v1/events', training({
    capacity: -5, languages: ['de', 'xx'],
    sessions: [{ start: '2026-03-29T02:30', end: '2026-03-29T04:00' }],
  }));
  assert.equal(res.status, 422, JSON.stringify(res.body));
  assert.ok(errorFields(res).includes('capacity'), JSON.stringify(res.body));
  assert.ok(errorFields(res).some((f) => f.startsWith('languages')), JSON.stringify(res.body));
  res = await cc.post('/api/v1/events', training({ capacity: 100000 }));
  assert.deepEqual(errorFields(res), ['capacity']);
  res = await cc.post('/api/v1/events', training({ sessions: [{ start: '2026-03-29T02:30', end: '2026-03-29T04:00' }],
    registration_deadline: '2026-03-20' }));
  assert.deepEqual(errorFields(res), ['sessions[0].start']);
  res = await cc.post('/api/v1/events', training({ sessions: [{ start: `${day(30 * 1440)}T12:00`, end: `${day(30 * 1440)}T11:00` }] }));
  assert.deepEqual(errorFields(res), ['sessions[0].end']);
  res = await cc.post('/api/v1/events', training({ audience: 'state' }));
  assert.deepEqual(errorFields(res), ['audience_state']);
  assert.equal((await cc.get('/api/v1/events?scope=all')).body.items.length, before);
  // An advisor may not organise a training.
  const advisor = await as(DEMO_USERS.advisor);
  assert.equal((await advisor.post('/api/v1/events', training())).status, 403);
});

test('the training fills, the waiting list moves up on cancellation and on expiry', async () => {
  const cc = await as(DEMO_USERS.competenceCentre);
  const created = await cc.post('/api/v1/events', training());
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.status, 'draft');
  const id = created.body.id;
  const advisor = await as(DEMO_USERS.advisor);
  assert.equal((await advisor.get(`/api/v1/events/${id}`)).status, 404, 'drafts are the organiser\'s');
  assert.equal((await cc.post(`/api/v1/events/${id}/publish`)).body.status, 'published');

  const bayern = await as(DEMO_USERS.advisorBayern);
  const lead = await as(DEMO_USERS.centreLead);
  const coordinator = await as(DEMO_USERS.stateCoordinator);
  const a = await advisor.post(`/api/v1/events/${id}/registrations`);
  assert.equal(a.status, 201);
  assert.deepEqual([a.body.status, typeof a.body.id], ['confirmed', 'string']);
  assert.equal((await advisor.post(`/api/v1/events/${id}/registrations`)).status, 409, 'no double registration');
  assert.equal((await bayern.post(`/api/v1/events/${id}/registrations`)).body.status, 'confirmed');
  const l = await lead.post(`/api/v1/events/${id}/registrations`);
  assert.deepEqual([l.body.status, l.body.position], ['waitlisted', 1]);
  const c = await coordinator.post(`/api/v1/events/${id}/registrations`);
  assert.deepEqual([c.body.status, c.body.position], ['waitlisted', 2]);
  const f = await cc.post(`/api/v1/events/${id}/registrations`);
  assert.deepEqual([f.body.status, f.body.position], ['waitlisted', 3]);
  assert.equal((await cc.get(`/api/v1/events/${id}`)).body.seats_left, 0);

  // Cancellation: the seat is offered to the lead at once; the lead accepts.
  assert.equal((await advisor.del(`/api/v1/events/${id}/registrations/${a.body.id}`)).body.status, 'cancelled');
  let mine = (await lead.get(`/api/v1/events/${id}`)).body.my_registration;
  assert.equal(mine.status, 'offered');
  assert.ok(Date.parse(mine.offer_expires_at) > Date.now() + 47 * 3600e3);
  assert.equal((await lead.get('/api/v1/events/notifications')).body.items[0].kind, 'offered');
  assert.equal((await lead.post(`/api/v1/events/${id}/registrations/${mine.id}/accept`)).body.status, 'confirmed');

  // The lead (who came from the list) cancels: the seat goes to the coordinator, not back.
  await lead.del(`/api/v1/events/${id}/registrations/${mine.id}`);
  mine = (await coordinator.get(`/api/v1/events/${id}`)).body.my_registration;
  assert.equal(mine.status, 'offered');
  const participants = (await cc.get(`/api/v1/events/${id}/registrations`)).body.items;
  assert.deepEqual(participants.map((p) => p.status), ['cancelled', 'confirmed', 'cancelled', 'offered', 'waitlisted']);

  // 49 hours later the offer has expired and passed on to the next (the Competence Centre user).
  await server.stop();
  server = await startServer({ ...data, demo: false, extraArgs: ['--require-2fa=false'], env: { FAIRDESK_CLOCK_OFFSET_SECONDS: String(49 * 3600) } });
  const cc2 = await as(DEMO_USERS.competenceCentre);
  const coordinator2 = await as(DEMO_USERS.stateCoordinator);
  const view = (await cc2.get(`/api/v1/events/${id}`)).body;
  assert.equal(view.my_registration.status, 'offered');
  assert.equal((await coordinator2.get(`/api/v1/events/${id}`)).body.my_registration, null);
  const notes = (await coordinator2.get('/api/v1/events/notifications')).body.items.map((n) => n.kind);
  assert.equal(notes[0], 'offer_expired');
  // Declining passes it on to nobody (the list is empty) and frees the seat.
  assert.equal((await cc2.post(`/api/v1/events/${id}/registrations/${view.my_registration.id}/decline`)).body.status,
    'cancelled');
  assert.equal((await cc2.get(`/api/v1/events/${id}`)).body.seats_left, 1);
  await server.stop();
  server = await startServer({ ...data, demo: false, extraArgs: ['--require-2fa=false'] });
});

test('50 concurrent registrations for the last seat: exactly one gets it', async () => {
  const lead = await as(DEMO_USERS.centreLead);
  const res = await lead.post('/api/v1/events', {
    ...training(), kind: 'workshop', title: 'Deine Rechte bei der Arbeit', capacity: 3, languages: ['de', 'ar'],
    partner: 'Sprachschule Wedding',
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const id = res.body.id;
  await lead.post(`/api/v1/events/${id}/publish`);
  const codes = [];
  for (let i = 0; i < 52; i++) {
    const client = await lead.post('/api/v1/clients', { nationality: 'SY' });
    assert.equal(client.status, 201, JSON.stringify(client.body));
    codes.push(client.body.code);
  }
  for (const code of codes.slice(0, 2)) {
    assert.equal((await lead.post(`/api/v1/events/${id}/registrations`, { client_code: code })).body.status, 'confirmed');
  }
  const answers = await Promise.all(codes.slice(2).map((code) =>
    lead.post(`/api/v1/events/${id}/registrations`, { client_code: code })));
  assert.ok(answers.every((a) => a.status === 201), JSON.stringify(answers.find((a) => a.status !== 201)?.body));
  const statuses = answers.map((a) => a.body.status);
  assert.equal(statuses.filter((s) => s === 'confirmed').length, 1);
  assert.equal(statuses.filter((s) => s === 'waitlisted').length, 49);
  assert.deepEqual(answers.filter((a) => a.body.status === 'waitlisted').map((a) => a.body.position).sort((x, y) => x - y),
    Array.from({ length: 49 }, (_, i) => i + 1));
  const view = (await lead.get(`/api/v1/events/${id}`)).body;
  assert.deepEqual([view.confirmed, view.waitlisted], [3, 49]);
  // An unknown client code is named; an advisor-kind registration of self is refused here.
  assert.deepEqual(errorFields(await lead.post(`/api/v1/events/${id}/registrations`, { client_code: 'NOPE-0000' })), ['client_code']);

  // Head counts (anonymous) for the workshop, visible in the reporting counts.
  let put = await lead.put(`/api/v1/events/${id}/head-counts`, { counts: [
    { language: 'ar', gender: 'female', count: 7 }, { language: 'ar', gender: 'male', count: 5 },
    { language: 'uk', gender: 'female', count: 3 }] });
  assert.equal(put.status, 204, JSON.stringify(put.body));
  put = await lead.put(`/api/v1/events/${id}/head-counts`, { counts: [{ language: 'xx', gender: 'female', count: -1 }] });
  assert.equal(put.status, 422);
  assert.deepEqual(errorFields(put).sort(), ['counts[0].count', 'counts[0].language']);
  const cc = await as(DEMO_USERS.competenceCentre);
  const month = day(30 * 1440).slice(0, 7);
  const report = (await cc.get(`/api/v1/events/report?from=${month}&to=${month}&state=BE`)).body;
  const heads = report.head_counts.filter((h) => h.organiser_centre_id === 'centre-be-1');
  assert.equal(heads.reduce((n, h) => n + h.count, 0), 15);
  assert.ok(report.rows.some((r) => r.kind === 'workshop' && r.registrations === 3 && r.waitlisted === 49));
  assert.equal((await (await as(DEMO_USERS.advisor)).get('/api/v1/events/report')).status, 403);
});

test('attendance, a certificate read back with pdftotext, public verification', async () => {
  const cc = await as(DEMO_USERS.competenceCentre);
  const res = await cc.post('/api/v1/events', training({
    title: 'Fortbildung Sozialrecht für Geflüchtete', capacity: 5, registration_deadline: day(0),
    sessions: [{ start: berlin(30), end: berlin(150), place: 'Kompetenzstelle' }],
  }));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const id = res.body.id;
  const sid = res.body.sessions[0].id;
  await cc.post(`/api/v1/events/${id}/publish`);
  const advisor = await as(DEMO_USERS.advisor);
  const bayern = await as(DEMO_USERS.advisorBayern);
  const a = (await advisor.post(`/api/v1/events/${id}/registrations`)).body;
  const b = (await bayern.post(`/api/v1/events/${id}/registrations`)).body;
  const put = await cc.put(`/api/v1/events/${id}/sessions/${sid}/attendance`, { marks: [
    { registration_id: a.id, status: 'attended' }, { registration_id: b.id, status: 'no_show' }] });
  assert.equal(put.status, 204, JSON.stringify(put.body));
  assert.equal((await advisor.put(`/api/v1/events/${id}/sessions/${sid}/attendance`, { marks: [] })).status, 403);
  const regs = (await cc.get(`/api/v1/events/${id}/registrations`)).body.items;
  assert.deepEqual(regs.map((r) => r.status), ['attended', 'no_show']);

  // The no-show gets no certificate; the attendee does (and the organiser may fetch it).
  assert.equal((await bayern.get(`/api/v1/events/${id}/registrations/${b.id}/certificate.pdf`)).status, 409);
  const cookie = [...advisor.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const pdf = await fetch(new URL(`/api/v1/events/${id}/registrations/${a.id}/certificate.pdf`, server.baseUrl),
    { headers: { Cookie: cookie } });
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  const number = pdf.headers.get('x-certificate-number');
  assert.match(number, /^FD-\d{4}-\d{6}$/);
  const file = join(dir, 'cert.pdf');
  writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString('utf8');
  assert.ok(text.includes('Bahar Yilmaz'), text);
  assert.ok(text.includes('Fortbildung Sozialrecht für Geflüchtete'), text);
  assert.ok(text.includes(number), text);
  const code = text.match(/Prüfcode \/ Verification code: ([A-Z2-7]{5}-[A-Z2-7]{5})/)?.[1];
  assert.ok(code, text);
  const check = await fetch(new URL(`/api/v1/public/certificates/${code}`, server.baseUrl));
  assert.equal(check.status, 200);
  const body = await check.json();
  assert.deepEqual([body.valid, body.number, body.name], [true, number, 'Bahar Yilmaz']);
  assert.equal((await fetch(new URL('/api/v1/public/certificates/AAAAA-AAAAA', server.baseUrl))).status, 404);
});

test('calendars: strict iCalendar, SEQUENCE on change, cancelled stays, revocable feed token', async () => {
  const cc = await as(DEMO_USERS.competenceCentre);
  const longTitle = 'Netzwerktreffen; Austausch, Erfahrungen — لقاء شبكة المستشارين حول حقوق العمال الموسميين في ألمانيا';
  const res = await cc.post('/api/v1/events', training({
    kind: 'networking_meeting', title: longTitle, capacity: 10,
    // The night the clocks go back (02:00-02:59 twice) is a valid time; the first one is meant.
    sessions: [{ start: `${day(40 * 1440)}T14:00`, end: `${day(40 * 1440)}T16:00`, place: 'Leipzig' },
      { start: `${nextOctoberChange()}T01:30`, end: `${nextOctoberChange()}T03:30`, online_url: 'https://meet.example.org/a' }],
  }));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const id = res.body.id;
  await cc.post(`/api/v1/events/${id}/publish`);
  let ics = await cc.get(`/api/v1/events/${id}/calendar.ics`);
  assert.equal(ics.status, 200);
  assert.match(ics.headers.get('content-type'), /^text\/calendar/);
  let events = strictIcs(ics.body);
  assert.equal(events.length, 2);
  const uid = events[0].getFirstPropertyValue('uid');
  const seq = events[0].getFirstPropertyValue('sequence');
  assert.ok(events.some((e) => e.getFirstPropertyValue('summary') === `${longTitle} (1/2)`));

  assert.equal((await cc.patch(`/api/v1/events/${id}`, { capacity: 12 })).status, 200);
  events = strictIcs((await cc.get(`/api/v1/events/${id}/calendar.ics`)).body);
  assert.equal(events[0].getFirstPropertyValue('uid'), uid, 'stable UID');
  assert.equal(events[0].getFirstPropertyValue('sequence'), seq + 1);

  // A personal feed by secret token (no session), then cancelled, then revoked.
  const advisor = await as(DEMO_USERS.advisor);
  await advisor.post(`/api/v1/events/${id}/registrations`);
  const feed = (await advisor.post('/api/v1/events/calendar-feed')).body;
  const anonymous = api(server.baseUrl);
  let got = await anonymous.get(feed.registrations_path);
  assert.equal(got.status, 200);
  assert.ok(strictIcs(got.body).some((e) => e.getFirstPropertyValue('uid') === uid));
  assert.equal((await cc.post(`/api/v1/events/${id}/cancel`, { reason: 'Raum fehlt' })).body.status, 'cancelled');
  got = await anonymous.get(feed.registrations_path);
  const cancelled = strictIcs(got.body).filter((e) => e.getFirstPropertyValue('uid') === uid);
  assert.equal(cancelled[0].getFirstPropertyValue('status'), 'CANCELLED');
  assert.equal(cancelled[0].getFirstPropertyValue('sequence'), seq + 2);
  assert.equal((await advisor.get('/api/v1/events/notifications')).body.items[0].kind, 'event_cancelled');
  strictIcs((await anonymous.get(feed.events_path)).body);
  await advisor.del('/api/v1/events/calendar-feed');
  assert.equal((await anonymous.get(feed.registrations_path)).status, 404);
  // The public feed needs no sign-in.
  const pub = await anonymous.get('/api/v1/public/events/calendar.ics');
  assert.equal(pub.status, 200);
  strictIcs(pub.body);
});

test('FAIRDESK_EVENTS_OFFER_HOURS sets how long new events hold an offered seat', async () => {
  const other = await startServer({ env: { FAIRDESK_EVENTS_OFFER_HOURS: '24' }, timeoutMs: 120_000 });
  try {
    const cc = api(other.baseUrl);
    await cc.loginOk(DEMO_USERS.competenceCentre);
    const res = await cc.post('/api/v1/events', training());
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.offer_hours, 24);
    const own = await cc.post('/api/v1/events', training({ offer_hours: 72 }));
    assert.equal(own.body.offer_hours, 72);
    assert.deepEqual(errorFields(await cc.post('/api/v1/events', training({ offer_hours: 0 }))), ['offer_hours']);
  } finally {
    await other.stop();
  }
});
