// Issue 8, the HTTP layer: access decided from the request head, bounded connections and
// request-body memory, inactivity timeouts, request framing, /metrics behind a token, bounded
// problem documents and the client address behind a trusted proxy. One server with small limits,
// against the real binary (FAIRDESK_BIN), on SQLite or, with FAIRDESK_TEST_DB_URL, on PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, api, DEMO_USERS } from '../lib/server.mjs';

const MAX_CONNECTIONS = 24;
const MAX_BODY_BYTES = 3_000_000;
const BODY_IDLE_SECONDS = 4;

let server;
before(async () => {
  server = await startServer({
    extraArgs: [
      '--max-connections', String(MAX_CONNECTIONS),
      '--max-inflight-body-bytes', String(MAX_BODY_BYTES),
      '--body-idle-timeout', String(BODY_IDLE_SECONDS),
      // Connections from 127.0.0.2 count as the reverse proxy; 127.0.0.1 is a direct client.
      '--trusted-proxy', '127.0.0.2',
      '--hashing-threads', '1',
    ],
  });
});
after(async () => {
  await server?.stop();
});

/**
 * A raw connection: `send` writes bytes, `response()` resolves with the first complete response
 * ({status, headers, body}), `closed` when the server closes the connection.
 */
function connect({ localAddress } = {}) {
  const { hostname, port } = new URL(server.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port), localAddress }, () => {
      let data = Buffer.alloc(0);
      const waiters = [];
      const closed = new Promise((r) => socket.on('close', r));
      const parse = () => {
        const text = data.toString('latin1');
        const end = text.indexOf('\r\n\r\n');
        if (end < 0) return null;
        const lines = text.slice(0, end).split('\r\n');
        const headers = Object.fromEntries(lines.slice(1).map((l) => {
          const i = l.indexOf(':');
          return [l.slice(0, i).toLowerCase(), l.slice(i + 1).trim()];
        }));
        const length = Number(headers['content-length'] ?? 0);
        if (data.length < end + 4 + length) return null;
        const body = data.subarray(end + 4, end + 4 + length);
        return { status: Number(lines[0].split(' ')[1]), headers, body, text: body.toString('utf8'), all: data };
      };
      socket.on('data', (chunk) => {
        data = Buffer.concat([data, chunk]);
        const r = parse();
        if (r) while (waiters.length) waiters.shift()(r);
      });
      socket.on('error', () => {});
      resolve({
        socket,
        closed,
        data: () => data,
        send: (bytes) => new Promise((r) => socket.write(bytes, r)),
        response: () => {
          const r = parse();
          if (r) return Promise.resolve(r);
          return new Promise((res, rej) => {
            waiters.push(res);
            closed.then(() => { const last = parse(); if (last) res(last); else rej(new Error('closed without a response')); });
          });
        },
      });
    });
    socket.on('error', reject);
  });
}

async function signedInAdvisor() {
  const client = api(server.baseUrl);
  await client.loginOk(DEMO_USERS.advisor);
  const cases = await client.get('/api/v1/cases');
  assert.equal(cases.status, 200);
  // An upload needs a case that is not closed (closed cases refuse changes until reopened).
  const open = cases.body.items.find((c) => c.status !== 'closed');
  assert.ok(open, 'the demo advisor has a case that is not closed');
  return { client, caseId: open.id };
}

function uploadHead(client, caseId, length, { csrf = true } = {}) {
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return `POST /api/v1/cases/${caseId}/documents HTTP/1.1\r\nHost: x\r\nContent-Type: application/pdf\r\n` +
    `X-Filename: a.pdf\r\nCookie: ${cookie}\r\n${csrf ? `X-CSRF-Token: ${client.csrfToken}\r\n` : ''}` +
    `Content-Length: ${length}\r\n\r\n`;
}

async function gauge(name) {
  const text = await server.metrics();
  return Number(text.match(new RegExp(`^${name} (\\d+)`, 'm'))?.[1] ?? NaN);
}

test('issue8_01_body_after_auth: 401, 403 and 404 are answered from the head, before the body is sent', async () => {
  const { client, caseId } = await signedInAdvisor();
  const big = 20 * 1024 * 1024 - 1;
  // No session: 401 without a byte of the 20 MiB body, and the connection is closed.
  let c = await connect();
  await c.send(`POST /api/v1/cases/${caseId}/documents HTTP/1.1\r\nHost: x\r\nContent-Type: application/pdf\r\nContent-Length: ${big}\r\n\r\n`);
  let r = await c.response();
  assert.equal(r.status, 401);
  assert.match(r.headers['content-type'], /problem\+json/);
  await c.closed;
  // Signed in without the CSRF token: 403 from the head.
  c = await connect();
  await c.send(uploadHead(client, caseId, big, { csrf: false }));
  r = await c.response();
  assert.equal(r.status, 403);
  await c.closed;
  // No such route: 404 from the head.
  c = await connect();
  await c.send(`POST /api/v1/nowhere HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${big}\r\n\r\n`);
  r = await c.response();
  assert.equal(r.status, 404);
  await c.closed;
  // A role that may not upload (the admin sees no case content): 403 from the head.
  const admin = api(server.baseUrl);
  await admin.loginOk(DEMO_USERS.admin);
  c = await connect();
  await c.send(uploadHead(admin, caseId, big));
  r = await c.response();
  assert.ok([403, 404].includes(r.status), String(r.status));
  await c.closed;
});

test('issue8_01_inflight_body_bytes: bodies beyond the memory budget get 503 before they are read', async () => {
  const { client, caseId } = await signedInAdvisor();
  const each = 1_400_000;
  const held = [];
  for (let i = 0; i < 2; i += 1) {
    const c = await connect();
    await c.send(uploadHead(client, caseId, each));
    await c.send(Buffer.from('%PDF-1.4\n'));
    held.push(c);
  }
  // Both reservations are in place once the gauge shows them.
  while ((await gauge('fairdesk_http_body_bytes_reserved')) < 2 * each) { /* poll */ }
  const third = await connect();
  await third.send(uploadHead(client, caseId, each));
  const r = await third.response();
  assert.equal(r.status, 503);
  assert.ok(Number(r.headers['retry-after']) > 0);
  assert.match(r.headers['content-type'], /problem\+json/);
  for (const c of held) c.socket.destroy();
  while ((await gauge('fairdesk_http_body_bytes_reserved')) !== 0) { /* poll */ }
  // The budget is free again: a small upload goes through.
  const ok = await client.request('POST', `/api/v1/cases/${caseId}/documents`, {
    body: Buffer.from('%PDF-1.4\n%%EOF\n'),
    headers: { 'Content-Type': 'application/pdf', 'X-Filename': 'ok.pdf' },
  });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
});

test('issue8_01_connection_limit: connections beyond the limit get 503 and are closed', async () => {
  const sockets = await Promise.all(Array.from({ length: MAX_CONNECTIONS + 6 }, () => connect()));
  // Served connections stay silent (they wait for a request); refused ones get a 503 at once.
  const refused = [];
  await Promise.all(sockets.map(async (c) => {
    const first = await Promise.race([c.response().catch(() => null), new Promise((r) => setTimeout(() => r('silent'), 1500))]);
    if (first && first !== 'silent') refused.push(first);
  }));
  assert.ok(refused.length >= 6, `refused ${refused.length}`);
  for (const r of refused) {
    assert.equal(r.status, 503);
    assert.equal(r.headers.connection, 'close');
    assert.ok(Number(r.headers['retry-after']) > 0);
  }
  for (const c of sockets) c.socket.destroy();
  while ((await gauge('fairdesk_http_connections_open')) > 2) { /* poll */ }
  assert.equal((await fetch(`${server.baseUrl}/healthz`)).status, 200);
});

test('issue8_02_body_inactivity_timeout: a stalled body gets 408; a slow but steady one gets through', async () => {
  const c = await connect();
  const body = JSON.stringify({ month: '2026-03', gross_pay_cents: 60000 });
  await c.send(`POST /api/v1/calc/mini-job HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
  await c.send(body.slice(0, 5));
  const r = await c.response();
  assert.equal(r.status, 408);
  assert.equal(JSON.parse(r.text).status, 408);
  await c.closed;

  // Longer in total than the idle timeout, but never idle for that long.
  const steady = await connect();
  await steady.send(`POST /api/v1/calc/mini-job HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
  const pieces = 6;
  const size = Math.ceil(body.length / pieces);
  for (let i = 0; i < pieces; i += 1) {
    await new Promise((res) => setTimeout(res, (BODY_IDLE_SECONDS * 1000) / 4));
    await steady.send(body.slice(i * size, (i + 1) * size));
  }
  const ok = await steady.response();
  assert.equal(ok.status, 200, ok.text);
});

test('issue8_02_keepalive_idle_under_pressure: idle keep-alive connections are closed early while the server is busy', async () => {
  // More than half of the connection limit open makes "pressure".
  const fillers = await Promise.all(Array.from({ length: MAX_CONNECTIONS / 2 + 2 }, () => connect()));
  while ((await gauge('fairdesk_http_connections_open')) <= MAX_CONNECTIONS / 2) { /* poll */ }
  const c = await connect();
  await c.send('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.equal((await c.response()).status, 200);
  const started = Date.now();
  await c.closed;  // closed by the server after the short idle time (the normal one is 60 s)
  assert.ok(Date.now() - started < 30_000);
  for (const f of fillers) f.socket.destroy();
});

test('issue8_05_transfer_encoding: an unknown coding, or one sent with Content-Length, is 400 and closes', async () => {
  for (const te of ['gzip', 'chunked, gzip', 'identity']) {
    const c = await connect();
    // A second request is pipelined behind the body: it must never be answered.
    await c.send(`POST /api/v1/calc/mini-job HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
      `Transfer-Encoding: ${te}\r\nContent-Length: 2\r\n\r\n{}GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`);
    const r = await c.response();
    assert.equal(r.status, 400, te);
    await c.closed;
    assert.equal((c.data().toString('latin1').match(/HTTP\/1\.1 /g) ?? []).length, 1, te);
  }
  const c = await connect();
  await c.send('POST /api/v1/calc/mini-job HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
    'Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n2\r\n{}\r\n0\r\n\r\n');
  assert.equal((await c.response()).status, 400);
  // Plain chunked bodies still work.
  const body = JSON.stringify({ month: '2026-03', gross_pay_cents: 60000 });
  const ok = await connect();
  await ok.send('POST /api/v1/calc/mini-job HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
    `Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`);
  assert.equal((await ok.response()).status, 200);
});

test('issue8_10_metrics_token: /metrics needs the bearer token', async () => {
  assert.equal((await fetch(`${server.baseUrl}/metrics`)).status, 404);
  assert.equal((await fetch(`${server.baseUrl}/metrics`, { headers: { Authorization: 'Bearer wrong' } })).status, 404);
  const res = await fetch(`${server.baseUrl}/metrics`, { headers: { Authorization: `Bearer ${server.metricsToken}` } });
  assert.equal(res.status, 200);
  assert.match(await res.text(), /fairdesk_http_requests_total/);
});

test('issue8_18_problem_bounded_utf8: at most 50 field errors, names cut at a character boundary', async () => {
  const fields = {};
  for (let i = 0; i < 300; i += 1) fields[`field_${i}`] = i;
  // 63 ASCII bytes then a 4-byte character: a cut at 64 bytes would split it.
  fields[`${'x'.repeat(63)}\u{1F600}tail`] = 1;
  const res = await fetch(`${server.baseUrl}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'a@example.org', password: 'x', ...fields }),
  });
  assert.equal(res.status, 422);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);  // throws on invalid UTF-8
  const problem = JSON.parse(text);
  assert.equal(problem.errors.length, 50);
  assert.ok(problem.errors_omitted >= 251, String(problem.errors_omitted));
  assert.ok(bytes.length < 16_000, String(bytes.length));
});

test('issue8_06_trusted_proxy: X-Forwarded-For counts only from a configured proxy', async () => {
  const attempt = async (localAddress, forwarded) => {
    const c = await connect({ localAddress });
    const body = JSON.stringify({ email: 'nobody@example.org', password: 'wrong-password-1' });
    await c.send(`POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
      `X-Forwarded-For: ${forwarded}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    return c.response();
  };
  // Through the proxy: the address the proxy appended (the rightmost untrusted one) is the client's.
  assert.equal((await attempt('127.0.0.2', '192.0.2.1, 198.51.100.7')).status, 401);
  // Directly: a client's own X-Forwarded-For is ignored.
  assert.equal((await attempt('127.0.0.1', '203.0.113.99')).status, 401);
  const failures = server.output().split('\n').filter((l) => l.includes('"login_failed"'));
  assert.ok(failures.some((l) => l.includes('"address":"198.51.100.7"')), failures.join('\n'));
  assert.ok(!failures.some((l) => l.includes('192.0.2.1') || l.includes('203.0.113.99')), failures.join('\n'));
  assert.ok(failures.some((l) => l.includes('"address":"127.0.0.1"')), failures.join('\n'));
});

test('issue8_17_centre_contact_fields: website, e-mail and phone of a centre are checked on the server', async () => {
  const admin = api(server.baseUrl);
  await admin.loginOk(DEMO_USERS.admin);
  for (const [field, value] of [['website', 'javascript:alert(1)'], ['website', 'https://exa mple.org'],
    ['email', 'not-an-address'], ['email', 'a@b.de, c@d.de'], ['phone', 'call me maybe'], ['phone', '123']]) {
    const res = await admin.patch('/api/v1/centres/centre-be-1', { [field]: value });
    assert.equal(res.status, 422, `${field}=${value}`);
    assert.ok(res.body.errors.some((e) => e.field === field), JSON.stringify(res.body));
  }
  const before = await admin.get('/api/v1/centres/centre-be-1');
  const ok = await admin.patch('/api/v1/centres/centre-be-1', {
    website: 'https://beratung.example.org/berlin', email: 'berlin@example.org', phone: '+49 30 1234567',
  });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.website, 'https://beratung.example.org/berlin');
  await admin.patch('/api/v1/centres/centre-be-1', { website: before.body.website, email: before.body.email, phone: before.body.phone });
});

test('issue8_03_hashing_pool: sign-ins queue on their own pool; other requests do not wait for them', async () => {
  const reader = api(server.baseUrl);
  await reader.loginOk(DEMO_USERS.programme);
  // Eight sign-ins at once: with one hashing thread they are checked one after another.
  let pending = 8;
  const logins = Array.from({ length: 8 }, () => api(server.baseUrl).login(DEMO_USERS.stateCoordinator)
    .then((r) => { pending -= 1; return r; }));
  // Meanwhile a signed-in request is answered before the sign-ins are through.
  const me = await reader.get('/api/v1/me');
  assert.equal(me.status, 200);
  const stillHashing = pending;
  const results = await Promise.all(logins);
  assert.ok(results.every((r) => r.status === 200));
  // Sharing the four blocking threads, /me would queue behind the sign-ins and come after at
  // least five of them; on its own pool it comes while nearly all are still waiting.
  assert.ok(stillHashing >= 4, `GET /me came after ${8 - stillHashing} of 8 sign-ins`);
});
