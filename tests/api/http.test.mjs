// Bad input at the HTTP layer, security headers, static files, operations endpoints and the
// OpenAPI document — against the real binary (FAIRDESK_BIN), on SQLite or, with
// FAIRDESK_TEST_DB_URL, on PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, api, DEMO_USERS } from '../lib/server.mjs';
import { waitUntil } from '../lib/wait.mjs';

let server;
before(async () => {
  server = await startServer({});
});
after(async () => {
  await server?.stop();
});

// Sends raw bytes and answers {status, headers, body} of the first response.
function raw(bytes) {
  const { hostname, port } = new URL(server.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => socket.end(bytes));
    let data = Buffer.alloc(0);
    socket.on('data', (chunk) => { data = Buffer.concat([data, chunk]); });
    socket.on('error', reject);
    socket.on('close', () => {
      const text = data.toString('latin1');
      const [head, ...rest] = text.split('\r\n\r\n');
      const lines = head.split('\r\n');
      const status = Number(lines[0]?.split(' ')[1]);
      const headers = Object.fromEntries(lines.slice(1).map((l) => {
        const i = l.indexOf(':');
        return [l.slice(0, i).toLowerCase(), l.slice(i + 1).trim()];
      }));
      resolve({ status, headers, body: rest.join('\r\n\r\n') });
    });
  });
}

async function expectProblem(res, status, field) {
  assert.equal(res.status, status);
  assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
  const body = await res.json();
  assert.equal(body.status, status);
  assert.ok(body.type && body.title && body.detail, 'problem has type, title, detail');
  if (field) assert.ok(body.errors?.some((e) => e.field === field), `errors name ${field}: ${JSON.stringify(body.errors)}`);
  return body;
}

async function stillServing() {
  const res = await fetch(`${server.baseUrl}/healthz`);
  assert.equal(res.status, 200);
}

const post = (path, body, headers = {}) =>
  fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

test('operations endpoints answer', async () => {
  assert.deepEqual(await (await fetch(`${server.baseUrl}/healthz`)).json(), { status: 'ok' });
  assert.equal((await fetch(`${server.baseUrl}/readyz`)).status, 200);
  await fetch(`${server.baseUrl}/api/v1/centres`);
  const metrics = await server.metrics();
  assert.match(metrics, /fairdesk_http_requests_total\{method="GET",route="\/api\/v1\/centres",status="200"\} \d+/);
  assert.match(metrics, /fairdesk_http_request_duration_seconds_bucket\{.*le="\+Inf"\}/);
  assert.match(metrics, /fairdesk_db_pool_size \d+/);
  assert.match(metrics, /fairdesk_sessions_active \d+/);
});

// Issue 13 "Metrics": latency per route and per named query, pool use, job runs.
test('metrics: histograms per route and per named query, pool use, runs of every scheduled job', async () => {
  await fetch(`${server.baseUrl}/api/v1/centres`);
  const value = (text, series) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };
  // The jobs run at start-up (retention and the portal's deletions claimed per period, the
  // events module's steps on every server).
  const jobs = ['retention', 'portal-retention', 'events-offer-expiry', 'events-reminders', 'events-mail'];
  let metrics = '';
  await waitUntil(async () => {
    metrics = await server.metrics();
    // The statement series are rendered before the job series: a job may finish in between, so
    // the claims are waited for as well.
    return jobs.every((j) => (value(metrics, `fairdesk_job_runs_total{job="${j}",outcome="succeeded"}`) ?? 0) >= 1)
      && (value(metrics, 'fairdesk_db_query_duration_seconds_count{query="jobs.claim"}') ?? 0) >= 2;
  }, { timeoutMs: 30_000, intervalMs: 100, what: () => `a successful run of every job in\n${metrics.split('\n').filter((l) => l.startsWith('fairdesk_job_runs')).join('\n')}` });
  for (const j of jobs) {
    assert.equal(value(metrics, `fairdesk_job_runs_total{job="${j}",outcome="failed"}`), 0, j);
    assert.ok(value(metrics, `fairdesk_job_duration_seconds_count{job="${j}"}`) >= 1, j);
    assert.ok(value(metrics, `fairdesk_job_last_success_timestamp_seconds{job="${j}"}`) > 1.7e9, j);
  }
  assert.match(metrics, /# TYPE fairdesk_job_runs_total counter/);

  // Per route: a histogram whose +Inf bucket equals the count.
  const route = 'method="GET",route="/api/v1/centres",status="200"';
  const count = value(metrics, `fairdesk_http_request_duration_seconds_count{${route}}`);
  assert.ok(count >= 1, route);
  assert.equal(value(metrics, `fairdesk_http_request_duration_seconds_bucket{${route},le="+Inf"}`), count);
  // Per named query: the claims of the jobs above went through the named query jobs.claim.
  const claims = value(metrics, 'fairdesk_db_query_duration_seconds_count{query="jobs.claim"}');
  assert.ok(claims >= 2, `jobs.claim timed (${claims})`);
  assert.equal(value(metrics, 'fairdesk_db_query_duration_seconds_bucket{query="jobs.claim",le="+Inf"}'), claims);
  assert.equal(value(metrics, 'fairdesk_db_query_errors_total{query="jobs.claim"}'), 0);
  // Pool use.
  assert.ok(value(metrics, 'fairdesk_db_pool_size') >= 1);
  assert.ok(value(metrics, 'fairdesk_db_pool_in_use') >= 0);
  assert.match(metrics, /# TYPE fairdesk_db_pool_waits_total counter\nfairdesk_db_pool_waits_total \d+/);
});

test('security headers on every response, API and error alike', async () => {
  for (const path of ['/healthz', '/api/v1/centres', '/api/v1/nope', '/']) {
    const res = await fetch(`${server.baseUrl}${path}`);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /frame-ancestors 'none'/, path);
    assert.match(csp, /script-src 'self'/, path);
    assert.doesNotMatch(csp, /unsafe-inline/, path);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer', path);
    assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f]{16}$/, path);
  }
});

test('malformed JSON is a 400 problem and changes nothing', async () => {
  await expectProblem(await post('/api/v1/session', '{"email": '), 400);
  await expectProblem(await post('/api/v1/calc/minimum-wage', '[1,2'), 400);
  await stillServing();
});

test('invalid UTF-8 in a JSON body is a 400', async () => {
  const body = Buffer.concat([Buffer.from('{"email":"'), Buffer.from([0xc3, 0x28]), Buffer.from('","password":"x"}')]);
  await expectProblem(await post('/api/v1/session', body), 400);
});

test('a JSON route refuses other content types (415), e.g. a cross-site text/plain form', async () => {
  const body = JSON.stringify({ email: 'admin@example.org', password: 'fairdesk-demo' });
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    const res = await post('/api/v1/session', body, { 'content-type': type });
    await expectProblem(res, 415);
    assert.equal(res.headers.get('set-cookie'), null, type);
  }
  assert.equal((await post('/api/v1/session', body, { 'content-type': 'application/json; charset=utf-8' })).status, 200);
});

test('invented methods are answered and counted as "other", not one series each', async () => {
  for (let i = 0; i < 5; i += 1) {
    const r = await raw(`FOO${i} /api/v1/nowhere-${i} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.ok(r.status >= 400 && r.status < 500, String(r.status));
  }
  const metrics = await server.metrics();
  assert.doesNotMatch(metrics, /method="FOO/);
  assert.match(metrics, /method="other"/);
  await stillServing();
});

test('wrong types and unknown fields are 422 naming the field', async () => {
  await expectProblem(await post('/api/v1/session', JSON.stringify({ email: 5, password: 'x' })), 422, 'email');
  await expectProblem(await post('/api/v1/session', JSON.stringify({ email: 'a@example.org', password: 'x', admin: true })), 422, 'admin');
  await expectProblem(await post('/api/v1/session', JSON.stringify(['email'])), 422);
});

test('an oversized body is a 413 and the server keeps serving', async () => {
  const big = JSON.stringify({ email: 'a@example.org', password: 'x'.repeat(2 * 1024 * 1024) });
  const res = await post('/api/v1/session', big).catch(() => null);
  if (res) await expectProblem(res, 413);
  const r = await raw(`POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\n\r\n{}`);
  assert.equal(r.status, 413);
  await stillServing();
});

test('overlong headers are a 431', async () => {
  const r = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Long: ${'a'.repeat(40000)}\r\n\r\n`);
  assert.equal(r.status, 431);
  assert.match(r.headers['content-type'], /problem\+json/);
  await stillServing();
});

test('garbage instead of HTTP is a 400', async () => {
  const r = await raw('HELLO THERE\r\n\r\n');
  assert.equal(r.status, 400);
  await stillServing();
});

test('unknown routes are 404 and wrong methods 405 with Allow', async () => {
  await expectProblem(await fetch(`${server.baseUrl}/api/v1/does-not-exist`), 404);
  const res = await fetch(`${server.baseUrl}/api/v1/centres`, { method: 'DELETE' });
  await expectProblem(res, 405);
  assert.match(res.headers.get('allow') ?? '', /GET/);
  await expectProblem(await fetch(`${server.baseUrl}/healthz`, { method: 'POST' }), 405);
});

test('path traversal never reaches the file system', async () => {
  for (const target of ['/../../etc/passwd', '/assets/../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd',
    '/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/api/v1/centres/..%2f..%2fetc%2fpasswd', '/api/v1/../../etc/passwd']) {
    const r = await raw(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.ok([400, 404].includes(r.status), `${target}: ${r.status}`);
    assert.doesNotMatch(r.body, /root:/, target);
  }
  await stillServing();
});

test('SQL meta-characters are data, not SQL', async () => {
  const evil = "x' OR '1'='1'; DROP TABLE centres; --";
  await expectProblem(await fetch(`${server.baseUrl}/api/v1/centres?state=${encodeURIComponent(evil)}`), 422, 'state');
  await expectProblem(await fetch(`${server.baseUrl}/api/v1/centres/${encodeURIComponent(evil)}`), 404);
  const login = await post('/api/v1/session', JSON.stringify({ email: evil, password: evil }));
  assert.ok([401, 422].includes(login.status));
  const centres = await (await fetch(`${server.baseUrl}/api/v1/centres`)).json();
  assert.ok(centres.items.length >= 16, 'centres are still there');
});

test('the directory filters by state, language and postcode', async () => {
  const be = await (await fetch(`${server.baseUrl}/api/v1/centres?state=BE`)).json();
  assert.ok(be.items.length >= 1);
  assert.ok(be.items.every((c) => c.state === 'BE'));
  const munich = await (await fetch(`${server.baseUrl}/api/v1/centres?postcode=80331`)).json();
  assert.deepEqual(munich.items.map((c) => c.state), ['BY']);
  const ar = await (await fetch(`${server.baseUrl}/api/v1/centres?language=ar`)).json();
  assert.ok(ar.items.every((c) => c.languages.includes('ar')));
  await expectProblem(await fetch(`${server.baseUrl}/api/v1/centres?postcode=1011`), 422, 'postcode');
  await expectProblem(await fetch(`${server.baseUrl}/api/v1/centres?limit=-5`), 422, 'limit');
  await expectProblem(await fetch(`${server.baseUrl}/api/v1/centres?limit=201`), 422, 'limit');
  await expectProblem(await fetch(`${server.baseUrl}/api/v1/centres?cursor=abc`), 422, 'cursor');
  // Paging: pages of 5 together give the whole list, each centre once.
  const all = (await (await fetch(`${server.baseUrl}/api/v1/centres`)).json()).items.map((c) => c.id);
  const paged = [];
  let cursor = '';
  do {
    const page = await (await fetch(`${server.baseUrl}/api/v1/centres?limit=5${cursor ? `&cursor=${cursor}` : ''}`)).json();
    assert.ok(page.items.length <= 5);
    paged.push(...page.items.map((c) => c.id));
    cursor = page.next_cursor;
  } while (cursor);
  assert.deepEqual(paged, all);
  const orgs = await (await fetch(`${server.baseUrl}/api/v1/organisations`)).json();
  for (const short of ['BMAS', 'BAMF', 'BMBF', 'BA']) {
    assert.ok(orgs.items.some((o) => o.short_name === short), short);
  }
  assert.ok(orgs.items.some((o) => o.kind === 'specialist_unit' && /Faire Integration/.test(o.name)));
});

test('only admins edit the directory, and bad edits change nothing', async () => {
  const advisor = api(server.baseUrl);
  await advisor.login('advisor.berlin@example.org', 'fairdesk-demo');
  const denied = await advisor.patch('/api/v1/centres/centre-be-1', { phone: '+49 30 1' });
  assert.equal(denied.status, 403);

  const admin = api(server.baseUrl);
  await admin.login('admin@example.org', 'fairdesk-demo');
  // (A rule across an item's fields, from before to, is checked once the rest of the body reads well.)
  for (const [edit, field] of [[{ channels: ['carrier_pigeon'] }, 'channels[0]'],
    [{ postcode_ranges: [{ from: '20000', to: '10000' }] }, 'postcode_ranges[0].to']]) {
    const bad = await admin.patch('/api/v1/centres/centre-be-1', edit);
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.errors.map((e) => e.field), [field]);
  }
  const ok = await admin.patch('/api/v1/centres/centre-be-1', { languages: ['de', 'en', 'ti'], website: null });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.website, null, 'null clears an optional field');
  const now = await (await fetch(`${server.baseUrl}/api/v1/centres?language=ti&state=BE`)).json();
  assert.deepEqual(now.items.map((c) => c.id), ['centre-be-1']);
  assert.ok(now.items[0].channels.length > 0, 'the rejected edit did not touch channels');
  const created = await admin.post('/api/v1/organisations', { kind: 'provider', name: 'Träger Beispiel e.V.', short_name: 'TB', parent_id: 'org-iq' });
  assert.equal(created.status, 201);
});

test('the centre list carries an entity tag: 304 while the directory is unchanged, the new list after an edit', async () => {
  const url = `${server.baseUrl}/api/v1/centres?state=BE`;
  const first = await fetch(url);
  assert.equal(first.status, 200);
  const tag = first.headers.get('etag');
  assert.match(tag, /^"[0-9a-f]{16}"$/);
  assert.equal(first.headers.get('cache-control'), 'no-cache');
  const body = await first.text();
  const again = await fetch(url, { headers: { 'If-None-Match': `"other", ${tag}` } });
  assert.equal(again.status, 304);
  assert.equal(again.headers.get('etag'), tag);
  assert.equal(await again.text(), '');
  assert.equal((await fetch(url, { headers: { 'If-None-Match': '"other"' } })).status, 200);

  const admin = api(server.baseUrl);
  await admin.loginOk(DEMO_USERS.admin);
  const phone = '+49 30 9876543';
  assert.equal((await admin.patch('/api/v1/centres/centre-be-1', { phone })).status, 200);
  const after = await fetch(url, { headers: { 'If-None-Match': tag } });
  assert.equal(after.status, 200, 'the edit made a new list');
  assert.notEqual(after.headers.get('etag'), tag);
  const list = await after.json();
  assert.equal(list.items.find((c) => c.id === 'centre-be-1').phone, phone);
  assert.notEqual(JSON.stringify(list), body);
});

test('the web app is served with client-side routes, caching and precompression', async () => {
  const index = await fetch(`${server.baseUrl}/cases/123`);
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type'), /text\/html/);
  const html = await index.text();
  assert.doesNotMatch(html, /<script>(?!<\/script>)/, 'no inline scripts');
  const asset = html.match(/\/assets\/[^"]+\.js/)?.[0];
  assert.ok(asset, 'index.html references a hashed script');
  const js = await fetch(`${server.baseUrl}${asset}`, { headers: { 'accept-encoding': 'br' } });
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type'), /javascript/);
  assert.match(js.headers.get('cache-control'), /immutable/);
  const missing = await fetch(`${server.baseUrl}/assets/missing-123.js`);
  assert.equal(missing.status, 404);
  const r = await raw(`GET ${asset} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br\r\nConnection: close\r\n\r\n`);
  assert.equal(r.headers['content-encoding'], 'br');
});

test('the OpenAPI document describes every route the server answers', async () => {
  const doc = await (await fetch(`${server.baseUrl}/api/v1/openapi.json`)).json();
  assert.equal(doc.openapi, '3.1.0');
  const ops = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([m, op]) => [m.toUpperCase(), path, op]));
  assert.ok(ops.length >= 20, `documented operations: ${ops.length}`);
  for (const [method, path, op] of ops) {
    assert.ok(op.summary && op.summary.length > 5, `${method} ${path} has a summary`);
    assert.ok(op.responses && Object.keys(op.responses).length > 0, `${method} ${path} has responses`);
    // The route exists: the router never answers "no such resource" or 405 for it.
    const concrete = path.replace(/\{[a-z_]+\}/g, 'x');
    // /metrics answers only with its token (issue8_10).
    const auth = path === '/metrics' ? { authorization: `Bearer ${server.metricsToken}` } : {};
    const res = await fetch(`${server.baseUrl}${concrete}`, { method, headers: { 'content-type': 'application/json', ...auth }, body: ['GET', 'HEAD', 'DELETE'].includes(method) ? undefined : '{}' });
    assert.notEqual(res.status, 405, `${method} ${path}`);
    if (res.status === 404) {
      const body = await res.json();
      assert.notEqual(body.detail, 'No such resource.', `${method} ${path} is routed`);
    }
  }
  await stillServing();
});
