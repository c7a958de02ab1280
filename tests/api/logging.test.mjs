// The request log (issue 13, docs/CONFIGURATION.md "Logs"): one JSON line per answered request,
// buffered in memory and written by a background thread every 250 ms; every other event (here a
// failed sign-in, a security event) is written before the answer that caused it leaves.
// Checked on the real binary through its standard error:
// - a request's line appears without further traffic (the periodic write), with the request id
//   of its X-Request-Id header, and never the query string;
// - a failed sign-in's line is there even when the server is killed with SIGKILL right after
//   its answer arrived; request lines answered well before the kill are there too (the test
//   allows a margin above the documented 250 ms for scheduling on a loaded CI machine);
// - SIGTERM (a normal exit) writes every buffered request line;
// - an event logged inside a handler (the failed sign-in) carries its request's id;
// - the searches of the case list and the client search (`q`, which may be a name typed by an
//   advisor) are logged as the route only: the line of each has no query string, and the search
//   text appears nowhere in the output, also not for a search refused as too long.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, DEMO_USERS, startServer } from '../lib/server.mjs';
import { waitUntil } from '../lib/wait.mjs';

const servers = [];
after(async () => {
  for (const s of servers) await s.stop();
});

function requestLines(output) {
  const lines = new Map();
  for (const l of output.split('\n')) {
    if (!l.startsWith('{') || !l.includes('"event":"request"')) continue;
    const v = JSON.parse(l);  // every line is one JSON object
    lines.set(v.request_id, v);
  }
  return lines;
}

// Resolves when the process has exited and its standard error is read to the end.
function closed(server) {
  return new Promise((resolve) => {
    if (server.process.exitCode !== null || server.process.signalCode !== null) {
      if (server.process.stderr.readableEnded) return resolve();
    }
    server.process.once('close', () => resolve());
  });
}

async function healthz(baseUrl, query = '') {
  const res = await fetch(`${baseUrl}/healthz${query}`);
  await res.arrayBuffer();
  return { status: res.status, id: res.headers.get('x-request-id'), at: Date.now() };
}

test('request lines: written within the interval without more traffic, request id, no query string; SIGTERM writes all', async () => {
  const server = await startServer({ demo: false });
  servers.push(server);
  const first = await healthz(server.baseUrl, '?who=geheim-query-value');
  assert.equal(first.status, 200);
  assert.match(first.id, /\S/);
  // No further request: the background writer must write the buffered line by itself.
  await waitUntil(() => requestLines(server.output()).has(first.id),
    { timeoutMs: 10_000, what: `the request line of ${first.id}` });
  const line = requestLines(server.output()).get(first.id);
  assert.equal(line.level, 'info');
  assert.equal(line.method, 'GET');
  assert.equal(line.route, '/healthz');
  assert.equal(line.status, 200);
  assert.equal(typeof line.duration_ms, 'number');
  assert.match(line.ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.ok(!server.output().includes('geheim-query-value'), 'the query string is never logged');

  // 300 requests from 6 clients, then SIGTERM: every line is written on the way out.
  const answered = [];
  await Promise.all(Array.from({ length: 6 }, async () => {
    for (let i = 0; i < 50; i++) answered.push(await healthz(server.baseUrl));
  }));
  const done = closed(server);
  server.process.kill('SIGTERM');
  await done;
  assert.equal(server.process.exitCode, 0, server.output().slice(-2000));
  const lines = requestLines(server.output());
  const missing = answered.filter((a) => !lines.has(a.id));
  assert.deepEqual(missing, [], `${missing.length} of ${answered.length} request lines missing after SIGTERM`);
});

test('SIGKILL: the failed sign-in before it is logged, request lines older than the window are there', async () => {
  const server = await startServer({ demo: false });
  servers.push(server);
  const answered = [];
  let stop = false;
  const started = Date.now();
  const clients = Array.from({ length: 4 }, async () => {
    while (!stop) {
      try {
        answered.push(await healthz(server.baseUrl));
      } catch {
        return;  // the server is gone
      }
    }
  });
  // Load for a while, long enough that many lines are older than the margin at the kill.
  await waitUntil(() => Date.now() - started > 2500 && answered.length > 100,
    { timeoutMs: 60_000, what: () => `load (${answered.length} answers)` });
  const res = await fetch(`${server.baseUrl}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'nobody@example.org', password: 'wrong-password-1' }),
  });
  assert.equal(res.status, 401);
  const failedId = res.headers.get('x-request-id');
  await res.arrayBuffer();
  const done = closed(server);
  server.process.kill('SIGKILL');
  const killedAt = Date.now();
  await done;
  stop = true;
  await Promise.all(clients);

  const output = server.output();
  const failures = output.split('\n').filter((l) => l.includes('"login_failed"'));
  assert.equal(failures.length, 1, `the failed sign-in is logged before its answer:\n${output.slice(-2000)}`);
  // An event logged inside a handler carries the id of its request (log::RequestScope).
  assert.equal(JSON.parse(failures[0]).request_id, failedId, failures[0]);
  assert.ok(!output.includes('nobody@example.org'), 'no e-mail address in the log');
  const lines = requestLines(output);
  // Documented: at most the last 250 ms of request lines are lost; 1.5 s of margin for a loaded machine.
  const old = answered.filter((a) => a.at < killedAt - 1750);
  assert.ok(old.length > 50, `enough requests before the window (${old.length})`);
  const lost = old.filter((a) => !lines.has(a.id));
  assert.deepEqual(lost.map((a) => killedAt - a.at), [], `${lost.length} of ${old.length} old request lines lost (ms before the kill)`);
  const recent = answered.filter((a) => a.at >= killedAt - 1750);
  const recentLost = recent.filter((a) => !lines.has(a.id)).length;
  // Not asserted (timing), reported: how much of the last moments the kill took.
  console.log(`# SIGKILL: ${answered.length} answered, ${recentLost} of ${recent.length} lines of the last 1.75 s lost; sign-in ${failedId}`);
});

test('case list and client search: the request lines name the route, never the search text', async () => {
  const server = await startServer();
  servers.push(server);
  const advisor = api(server.baseUrl);
  await advisor.loginOk(DEMO_USERS.advisor);
  const name = 'Zdravkova-Lognichtsuche';
  const searches = [
    ['/api/v1/cases', `?q=${encodeURIComponent(name)}&status=active&sort=number`, 200],
    ['/api/v1/clients', `?q=${encodeURIComponent(`${name} 0176 5550 9876`)}`, 200],
    ['/api/v1/cases', `?q=${encodeURIComponent(name.repeat(6))}`, 422],
  ];
  const ids = [];
  for (const [route, query, status] of searches) {
    const res = await advisor.get(`${route}${query}`);
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.ok(!JSON.stringify(res.body).includes(name), `the answer of ${route} does not repeat the search`);
    ids.push([res.headers.get('x-request-id'), route, status]);
  }
  await waitUntil(() => ids.every(([id]) => requestLines(server.output()).has(id)),
    { timeoutMs: 10_000, what: 'the request lines of the searches' });
  const lines = requestLines(server.output());
  for (const [id, route, status] of ids) {
    const line = lines.get(id);
    assert.equal(line.route, route, JSON.stringify(line));
    assert.equal(line.status, status);
    assert.ok(!JSON.stringify(line).includes('?'), `no query string in ${JSON.stringify(line)}`);
  }
  assert.ok(!server.output().includes(name), 'the search text is nowhere in the log');
  assert.ok(!server.output().includes('5550 9876') && !server.output().includes('55509876'), 'nor the phone number');
});
