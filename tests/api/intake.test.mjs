// Intake routing and the topics taxonomy (issue 3): rules as data, evaluated in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, DEMO_USERS, signedIn, errorFields } from '../lib/server.mjs';

let server;

const as = (email) => signedIn(server.baseUrl, email);


before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

test('intake routing: EU national to Fair Mobility, third-country to the centre of the postcode', async () => {
  const c = await as(DEMO_USERS.advisor);
  let res = await c.post('/api/v1/intake/route', { nationality: 'PL', topics: ['wages'], postcode: '10115' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.suggestions[0].target, 'fair_mobility');
  assert.ok(res.body.suggestions[0].organisation_id);
  assert.ok(res.body.suggestions[0].reason);
  // Actionable: the partner's contact data comes with the suggestion.
  const contact = res.body.suggestions[0].contact;
  assert.ok(contact.phone || contact.email || contact.website, JSON.stringify(contact));

  res = await c.post('/api/v1/intake/route', { nationality: 'SY', topics: ['wages', 'exploitation'], postcode: '10115' });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.suggestions.map((s) => s.target), ['centre', 'anti_trafficking']);
  assert.equal(res.body.suggestions[0].organisation_id, 'centre-be-1');
  assert.ok(res.body.suggestions[0].languages.length > 0);
  assert.match(res.body.suggestions[0].contact.address, /\d{5} /);

  res = await c.post('/api/v1/intake/route', { nationality: 'UA', topics: ['job_search', 'residence_status', 'recognition'] });
  assert.deepEqual(res.body.suggestions.map((s) => s.target),
    ['employment_agency', 'migration_counselling', 'recognition_counselling']);

  res = await c.post('/api/v1/intake/route', { nationality: 'XX', topics: ['wages'], postcode: '1011', extra: 1 });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res).sort(), ['extra', 'nationality', 'postcode']);
  res = await c.post('/api/v1/intake/route', { nationality: 'SY', topics: ['nope'] });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['topics[0]']);
});

test('intake routing: discrimination and undeclared work add partners; EEA and Swiss are free movement', async () => {
  const c = await as(DEMO_USERS.advisor);
  let res = await c.post('/api/v1/intake/route',
    { nationality: 'IN', topics: ['wages', 'discrimination'], postcode: '10115', flags: ['undeclared_work'] });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.suggestions.map((s) => s.target), ['centre', 'anti_discrimination', 'customs_fks']);
  // Berlin has its own anti-discrimination office in the directory.
  assert.equal(res.body.suggestions[1].organisation_id, 'partner-adb-be-demo');
  for (const n of ['CH', 'NO', 'LI', 'IS', 'RO']) {
    res = await c.post('/api/v1/intake/route', { nationality: n, topics: ['dismissal'] });
    assert.equal(res.body.suggestions[0].target, 'fair_mobility', n);
  }
  res = await c.post('/api/v1/intake/route', { nationality: 'SY', topics: ['wages'], postcode: '80331' });
  assert.equal(res.body.suggestions[0].organisation_id, 'centre-by-1');
  res = await c.post('/api/v1/intake/route', { nationality: 'sy', topics: [] });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res).sort(), ['nationality', 'topics']);
});

test('intake routing needs case access', async () => {
  const anon = api(server.baseUrl);
  assert.equal((await anon.post('/api/v1/intake/route', { nationality: 'SY', topics: ['wages'] })).status, 401);
  const prog = await as(DEMO_USERS.programme);
  assert.equal((await prog.post('/api/v1/intake/route', { nationality: 'SY', topics: ['wages'] })).status, 403);
});

test('routing rules: readable by advisors, replaced by the competence centre only', async () => {
  const adv = await as(DEMO_USERS.advisor);
  const cc = await as(DEMO_USERS.competenceCentre);
  const res = await adv.get('/api/v1/routing-rules');
  assert.equal(res.status, 200);
  const rules = res.body.items;
  assert.ok(rules.length >= 5);
  assert.ok(rules.every((r) => r.reason.de && r.reason.en));
  assert.equal((await adv.put('/api/v1/routing-rules', { rules })).status, 403);

  // Append a rule (dismissal → labour court): routing follows the data.
  const changed = [...rules, { id: 'dismissal-court', topics: ['dismissal'], target: 'labour_court',
    reason: { de: 'Klagefrist beachten.', en: 'Mind the claim deadline.' } }];
  let put = await cc.put('/api/v1/routing-rules', { rules: changed });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  const routed = await adv.post('/api/v1/intake/route', { nationality: 'SY', topics: ['dismissal'], postcode: '10115' });
  const court = routed.body.suggestions.find((s) => s.target === 'labour_court');
  assert.equal(court.organisation_id, 'partner-labour-court-be');

  put = await cc.put('/api/v1/routing-rules', { rules: [{ id: 'x', target: 'nowhere', reason: { de: 'a' } }] });
  assert.equal(put.status, 422);
  assert.deepEqual(errorFields(put).sort(), ['rules[0].reason.en', 'rules[0].target']);
  put = await cc.put('/api/v1/routing-rules', { rules });
  assert.equal(put.status, 200);
  assert.equal((await adv.get('/api/v1/routing-rules')).body.items.length, rules.length);
});
