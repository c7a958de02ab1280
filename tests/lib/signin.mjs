// Sign-in helpers for tests of throttling and the proof of work (issue 8 #6): a sign-in through
// the "reverse proxy" as some client address, and the solution of a proof-of-work challenge.
import http from 'node:http';
import { createHash } from 'node:crypto';

/**
 * POST /api/v1/session through the "reverse proxy" (a connection from 127.0.0.2, which a server
 * started with `--trusted-proxy 127.0.0.2` trusts), as the client address `from`.
 * Resolves to `{ status, body, headers }` (body parsed as JSON).
 */
export function loginFrom(server, from, email, password, extra = {}) {
  const { port } = new URL(server.baseUrl);
  const body = JSON.stringify({ email, password, ...extra });
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port: Number(port), localAddress: '127.0.0.2', method: 'POST', path: '/api/v1/session',
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'X-Forwarded-For': from },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, body: text ? JSON.parse(text) : null, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A nonce such that SHA-256(challenge ":" nonce) starts with `difficulty` zero bits. */
export function solveProof(challenge, difficulty) {
  for (let nonce = 0; ; nonce += 1) {
    const digest = createHash('sha256').update(`${challenge}:${nonce}`).digest();
    let bits = 0;
    for (const byte of digest) {
      if (byte === 0) { bits += 8; continue; }
      bits += Math.clz32(byte) - 24;
      break;
    }
    if (bits >= difficulty) return String(nonce);
  }
}
