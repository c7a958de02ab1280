// PostgreSQL high availability with its own streaming replication (issue 13): a primary and a
// synchronous streaming standby (throwaway clusters on two free ports, or FAIRDESK_REPL_PORT
// and the next), fairdesk connected with a URL naming both and target_session_attrs=read-write.
// The primary dies while clients write, the standby is promoted; fairdesk reconnects by itself
// and every acknowledged write is on the new primary. Runs where PostgreSQL 15 is installed
// (scripts/test installs it) and the API tests run on PostgreSQL (FAIRDESK_TEST_DB_URL).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, api, DEMO_USERS } from '../lib/server.mjs';
import { waitUntil } from '../lib/wait.mjs';

const PG_BIN = process.env.FAIRDESK_PG_BIN || '/usr/lib/postgresql/15/bin';
const asRoot = process.getuid?.() === 0;

function pg(cmd, args) {
  const bin = join(PG_BIN, cmd);
  return asRoot
    ? execFileSync('runuser', ['-u', 'postgres', '--', bin, ...args], { encoding: 'utf8', stdio: 'pipe', timeout: 60_000 })
    : execFileSync(bin, args, { encoding: 'utf8', stdio: 'pipe', timeout: 60_000 });
}

// A port nobody listens on now (the kernel's choice), unless FAIRDESK_REPL_PORT names the first.
function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

if (process.env.FAIRDESK_TEST_DB_URL && existsSync(join(PG_BIN, 'initdb'))) {
  test('primary dies while clients write: the standby is promoted, fairdesk reconnects, nothing acknowledged is lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fairdesk-repl-'));
    chmodSync(dir, 0o777);
    if (asRoot) execFileSync('chown', ['postgres:', dir]);
    const base = Number(process.env.FAIRDESK_REPL_PORT || 0);
    const [p1, p2] = base ? [base, base + 1] : [await freePort(), await freePort()];
    const primary = join(dir, 'primary');
    const standby = join(dir, 'standby');
    const opts = (port) => `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c full_page_writes=off`;
    cleanups.push(async () => {
      for (const d of [standby, primary]) {
        try { pg('pg_ctl', ['-D', d, '-m', 'immediate', 'stop']); } catch { /* not running */ }
      }
      rmSync(dir, { recursive: true, force: true });
    });
    pg('initdb', ['-D', primary, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
    pg('pg_ctl', ['-D', primary, '-l', join(dir, 'primary.log'), '-w', '-t', '60', '-o',
      `${opts(p1)} -c wal_level=replica -c max_wal_senders=4`, 'start']);
    const psql = (port, sql, db = 'postgres') => execFileSync('psql', ['-X', '-q', '-tA', '-h', '127.0.0.1', '-p', String(port),
      '-U', 'postgres', '-d', db, '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8', timeout: 30_000 }).trim();
    psql(p1, 'CREATE ROLE fairdesk LOGIN');
    psql(p1, 'CREATE DATABASE fairdesk OWNER fairdesk');
    pg('pg_basebackup', ['-h', '127.0.0.1', '-p', String(p1), '-U', 'postgres', '-D', standby, '-R', '-X', 'stream', '-c', 'fast']);
    pg('pg_ctl', ['-D', standby, '-l', join(dir, 'standby.log'), '-w', '-t', '60', '-o', opts(p2), 'start']);
    // Synchronous from now on (not before: with no standby yet, every commit would wait): a
    // commit is acknowledged only once the standby has it.
    psql(p1, "ALTER SYSTEM SET synchronous_standby_names = '*'");
    psql(p1, 'SELECT pg_reload_conf()');
    await waitUntil(() => psql(p1, "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'") === '1',
      { timeoutMs: 30_000, intervalMs: 100, what: 'the standby streaming synchronously' });

    const url = `postgresql://fairdesk@127.0.0.1:${p1},127.0.0.1:${p2}/fairdesk?target_session_attrs=read-write&connect_timeout=2`;
    const server = await startServer({ db: url });
    cleanups.push(() => server.stop());

    const acked = [];
    let failed = 0;
    let promotedAt = -1;
    let stop = false;
    const writer = async () => {
      const c = api(server.baseUrl);
      await c.loginOk(DEMO_USERS.advisor);
      while (!stop && (promotedAt < 0 || acked.length < promotedAt + 20) && failed < 2000) {
        try {
          const person = await c.post('/api/v1/clients', { nationality: 'SY' });
          if (person.status !== 201) { failed++; continue; }
          const k = await c.post('/api/v1/cases', { client_id: person.body.id, topics: ['wages'] });
          if (k.status !== 201) { failed++; continue; }
          acked.push(k.body.id);
        } catch {
          failed++;
        }
      }
    };
    let writerError = null;
    const writers = Array.from({ length: 4 }, () => writer().catch((e) => { writerError = e; }));
    try {
      await waitUntil(() => {
        if (writerError) throw writerError;
        return acked.length >= 20;
      }, { what: () => `20 acknowledged writes before the failover (${failed} failed)` });
      pg('pg_ctl', ['-D', primary, '-m', 'immediate', 'stop']);
      pg('pg_ctl', ['-D', standby, '-w', '-t', '30', 'promote']);
      promotedAt = acked.length;
      // fairdesk reconnects by itself: 20 more acknowledged writes, now on the promoted standby.
      await waitUntil(() => acked.length >= promotedAt + 20 || failed >= 2000,
        { timeoutMs: 90_000, what: () => `20 writes after the promotion (${acked.length - promotedAt} so far, ${failed} failed)` });
    } finally {
      stop = true;
      await Promise.all(writers);
    }
    console.log(`acknowledged ${acked.length} (${promotedAt} before the failover), ${failed} failed meanwhile`);
    assert.ok(acked.length >= promotedAt + 20, 'fairdesk did not reconnect to the new primary');

    // Everything acknowledged is on the new primary.
    const onNew = new Set(psql(p2, 'SELECT id FROM cases', 'fairdesk').split('\n'));
    const missing = acked.filter((id) => !onNew.has(id));
    assert.deepEqual(missing, []);
  });
}
