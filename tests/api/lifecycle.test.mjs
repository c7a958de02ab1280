// Graceful shutdown: a request in flight when SIGTERM arrives is still answered, then the process
// exits 0 and accepts no new connections. Keep-alive: several requests on one connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from '../lib/server.mjs';

function connect(baseUrl) {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => resolve(socket));
    socket.on('error', reject);
  });
}

async function inFlight(server) {
  const text = await server.metrics();
  return Number(text.match(/^fairdesk_http_requests_in_flight (\d+)/m)?.[1] ?? 0);
}

test('a request in flight during SIGTERM is answered, then the server exits 0', async () => {
  const server = await startServer({ demo: false });
  const socket = await connect(server.baseUrl);
  let received = '';
  const closed = new Promise((resolve) => socket.on('close', resolve));
  socket.on('data', (chunk) => { received += chunk.toString(); });

  const body = JSON.stringify({ month: '2026-03', gross_pay_cents: 60000 });
  socket.write(`POST /api/v1/calc/mini-job HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
  socket.write(body.slice(0, 10));
  // Wait until the server has read our header: the metrics request itself is one in flight,
  // ours makes two.
  while ((await inFlight(server)) < 2) { /* poll */ }

  server.process.kill('SIGTERM');
  socket.end(body.slice(10));
  await closed;
  assert.match(received, /^HTTP\/1\.1 200/);
  assert.match(received, /"category":"minijob"/);
  const code = server.process.exitCode ?? (await new Promise((resolve) => server.process.once('exit', resolve)));
  assert.equal(code, 0);
  await server.stop();
  await assert.rejects(fetch(`${server.baseUrl}/healthz`));
});

test('keep-alive serves several requests on one connection', async () => {
  const server = await startServer({ demo: false });
  try {
    const socket = await connect(server.baseUrl);
    let received = '';
    socket.on('data', (chunk) => { received += chunk.toString(); });
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /readyz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await closed;
    assert.equal(received.match(/HTTP\/1\.1 200/g)?.length, 3);
  } finally {
    await server.stop();
  }
});
