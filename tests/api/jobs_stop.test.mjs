// Long background jobs and shutdown (issue 13): the daily retention job works in batches, one
// transaction each, and stops between two batches when SIGTERM arrives, so the server exits
// within its shutdown grace although the job has more to do; what it did is committed, its claim
// in job_runs is given back, and the next start goes on with the rest. 400 synthetic cases
// (`fairdesk demo-data --cases`), the clock ten years ahead so that every closed one is due, and
// FAIRDESK_TEST_JOB_PAUSE_MS (a test-only pause before every batch, ended at once by SIGTERM)
// so that the job is surely still running when the signal comes. SQLite, and PostgreSQL with
// FAIRDESK_TEST_DB_URL.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, fairdeskBinary, freshDatabaseUrl } from '../lib/server.mjs';
import { waitUntil } from '../lib/wait.mjs';

const TEN_YEARS = String(10 * 366 * 24 * 3600);
const dir = mkdtempSync(join(tmpdir(), 'fairdesk-jobs-stop-'));
const servers = [];
after(async () => {
  for (const s of servers) await s.stop();
  rmSync(dir, { recursive: true, force: true });
});

function sql(db, query) {
  if (db.startsWith('sqlite:')) {
    return execFileSync('sqlite3', [db.slice('sqlite:'.length), query], { encoding: 'utf8' }).trim();
  }
  return execFileSync('psql', [db, '-qAt', '-c', query], { encoding: 'utf8' }).trim();
}
const count = (db, where) => Number(sql(db, `SELECT COUNT(*) FROM cases WHERE ${where}`));

test('SIGTERM stops a running retention job between batches; the next start finishes it', async () => {
  const db = freshDatabaseUrl(dir);
  execFileSync(fairdeskBinary(), ['--db', db, '--state-dir', dir, 'demo-data', '--cases', '400'], { stdio: 'pipe', timeout: 300_000 });
  const due = count(db, "status = 'closed' AND anonymised_at IS NULL");
  assert.ok(due > 100, `enough closed cases for several batches of 50 (${due})`);
  const env = { FAIRDESK_CLOCK_OFFSET_SECONDS: TEN_YEARS };

  const first = await startServer({ db, stateDir: dir, demo: false, env: { ...env, FAIRDESK_TEST_JOB_PAUSE_MS: '1000' } });
  servers.push(first);
  // The first batch is committed while the job goes on.
  await waitUntil(() => count(db, 'anonymised_at IS NOT NULL') > 0, { timeoutMs: 60_000, what: 'the first batch of the retention job' });
  assert.equal(sql(db, "SELECT COUNT(*) FROM job_runs WHERE job = 'retention' AND finished_at IS NULL"), '1', 'the job is running');
  let closed = false;
  first.process.once('close', () => { closed = true; });  // exited, and its output read to the end
  const signalled = Date.now();
  first.process.kill('SIGTERM');
  await waitUntil(() => closed,
    { timeoutMs: 30_000, what: 'the server to exit within the shutdown grace (30 s)' });
  assert.equal(first.process.exitCode, 0, first.output().slice(-2000));
  const stoppedAfterMs = Date.now() - signalled;

  const done = count(db, 'anonymised_at IS NOT NULL');
  assert.ok(done > 0 && done < due, `stopped part-way: ${done} of ${due} anonymised`);
  assert.equal(done % 50, 0, `whole batches only (${done})`);
  assert.equal(sql(db, "SELECT COUNT(*) FROM job_runs WHERE job = 'retention'"), '0', 'the claim is given back');
  const stopped = first.output().split('\n').filter((l) => l.includes('"retention_stopped"'));
  assert.equal(stopped.length, 1, first.output().slice(-2000));
  assert.equal(JSON.parse(stopped[0]).anonymised, done);
  assert.ok(!first.output().includes('"retention_failed"'));

  // The next start takes up the rest: every due case anonymised, the day's run finished.
  const second = await startServer({ db, stateDir: dir, demo: false, env });
  servers.push(second);
  // Its log line is written after the run's end is committed.
  const runLine = () => second.output().split('\n').find((l) => l.includes('"retention_run"'));
  await waitUntil(() => runLine(), { timeoutMs: 120_000, what: () => `the resumed retention run to finish:\n${second.output().slice(-2000)}` });
  assert.equal(sql(db, "SELECT COUNT(*) FROM job_runs WHERE job = 'retention' AND finished_at IS NOT NULL"), '1');
  assert.equal(count(db, "status = 'closed' AND anonymised_at IS NULL"), 0);
  const run = runLine();
  assert.equal(JSON.parse(run).anonymised, due - done, 'the second run did the rest');
  console.log(`# stopped ${stoppedAfterMs} ms after SIGTERM with ${done} of ${due} cases anonymised`);
});
