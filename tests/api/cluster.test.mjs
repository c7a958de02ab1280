// Several app servers on one PostgreSQL behind Debian's nginx (issue 13): two `fairdesk serve`
// processes share the database and the key folder; nginx spreads the requests. Sessions work
// on both; one process is killed with SIGKILL under load: no acknowledged write is lost and the
// same sessions keep working on the survivor. The directory snapshot of one server follows an
// edit on the other at once (LISTEN/NOTIFY), also after its listening connection was killed.
// Runs with FAIRDESK_TEST_DB_URL (PostgreSQL).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, rmSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, api, freshDatabaseUrl, DEMO_USERS } from '../lib/server.mjs';
import { waitUntil } from '../lib/wait.mjs';

const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startNginx(upstreams) {
  const dir = mkdtempSync(join(tmpdir(), 'fairdesk-nginx-'));
  chmodSync(dir, 0o777);
  const port = await freePort();
  writeFileSync(join(dir, 'nginx.conf'), `
worker_processes 1;
daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream fairdesk {
    ${upstreams.map((u) => `server ${u} max_fails=1 fail_timeout=30s;`).join('\n    ')}
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 25m;
    location / {
      proxy_pass http://fairdesk;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      # Only idempotent requests go to the other server when one fails (nginx's default), so a
      # POST is never applied twice.
      proxy_next_upstream error timeout;
    }
  }
}
`);
  // Debian's nginx (nginx-light in scripts/lib.sh TEST_PACKAGES); /usr/sbin is not always on PATH.
  const nginx = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
  const child = spawn(nginx, ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((r) => child.once('exit', r));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });
  const base = `http://127.0.0.1:${port}`;
  await waitUntil(async () => {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`nginx exited: ${stderr}`);
    try {
      return (await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) })).status === 200;
    } catch {
      return false;
    }
  }, { timeoutMs: 20_000, what: () => `nginx on ${base} (${stderr})` });
  return base;
}

if (process.env.FAIRDESK_TEST_DB_URL) {
  test('two servers behind nginx: sessions on both; SIGKILL one under load loses no acknowledged write', async () => {
    const db = freshDatabaseUrl(mkdtempSync(join(tmpdir(), 'fairdesk-cluster-')));
    const proxy = ['--trusted-proxy', '127.0.0.1'];
    const a = await startServer({ db, extraArgs: proxy });
    cleanups.push(() => a.stop());
    const b = await startServer({ db, stateDir: a.stateDir, demo: false, extraArgs: [...proxy, '--require-2fa=false'] });
    cleanups.push(() => b.stop());
    const base = await startNginx([`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`]);

    // A session made through nginx works on either server (it lives in the database).
    const c = api(base);
    await c.loginOk(DEMO_USERS.advisor);
    const viaA = api(a.baseUrl);
    const viaB = api(b.baseUrl);
    for (const direct of [viaA, viaB]) {
      for (const [k, v] of c.cookies) direct.cookies.set(k, v);
      assert.equal((await direct.get('/api/v1/me')).status, 200);
    }

    // 8 clients write through nginx; A is killed in the middle.
    const writers = [];
    for (let i = 0; i < 8; i++) {
      const w = api(base);
      await w.loginOk(i % 2 ? DEMO_USERS.advisor : DEMO_USERS.centreLead);
      writers.push(w);
    }
    const acked = [];
    let failed = 0;
    let killedAt = -1;
    let stop = false;
    const loop = async (w) => {
      while (!stop && (killedAt < 0 || acked.length < killedAt + 40) && failed < 500) {
        try {
          const person = await w.post('/api/v1/clients', { nationality: 'SY', name: 'Cluster Beispiel' });
          if (person.status !== 201) { failed++; continue; }
          const k = await w.post('/api/v1/cases', { client_id: person.body.id, topics: ['wages'] });
          if (k.status !== 201) { failed++; continue; }
          acked.push({ client: person.body.id, case: k.body.id });
        } catch {
          failed++;
        }
      }
    };
    const loops = writers.map(loop);
    const exited = new Promise((r) => a.process.once('exit', r));
    try {
      await waitUntil(() => {
        if (failed >= 500) throw new Error('500 writes failed before the kill');
        return acked.length >= 40;
      }, { what: () => `40 acknowledged writes (${failed} failed)` });
      a.process.kill('SIGKILL');
      killedAt = acked.length;
      await exited;
      // The survivor takes the load: 40 more acknowledged writes after the kill.
      await waitUntil(() => acked.length >= killedAt + 40 || failed >= 500,
        { timeoutMs: 90_000, what: () => `40 writes after the kill (${acked.length - killedAt} so far, ${failed} failed)` });
    } finally {
      stop = true;
      await Promise.all(loops);
    }
    console.log(`acknowledged ${acked.length} (${killedAt} before the kill), ${failed} failed around the kill`);
    assert.ok(acked.length >= killedAt + 40, `the survivor did not take the load (${failed} failed)`);

    // Every acknowledged write is there; the old sessions keep working (now on B).
    for (const { client, case: id } of acked) {
      const got = await c.get(`/api/v1/cases/${id}`);
      assert.equal(got.status, 200, id);
      assert.equal(got.body.client_id, client);
    }
    for (const w of writers) assert.equal((await w.get('/api/v1/me')).status, 200);
    assert.equal((await viaB.get('/api/v1/me')).status, 200);
  });

  test('a directory edit through one server is visible on the other at once, also after its listener was killed', async () => {
    const db = freshDatabaseUrl(mkdtempSync(join(tmpdir(), 'fairdesk-notify-')));
    // The timed reload (the fallback) is put off for an hour, so only the notice can be at work.
    const env = { FAIRDESK_TEST_REFRESH_SECONDS: '3600' };
    const a = await startServer({ db, env });
    cleanups.push(() => a.stop());
    const b = await startServer({ db, env, stateDir: a.stateDir, demo: false });
    cleanups.push(() => b.stop());
    const admin = api(a.baseUrl);
    await admin.loginOk(DEMO_USERS.admin);
    const psql = (sql) => execFileSync('psql', [db, '-XqtA', '-c', sql], { encoding: 'utf8' }).trim();
    // B's listening connection names B's process (application_name).
    const listenerOfB = () => psql(`SELECT pid FROM pg_stat_activity WHERE application_name = 'fairdesk-listener-${b.process.pid}'`);
    await waitUntil(() => listenerOfB() !== '', { timeoutMs: 20_000, what: "B's listening connection" });

    // Well below the 5 s of the timed reload; B's answer must follow A's 2xx within it.
    const DEADLINE_MS = 1000;
    let n = 0;
    const editedOnAVisibleOnB = async (when) => {
      const phone = `+49 30 ${123400 + ++n}`;
      const edited = await admin.patch('/api/v1/centres/centre-be-1', { phone });
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      const started = Date.now();
      await waitUntil(async () => {
        const one = await (await fetch(`${b.baseUrl}/api/v1/centres/centre-be-1`)).json();
        const list = await (await fetch(`${b.baseUrl}/api/v1/centres?state=BE`)).json();
        return one.phone === phone && list.items.find((c) => c.id === 'centre-be-1')?.phone === phone;
      }, { timeoutMs: DEADLINE_MS, what: `${when}: B shows the phone number set through A` });
      console.log(`${when}: visible on B ${Date.now() - started} ms after A's answer`);
    };

    await editedOnAVisibleOnB('listening');
    const killed = listenerOfB();
    assert.equal(psql(`SELECT pg_terminate_backend(${killed})`), 't');
    // At once: B notices the loss, reconnects, listens again and reloads what it may have missed.
    await editedOnAVisibleOnB('right after the listener was killed');
    await waitUntil(() => { const now = listenerOfB(); return now !== '' && now !== killed; },
      { timeoutMs: 20_000, what: "B's new listening connection" });
    await editedOnAVisibleOnB('on the new listening connection');
    await editedOnAVisibleOnB('once more');
  });
}
