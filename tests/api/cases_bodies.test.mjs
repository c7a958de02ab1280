// Request bodies of the case work declared once (issue 7, platform/core/body.hpp): bad input on
// intake routing, clients, deadlines, escalations and their messages is a 422 problem+json that
// names every field and changes nothing; the OpenAPI document shows the schema that validates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertInvalid, requestSchemas } from '../lib/bodies.mjs';
import { startServer, DEMO_USERS, signedIn } from '../lib/server.mjs';

let server;
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());

const as = (email) => signedIn(server.baseUrl, email);

async function newCase(c) {
  const client = (await c.post('/api/v1/clients', { nationality: 'SY' })).body;
  const k = (await c.post('/api/v1/cases', { client_id: client.id, topics: ['wages'] })).body;
  return { client, k };
}

before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

test('intake routing: wrong types, unknown and missing fields are 422 naming each field', async () => {
  const c = await as(DEMO_USERS.advisor);
  assertInvalid(await c.post('/api/v1/intake/route', { nationality: 12, topics: 'wages', flags: ['nope'], x: 1 }),
    ['nationality', 'topics', 'flags[0]', 'x']);
  assertInvalid(await c.post('/api/v1/intake/route', { postcode: 10115 }), ['nationality', 'topics', 'postcode']);
  assertInvalid(await c.post('/api/v1/intake/route', { nationality: 'SY', topics: [] }), ['topics']);
  assertInvalid(await c.post('/api/v1/intake/route', { nationality: 'SY', topics: ['wages'], postcode: '1O115' }), ['postcode']);
  assertInvalid(await c.post('/api/v1/intake/route', ['SY']), ['(body)']);
  assert.equal((await c.post('/api/v1/intake/route', '{"nationality":')).status, 400);
  // A postcode may be null (not asked), flags may be left out.
  const res = await c.post('/api/v1/intake/route', { nationality: 'SY', topics: ['wages'], postcode: null });
  assert.equal(res.status, 200, JSON.stringify(res.body));
});

test('clients: bad input on registering and changing is 422 naming the field, nothing stored', async () => {
  const c = await as(DEMO_USERS.advisor);
  const name = `Body Probe ${Date.now()}`;
  assertInvalid(await c.post('/api/v1/clients', {
    name, birth_year: '1990', abroad: 'yes', languages: 'ar', phone: 'call me', email: 'nobody', consents: 'yes',
    residence_status: 'tourist', employer: '', unknown: 1,
  }), ['birth_year', 'abroad', 'languages', 'phone', 'email', 'consents', 'residence_status', 'employer', 'unknown']);
  assertInvalid(await c.post('/api/v1/clients', { name, languages: ['xx1', 'ar'], consents: { storage: true, x: 1 } }),
    ['languages[0]', 'consents.x']);
  assertInvalid(await c.post('/api/v1/clients', { name, consents: { contact: true } }), ['consents.date']);
  assertInvalid(await c.post('/api/v1/clients', { name, name_2: 'x', gender: null }), ['name_2', 'gender']);
  assert.equal((await c.get(`/api/v1/clients?q=${encodeURIComponent(name)}`)).body.items.length, 0, 'nothing registered');

  // The birth year follows from a birth date where none is recorded.
  let res = await c.post('/api/v1/clients', { name, birth_date: '1990-05-01', consents: { storage: true, date: today } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const client = res.body;
  assert.equal(client.birth_year, 1990);
  assert.equal(client.consents.date, today);
  assert.deepEqual((await c.get(`/api/v1/clients?q=${encodeURIComponent(name)}`)).body.items.map((x) => x.id), [client.id]);

  const etag = (await c.get(`/api/v1/clients/${client.id}`)).headers.get('etag');
  assertInvalid(await c.patch(`/api/v1/clients/${client.id}`, { gender: null, birth_year: 3000, sector: 'Z', x: 1 }),
    ['gender', 'birth_year', 'sector', 'x']);
  assertInvalid(await c.patch(`/api/v1/clients/${client.id}`, { consents: { storage: 'yes' } }), ['consents.storage']);
  res = await c.get(`/api/v1/clients/${client.id}`);
  assert.equal(res.headers.get('etag'), etag, 'nothing changed');
  assert.equal(res.body.birth_year, 1990);

  // Clearing the birth year leaves it cleared: the stored birth date does not bring it back.
  res = await c.patch(`/api/v1/clients/${client.id}`, { birth_year: null, consents: { contact: true } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.birth_year, null);
  assert.equal(res.body.consents.contact, true);
  assert.equal(res.body.consents.date, today);
});

test('deadlines: bad input is 422 naming the field (also inside source), nothing added', async () => {
  const c = await as(DEMO_USERS.advisor);
  const { k } = await newCase(c);
  const url = `/api/v1/cases/${k.id}/deadlines`;
  assertInvalid(await c.post(url, { note: 42, done: 'yes', confirm_past: 1, x: 1 }),
    ['kind', 'due_date', 'note', 'done', 'confirm_past', 'x']);
  assertInvalid(await c.post(url, { kind: 'someday', due_date: '31.12.2030' }), ['kind', 'due_date']);
  assertInvalid(await c.post(url, { kind: 'other', due_date: '2030-12-31', source: { input: {}, x: 1 } }),
    ['source.calculator', 'source.x']);
  assertInvalid(await c.post(url, { kind: 'other', due_date: '2030-12-31', source: { calculator: 'limitation' } }),
    ['source.input']);
  assertInvalid(await c.post(url, { kind: 'other', due_date: '2030-12-31', source: { calculator: 'limitation', input: [1] } }),
    ['source.input']);
  assert.equal((await c.get(url)).body.items.length, 0, 'nothing added');
  const res = await c.post(url, { kind: 'other', due_date: '2030-12-31', note: null });
  assert.equal(res.status, 201, JSON.stringify(res.body));
});

test('escalations and their messages: bad input is 422 naming the field, nothing added', async () => {
  const c = await as(DEMO_USERS.advisor);
  const { k } = await newCase(c);
  const url = `/api/v1/cases/${k.id}/escalations`;
  assertInvalid(await c.post(url, { question: 42, x: 1 }), ['summary', 'question', 'x']);
  assertInvalid(await c.post(url, { summary: '', question: 'q'.repeat(4001) }), ['summary', 'question']);
  assert.equal((await c.get(`/api/v1/cases/${k.id}`)).body.escalations.length, 0, 'nothing escalated');

  let res = await c.post(url, { summary: 'Lohn fehlt seit zwei Monaten\nArbeitgeber antwortet nicht', question: 'Klage?' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const esc = res.body;
  const messages = `/api/v1/escalations/${esc.id}/messages`;
  assertInvalid(await c.post(messages, { text: 'hallo' }), ['body', 'text']);
  assertInvalid(await c.post(messages, { body: ['hallo'] }), ['body']);
  assertInvalid(await c.post(messages, { body: 'x'.repeat(10001) }), ['body']);
  assert.equal((await c.get(`/api/v1/escalations/${esc.id}`)).body.messages.length, 0, 'no message added');
  res = await c.post(messages, { body: 'Nachtrag:\nDer Vertrag liegt vor.' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
});

test('OpenAPI: the request schemas come from the declarations that validate', async () => {
  const schema = await requestSchemas(server.baseUrl);

  const intake = schema('/api/v1/intake/route', 'post');
  assert.deepEqual(intake.required, ['nationality', 'topics']);
  assert.equal(intake.additionalProperties, false);
  assert.equal(intake.properties.topics.minItems, 1);
  assert.deepEqual(intake.properties.postcode.type, ['string', 'null']);

  for (const method of ['post', 'patch']) {
    const client = schema(method === 'post' ? '/api/v1/clients' : '/api/v1/clients/{id}', method);
    assert.equal(client.additionalProperties, false);
    assert.equal(client.required, undefined);
    assert.ok(client.properties.residence_status.enum.includes(null));
    assert.equal(client.properties.birth_year.minimum, 1900);
    assert.equal(client.properties.consents.properties.date.format, 'date');
    assert.equal(client.properties.consents.additionalProperties, false);
    assert.equal(client.properties.safe_contact.maxLength, 2000);
  }

  const deadline = schema('/api/v1/cases/{id}/deadlines', 'post');
  assert.deepEqual(deadline.required, ['kind', 'due_date']);
  assert.deepEqual(deadline.properties.source.required, ['calculator', 'input']);
  assert.deepEqual(deadline.properties.source.properties.input.type, 'object');
  assert.equal(schema('/api/v1/deadlines/{id}', 'patch').required, undefined);

  const escalation = schema('/api/v1/cases/{id}/escalations', 'post');
  assert.deepEqual(escalation.required, ['summary', 'question']);
  assert.equal(escalation.properties.summary.maxLength, 4000);
  const message = schema('/api/v1/escalations/{id}/messages', 'post');
  assert.deepEqual(message.required, ['body']);
  assert.equal(message.properties.body.maxLength, 10000);
});
