// Sign-in through the organisation's identity provider on two app servers sharing one PostgreSQL
// database (issue 13): settings saved through one server take effect on the other without a
// restart. Each server caches the provider's discovery document and keys for up to an hour; a
// save sends NOTIFY, and the other server drops its copy at once. The test makes the cached copy
// wrong (the provider moves its endpoints under the same issuer), saves a new role mapping through
// server A and waits, bounded by a deadline, until server B sends browsers to the new endpoint;
// then a sign-in through B follows the new mapping, and disabling through A disables B.
// Runs with FAIRDESK_TEST_DB_URL (PostgreSQL; on SQLite one process serves and there is nothing
// to tell).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTwoServers, api, DEMO_USERS } from '../lib/server.mjs';
import { startOidcProvider, followProvider } from '../lib/oidc-provider.mjs';
import { waitUntil } from '../lib/wait.mjs';

const CLIENT = { client_id: 'fairdesk', client_secret: 'fd-client-secret-0123456789' };

/** A browser's sign-in through `server` at `idp` as `login`; answers the signed-in user. */
async function signInVia(server, idp, login) {
  const fd = api(server.baseUrl);
  const started = await fd.get('/api/v1/oidc/start?return_to=%2Fcases');
  assert.equal(started.status, 302, JSON.stringify(started.body));
  const { pathname, search } = new URL(await followProvider(idp.issuer, started.headers.get('location'), login));
  const back = await fd.get(pathname + search);
  assert.equal(back.status, 302, JSON.stringify(back.body));
  assert.equal(back.headers.get('location'), '/cases');
  const me = await fd.get('/api/v1/me');
  assert.equal(me.status, 200);
  return me.body.user;
}

if (process.env.FAIRDESK_TEST_DB_URL) {
  test('OIDC settings saved through one server take effect on the other at once, without a restart', { timeout: 180_000 }, async (t) => {
    const { a, b } = await startTwoServers(t);
    const idp = await startOidcProvider({
      client: { ...CLIENT, redirect_uris: [a, b].map((s) => `${s.baseUrl}/api/v1/oidc/callback`) },
      accounts: { alice: { password: 'alice-pw', email: 'alice.cluster@idp.example', name: 'Alice Cluster', groups: ['fd-staff'] } },
    });
    t.after(() => idp.stop());

    const admin = api(a.baseUrl);
    await admin.loginOk(DEMO_USERS.admin);
    const save = async (role, enabled = true) => {
      const res = await admin.put('/api/v1/settings/oidc', {
        enabled, label: 'Testorg', issuer: idp.issuer, client_id: CLIENT.client_id, client_secret: CLIENT.client_secret,
        scopes: 'openid email profile groups', rules: [{ claim: 'groups', value: 'fd-staff', role, centre_id: 'centre-be-1' }],
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    };
    await save('advisor');

    // B signs Alice in by the mapping saved through A, and so caches the provider's discovery
    // document and keys.
    assert.equal((await signInVia(b, idp, 'alice')).role, 'advisor');

    // The provider moves its endpoints under the same issuer: B's cached document now names
    // endpoints that answer 404. A saves a new role mapping; B drops its copy on the notice.
    idp.moveEndpoints('/v2');
    await save('centre_lead');
    const saved = Date.now();
    const anonymous = api(b.baseUrl);
    let location = '';
    await waitUntil(async () => {
      const started = await anonymous.get('/api/v1/oidc/start');
      location = started.headers.get('location') ?? '';
      return started.status === 302 && location.startsWith(`${idp.issuer}/v2/auth?`);
    }, { timeoutMs: 10_000, what: () => `B to send browsers to the moved endpoint (last: ${location})` });
    t.diagnostic(`B followed the save on A after ${Date.now() - saved} ms`);
    // A sign-in through B uses the new endpoints and the new mapping.
    assert.equal((await signInVia(b, idp, 'alice')).role, 'centre_lead');

    // A switches the sign-in off: B no longer offers or starts it.
    await save('centre_lead', false);
    assert.deepEqual((await anonymous.get('/api/v1/oidc')).body, { enabled: false, label: '' });
    const refused = await anonymous.get('/api/v1/oidc/start');
    assert.equal(refused.status, 302);
    assert.match(refused.headers.get('location'), /^\/login\?oidc_error=/);
  });
}
