// The admins' settings (issue 7): the topic taxonomy, the routing rules and the retention period,
// each change audited and kept in a history with what was there before. Bad input changes nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_USERS, startServer, signedIn, errorFields } from '../lib/server.mjs';

let server;
let admin;
let advisor;
let cc;

const as = (email) => signedIn(server.baseUrl, email);

const editable = (topics) => topics.map((t) => ({ code: t.code, labels: t.labels, in_scope: t.in_scope }));

before(async () => {
  server = await startServer();
  admin = await as(DEMO_USERS.admin);
  advisor = await as(DEMO_USERS.advisor);
  cc = await as(DEMO_USERS.competenceCentre);
});
after(async () => {
  await server?.stop();
});

test('topics: the admin adds, renames and reorders; a topic in use cannot be removed; bad input changes nothing', async () => {
  const start = (await admin.get('/api/v1/topics')).body.items;
  assert.ok(start.some((t) => t.code === 'wages'));

  // A new topic at the top, a German label sharpened.
  const added = [
    { code: 'seasonal_work', labels: { de: 'Saisonarbeit', en: 'Seasonal work' }, in_scope: true },
    ...editable(start).map((t) => (t.code === 'leave' ? { ...t, labels: { de: 'Urlaub und Urlaubsabgeltung', en: t.labels.en } } : t)),
  ];
  const put = await admin.put('/api/v1/topics', { topics: added });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.equal(put.body.items[0].code, 'seasonal_work');
  assert.equal(put.body.items.find((t) => t.code === 'leave').labels.de, 'Urlaub und Urlaubsabgeltung');

  // Advisors use it at once.
  const client = (await advisor.post('/api/v1/clients', { nationality: 'RO' })).body;
  const kase = await advisor.post('/api/v1/cases', { client_id: client.id, topics: ['seasonal_work'] });
  assert.equal(kase.status, 201, JSON.stringify(kase.body));

  // Removing it now (a case uses it) is refused with the field named; nothing changes.
  const removed = await admin.put('/api/v1/topics', { topics: editable(start) });
  assert.equal(removed.status, 422);
  assert.match(removed.headers.get('content-type'), /application\/problem\+json/);
  assert.ok(removed.body.errors.some((e) => e.field === 'topics' && /seasonal_work/.test(e.message)), JSON.stringify(removed.body));
  assert.equal((await admin.get('/api/v1/topics')).body.items[0].code, 'seasonal_work');

  // Bad codes, twice the same code, a missing label: each named.
  const bad = await admin.put('/api/v1/topics', {
    topics: [{ code: 'Bad Code', labels: { de: 'x', en: 'x' } }, { code: 'wages', labels: { de: 'Lohn' } },
      { code: 'wages', labels: { de: 'Lohn', en: 'Wages' } }],
  });
  assert.equal(bad.status, 422);
  const fields = errorFields(bad);
  assert.ok(fields.includes('topics[1].labels.en'), JSON.stringify(bad.body));
  const bad2 = await admin.put('/api/v1/topics', {
    topics: [{ code: 'Bad Code', labels: { de: 'x', en: 'x' } }, { code: 'wages', labels: { de: 'Lohn', en: 'Wages' } },
      { code: 'wages', labels: { de: 'Lohn', en: 'Wages' } }],
  });
  assert.equal(bad2.status, 422);
  assert.deepEqual(bad2.body.errors.map((e) => e.field).sort(), ['topics[0].code', 'topics[2].code']);
  assert.equal((await admin.get('/api/v1/topics')).body.items.length, added.length);

  // A topic nobody uses can go again.
  const extra = [...editable((await admin.get('/api/v1/topics')).body.items), { code: 'typo_topic', labels: { de: 'Tippfehler', en: 'Typo' } }];
  assert.equal((await admin.put('/api/v1/topics', { topics: extra })).status, 200);
  const back = await admin.put('/api/v1/topics', { topics: extra.slice(0, -1) });
  assert.equal(back.status, 200, JSON.stringify(back.body));
  assert.ok(!back.body.items.some((t) => t.code === 'typo_topic'));

  // Only admins change the taxonomy.
  assert.equal((await advisor.put('/api/v1/topics', { topics: added })).status, 403);
  assert.equal((await cc.put('/api/v1/topics', { topics: added })).status, 403);

  // The history keeps each change with before and after, newest first, and who made it.
  const history = await admin.get('/api/v1/settings/history?kind=topics');
  assert.equal(history.status, 200);
  assert.equal(history.body.items.length, 3, 'three changes, the refused ones not');
  const first = history.body.items.at(-1);
  assert.equal(first.kind, 'topics');
  assert.equal(first.changed_by_name, 'Alex Admin');
  assert.ok(!first.before.some((t) => t.code === 'seasonal_work'));
  assert.ok(first.after.some((t) => t.code === 'seasonal_work'));
  assert.equal(first.before.find((t) => t.code === 'leave').labels.de, 'Urlaub');
});

test('routing rules: the admin edits them, the history shows the rules before, the audit trail the change', async () => {
  const rules = (await admin.get('/api/v1/routing-rules')).body.items;
  assert.ok(rules.length >= 5);
  const target = rules[0];
  const changed = rules.map((r) => (r.id === target.id ? { ...r, enabled: !r.enabled, reason: { de: 'Neu begründet.', en: 'New reason.' } } : r));
  const put = await admin.put('/api/v1/routing-rules', { rules: changed });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.equal(put.body.items[0].reason.de, 'Neu begründet.');

  // Bad input (an unknown target, a topic that is not in the taxonomy) changes nothing.
  const bad = await admin.put('/api/v1/routing-rules', {
    rules: [{ ...changed[0], target: 'nowhere' }, { ...changed[1], topics: ['no_such_topic'] }],
  });
  assert.equal(bad.status, 422);
  assert.ok(bad.body.errors.some((e) => e.field === 'rules[0].target'), JSON.stringify(bad.body));
  const bad2 = await admin.put('/api/v1/routing-rules', { rules: [{ ...changed[1], topics: ['no_such_topic'] }] });
  assert.equal(bad2.status, 422);
  assert.ok(bad2.body.errors.some((e) => e.field === 'rules[0].topics[0]'), JSON.stringify(bad2.body));
  assert.equal((await admin.get('/api/v1/routing-rules')).body.items.length, rules.length);

  // The competence centre reads the same history (it edits the rules too).
  const history = await cc.get('/api/v1/settings/history?kind=routing_rules');
  assert.equal(history.status, 200);
  assert.equal(history.body.items.length, 1);
  const entry = history.body.items[0];
  assert.equal(entry.changed_by_name, 'Alex Admin');
  assert.deepEqual(entry.before.find((r) => r.id === target.id), target);
  assert.equal(entry.after.find((r) => r.id === target.id).reason.de, 'Neu begründet.');
  assert.equal((await advisor.get('/api/v1/settings/history')).status, 403);
  assert.equal((await admin.get('/api/v1/settings/history?kind=colours')).status, 422);

  // The audit trail names the change (admins read all of it).
  const audit = await admin.get('/api/v1/audit?record_type=settings');
  assert.equal(audit.status, 200, JSON.stringify(audit.body));
  const ids = audit.body.items.map((e) => e.record_id);
  assert.ok(ids.includes('routing_rules') && ids.includes('topics'), JSON.stringify(ids));
});

test('retention: the default from the start-up option, the admin sets another period within bounds', async () => {
  const start = await admin.get('/api/v1/settings/retention');
  assert.equal(start.status, 200);
  assert.deepEqual({ years: start.body.retention_years, from: start.body.from_setting }, { years: 3, from: false });
  for (const years of [0, 11, 'drei', 2.5]) {
    const bad = await admin.put('/api/v1/settings/retention', { retention_years: years });
    assert.equal(bad.status, 422, String(years));
    assert.equal(bad.body.errors[0].field, 'retention_years');
  }
  const set = await admin.put('/api/v1/settings/retention', { retention_years: 6 });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  assert.equal(set.body.retention_years, 6);
  assert.equal(set.body.from_setting, true);
  assert.equal(set.body.updated_by_name, 'Alex Admin');
  assert.equal(set.body.default_years, 3);
  const history = (await admin.get('/api/v1/settings/history?kind=retention')).body.items;
  assert.equal(history.length, 1);
  assert.deepEqual([history[0].before, history[0].after], [{ retention_years: 3 }, { retention_years: 6 }]);
  assert.equal((await advisor.get('/api/v1/settings/retention')).status, 403);
  assert.equal((await cc.put('/api/v1/settings/retention', { retention_years: 4 })).status, 403);
});

test('two admins at once: each settings list has an ETag; a save with a stale If-Match is 412 and changes nothing', async () => {
  const second = await as(DEMO_USERS.admin);
  for (const [path, body, other] of [
    ['/api/v1/settings/retention', () => ({ retention_years: 4 }), () => ({ retention_years: 6 })],
    ['/api/v1/topics', (items) => ({ topics: editable(items).map((t, i) => (i === 0 ? { ...t, labels: { ...t.labels, de: `${t.labels.de} (A)` } } : t)) }),
      (items) => ({ topics: editable(items).map((t, i) => (i === 0 ? { ...t, labels: { ...t.labels, de: `${t.labels.de} (B)` } } : t)) })],
    ['/api/v1/routing-rules', (items) => ({ rules: items.map((r, i) => (i === 0 ? { ...r, enabled: !r.enabled } : r)) }),
      (items) => ({ rules: items.map((r, i) => (i === 1 ? { ...r, enabled: !r.enabled } : r)) })],
  ]) {
    // Both open the page (same ETag); the first saves, the second's save is refused.
    const mine = await admin.get(path);
    const theirs = await second.get(path);
    const etag = mine.headers.get('etag');
    assert.ok(etag, `${path} answers with an ETag`);
    assert.equal(theirs.headers.get('etag'), etag);
    const rulesOrItems = mine.body.items ?? mine.body;
    let res = await admin.put(path, body(rulesOrItems), { headers: { 'If-Match': etag } });
    assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
    const fresh = res.headers.get('etag');
    assert.ok(fresh && fresh !== etag, `${path}: a new ETag after the save`);
    const saved = JSON.stringify((await admin.get(path)).body);
    res = await second.put(path, other(rulesOrItems), { headers: { 'If-Match': etag } });
    assert.equal(res.status, 412, `${path}: ${JSON.stringify(res.body)}`);
    assert.deepEqual(res.body.errors.map((e) => e.field), ['If-Match']);
    assert.equal(JSON.stringify((await admin.get(path)).body), saved, `${path}: nothing changed`);
    // With the fresh ETag the second admin's save goes through.
    res = await second.put(path, other(rulesOrItems), { headers: { 'If-Match': fresh } });
    assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
  }
});
