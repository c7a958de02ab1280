// Sign-in through the organisation's identity provider (issue 13): a real OpenID Provider (the
// certified `oidc-provider` package) on loopback and the real fairdesk binary, the whole
// authorization-code flow over HTTP including the provider's sign-in page. Runs on SQLite and,
// with FAIRDESK_TEST_DB_URL, on PostgreSQL.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { api, DEMO_USERS, fairdeskBinary, startServer } from '../lib/server.mjs';
import { startOidcProvider, followProvider } from '../lib/oidc-provider.mjs';

let server;
let idp;
let admin;
let redirectUri;

const CLIENT = { client_id: 'fairdesk', client_secret: 'fd-client-secret-0123456789' };
const OTHER = { client_id: 'other-app', client_secret: 'other-secret-0123456789' };

const RULES = [
  { claim: 'groups', value: 'fd-lead-be-1', role: 'centre_lead', centre_id: 'centre-be-1' },
  { claim: 'groups', value: 'fd-advisor-be-1', role: 'advisor', centre_id: 'centre-be-1' },
  { claim: 'groups', value: 'fd-coordinators-by', role: 'state_coordinator', state: 'BY' },
];

before(async () => {
  server = await startServer();
  redirectUri = `${server.baseUrl}/api/v1/oidc/callback`;
  idp = await startOidcProvider({
    client: { ...CLIENT, redirect_uris: [redirectUri] },
    otherClients: [{ ...OTHER, redirect_uris: ['http://127.0.0.1:9/other/callback'] }],
    accounts: {
      alice: { password: 'alice-pw', email: 'alice@idp.example', name: 'Alice Adler', groups: ['staff', 'fd-advisor-be-1'] },
      bob: { password: 'bob-pw', email: 'bob@idp.example', name: 'Bob Berg', groups: ['staff'] },
      carla: { password: 'carla-pw', email: 'carla@idp.example', name: 'Carla Conte', groups: ['fd-advisor-be-1'] },
      dora: { password: 'dora-pw', email: DEMO_USERS.advisorBayern, name: 'Dora', groups: ['fd-advisor-be-1'] },
    },
  });
  admin = api(server.baseUrl);
  await admin.loginOk(DEMO_USERS.admin);
});
after(async () => {
  await idp?.stop();
  await server?.stop();
});

/**
 * One browser's sign-in: starts at fairdesk, follows the redirects to the provider, fills its
 * sign-in form (when it asks), and stops at the redirect back to fairdesk's callback.
 * Answers { fd, callbackUrl } — the fairdesk client (cookies) and the callback URL, not yet called.
 */
async function toCallback(login, { fd = api(server.baseUrl), returnTo = '/cases', client = null } = {}) {
  let location;
  if (client) {
    // A sign-in of another application at the same provider (its own state, nonce and PKCE).
    location = `${idp.issuer}/auth?response_type=code&client_id=${client.client_id}&redirect_uri=${encodeURIComponent(client.redirect_uri)}` +
      `&scope=openid&state=other-state-123456&nonce=other-nonce-123456&code_challenge=${client.challenge}&code_challenge_method=S256`;
  } else {
    const started = await fd.get(`/api/v1/oidc/start?return_to=${encodeURIComponent(returnTo)}`);
    assert.equal(started.status, 302, JSON.stringify(started.body));
    location = started.headers.get('location');
    assert.ok(location.startsWith(`${idp.issuer}/auth?`), location);
    const q = new URL(location).searchParams;
    assert.equal(q.get('code_challenge_method'), 'S256');
    assert.ok(q.get('state').length >= 32 && q.get('nonce').length >= 32 && q.get('code_challenge').length === 43);
    assert.ok(fd.cookies.has('fd_oidc'), 'the attempt is bound to this browser');
  }
  return { fd, callbackUrl: await followProvider(idp.issuer, location, login) };
}

/** Calls the callback in the browser's fairdesk client; answers where fairdesk sends it. */
async function finish({ fd, callbackUrl }) {
  const u = new URL(callbackUrl);
  const res = await fd.get(u.pathname + u.search);
  assert.equal(res.status, 302, JSON.stringify(res.body));
  return res.headers.get('location');
}

async function signIn(login, options) {
  const step = await toCallback(login, options);
  const landed = await finish(step);
  return { ...step, landed };
}

test('settings: admins only, validated field by field, the secret is never shown', async () => {
  const advisor = api(server.baseUrl);
  await advisor.loginOk(DEMO_USERS.advisor);
  assert.equal((await advisor.get('/api/v1/settings/oidc')).status, 403);
  assert.equal((await advisor.put('/api/v1/settings/oidc', { enabled: false })).status, 403);

  assert.deepEqual((await api(server.baseUrl).get('/api/v1/oidc')).body, { enabled: false, label: '' });
  const start = await api(server.baseUrl).get('/api/v1/oidc/start');
  assert.equal(start.status, 302);
  assert.match(start.headers.get('location'), /^\/login\?oidc_error=/);

  const bad = await admin.put('/api/v1/settings/oidc', {
    enabled: true, label: 'Testorg', issuer: 'http://idp.example.org', client_id: CLIENT.client_id,
    client_secret: CLIENT.client_secret, rules: [{ value: 'x', role: 'advisor', centre_id: 'no-such-centre' }, { value: 'y', role: 'state_coordinator' }],
  });
  assert.equal(bad.status, 422, JSON.stringify(bad.body));
  const fields = bad.body.errors.map((e) => e.field).sort();
  assert.deepEqual(fields, ['issuer', 'rules/0/centre_id', 'rules/1/state']);
  assert.equal((await admin.get('/api/v1/settings/oidc')).body.enabled, false, 'nothing changed');
  const unknownField = await admin.put('/api/v1/settings/oidc', { enabled: false, colour: 'red' });
  assert.equal(unknownField.status, 422);

  const ok = await admin.put('/api/v1/settings/oidc', {
    enabled: true, label: 'Testorg', issuer: idp.issuer, client_id: CLIENT.client_id,
    client_secret: CLIENT.client_secret, auth_method: 'client_secret_basic', scopes: 'openid email profile groups', rules: RULES,
    session_minutes: 60,
  });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.client_secret_set, true);
  assert.equal(ok.body.redirect_uri, redirectUri);
  const shown = await admin.get('/api/v1/settings/oidc');
  assert.ok(!JSON.stringify(shown.body).includes(CLIENT.client_secret), 'the secret is never answered');
  assert.deepEqual(shown.body.rules.map((r) => r.value), RULES.map((r) => r.value));
  // Saving without a secret keeps the stored one.
  const again = await admin.put('/api/v1/settings/oidc', { ...shown.body, client_secret_set: undefined, redirect_uri: undefined });
  assert.equal(again.status, 200, JSON.stringify(again.body));
  assert.equal(again.body.client_secret_set, true);
  const audit = await admin.get('/api/v1/audit?record_type=oidc_settings');
  assert.equal(audit.status, 200, JSON.stringify(audit.body));
  assert.equal(audit.body.items.length, 2, 'both saves audited, the refused ones not');
  assert.deepEqual((await api(server.baseUrl).get('/api/v1/oidc')).body, { enabled: true, label: 'Testorg' });
});

test('first sign-in provisions the account by its mapping and lands on the page asked for; the next one follows a changed group', async () => {
  const { fd, landed } = await signIn('alice', { returnTo: '/cases?status=open' });
  assert.equal(landed, '/cases?status=open');
  assert.ok(!fd.cookies.has('fd_oidc'), 'the attempt cookie is cleared');
  const me = await fd.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.user.role, 'advisor');
  assert.equal(me.body.user.centre_id, 'centre-be-1');
  assert.equal(me.body.user.email, 'alice@idp.example');
  assert.equal(me.body.user.display_name, 'Alice Adler');
  assert.equal(me.body.totp_enrolment_required, false);
  // A signed-in OIDC user works like any other (CSRF token from /me).
  assert.equal((await fd.get('/api/v1/cases')).status, 200);
  const userId = me.body.user.id;

  // The provider moves Alice into the lead group: role follows at the next sign-in, audited.
  idp.setGroups('alice', ['fd-lead-be-1']);
  const second = await signIn('alice');
  assert.equal(second.landed, '/cases');
  const me2 = await second.fd.get('/api/v1/me');
  assert.equal(me2.body.user.id, userId, 'the same account: linked by sub');
  assert.equal(me2.body.user.role, 'centre_lead');
  const audit = await admin.get(`/api/v1/audit?record_type=user&record_id=${userId}`);
  assert.deepEqual(audit.body.items.map((e) => e.action).sort(), ['create', 'update']);
  idp.setGroups('alice', ['fd-advisor-be-1']);

  // The sign-in is a security event; no password works for a provisioned account.
  const events = await admin.get('/api/v1/security-events');
  assert.ok(events.body.items.some((e) => e.event === 'sign_in' && e.user_id === userId && e.detail === 'oidc'));
  const local = await api(server.baseUrl).login('alice@idp.example', '!oidc');
  assert.equal(local.status, 401);
});

test('no matching rule and an e-mail address of a local account are refused with a clear code', async () => {
  const bob = await signIn('bob');
  assert.equal(bob.landed, '/login?oidc_error=oidc-no-mapping');
  assert.equal((await bob.fd.get('/api/v1/me')).status, 401);
  const dora = await signIn('dora');
  assert.equal(dora.landed, '/login?oidc_error=oidc-email-taken', 'never linked by e-mail alone');
  assert.equal((await dora.fd.get('/api/v1/me')).status, 401);

  // The operator links the existing account to her identity; then she signs in with it, into
  // the same account, and her role and centre follow the mapping.
  const local = api(server.baseUrl);
  const before = await local.loginOk(DEMO_USERS.advisorBayern);
  const fairdesk = (...args) => spawnSync(fairdeskBinary(), ['--db', server.db, 'user', 'link-oidc', ...args], { encoding: 'utf8' });
  const linked = fairdesk('--email', DEMO_USERS.advisorBayern, '--issuer', idp.issuer, '--subject', 'dora');
  assert.equal(linked.status, 0, linked.stderr);
  const twice = fairdesk('--email', DEMO_USERS.admin, '--issuer', idp.issuer, '--subject', 'dora');
  assert.equal(twice.status, 1);
  assert.match(twice.stderr, /linked to an account already/);
  const dora2 = await signIn('dora');
  assert.equal(dora2.landed, '/cases');
  const me = (await dora2.fd.get('/api/v1/me')).body.user;
  assert.equal(me.id, before.id);
  assert.equal(me.centre_id, 'centre-be-1', 'the mapping rule placed her');
  assert.equal((await api(server.baseUrl).login(DEMO_USERS.advisorBayern)).status, 200, 'her password still works');
});

test('state: a changed state, another browser and a replayed callback are refused; a code of another attempt or client too', async () => {
  // Changed state.
  const a = await toCallback('carla');
  const tampered = new URL(a.callbackUrl);
  tampered.searchParams.set('state', `${tampered.searchParams.get('state').slice(0, -2)}xx`);
  assert.equal(await finish({ fd: a.fd, callbackUrl: tampered.href }), '/login?oidc_error=oidc-state');

  // The right callback in another browser (no attempt cookie): login CSRF refused.
  const b = await toCallback('carla');
  assert.equal(await finish({ fd: api(server.baseUrl), callbackUrl: b.callbackUrl }), '/login?oidc_error=oidc-state');
  // That used the attempt up: the right browser cannot use it afterwards either.
  assert.equal(await finish(b), '/login?oidc_error=oidc-state');

  // A successful callback replayed: the attempt is gone.
  const c = await toCallback('carla');
  assert.equal(await finish(c), '/cases');
  assert.equal(await finish({ fd: c.fd, callbackUrl: c.callbackUrl }), '/login?oidc_error=oidc-state');

  // Code injection: the code of another browser's attempt delivered with this browser's valid
  // state: the provider refuses it, because fairdesk sends this attempt's PKCE verifier.
  const fd = api(server.baseUrl);
  const d = await toCallback('carla', { fd });
  const e = await toCallback('carla');
  const injected = new URL(d.callbackUrl);
  injected.searchParams.set('code', new URL(e.callbackUrl).searchParams.get('code'));
  assert.equal(await finish({ fd, callbackUrl: injected.href }), '/login?oidc_error=oidc-token');
  assert.equal((await fd.get('/api/v1/me')).status, 401);

  // A code the provider issued to another client, with a valid fairdesk state of this browser:
  // the provider refuses to exchange it for fairdesk (wrong client, wrong PKCE verifier).
  const fd2 = api(server.baseUrl);
  const own = await toCallback('carla', { fd: fd2 });
  const other = await toCallback('carla', {
    client: { ...OTHER, redirect_uri: 'http://127.0.0.1:9/other/callback', challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' },
  });
  const otherCode = new URL(other.callbackUrl).searchParams.get('code');
  assert.ok(otherCode);
  const mixed = new URL(own.callbackUrl);
  mixed.searchParams.set('code', otherCode);
  assert.equal(await finish({ fd: fd2, callbackUrl: mixed.href }), '/login?oidc_error=oidc-token');
  assert.equal((await fd2.get('/api/v1/me')).status, 401);
});

test('key rotation: the provider signs with a new key and sign-in goes on working', async () => {
  const jwksFetches = () => idp.requests.filter((r) => r.startsWith('GET /jwks')).length;
  assert.equal((await signIn('carla')).landed, '/cases');
  const before = jwksFetches();
  const oldKid = idp.kids()[0];
  await idp.rotateKeys();
  assert.notEqual(idp.kids()[0], oldKid);
  const rotated = await signIn('carla');
  assert.equal(rotated.landed, '/cases', 'signed with the new key');
  assert.equal(jwksFetches(), before + 1, 'the key set was fetched again for the unknown key');
  await idp.dropOldKeys();
  assert.equal((await signIn('carla')).landed, '/cases');
  assert.equal((await (await signIn('carla')).fd.get('/api/v1/me')).body.user.role, 'advisor');
});

test('an account the provider disables cannot sign in; local accounts keep working, also with the provider down', async () => {
  assert.equal((await signIn('carla')).landed, '/cases');
  idp.setEnabled('carla', false);
  const refused = await signIn('carla');
  assert.equal(refused.landed, '/login?oidc_error=oidc-denied');
  assert.equal((await refused.fd.get('/api/v1/me')).status, 401);
  idp.setEnabled('carla', true);

  const local = api(server.baseUrl);
  assert.equal((await local.loginOk(DEMO_USERS.advisor)).role, 'advisor');
  await idp.stop();
  // A sign-in started now cannot finish: the callback's token request finds no provider.
  const down = await api(server.baseUrl).get('/api/v1/oidc/start');
  assert.equal(down.status, 302);
  const adminAgain = api(server.baseUrl);
  assert.equal((await adminAgain.loginOk(DEMO_USERS.admin)).role, 'admin', 'the admin signs in locally with the provider down');
  idp = null;
});
