// Sign-in through an identity provider served over HTTPS (issue 13), as in production: the real
// `oidc-provider` behind node's TLS server with certificates made here by openssl. fairdesk
// trusts the test CA through FAIRDESK_OIDC_CA_FILE (docs/DEPLOYMENT.md) and signs in; a provider
// whose certificate comes from a CA fairdesk does not trust, or names another host, is refused
// during the TLS handshake with a clear reason in the log: the provider never sees a request
// (no discovery, no token exchange). Runs on SQLite and, with FAIRDESK_TEST_DB_URL, PostgreSQL.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, DEMO_USERS, startServer } from '../lib/server.mjs';
import { startOidcProvider, followProvider } from '../lib/oidc-provider.mjs';

const CLIENT = { client_id: 'fairdesk-tls', client_secret: 'fd-tls-client-secret-0123456789' };
const ACCOUNTS = { erika: { password: 'erika-pw', email: 'erika@idp.example', name: 'Erika Engel', groups: ['fd-advisor-be-1'] } };
const RULES = [{ claim: 'groups', value: 'fd-advisor-be-1', role: 'advisor', centre_id: 'centre-be-1' }];

let dir;
let pem;
let server;
let admin;
const idps = {};

// A CA (key + self-signed certificate) and a server certificate it signs for `names` (SAN DNS).
function openssl(...args) {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}
function makeCa(name) {
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
    '-keyout', `${name}.key`, '-out', `${name}.pem`, '-subj', `/CN=fairdesk test ${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
}
function makeLeaf(name, ca, dnsName) {
  writeFileSync(join(dir, `${name}.ext`), `subjectAltName=DNS:${dnsName}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`,
    '-out', `${name}.csr`, '-subj', `/CN=${dnsName}`);
  openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial',
    '-days', '2', '-out', `${name}.pem`, '-extfile', `${name}.ext`);
  return { key: readFileSync(join(dir, `${name}.key`)), cert: readFileSync(join(dir, `${name}.pem`)) };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fairdesk-oidc-tls-'));
  makeCa('trusted-ca');
  makeCa('other-ca');
  pem = readFileSync(join(dir, 'trusted-ca.pem'));
  server = await startServer({ env: { FAIRDESK_OIDC_CA_FILE: join(dir, 'trusted-ca.pem') } });
  const redirectUri = `${server.baseUrl}/api/v1/oidc/callback`;
  const provider = (tls) => startOidcProvider({ client: { ...CLIENT, redirect_uris: [redirectUri] }, accounts: ACCOUNTS, tls });
  // Trusted CA, right name; a CA fairdesk does not trust; trusted CA but another host name.
  idps.good = await provider({ ...makeLeaf('good', 'trusted-ca', 'localhost'), host: 'localhost' });
  idps.untrusted = await provider({ ...makeLeaf('untrusted', 'other-ca', 'localhost'), host: 'localhost' });
  idps.wrongHost = await provider({ ...makeLeaf('wrong-host', 'trusted-ca', 'idp.example.org'), host: 'localhost' });
  admin = api(server.baseUrl);
  await admin.loginOk(DEMO_USERS.admin);
});
after(async () => {
  for (const idp of Object.values(idps)) await idp.stop();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function configure(idp) {
  const res = await admin.put('/api/v1/settings/oidc', {
    enabled: true, label: 'Testorg TLS', issuer: idp.issuer, client_id: CLIENT.client_id,
    client_secret: CLIENT.client_secret, scopes: 'openid email profile groups', rules: RULES,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

// The test's own requests to the provider (the browser's part) trust the test CA.
function idpRequest(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, headers, ca: pem, timeout: 10_000 }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${url}`)));
    req.on('error', reject);
    req.end(body);
  });
}

// One browser's sign-in at `idp` as `login`: fairdesk's start, the provider's form, fairdesk's callback.
async function signIn(idp, login) {
  const fd = api(server.baseUrl);
  const started = await fd.get('/api/v1/oidc/start?return_to=%2Fcases');
  assert.equal(started.status, 302);
  const location = started.headers.get('location');
  assert.ok(location.startsWith(`${idp.issuer}/auth?`), location);
  const callbackUrl = await followProvider(idp.issuer, location, login, async (url, options) => {
    const res = await idpRequest(url, options);
    return { status: res.status, location: res.headers.location, setCookie: res.headers['set-cookie'] ?? [], text: res.text };
  });
  const { pathname, search } = new URL(callbackUrl);
  const back = await fd.get(pathname + search);
  assert.equal(back.status, 302, JSON.stringify(back.body));
  return { fd, landed: back.headers.get('location') };
}

test('a provider over HTTPS with a certificate of the CA in FAIRDESK_OIDC_CA_FILE: discovery, token exchange and sign-in work', async () => {
  assert.ok(idps.good.issuer.startsWith('https://localhost:'), idps.good.issuer);
  await configure(idps.good);
  const { fd, landed } = await signIn(idps.good, 'erika');
  assert.equal(landed, '/cases');
  const me = await fd.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.user.email, 'erika@idp.example');
  assert.equal(me.body.user.role, 'advisor');
  // fairdesk's back channel went over TLS to the provider: discovery, keys and the token request.
  for (const path of ['GET /.well-known/openid-configuration', 'GET /jwks', 'POST /token']) {
    assert.ok(idps.good.requests.includes(path), `${path} in ${idps.good.requests.join(', ')}`);
  }
});

for (const [name, reason] of [['untrusted', /not accepted: unable to get local issuer certificate/], ['wrongHost', /not accepted: hostname mismatch/]]) {
  test(`a provider whose certificate is ${name === 'untrusted' ? 'from a CA fairdesk does not trust' : 'for another host name'} is refused before any request`, async () => {
    const idp = idps[name];
    await configure(idp);
    const logBefore = server.output().length;
    const fd = api(server.baseUrl);
    const started = await fd.get('/api/v1/oidc/start?return_to=%2Fcases');
    assert.equal(started.status, 302);
    assert.equal(started.headers.get('location'), '/login?oidc_error=oidc-unavailable');
    assert.equal((await fd.get('/api/v1/me')).status, 401);
    // The log names the reason for the operator (the problem answered to the browser does not).
    const warnings = server.output().slice(logBefore).split('\n').filter((l) => l.includes('"oidc_unavailable"'));
    assert.ok(warnings.some((l) => reason.test(l)), warnings.join('\n'));
    // The TLS handshake failed before a request was sent: no discovery, no token exchange.
    assert.deepEqual(idp.requests, []);
  });
}
