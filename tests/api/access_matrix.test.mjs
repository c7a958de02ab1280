// Access matrix of the case-work endpoints (issue 3): every endpoint × every demo role × own /
// other centre. Advisors and centre leads see only their centre's records (another centre's: 404);
// the competence centre is a centre of its own and sees escalations, never the escalated case;
// state coordinators, programme and admin never see case content (403); nobody signed out (401).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, DEMO_USERS } from '../lib/server.mjs';

let server;
// The server's today: Europe/Berlin (a due date before it is refused unless confirmed).
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
const clients = {};
let owner; // the Berlin advisor, who owns the fixtures

const OWN = ['advisor', 'centreLead']; // Berlin
const OTHER = ['advisorBayern', 'competenceCentre']; // other centres with case access
const NONE = ['admin', 'stateCoordinator', 'programme']; // no case access

async function fixture() {
  const client = (await owner.post('/api/v1/clients', { nationality: 'SY', name: 'Matrix Person' })).body;
  const k = (await owner.post('/api/v1/cases', { client_id: client.id, topics: ['wages'] })).body;
  const deadline = (await owner.post(`/api/v1/cases/${k.id}/deadlines`, { kind: 'other', due_date: today })).body;
  const referral = (await owner.post(`/api/v1/cases/${k.id}/referrals`, { target: 'trade_union' })).body;
  const escalation = (await owner.post(`/api/v1/cases/${k.id}/escalations`, { summary: 's', question: 'q' })).body;
  const document = (await owner.request('POST', `/api/v1/cases/${k.id}/documents`, { body: PDF, headers: PDF_HEADERS })).body;
  return { client, k, deadline, referral, escalation, document };
}

// A minimal PDF for the document routes (type checked by content).
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n' +
  '<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
const PDF_HEADERS = { 'Content-Type': 'application/pdf', 'X-Filename': encodeURIComponent('Matrix Person Vertrag.pdf') };

// kind: 'record' (own 2xx, other centre 404, no case access 403), 'list' (2xx for case roles, only
// own records), 'public', 'routing_admin' (competence centre and admins), 'routing_read' (case roles
// and admins), 'admin' (admins only), 'escalation' (own centre and
// competence centre).
const ENDPOINTS = [
  { kind: 'public', req: () => ['GET', '/api/v1/topics'] },
  { kind: 'routing_read', req: () => ['GET', '/api/v1/routing-rules'] },
  { kind: 'routing_admin', req: (f, rules) => ['PUT', '/api/v1/routing-rules', { rules }] },
  // The admins' settings page (issue 7): topics and retention for admins, the history also for
  // the competence centre (which edits routing rules). Each write sends the current values back.
  { kind: 'admin', req: (f, rules, topics) => ['PUT', '/api/v1/topics', { topics }] },
  { kind: 'admin', req: () => ['GET', '/api/v1/settings/retention'] },
  { kind: 'admin', req: () => ['PUT', '/api/v1/settings/retention', { retention_years: 3 }] },
  { kind: 'routing_admin', req: () => ['GET', '/api/v1/settings/history'] },
  { kind: 'list', req: () => ['POST', '/api/v1/intake/route', { nationality: 'SY', topics: ['wages'], postcode: '10115' }] },
  { kind: 'list', req: () => ['POST', '/api/v1/clients', { nationality: 'UA' }] },
  { kind: 'list', req: () => ['GET', '/api/v1/clients'], owned: (f, body) => body.items.some((x) => x.id === f.client.id) },
  { kind: 'list', req: () => ['POST', '/api/v1/clients/search', { q: 'Matrix Person', limit: 200 }], owned: (f, body) => body.items.some((x) => x.id === f.client.id) },
  { kind: 'record', req: (f) => ['GET', `/api/v1/clients/${f.client.id}`] },
  { kind: 'record', req: (f) => ['PATCH', `/api/v1/clients/${f.client.id}`, { gender: 'female' }] },
  { kind: 'record', req: (f) => ['GET', `/api/v1/clients/${f.client.id}/export`] },
  { kind: 'record', fresh: true, req: (f) => ['DELETE', `/api/v1/clients/${f.client.id}`] },
  { kind: 'record', req: (f) => ['POST', '/api/v1/cases', { client_id: f.client.id, topics: ['leave'] }], otherStatus: 422 },
  { kind: 'list', req: () => ['GET', '/api/v1/cases'], owned: (f, body) => body.items.some((x) => x.id === f.k.id) },
  { kind: 'record', req: (f) => ['GET', `/api/v1/cases/${f.k.id}`] },
  { kind: 'record', req: (f) => ['PATCH', `/api/v1/cases/${f.k.id}`, { priority: 'high' }] },
  { kind: 'record', fresh: true, req: (f) => ['POST', `/api/v1/cases/${f.k.id}/transfer`, { centre_id: 'centre-hh-1', consent_date: today }] },
  { kind: 'record', req: (f) => ['POST', `/api/v1/cases/${f.k.id}/consultations`, { date: today, duration_minutes: 30, channel: 'phone', language: 'ar', kind: 'acute' }] },
  { kind: 'record', req: (f) => ['GET', `/api/v1/cases/${f.k.id}/consultations`] },
  { kind: 'record', req: (f) => ['POST', `/api/v1/cases/${f.k.id}/deadlines`, { kind: 'other', due_date: today }] },
  { kind: 'record', req: (f) => ['GET', `/api/v1/cases/${f.k.id}/deadlines`] },
  { kind: 'record', req: (f) => ['PATCH', `/api/v1/deadlines/${f.deadline.id}`, { done: false }] },
  { kind: 'list', req: () => ['GET', '/api/v1/deadlines?due_within_days=7'], owned: (f, body) => body.items.some((x) => x.id === f.deadline.id) },
  { kind: 'record', req: (f) => ['POST', `/api/v1/cases/${f.k.id}/referrals`, { target: 'trade_union' }] },
  { kind: 'record', req: (f) => ['GET', `/api/v1/cases/${f.k.id}/referrals`] },
  { kind: 'record', req: (f) => ['PATCH', `/api/v1/cases/${f.k.id}/referrals/${f.referral.id}`, { status: 'suggested' }] },
  { kind: 'record', req: (f) => ['POST', `/api/v1/cases/${f.k.id}/escalations`, { summary: 's', question: 'q' }] },
  { kind: 'list', req: () => ['GET', '/api/v1/escalations'], owned: (f, body) => body.items.some((x) => x.id === f.escalation.id), ccSees: true },
  // Documents (review 11): upload, list, download, delete.
  { kind: 'record', req: (f) => ['POST', `/api/v1/cases/${f.k.id}/documents`, PDF, PDF_HEADERS] },
  { kind: 'record', req: (f) => ['GET', `/api/v1/cases/${f.k.id}/documents`] },
  { kind: 'record', req: (f) => ['GET', `/api/v1/documents/${f.document.id}`] },
  { kind: 'record', fresh: true, req: (f) => ['DELETE', `/api/v1/documents/${f.document.id}`] },
  // Case work for daily use (issue 7): single records, the audited "show", history, corrections.
  { kind: 'record', req: (f) => ['GET', `/api/v1/clients/${f.client.id}/personal`] },
  { kind: 'record', req: (f) => ['GET', `/api/v1/clients/${f.client.id}/cases`] },
  { kind: 'record', req: (f) => ['GET', `/api/v1/cases/${f.k.id}/history`] },
  { kind: 'record', req: (f) => ['GET', `/api/v1/deadlines/${f.deadline.id}`] },
  { kind: 'record', req: (f) => ['GET', `/api/v1/referrals/${f.referral.id}`] },
  { kind: 'record', req: (f) => ['PATCH', `/api/v1/referrals/${f.referral.id}`, { status: 'suggested' }] },
  { kind: 'record', fresh: true, req: (f) => ['PATCH', `/api/v1/documents/${f.document.id}`, { withdrawn: true, reason: 'Matrix' }] },
  { kind: 'record', fresh: true, req: (f) => ['POST', `/api/v1/documents/${f.document.id}/versions`, PDF, { ...PDF_HEADERS, 'X-Reason': 'Matrix' }] },
  { kind: 'escalation', req: (f) => ['GET', `/api/v1/escalations/${f.escalation.id}`] },
  { kind: 'escalation', req: (f) => ['POST', `/api/v1/escalations/${f.escalation.id}/messages`, { body: 'hello' }] },
  { kind: 'escalation', req: (f) => ['PATCH', `/api/v1/escalations/${f.escalation.id}`, { status: 'open' }] },
];

before(async () => {
  server = await startServer();
  for (const [role, email] of Object.entries(DEMO_USERS)) {
    clients[role] = api(server.baseUrl);
    await clients[role].loginOk(email);
  }
  owner = clients.advisor;
});
after(async () => {
  await server?.stop();
});

function expected(endpoint, role) {
  const own = OWN.includes(role);
  const none = NONE.includes(role);
  switch (endpoint.kind) {
    case 'public':
      return 200;
    case 'routing_admin':
      return role === 'competenceCentre' || role === 'admin' ? 200 : 403;
    case 'routing_read':
      return role === 'admin' ? 200 : none ? 403 : 'ok';
    case 'admin':
      return role === 'admin' ? 200 : 403;
    case 'list':
      return none ? 403 : 'ok';
    case 'record':
      return none ? 403 : own ? 'ok' : (endpoint.otherStatus ?? 404);
    case 'escalation':
      return none ? 403 : own || role === 'competenceCentre' ? 'ok' : 404;
    default:
      throw new Error(endpoint.kind);
  }
}

test('every case endpoint × every role × own/other centre', async () => {
  const shared = await fixture();
  const rules = (await owner.get('/api/v1/routing-rules')).body.items;
  const topics = (await owner.get('/api/v1/topics')).body.items.map((t) => ({ code: t.code, labels: t.labels, in_scope: t.in_scope }));
  const failures = [];
  for (const endpoint of ENDPOINTS) {
    for (const role of [...OWN, ...OTHER, ...NONE, 'signedOut']) {
      const f = endpoint.fresh ? await fixture() : shared;
      const [method, path, body, headers] = endpoint.req(f, rules, topics);
      const c = role === 'signedOut' ? api(server.baseUrl) : clients[role];
      const res = await c.request(method, path, { ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) });
      const want = role === 'signedOut' ? (endpoint.kind === 'public' ? 200 : 401) : expected(endpoint, role);
      const ok = want === 'ok' ? res.status >= 200 && res.status < 300 : res.status === want;
      if (!ok) failures.push(`${method} ${path} as ${role}: ${res.status}, expected ${want}`);
      if (endpoint.owned && res.status === 200 && role !== 'signedOut') {
        const sees = endpoint.owned(f, res.body);
        const shouldSee = OWN.includes(role) || Boolean(endpoint.ccSees && role === 'competenceCentre');
        if (sees !== shouldSee) failures.push(`${method} ${path} as ${role}: sees the Berlin record = ${sees}`);
      }
      if (res.status >= 400) {
        const text = JSON.stringify(res.body);
        assert.ok(!text.includes('Matrix Person'), 'no personal data in problems');
      }
    }
  }
  assert.deepEqual(failures, []);
});

test('the competence centre sees the escalation but not the case or client behind it', async () => {
  const f = await fixture();
  const cc = clients.competenceCentre;
  const res = await cc.get(`/api/v1/escalations/${f.escalation.id}`);
  assert.equal(res.status, 200);
  assert.equal(res.body.case_id, undefined);
  assert.ok(!JSON.stringify(res.body).includes('Matrix Person'));
  assert.ok(!JSON.stringify(res.body).includes(f.client.id));
  assert.equal((await cc.get(`/api/v1/cases/${f.k.id}`)).status, 404);
  assert.equal((await cc.get(`/api/v1/clients/${f.client.id}`)).status, 404);
});
