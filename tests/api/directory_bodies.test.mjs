// Request bodies of the admin's directory writes declared once (platform/core/body.hpp): bad input
// on organisations, advice centres and their locations is a 422 problem+json that names every
// field and changes nothing; the OpenAPI document shows the schema that validates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertInvalid, requestSchemas } from '../lib/bodies.mjs';
import { startServer, api, DEMO_USERS } from '../lib/server.mjs';

let server;
let admin;

const address = { street: 'Beispielweg 1', postcode: '10115', city: 'Berlin' };

before(async () => {
  server = await startServer();
  admin = api(server.baseUrl);
  await admin.loginOk(DEMO_USERS.admin);
});
after(async () => {
  await server?.stop();
});

test('organisations: wrong types, unknown and missing fields are 422 naming each field, nothing stored', async () => {
  const name = `Träger Probe ${Date.now()}`;
  assertInvalid(await admin.post('/api/v1/organisations', { kind: 'club', name: 7, state: 'XX', website: 'ftp://x', x: 1 }),
    ['kind', 'name', 'short_name', 'state', 'website', 'x']);
  assertInvalid(await admin.post('/api/v1/organisations', { id: '-bad', kind: 'provider', name, short_name: 'TP', demo: 'no' }),
    ['id', 'demo']);
  assertInvalid(await admin.post('/api/v1/organisations', { kind: 'provider', name, short_name: '', description: null, parent_id: '' }),
    ['short_name', 'parent_id']);
  assertInvalid(await admin.post('/api/v1/organisations', [name]), ['(body)']);
  assert.equal((await admin.post('/api/v1/organisations', '{"kind":')).status, 400);
  const listed = (await admin.get('/api/v1/organisations')).body.items;
  assert.equal(listed.filter((o) => o.name === name).length, 0, 'nothing created');

  const id = `tp-${Date.now()}`;
  const created = await admin.post('/api/v1/organisations', {
    id, kind: 'provider', name, short_name: 'TP', description: 'Zwei Zeilen\nBeschreibung', website: 'https://tp.example.org',
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.id, id);

  // A change names the fields sent; the id is not one of them.
  assertInvalid(await admin.patch(`/api/v1/organisations/${id}`, { id: 'other', name: null, state: 'BE', website: 'no' }),
    ['id', 'name', 'website']);
  let now = await admin.get(`/api/v1/organisations/${id}`);
  assert.equal(now.body.name, name, 'nothing changed');
  assert.equal(now.body.state, null);
  const changed = await admin.patch(`/api/v1/organisations/${id}`, { state: 'BE', website: null });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  now = await admin.get(`/api/v1/organisations/${id}`);
  assert.equal(now.body.state, 'BE');
  assert.equal(now.body.website, null, 'null clears an optional field');
  assert.equal(now.body.short_name, 'TP', 'fields not sent are kept');
});

test('advice centres: nested address, opening hours and postcode ranges are named by their path', async () => {
  assertInvalid(await admin.post('/api/v1/centres', {
    name: 'Probe', state: 'BE', provider: 'P', languages: ['de'], channels: ['phone'],
    address: { street: '', postcode: '1011', town: 'Berlin' },
    opening_hours: [{ days: 'Mo', from: '9:00', to: '17:00' }, { days: 'Di', from: '17:00', to: '19:00', x: 1 }],
    postcode_ranges: [{ from: '10000', to: '0999' }],
    phone: 'call me', email: 'nobody', id: 'mine',
  }), ['address.street', 'address.postcode', 'address.city', 'address.town', 'opening_hours[0].from',
    'opening_hours[1].x', 'postcode_ranges[0].to', 'phone', 'email', 'id']);
  // Rules across the fields of an item are checked once every field before them reads well.
  const centre = { name: 'Probe', state: 'BE', provider: 'P', languages: ['de'], channels: ['phone'], address };
  assertInvalid(await admin.post('/api/v1/centres', {
    ...centre, opening_hours: [{ days: 'Mo', from: '09:00', to: '17:00' }, { days: 'Di', from: '17:00', to: '09:00' }],
  }), ['opening_hours[1].to']);
  assertInvalid(await admin.post('/api/v1/centres', {
    ...centre, postcode_ranges: [{ from: '10000', to: '10999' }, { from: '12000', to: '11000' }],
  }), ['postcode_ranges[1].to']);
  assertInvalid(await admin.post('/api/v1/centres', { name: 'Probe', languages: ['deu1', 'de'], channels: ['pigeon'], address: null }),
    ['state', 'provider', 'address', 'languages[0]', 'channels[0]']);
  assertInvalid(await admin.post('/api/v1/centres', { kind: 'office', name: 'Probe', state: 'BE', provider: 'P', address, languages: 'de', channels: [],
    opening_hours: Array.from({ length: 15 }, () => ({ days: 'Mo', from: '09:00', to: '10:00' })) }),
  ['kind', 'languages', 'opening_hours']);
  const before = await admin.get('/api/v1/centres/centre-be-1');
  assert.equal(before.status, 200);

  // A change: only the fields sent, address fields one by one; null for a required field is refused.
  assertInvalid(await admin.patch('/api/v1/centres/centre-be-1', {
    address: { postcode: 'abcde' }, name: null, network_id: 5, opening_hours: [{ days: 'Mo' }],
  }), ['address.postcode', 'name', 'network_id', 'opening_hours[0].from', 'opening_hours[0].to']);
  assertInvalid(await admin.patch('/api/v1/centres/centre-be-1', { address: null, id: 'x' }), ['address', 'id']);
  assert.deepEqual((await admin.get('/api/v1/centres/centre-be-1')).body, before.body, 'nothing changed');

  const res = await admin.patch('/api/v1/centres/centre-be-1', { address: { street: 'Neue Straße 2' } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const after = (await admin.get('/api/v1/centres/centre-be-1')).body;
  assert.deepEqual(after.address, { ...before.body.address, street: 'Neue Straße 2' }, 'postcode and city not sent are kept');
  assert.equal(after.name, before.body.name);
});

test('locations: bad input on adding and changing is 422 naming the field, nothing stored', async () => {
  const name = `Probe ${Date.now()}`;
  assertInvalid(await admin.post('/api/v1/centres/centre-be-1/locations', {
    id: 'Bad Id', name, address: { ...address, postcode: 10115 }, languages: ['de'], channels: ['phone'], phone: 5, x: 1,
  }), ['id', 'address.postcode', 'phone', 'x']);
  assertInvalid(await admin.post('/api/v1/centres/centre-be-1/locations', { name }), ['address', 'languages', 'channels']);
  const locations = async () => (await admin.get('/api/v1/centres/centre-be-1/locations')).body.items;
  assert.equal((await locations()).filter((l) => l.name === name).length, 0, 'nothing added');

  const id = `probe-${Date.now()}`;
  const created = await admin.post('/api/v1/centres/centre-be-1/locations', {
    id, name, address, languages: ['de', 'ar'], channels: ['in_person'], opening_hours: [{ days: 'Mo–Fr', from: '09:00', to: '16:00' }],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.id, id);

  assertInvalid(await admin.patch(`/api/v1/centres/centre-be-1/locations/${id}`, { id: 'other', languages: null, channels: ['fax'] }),
    ['id', 'languages', 'channels[0]']);
  assertInvalid(await admin.patch(`/api/v1/centres/centre-be-1/locations/${id}`, { opening_hours: [{ days: 'Mo', from: '10:00', to: '09:00' }] }),
    ['opening_hours[0].to']);
  const stored = (await locations()).find((l) => l.id === id);
  assert.deepEqual(stored.languages, ['de', 'ar'], 'nothing changed');
  const changed = await admin.patch(`/api/v1/centres/centre-be-1/locations/${id}`, { phone: '+49 30 1234', opening_hours: [] });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  const now = (await locations()).find((l) => l.id === id);
  assert.equal(now.phone, '+49 30 1234');
  assert.deepEqual(now.opening_hours, []);
  assert.equal(now.name, name, 'fields not sent are kept');
});

test('the OpenAPI document shows the directory bodies as they are read', async () => {
  const schema = await requestSchemas(server.baseUrl);
  const centre = schema('/api/v1/centres', 'post');
  assert.deepEqual(centre.required, ['name', 'state', 'provider', 'address', 'languages', 'channels']);
  assert.equal(centre.additionalProperties, false);
  assert.deepEqual(centre.properties.address.required, ['street', 'postcode', 'city']);
  assert.equal(centre.properties.address.additionalProperties, false);
  assert.equal(centre.properties.opening_hours.maxItems, 14);
  assert.deepEqual(centre.properties.website.type, ['string', 'null']);
  const centrePatch = schema('/api/v1/centres/{id}', 'patch');
  assert.equal(centrePatch.required, undefined);
  assert.equal(centrePatch.properties.address.required, undefined);

  const org = schema('/api/v1/organisations', 'post');
  assert.deepEqual(org.required, ['kind', 'name', 'short_name']);
  assert.ok(org.properties.id, 'an id may be chosen when creating');
  assert.equal(schema('/api/v1/organisations/{id}', 'patch').properties.id, undefined, 'but not changed');

  const location = schema('/api/v1/centres/{id}/locations', 'post');
  assert.deepEqual(location.required, ['name', 'address', 'languages', 'channels']);
  assert.equal(location.properties.languages.maxItems, 40);
  assert.equal(schema('/api/v1/centres/{id}/locations/{location_id}', 'patch').properties.id, undefined);
});
