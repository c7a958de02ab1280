// Live legal figures in knowledge items (issue 12): `{{minimum_wage}}` and friends in a body are
// resolved when the item is read — staff API, public API, portal rights page, search snippets —
// against the labour-law table row valid on that day. The servers run on set days
// (FAIRDESK_CLOCK_OFFSET_SECONDS): 15 June 2026, then on the same database 15 June 2027, so the
// test never depends on today's date. Unknown placeholders are refused naming `body`.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, freshDatabaseUrl, signedIn, api, DEMO_USERS, errorFields } from '../lib/server.mjs';

const KB = '/api/v1/knowledge';
const NBSP = '\u00a0';
const dir = mkdtempSync(join(tmpdir(), 'fairdesk-figures-'));
const db = freshDatabaseUrl(dir);
const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
  rmSync(dir, { recursive: true, force: true });
});

/** The clock offset that makes the server's day `iso` (noon in Berlin). */
const onDay = (iso) => ({ FAIRDESK_CLOCK_OFFSET_SECONDS: String(Math.round((Date.parse(`${iso}T10:00:00Z`) - Date.now()) / 1000)) });

/** A server on `iso`, stopped when the test `t` ends (each test has the database to itself). */
async function serverOn(t, iso, demo) {
  const s = await startServer({ db, stateDir: dir, demo, extraArgs: ['--require-2fa=false'], env: onDay(iso) });
  cleanups.push(() => s.stop());
  t.after(() => s.stop());
  return s;
}

const portalPage = async (base, path) => {
  const res = await fetch(base + path);
  return { status: res.status, text: await res.text() };
};

/** The public demo item on the minimum wage, found by its tag (never by position). */
async function demoMinimumWageItem(base) {
  const list = await api(base).get('/api/v1/public/knowledge/search?q=MiLoG&lang=de');
  assert.equal(list.status, 200, JSON.stringify(list.body));
  const hit = list.body.items.find((i) => i.language === 'de' && /Mindestlohn/.test(i.title));
  assert.ok(hit, JSON.stringify(list.body.items));
  return hit;
}

let itemId;

test('on 15 June 2026: figures list, a published item, the public API and the rights page show 13,90 € since 1 January 2026', async (t) => {
  const server = await serverOn(t, '2026-06-15', true);
  const A = await signedIn(server.baseUrl, DEMO_USERS.competenceCentre);
  const B = await signedIn(server.baseUrl, DEMO_USERS.competenceCentre2);
  const advisor = await signedIn(server.baseUrl, DEMO_USERS.advisor);

  // The editor's list of figures: today's value, the row's date and source, written for the language.
  const figures = await A.get(`${KB}/figures?lang=de`);
  assert.equal(figures.status, 200, JSON.stringify(figures.body));
  assert.equal(figures.body.date, '2026-06-15');
  const mw = figures.body.items.find((f) => f.name === 'minimum_wage');
  assert.deepEqual([mw.amount, mw.valid_from, mw.source, mw.placeholder], [1390, '2026-01-01', '§ 1 Nr. 1 MiLoV5', '{{minimum_wage}}']);
  assert.equal(mw.text, `13,90${NBSP}€ (seit 1. Januar 2026)`);
  assert.equal(figures.body.items.find((f) => f.name === 'minijob_limit').value_text, `603${NBSP}€`);
  const arFigures = await A.get(`${KB}/figures?lang=ar`);
  assert.match(arFigures.body.items.find((f) => f.name === 'minimum_wage').text, /١٣٫٩٠.*منذ ١ يناير ٢٠٢٦/);
  assert.equal((await advisor.get(`${KB}/figures?lang=de`)).status, 403, 'the list is for editors');
  assert.deepEqual(errorFields(await A.get(`${KB}/figures?lang=xx`)), ['lang']);

  // An item with placeholders, in German and Arabic, through four eyes.
  const created = await A.post(`${KB}/items`, {
    type: 'faq', topic: 'wages', audience: 'public', tags: ['Zahlenprobe'],
    title: 'Wie hoch ist der Mindestlohn?',
    body: 'Der Mindestlohn beträgt **{{minimum_wage}}** pro Stunde.\n\n{{minimum_wage:since}} galt er neu; Minijob bis {{ minijob_limit:value }}.',
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  itemId = created.body.item.id;
  const ar = await A.put(`${KB}/items/${itemId}/translations/ar`, {
    title: 'كم يبلغ الحد الأدنى للأجور؟', body: 'يبلغ الحد الأدنى للأجور **{{minimum_wage}}** في الساعة.', source_revision: 1,
  });
  assert.equal(ar.status, 200, JSON.stringify(ar.body));
  for (const lang of ['de', 'ar']) {
    assert.equal((await A.post(`${KB}/items/${itemId}/translations/${lang}/submit`, { revision: 1 })).status, 200);
    assert.equal((await B.post(`${KB}/items/${itemId}/translations/${lang}/publish`, { revision: 1 })).status, 200);
  }

  const read = await advisor.get(`${KB}/items/${itemId}?lang=de`);
  assert.equal(read.status, 200);
  assert.match(read.body.html, new RegExp(`<strong>13,90${NBSP}€ \\(seit 1\\. Januar 2026\\)</strong> pro Stunde`));
  assert.match(read.body.html, /<p>1\. Januar 2026 galt er neu; Minijob bis 603.€\.<\/p>/, 'a date at the start of a line is no list');
  assert.doesNotMatch(read.body.html + read.body.markdown, /\{\{/);
  assert.match(read.body.markdown, /1\. Januar 2026 galt er neu/, 'the Markdown for readers is resolved, without escapes');
  const editor = await A.get(`${KB}/items/${itemId}/editor`);
  assert.match(editor.body.translations.find((t) => t.language === 'de').current.body, /\{\{minimum_wage\}\}/, 'editors edit the placeholder');

  const pub = await api(server.baseUrl).get(`/api/v1/public/knowledge/items/${itemId}?lang=ar`);
  assert.equal(pub.status, 200);
  assert.match(pub.body.html, /١٣٫٩٠.*منذ ١ يناير ٢٠٢٦/);

  const de = await portalPage(server.baseUrl, `/de/rights/${itemId}`);
  assert.equal(de.status, 200);
  assert.match(de.text, new RegExp(`13,90${NBSP}€ \\(seit 1\\. Januar 2026\\)`));
  const arPage = await portalPage(server.baseUrl, `/ar/rights/${itemId}`);
  assert.match(arPage.text, /١٣٫٩٠/);
  for (const text of [de.text, arPage.text]) assert.doesNotMatch(text, /\{\{/);

  // Search finds the item by its words; the snippet shows the figure, never the placeholder.
  const found = await advisor.get(`${KB}/search?q=Mindestlohn%20Stunde&lang=de&language=de&type=faq`);
  const hit = found.body.items.find((i) => i.id === itemId);
  assert.ok(hit, JSON.stringify(found.body));
  assert.match(hit.snippet, /13,90/);
  assert.doesNotMatch(hit.snippet, /\{\{|minimum_wage/);

  // The demo item on the minimum wage uses the placeholder too: the table's figure in every language.
  const demo = await demoMinimumWageItem(server.baseUrl);
  for (const [lang, figure] of [['de', '13,90'], ['en', '€13.90'], ['ar', '١٣٫٩٠'], ['uk', '13,90']]) {
    const page = await portalPage(server.baseUrl, `/${lang}/rights/${demo.id}`);
    assert.equal(page.status, 200);
    const article = page.text.match(/<article.*?<\/article>/s)[0];
    assert.ok(article.includes(figure), `${lang}: ${article}`);
    assert.doesNotMatch(article, /\{\{|12,82/);
  }
});

test('unknown placeholders are refused naming the body and the placeholder; letter templates keep fill-in fields; the preview resolves', async (t) => {
  const server = await serverOn(t, '2026-06-15', false);
  const A = await signedIn(server.baseUrl, DEMO_USERS.competenceCentre);
  const advisor = await signedIn(server.baseUrl, DEMO_USERS.advisor);

  const bad = await A.post(`${KB}/items`, { type: 'dossier', audience: 'public', title: 'Probe', body: 'Lohn: {{mindestlohn}}' });
  assert.equal(bad.status, 422);
  assert.match(bad.headers.get('content-type'), /application\/problem\+json/);
  assert.deepEqual(errorFields(bad), ['body']);
  assert.match(bad.body.errors[0].message, /\{\{mindestlohn\}\}/);
  assert.deepEqual(errorFields(await A.post(`${KB}/items`, { type: 'dossier', title: 'Lohn {{minimum_wage}}', body: 'Text' })), ['title']);

  // A new revision with an unknown placeholder changes nothing.
  const before = await A.get(`${KB}/items/${itemId}/editor`);
  const de = before.body.translations.find((t) => t.language === 'de');
  const save = await A.put(`${KB}/items/${itemId}/translations/de`, {
    base_revision: de.current_revision, title: de.current.title, body: '{{minimum_wage:amount}} pro Stunde',
  });
  assert.equal(save.status, 422);
  assert.deepEqual(errorFields(save), ['body']);
  assert.match(save.body.errors[0].message, /\{\{minimum_wage:amount\}\}/);
  const afterSave = await A.get(`${KB}/items/${itemId}/editor`);
  assert.equal(afterSave.body.translations.find((t) => t.language === 'de').current_revision, de.current_revision);

  // Letter templates: fill-in fields are saved and stay for signed-in readers; figures resolve.
  const letter = await A.post(`${KB}/items`, {
    type: 'letter_template', title: 'Musterbrief Mindestlohn', body: 'An {{employer_name}}: Der Mindestlohn beträgt {{minimum_wage:value}}.',
  });
  assert.equal(letter.status, 201, JSON.stringify(letter.body));

  // The preview: as readers will see it today; checked as on save; editors only.
  const preview = await A.post(`${KB}/preview`, { language: 'de', body: 'Seit {{minimum_wage:since}}: **{{minimum_wage:value}}**' });
  assert.equal(preview.status, 200, JSON.stringify(preview.body));
  assert.equal(preview.body.html, `<p>Seit 1. Januar 2026: <strong>13,90${NBSP}€</strong></p>\n`);
  const letterPreview = await A.post(`${KB}/preview`, { language: 'de', type: 'letter_template', body: '{{client_name}} {{minimum_wage:value}}' });
  assert.equal(letterPreview.body.html, `<p>{{client_name}} 13,90${NBSP}€</p>\n`);
  const badPreview = await A.post(`${KB}/preview`, { language: 'de', body: 'x {{client_name}}' });
  assert.equal(badPreview.status, 422);
  assert.deepEqual(errorFields(badPreview), ['body']);
  assert.deepEqual(errorFields(await A.post(`${KB}/preview`, { language: 'xx', body: 'x' })), ['language']);
  assert.equal((await advisor.post(`${KB}/preview`, { language: 'de', body: 'x' })).status, 403);
});

test('on 15 June 2027, on the same data: 14,60 € since 1 January 2027, without anyone editing the item', async (t) => {
  const server = await serverOn(t, '2027-06-15', false);
  const A = await signedIn(server.baseUrl, DEMO_USERS.competenceCentre);
  const figures = await A.get(`${KB}/figures?lang=en`);
  const mw = figures.body.items.find((f) => f.name === 'minimum_wage');
  assert.deepEqual([mw.amount, mw.valid_from, mw.text], [1460, '2027-01-01', '€14.60 (since 1 January 2027)']);

  const pub = await api(server.baseUrl).get(`/api/v1/public/knowledge/items/${itemId}?lang=de`);
  assert.match(pub.body.html, new RegExp(`14,60${NBSP}€ \\(seit 1\\. Januar 2027\\)`));
  assert.match(pub.body.html, /Minijob bis 633.€/);
  const arPage = await portalPage(server.baseUrl, `/ar/rights/${itemId}`);
  assert.match(arPage.text, /١٤٫٦٠.*منذ ١ يناير ٢٠٢٧/s);
  // The portal's section of today's figures beside the item: written the same way.
  const section = (html) => html.match(/<section aria-labelledby="figures">.*?<\/section>/s)[0];
  assert.match(section(arPage.text), /١٤٫٦٠.*١ يناير ٢٠٢٧/s);
  const deItem = await portalPage(server.baseUrl, `/de/rights/${itemId}`);
  assert.ok(section(deItem.text).includes(`14,60${NBSP}€ pro Stunde (gilt seit 1. Januar 2027)`), section(deItem.text));
  assert.ok(section(deItem.text).includes(`633${NBSP}€ im Monat (seit 1. Januar 2027)`), section(deItem.text));
  const demo = await demoMinimumWageItem(server.baseUrl);
  const dePage = await portalPage(server.baseUrl, `/de/rights/${demo.id}`);
  const article = dePage.text.match(/<article.*?<\/article>/s)[0];
  assert.ok(article.includes(`14,60${NBSP}€ (seit 1. Januar 2027)`), article);
});
