// Request bodies of sign-in, the own account and user administration declared once (issue 7,
// platform/core/body.hpp): bad input is a 422 problem+json naming every field and changes
// nothing; the OpenAPI document shows the schema that validates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertInvalid, requestSchemas } from '../lib/bodies.mjs';
import { startServer, api, DEMO_USERS, DEMO_PASSWORD } from '../lib/server.mjs';

let server;

before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

test('sign-in: the proof of work and the code are checked like every other field', async () => {
  const c = api(server.baseUrl);
  const credentials = { email: DEMO_USERS.advisor, password: DEMO_PASSWORD };
  assertInvalid(await c.post('/api/v1/session', { ...credentials, proof: 'x' }), ['proof']);
  assertInvalid(await c.post('/api/v1/session', { ...credentials, proof: { challenge: 'c', x: 1 } }), ['proof.nonce', 'proof.x']);
  assertInvalid(await c.post('/api/v1/session', { ...credentials, proof: { challenge: '', nonce: 7 } }),
    ['proof.challenge', 'proof.nonce']);
  assertInvalid(await c.post('/api/v1/session', { email: `${DEMO_USERS.advisor}\n`, password: DEMO_PASSWORD, totp: 123456 }),
    ['email', 'totp']);
  assert.equal(c.cookies.size, 0, 'nobody signed in');
  // Optional members may be null.
  const res = await c.post('/api/v1/session', { ...credentials, totp: null, proof: null });
  assert.equal(res.status, 200, JSON.stringify(res.body));
});

test('own account: language, password change and second factor refuse bad bodies, nothing changed', async () => {
  const c = api(server.baseUrl);
  const before = await c.loginOk(DEMO_USERS.programme);
  assertInvalid(await c.patch('/api/v1/me', {}), ['language']);
  assertInvalid(await c.patch('/api/v1/me', { language: 'fr', theme: 'dark' }), ['language', 'theme']);
  assert.deepEqual((await c.get('/api/v1/me')).body.user, before, 'nothing changed');

  assertInvalid(await c.post('/api/v1/me/password', { current_password: 42, new_password: 'short' }),
    ['current_password', 'new_password']);
  assertInvalid(await c.post('/api/v1/me/password', { new_password: 'a fresh passphrase', x: 1 }), ['current_password', 'x']);
  await api(server.baseUrl).loginOk(DEMO_USERS.programme, DEMO_PASSWORD);

  assertInvalid(await c.post('/api/v1/me/totp/confirm', { code: 123456 }), ['code']);
  assertInvalid(await c.post('/api/v1/me/totp/confirm', { code: '123456', secret: 'x' }), ['secret']);
  assertInvalid(await c.del('/api/v1/me/totp', { password: [DEMO_PASSWORD], code: '' }), ['password', 'code']);
  assert.deepEqual((await c.get('/api/v1/me')).body.user, before, 'nothing changed');
});

test('password reset: request and confirmation refuse bad bodies', async () => {
  const c = api(server.baseUrl);
  assertInvalid(await c.post('/api/v1/password-reset', {}), ['email']);
  assertInvalid(await c.post('/api/v1/password-reset', { email: 42, user: 'x' }), ['email', 'user']);
  assertInvalid(await c.post('/api/v1/password-reset/confirm', { new_password: 'short' }), ['token', 'new_password']);
  assertInvalid(await c.post('/api/v1/password-reset/confirm', { token: 't'.repeat(101), new_password: 'a fresh passphrase' }),
    ['token']);
  assertInvalid(await c.post('/api/v1/password-reset/confirm', { token: 'x', new_password: 'a fresh passphrase', email: 'x' }),
    ['email']);
});

test('user administration: bad bodies are 422 naming the field, nobody created or changed', async () => {
  const admin = api(server.baseUrl);
  await admin.loginOk(DEMO_USERS.admin);
  const email = `body.probe.${Date.now()}@example.org`;
  assertInvalid(await admin.post('/api/v1/users', { email, role: 'boss', state: 'BER', language: 'fr', password: 'short', x: 1 }),
    ['display_name', 'role', 'state', 'language', 'password', 'x']);
  assertInvalid(await admin.post('/api/v1/users', { email: 7, display_name: ['X'], role: 'programme', centre_id: '' }),
    ['email', 'display_name', 'centre_id']);
  const listed = async () => {
    const items = [];
    let cursor = '';
    do {
      const page = (await admin.get(`/api/v1/users?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).body;
      items.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    return items;
  };
  assert.ok(!(await listed()).some((u) => u.email === email), 'nobody created');

  const advisor = (await listed()).find((u) => u.email === DEMO_USERS.advisor);
  assertInvalid(await admin.patch(`/api/v1/users/${advisor.id}`, { disabled: 'yes', role: 'boss', state: 'B', display_name: '', x: 1 }),
    ['disabled', 'role', 'state', 'display_name', 'x']);
  const after = (await admin.get(`/api/v1/users/${advisor.id}`)).body.user;
  assert.deepEqual(after, advisor, 'nothing changed');
});

test('OpenAPI: the auth request schemas come from the declarations that validate', async () => {
  const schema = await requestSchemas(server.baseUrl);

  const signIn = schema('/api/v1/session', 'post');
  assert.deepEqual(signIn.required, ['email', 'password']);
  assert.equal(signIn.additionalProperties, false);
  assert.deepEqual(signIn.properties.proof.required, ['challenge', 'nonce']);
  assert.match(signIn.properties.proof.description, /proof-of-work-required/);
  assert.match(signIn.properties.totp.description, /recovery code/);

  for (const [path, method, field] of [['/api/v1/me/password', 'post', 'new_password'],
    ['/api/v1/password-reset/confirm', 'post', 'new_password'], ['/api/v1/users', 'post', 'password']]) {
    assert.equal(schema(path, method).properties[field].minLength, 12, `${method} ${path}`);
    assert.equal(schema(path, method).properties[field].maxLength, 1000, `${method} ${path}`);
  }
  assert.deepEqual(schema('/api/v1/me', 'patch').properties.language.enum, ['de', 'en']);
  assert.deepEqual(schema('/api/v1/users', 'post').required, ['email', 'display_name', 'role']);
  const patchUser = schema('/api/v1/users/{id}', 'patch');
  assert.equal(patchUser.required, undefined);
  assert.deepEqual(patchUser.properties.centre_id.type, ['string', 'null']);
  assert.deepEqual(patchUser.properties.state.type, ['string', 'null']);
});
