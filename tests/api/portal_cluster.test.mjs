// The portal on two app servers sharing one database (issue 13), on SQLite and (with
// FAIRDESK_TEST_DB_URL) PostgreSQL: the contact form's rate limit per address holds across both
// processes (it is counted in the database, not per process), a form issued by one server is
// verified by the other (the proof of work's key is shared, sealed in the database), and the
// address is stored only as a keyed pseudonym.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTwoServers, api, DEMO_USERS } from '../lib/server.mjs';
import { sqlRows, publicForm, postForm } from '../lib/portal.mjs';

const form = (base, solve) => publicForm(base, '/de/contact', { solve });

const post = (base, fields, name) => postForm(base, '/de/contact', { ...fields, name, reach: '+49 170 0000000', postcode: '80331',
  language: 'de', topic: 'wages', message: 'Kein Lohn seit zwei Monaten.', consent: 'yes' });

test('two app servers on one database: one rate budget per address across both, and each verifies the other\'s forms', { timeout: 180_000 }, async (t) => {
  // A budget of 10 units per window: a solved proof costs 1, a post without one 3.
  const env = { FAIRDESK_PORTAL_MIN_FILL_SECONDS: '0', FAIRDESK_PORTAL_RATE_BUDGET: '10' };
  const { a, b, db } = await startTwoServers(t, { env });

  // A form from A, solved, sent to B: B verifies A's signature (1 unit).
  const crossed = await post(b.baseUrl, await form(a.baseUrl, true), 'Cluster verifiziert');
  assert.equal(crossed.status, 303, crossed.text.slice(0, 300));
  // Posts without a proof (3 units each), alternating between the servers: 3 fit (1 + 9 = 10),
  // the fourth is refused by whichever server gets it, although each server saw only two.
  const statuses = [];
  for (const [i, server] of [a, b, a, b].entries()) {
    const res = await post(server.baseUrl, await form(server.baseUrl, false), `Cluster ${i}`);
    statuses.push(res.status);
    if (res.status === 429) {
      assert.match(res.headers.get('retry-after'), /^\d+$/);
      assert.ok(Number(res.headers.get('retry-after')) <= 600);
      assert.match(res.text, /Zu viele Nachrichten|zu viele/i);
    }
  }
  assert.deepEqual(statuses, [303, 303, 303, 429]);
  // Both servers now refuse this address, a solved form too (the window's budget is spent).
  assert.equal((await post(a.baseUrl, await form(a.baseUrl, true), 'Cluster danach A')).status, 429);
  assert.equal((await post(b.baseUrl, await form(a.baseUrl, true), 'Cluster danach B')).status, 429);

  // Every accepted request is stored once, the cross-server one as verified.
  const advisor = api(a.baseUrl);
  await advisor.loginOk(DEMO_USERS.advisorBayern);
  const inbox = (await advisor.get('/api/v1/contact-requests')).body.items.filter((r) => r.name.startsWith('Cluster'));
  assert.deepEqual(inbox.map((r) => r.name).sort(), ['Cluster 0', 'Cluster 1', 'Cluster 2', 'Cluster verifiziert']);
  assert.deepEqual(inbox.filter((r) => r.verified).map((r) => r.name), ['Cluster verifiziert']);

  // The database holds the count under a keyed pseudonym, never the address.
  const keys = sqlRows(db, 'SELECT rate_key, used FROM portal_rate_limits');
  assert.equal(keys.length, 1, keys.join('\n'));
  assert.match(keys[0], /^[0-9a-f]{32}\|10$/);
  assert.doesNotMatch(keys[0], /127|::1/);
  // The shared secret is sealed with the keyring.
  const secret = sqlRows(db, "SELECT value_enc FROM shared_secrets WHERE name = 'portal'");
  assert.equal(secret.length, 1);
  assert.ok(secret[0].length > 60);
});
