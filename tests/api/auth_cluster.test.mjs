// The staff sign-in's proof of work on two app servers sharing one database (issue 13), on
// SQLite and (with FAIRDESK_TEST_DB_URL) PostgreSQL: a challenge issued by one server is solved
// and used on the other (the signing key is shared, sealed in the database), and a solution
// serves once across both (used challenges are marked in the database, not per process).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTwoServers, DEMO_USERS, DEMO_PASSWORD } from '../lib/server.mjs';
import { loginFrom, solveProof } from '../lib/signin.mjs';
import { sqlRows } from '../lib/portal.mjs';

/** The answer must be the problem that asks for a proof of work, with a challenge to solve. */
function assertProofRequired(res, what) {
  assert.equal(res.status, 429, `${what}: ${JSON.stringify(res.body)}`);
  assert.match(res.headers['content-type'], /^application\/problem\+json/, what);
  assert.match(res.body.type, /proof-of-work-required$/, what);
  assert.equal(res.body.status, 429, what);
  assert.ok(res.body.difficulty >= 10 && res.body.difficulty <= 18, `${what}: ${res.body.difficulty}`);
  assert.match(res.body.challenge, /^v1\./, what);
}

test('two app servers on one database: a sign-in challenge from one is used on the other, and only once across both', { timeout: 240_000 }, async (t) => {
  const { a, b, db } = await startTwoServers(t, { extraArgs: ['--trusted-proxy', '127.0.0.2'] });

  // One address fails on 20 accounts (on both servers: the counters are in the database): every
  // further sign-in from it needs a proof of work, also for a right password. A success does not
  // clear the address's count, so the same difficulty is asked for after it.
  const noisy = '198.51.100.200';
  for (let i = 0; i < 20; i += 1) {
    const server = i % 2 ? b : a;
    assert.equal((await loginFrom(server, noisy, `nobody${i}@example.org`, 'wrong-password-x')).status, 401);
  }
  const user = DEMO_USERS.stateCoordinator;
  const asked = await loginFrom(a, noisy, user, DEMO_PASSWORD);
  assertProofRequired(asked, 'A asks for a proof');
  const proof = { challenge: asked.body.challenge, nonce: solveProof(asked.body.challenge, asked.body.difficulty) };

  // A's challenge, solved, is accepted by B.
  const signedIn = await loginFrom(b, noisy, user, DEMO_PASSWORD, { proof });
  assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));

  // The same solution again: refused by A and by B, each time with a fresh challenge.
  const replayA = await loginFrom(a, noisy, user, DEMO_PASSWORD, { proof });
  assertProofRequired(replayA, 'replay on A');
  assert.notEqual(replayA.body.challenge, proof.challenge);
  const replayB = await loginFrom(b, noisy, user, DEMO_PASSWORD, { proof });
  assertProofRequired(replayB, 'replay on B');

  // B's fresh challenge works on A, once.
  const fresh = { challenge: replayB.body.challenge, nonce: solveProof(replayB.body.challenge, replayB.body.difficulty) };
  assert.equal((await loginFrom(a, noisy, user, DEMO_PASSWORD, { proof: fresh })).status, 200);
  assertProofRequired(await loginFrom(b, noisy, user, DEMO_PASSWORD, { proof: fresh }), 'replay of B\'s challenge on B');

  // The database holds the used challenges (no e-mail or client address in them) and one sealed
  // signing secret for both servers.
  const used = sqlRows(db, "SELECT challenge FROM used_challenges WHERE scope = 'sign-in'").sort();
  assert.deepEqual(used, [proof.challenge, fresh.challenge].sort());
  for (const c of used) assert.doesNotMatch(c, /@|198\.51/);
  const secret = sqlRows(db, "SELECT value_enc FROM shared_secrets WHERE name = 'sign-in'");
  assert.equal(secret.length, 1);
  assert.ok(secret[0].length > 60);
});
