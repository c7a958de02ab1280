// Sessions on two app servers sharing one database (issue 13), on SQLite and (with
// FAIRDESK_TEST_DB_URL) PostgreSQL. On PostgreSQL each server keeps the sessions it found
// (auth/sql_store.cpp) and reads a kept one again only after 10 s, unless the database announces a
// change: a sign-out, a changed role and a disabled account on one server must reach the other
// within 5 s, i.e. through the announcement (NOTIFY from migration 203's triggers), not by age.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, signedIn, startTwoServers, DEMO_USERS } from '../lib/server.mjs';
import { waitUntil } from '../lib/wait.mjs';

/** A client of `baseUrl` that sends the session cookie of `client` (the same person on another server). */
function sameSessionOn(baseUrl, client) {
  const other = api(baseUrl);
  for (const [k, v] of client.cookies) other.cookies.set(k, v);
  return other;
}

test('two app servers: a sign-out, a changed role and a disabled account on one reach the other', { timeout: 120_000 }, async (t) => {
  // B is not in demo mode; without the second-factor rule both servers serve the demo accounts alike.
  const { a, b } = await startTwoServers(t, { env: { FAIRDESK_REQUIRE_2FA: 'false' } });
  const within = { timeoutMs: 5000 };

  // The advisor's session works on B (which keeps it), and ends there once signed out on A.
  const advisorOnA = await signedIn(a.baseUrl, DEMO_USERS.advisor);
  const advisorOnB = sameSessionOn(b.baseUrl, advisorOnA);
  for (let i = 0; i < 3; i += 1) assert.equal((await advisorOnB.get('/api/v1/me')).status, 200);
  assert.equal((await advisorOnA.logout()).status, 204);
  await waitUntil(async () => (await advisorOnB.get('/api/v1/me')).status === 401,
    { ...within, what: 'B refusing the session signed out on A' });
  const refused = await advisorOnB.get('/api/v1/cases?limit=5');
  assert.equal(refused.status, 401);
  assert.match(refused.headers.get('content-type'), /^application\/problem\+json/);

  // The centre lead works on B; the admin on A makes them an advisor, then disables the account.
  const admin = await signedIn(a.baseUrl, DEMO_USERS.admin);
  const leadOnB = await signedIn(b.baseUrl, DEMO_USERS.centreLead);
  const me = await leadOnB.get('/api/v1/me');
  assert.equal(me.status, 200);
  const lead = me.body.user ?? me.body;
  assert.equal(lead.role, 'centre_lead');
  const users = await leadOnB.get('/api/v1/users');
  assert.equal(users.status, 200, JSON.stringify(users.body));  // a centre lead's page
  const demoted = await admin.patch(`/api/v1/users/${lead.id}`, { role: 'advisor' });
  assert.equal(demoted.status, 200, JSON.stringify(demoted.body));
  await waitUntil(async () => (await leadOnB.get('/api/v1/users')).status === 403,
    { ...within, what: 'B refusing the user list to the former centre lead' });
  const disabled = await admin.patch(`/api/v1/users/${lead.id}`, { disabled: true });
  assert.equal(disabled.status, 200, JSON.stringify(disabled.body));
  await waitUntil(async () => (await leadOnB.get('/api/v1/me')).status === 401,
    { ...within, what: 'B refusing the disabled account' });
});
