// The durable mail outbox (issue 13, "lose nothing", "several servers work as one"): password-reset
// mails queued while the relay does not answer survive a SIGKILL of the server and arrive after
// the restart, once each; a delivery the relay refuses is retried; two servers on one database
// send each mail once. The outbox holds recipient, subject and text sealed, and drops them once a
// mail is sent; no log record names a recipient. On SQLite, and on PostgreSQL with
// FAIRDESK_TEST_DB_URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, startTwoServers, api, freshDatabaseUrl, DEMO_USERS } from '../lib/server.mjs';
import { startSmtpSink } from '../lib/smtp-sink.mjs';
import { sqlRows } from '../lib/portal.mjs';
import { waitUntil } from '../lib/wait.mjs';

const mailArgs = (port) => ['--smtp-host', '127.0.0.1', '--smtp-port', String(port), '--smtp-from',
  'fairdesk@example.org', '--public-url', 'https://fairdesk.example.org/'];
const tokenOf = (mail) => /reset-password#token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];

async function requestReset(server, email) {
  const res = await api(server.baseUrl).post('/api/v1/password-reset', { email });
  assert.equal(res.status, 202, JSON.stringify(res.body));
}

/** The outbox's rows as {status, attempts, sealed: whether any sealed field is still there, error}. */
function outboxRows(db) {
  return sqlRows(db, "SELECT status, attempts, CASE WHEN recipient_enc IS NULL AND subject_enc IS NULL AND " +
    "body_enc IS NULL THEN 0 ELSE 1 END, COALESCE(last_error, '') FROM mail_outbox ORDER BY created_at, id")
    .map((line) => {
      const [status, attempts, sealed, error] = line.split('|');
      return { status, attempts: Number(attempts), sealed: sealed === '1', error };
    });
}

/** The server's log records (not the demo start-up banner, which lists the demo logins). */
const logRecords = (server) => server.output().split('\n').filter((line) => line.startsWith('{'));

function assertNoRecipientIn(lines, who) {
  for (const email of who) assert.ok(!lines.join('\n').includes(email), `the log names ${email}`);
}

test('mails queued before a SIGKILL arrive after the restart, once each', { timeout: 180_000 }, async (t) => {
  // A relay that takes the connection and never answers: the worker waits in the greeting with
  // one mail claimed, the others still queued.
  const silent = [];
  const relay = net.createServer((socket) => { silent.push(socket); socket.on('error', () => {}); });
  await new Promise((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const dir = mkdtempSync(join(tmpdir(), 'fairdesk-mail-outbox-'));
  const db = freshDatabaseUrl(dir);
  const env = { FAIRDESK_TEST_MAIL_LEASE_SECONDS: '3' };
  const servers = [];
  const sink = await startSmtpSink();
  t.after(async () => {
    for (const s of servers.reverse()) await s.stop();
    for (const socket of silent) socket.destroy();
    await new Promise((resolve) => relay.close(resolve));
    await sink.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const first = await startServer({ db, stateDir: dir, env, extraArgs: mailArgs(relay.address().port) });
  servers.push(first);
  const people = [DEMO_USERS.stateCoordinator, DEMO_USERS.advisor, DEMO_USERS.advisorBayern];
  for (const email of people) await requestReset(first, email);
  // In the database soon after the answer (the lookup and the link come after it, so that its
  // timing tells nothing), sealed: no address or name in the row.
  await waitUntil(() => sqlRows(db, 'SELECT id FROM mail_outbox').length === 3, { what: 'three mails queued' });
  const queued = sqlRows(db, 'SELECT status, recipient_enc, subject_enc, body_enc FROM mail_outbox');
  assert.equal(queued.length, 3);
  for (const row of queued) {
    assert.match(row, /^queued\|/);
    assert.doesNotMatch(row, /@|example|Passwort|fairdesk/);
  }
  await waitUntil(() => silent.length > 0, { what: 'the worker connecting to the silent relay' });

  const exited = new Promise((resolve) => first.process.once('exit', resolve));
  first.process.kill('SIGKILL');
  await exited;

  // The restart on the same database and keys, with a relay that works: all three arrive (the one
  // the killed server had claimed once its claim lapsed), each once.
  const second = await startServer({ db, stateDir: dir, demo: false, env, extraArgs: mailArgs(sink.port) });
  servers.push(second);
  await waitUntil(() => sink.messages.length >= 3, { timeoutMs: 60_000, what: () => `3 mails (${sink.messages.length})` });
  await waitUntil(() => outboxRows(db).every((r) => r.status === 'sent'), { what: 'every row marked sent' });
  assert.deepEqual(sink.messages.map((m) => m.to[0]).sort(), [...people].sort());
  assert.equal(new Set(sink.messages.map(tokenOf)).size, 3);
  for (const row of outboxRows(db)) assert.equal(row.sealed, false, 'the sealed fields go once a mail is sent');
  assert.equal(sink.messages.length, 3, 'no mail twice');

  // The link from before the kill works.
  const mail = sink.messages.find((m) => m.to[0] === DEMO_USERS.advisor);
  const done = await api(second.baseUrl).post('/api/v1/password-reset/confirm',
    { token: tokenOf(mail), new_password: 'Nach-dem-Absturz-2026' });
  assert.equal(done.status, 204, JSON.stringify(done.body));
  assertNoRecipientIn([...logRecords(first), ...logRecords(second)], people);
  assert.ok(logRecords(second).some((line) => line.includes('"mail_sent"')));
});

test('a mail the relay refuses is retried until it goes', { timeout: 120_000 }, async (t) => {
  const sink = await startSmtpSink();
  sink.refusing = true;
  const server = await startServer({ env: { FAIRDESK_TEST_MAIL_RETRY_SECONDS: '1' }, extraArgs: mailArgs(sink.port) });
  t.after(async () => {
    await server.stop();
    await sink.stop();
  });
  await requestReset(server, DEMO_USERS.centreLead);
  await waitUntil(() => outboxRows(server.db).some((r) => r.attempts >= 1 && r.error.includes('421')),
    { what: () => `a failed attempt (${JSON.stringify(outboxRows(server.db))})` });
  const [failed] = outboxRows(server.db);
  assert.equal(failed.status, 'queued');
  assert.equal(failed.sealed, true);
  assert.match(await server.metrics(), /^fairdesk_mail_outbox_queued 1$/m);
  sink.refusing = false;
  await waitUntil(() => sink.messages.length >= 1, { what: 'the mail after the relay came back' });
  assert.deepEqual(sink.messages[0].to, [DEMO_USERS.centreLead]);
  await waitUntil(() => outboxRows(server.db)[0].status === 'sent', { what: 'the row marked sent' });
  assert.ok(outboxRows(server.db)[0].attempts >= 2);
  const metrics = await server.metrics();
  assert.match(metrics, /^fairdesk_mail_outbox_queued 0$/m);
  assert.match(metrics, /^fairdesk_mail_outbox_failed 0$/m);
  const log = logRecords(server);
  assert.ok(log.some((line) => line.includes('"mail_failed"') && line.includes('421')));
  assertNoRecipientIn(log, [DEMO_USERS.centreLead]);
});

test('two servers on one database send each mail once', { timeout: 180_000 }, async (t) => {
  const sink = await startSmtpSink();
  t.after(() => sink.stop());
  const { a, b, db } = await startTwoServers(t, { extraArgs: mailArgs(sink.port) });
  const people = [DEMO_USERS.stateCoordinator, DEMO_USERS.advisor, DEMO_USERS.advisorBayern, DEMO_USERS.centreLead,
    DEMO_USERS.competenceCentre, DEMO_USERS.programme];
  const asked = [];
  for (let round = 0; round < 3; round += 1) {
    for (const [i, email] of people.entries()) {
      await requestReset((i + round) % 2 ? b : a, email);
      asked.push(email);
    }
  }
  await waitUntil(() => sink.messages.length >= asked.length,
    { what: () => `${asked.length} mails (${sink.messages.length})` });
  await waitUntil(() => outboxRows(db).every((r) => r.status === 'sent'), { what: 'every row marked sent' });
  assert.equal(outboxRows(db).length, asked.length);
  assert.equal(sink.messages.length, asked.length, 'no mail twice');
  assert.deepEqual(sink.messages.map((m) => m.to[0]).sort(), asked.sort());
  assert.equal(new Set(sink.messages.map(tokenOf)).size, asked.length);
  // Each mail was sent by one of the two servers: their "mail_sent" records (written off the
  // request path, so waited for) name every row once.
  const sentIds = () => [...logRecords(a), ...logRecords(b)].filter((l) => l.includes('"mail_sent"'))
    .map((l) => JSON.parse(l).mail_id);
  await waitUntil(() => sentIds().length >= asked.length, { what: () => `${asked.length} mail_sent records (${sentIds().length})` });
  assert.equal(sentIds().length, asked.length);
  assert.equal(new Set(sentIds()).size, asked.length);
  assertNoRecipientIn([...logRecords(a), ...logRecords(b)], people);
});
