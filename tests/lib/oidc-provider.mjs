/**
 * A real OpenID Provider for the tests: the certified `oidc-provider` package (npm, devDependency)
 * on a free loopback port, with a small sign-in page of its own (login + password, refusing
 * disabled accounts), automatic consent for the configured client, PKCE required, RS256 ID tokens.
 *
 *   import { startOidcProvider } from '../lib/oidc-provider.mjs';
 *   const idp = await startOidcProvider({
 *     client: { client_id: 'fairdesk', client_secret: 's3cret', redirect_uris: ['http://127.0.0.1:1234/api/v1/oidc/callback'] },
 *     accounts: { alice: { password: 'pw', email: 'alice@idp.example', name: 'Alice', groups: ['fd-advisors'] } },
 *   });
 *   idp.issuer            // http://127.0.0.1:<port>
 *   // Over HTTPS: `tls: { key, cert, host }` (PEM; `host` names the issuer, default localhost):
 *   // the issuer is then https://<host>:<port>; the server listens on 127.0.0.1 all the same.
 *   idp.setEnabled('alice', false)   // the IdP disables the account: no sign-in, no userinfo
 *   idp.setGroups('alice', ['g'])    // the groups claim of the next sign-in
 *   await idp.rotateKeys()           // a new signing key (new kid); the old one stays published
 *   await idp.dropOldKeys()          // only the newest key is published
 *   idp.moveEndpoints('/v2')         // the same issuer with its endpoints under /v2 (a new
 *                                    // discovery document; the old paths answer 404)
 *   await idp.stop()
 *
 *   // The browser's part of a sign-in: from fairdesk's redirect to the provider, through its
 *   // sign-in form, to the redirect back (answered, not called).
 *   const callbackUrl = await followProvider(idp.issuer, started.headers.get('location'), 'alice');
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

function newKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: `k-${randomBytes(6).toString('hex')}`, alg: 'RS256', use: 'sig' };
}

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startOidcProvider({ client, otherClients = [], accounts, port = 0, tls = null }) {
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }) : http.createServer();
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  const issuer = tls ? `https://${tls.host ?? 'localhost'}:${server.address().port}` : `http://127.0.0.1:${server.address().port}`;
  const state = { accounts: structuredClone(accounts), keys: [newKey()], routes: {}, provider: null, requests: [] };
  const cookieKeys = [randomBytes(16).toString('hex')];
  // The provider keeps grants and sessions in memory; a new instance (key rotation) starts with
  // the same adapter so that sign-ins in progress and issued tokens survive the rotation.
  const store = new Map();
  class MemoryAdapter {
    constructor(name) { this.name = name; }
    key(id) { return `${this.name}:${id}`; }
    async upsert(id, payload, expiresIn) {
      store.set(this.key(id), { payload, expires: Date.now() + (expiresIn ?? 3600) * 1000 });
      if (payload.grantId) store.set(`grant:${payload.grantId}:${this.key(id)}`, true);
      if (payload.userCode) store.set(`user:${payload.userCode}`, id);
      if (payload.uid) store.set(`uid:${payload.uid}`, id);
    }
    async find(id) {
      const e = store.get(this.key(id));
      return e && e.expires > Date.now() ? e.payload : undefined;
    }
    async findByUid(uid) { const id = store.get(`uid:${uid}`); return id ? this.find(id) : undefined; }
    async findByUserCode(code) { const id = store.get(`user:${code}`); return id ? this.find(id) : undefined; }
    async consume(id) { const e = store.get(this.key(id)); if (e) e.payload.consumed = Math.floor(Date.now() / 1000); }
    async destroy(id) { store.delete(this.key(id)); }
    async revokeByGrantId(grantId) {
      for (const k of [...store.keys()]) {
        if (k.startsWith(`grant:${grantId}:`)) { store.delete(k.slice(`grant:${grantId}:`.length)); store.delete(k); }
      }
    }
  }

  const build = () => {
    const provider = new Provider(issuer, {
      adapter: MemoryAdapter,
      clients: [client, ...otherClients].map((c) => ({ grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic', ...c })),
      jwks: { keys: state.keys },
      routes: state.routes,
      cookies: { keys: cookieKeys },
      pkce: { required: () => true },
      scopes: ['openid', 'email', 'profile', 'groups', 'offline_access'],
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
      features: { devInteractions: { enabled: false }, introspection: { enabled: true } },
      interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
      // A first-party client: consent is given with the sign-in.
      loadExistingGrant: async (ctx) => {
        const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
        if (grantId) return ctx.oidc.provider.Grant.find(grantId);
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
        grant.addOIDCScope('openid email profile groups offline_access');
        await grant.save();
        return grant;
      },
      findAccount: async (ctx, sub) => {
        const a = state.accounts[sub];
        if (!a || a.enabled === false) return undefined;
        return {
          accountId: sub,
          claims: async () => ({ sub, email: a.email, email_verified: true, name: a.name, groups: a.groups ?? [] }),
        };
      },
      ttl: { AccessToken: 600, IdToken: 600, Session: 3600, Interaction: 600, Grant: 3600, AuthorizationCode: 60, RefreshToken: 3600 },
      issueRefreshToken: async () => true,
    });
    provider.proxy = false;
    return provider;
  };
  state.provider = build();

  const readForm = (req) => new Promise((resolve) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => resolve(Object.fromEntries(new URLSearchParams(body))));
  });

  server.on('request', async (req, res) => {
    state.requests.push(`${req.method} ${req.url.split('?')[0]}`);
    const provider = state.provider;
    // Browsers ask for an icon; the provider has none (else a 404 shows up as a console error).
    if (req.url === '/favicon.ico') {
      res.statusCode = 204;
      return res.end();
    }
    const m = req.url.match(/^\/interaction\/([^/?]+)(\/login)?/);
    if (!m) return provider.callback()(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'GET') {
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.end(`<!doctype html><html lang="en"><head><title>Test IdP sign-in</title></head><body><main>
<h1>Test identity provider</h1><form method="post" action="/interaction/${escapeHtml(details.uid)}/login">
<label>Login <input name="login" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in at the IdP</button></form></main></body></html>`);
        return;
      }
      const form = await readForm(req);
      const a = state.accounts[form.login];
      if (!a || a.enabled === false || a.password !== form.password) {
        return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'sign-in refused' },
          { mergeWithLastSubmission: false });
      }
      return provider.interactionFinished(req, res, { login: { accountId: form.login } }, { mergeWithLastSubmission: false });
    } catch (error) {
      res.statusCode = 400;
      res.end(String(error.message));
    }
  });

  return {
    issuer,
    requests: state.requests,
    setEnabled(sub, enabled) { state.accounts[sub].enabled = enabled; },
    setGroups(sub, groups) { state.accounts[sub].groups = groups; },
    async rotateKeys() {
      state.keys = [newKey(), ...state.keys];
      state.provider = build();
    },
    async dropOldKeys() {
      state.keys = state.keys.slice(0, 1);
      state.provider = build();
    },
    moveEndpoints(prefix) {
      state.routes = { authorization: `${prefix}/auth`, token: `${prefix}/token`, jwks: `${prefix}/jwks`, userinfo: `${prefix}/me` };
      state.provider = build();
    },
    kids: () => state.keys.map((k) => k.kid),
    stop: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
  };
}

async function fetchRequest(url, { method = 'GET', headers = {}, body } = {}) {
  const res = await fetch(url, { method, headers, body, redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), setCookie: res.headers.getSetCookie(), text: await res.text() };
}

/**
 * The browser's part of a sign-in at the provider `issuer`: follows `location` (the application's
 * redirect to the provider) through the provider's sign-in form as `login` (password
 * `<login>-pw`) up to the redirect back to the application, and answers that URL (not called).
 * `request(url, { method, headers, body })` sends one request without following redirects and
 * resolves to `{ status, location, setCookie: string[], text }`; the default uses fetch (a test
 * whose provider needs its own CA passes its own).
 */
export async function followProvider(issuer, location, login, request = fetchRequest) {
  const jar = new Map();
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const remember = (res) => {
    for (const line of res.setCookie) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    assert.ok(Date.now() < deadline, 'the provider did not send the browser back in time');
    const url = new URL(location, issuer);
    if (!url.href.startsWith(issuer)) return url.href;
    let res = await request(url, { headers: { Cookie: cookie() } });
    remember(res);
    if (res.status === 200) {
      const action = res.text.match(/action="([^"]+)"/)?.[1];
      assert.ok(action, `the provider showed a page without a form: ${res.text.slice(0, 200)}`);
      res = await request(new URL(action, issuer), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie() },
        body: new URLSearchParams({ login, password: `${login}-pw` }).toString(),
      });
      remember(res);
    }
    assert.ok([302, 303].includes(res.status), `unexpected answer ${res.status} from the provider`);
    location = res.location;
  }
}
