// The public portal against the real binary: the centre finder (JSON and HTML), the pages in
// every language (direction, hreflang, no cookies, no session read), the contact request with
// its proof of work, honeypot, minimum fill time, replay protection and rate limit (a bounded
// flood from one IPv4 address and one IPv6 /64 on loopback, every accepted request stored), the
// advisors' inbox that turns a request into a client and a case, the employer sheet (HTML and
// PDF) and the admin-editable legal pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { request } from 'node:http';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { startServer, api, DEMO_USERS, REPO_ROOT } from '../lib/server.mjs';

const LANGS = ['de', 'en', 'ar', 'fa', 'prs', 'ps', 'uk', 'ru', 'tr', 'ti'];
let server; // minimum fill time 0, dual-stack (IPv4 and IPv6 loopback)
let strict; // the default minimum fill time (2 s)

before(async () => {
  // Connections from 127.0.0.2 count as a reverse proxy (its X-Forwarded-For is believed).
  server = await startServer({ extraArgs: ['--bind', '::', '--trusted-proxy', '127.0.0.2'],
    env: { FAIRDESK_PORTAL_MIN_FILL_SECONDS: '0' } });
  strict = await startServer({});
});
after(async () => {
  await server?.stop();
  await strict?.stop();
});

/** The portal's strings of one language (the server renders the same files). */
const localeStrings = (lang) => JSON.parse(readFileSync(new URL(`../../web/src/locales/portal/${lang}.json`, import.meta.url), 'utf8'));

const v4 = () => server.baseUrl.replace('[::]', '127.0.0.1').replace('localhost', '127.0.0.1');
const v6 = () => `http://[::1]:${server.port}`;

async function page(base, path, init) {
  const res = await fetch(base + path, { redirect: 'manual', ...init });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** The hidden fields of the contact form, with the proof of work solved as portal.js does. */
async function contactForm(base, lang = 'de', { solve = true } = {}) {
  const res = await page(base, `/${lang}/contact`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('set-cookie'), null, 'no cookie before a form is sent');
  const field = (name) => res.text.match(new RegExp(`name="${name}" value="([^"]*)"`))?.[1] ?? '';
  const max = Number(res.text.match(/data-pow-max="(\d+)"/)[1]);
  const f = {
    pow_salt: field('pow_salt').replaceAll('&amp;', '&'),
    pow_challenge: field('pow_challenge'),
    pow_signature: field('pow_signature'),
    pow_number: '',
  };
  if (solve) {
    for (let n = 0; n <= max; n++) {
      if (createHash('sha256').update(f.pow_salt + n).digest('hex') === f.pow_challenge) {
        f.pow_number = String(n);
        break;
      }
    }
    assert.notEqual(f.pow_number, '', 'the challenge is solvable within max');
  }
  return f;
}

function post(base, lang, fields) {
  return page(base, `/${lang}/contact`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

const valid = {
  name: 'Amina',
  reach: '+49 170 0000000',
  postcode: '80331',
  language: 'ar',
  topic: 'wages',
  message: 'Mein Arbeitgeber zahlt seit zwei Monaten keinen Lohn.',
  consent: 'yes',
  website: '',
};

test('finder API: Munich finds the Bavarian centre first, by distance; language and abroad filter', async () => {
  const res = await (await fetch(`${v4()}/api/v1/public/centres?postcode=80331`)).json();
  assert.equal(res.items[0].centre_id, 'centre-by-1');
  assert.equal(res.items[0].state, 'BY');
  assert.equal(res.items[0].distance_km, 0);
  assert.equal(res.items[0].state_centre, true);
  for (const key of ['centre_id', 'location_id', 'name', 'state', 'address', 'languages', 'channels', 'opening_hours']) {
    assert.ok(key in res.items[0], key);
  }
  const distances = res.items.map((i) => i.distance_km);
  assert.deepEqual(distances, [...distances].sort((a, b) => a - b), 'sorted by distance');
  assert.equal(res.postcode.place, 'München');

  const ti = await (await fetch(`${v4()}/api/v1/public/centres?postcode=10115&language=ti`)).json();
  assert.ok(ti.items.length > 0);
  for (const item of ti.items) assert.ok(item.languages.includes('ti'), `${item.location_id} speaks Tigrinya`);
  // Berlin's own centre does not speak Tigrinya, so it is not the state centre of any result.
  assert.ok(ti.items.every((i) => i.centre_id !== 'centre-be-1'));

  const byPlace = await (await fetch(`${v4()}/api/v1/public/centres?postcode=N%C3%BCrnberg`)).json();
  assert.equal(byPlace.items[0].location_id, 'centre-by-1-nuernberg');

  const abroad = await (await fetch(`${v4()}/api/v1/public/centres?abroad=1&language=uk`)).json();
  assert.ok(abroad.items.length > 0);
  for (const item of abroad.items) {
    assert.ok(item.channels.some((c) => ['phone', 'video', 'messenger', 'email'].includes(c)));
    assert.equal(item.distance_km, null);
  }

  // A location added by an admin is found at once.
  const admin = api(v4());
  await admin.loginOk(DEMO_USERS.admin);
  const created = await admin.post('/api/v1/centres/centre-by-1/locations', {
    name: 'Regensburg', address: { street: 'Beispielweg 1', postcode: '93047', city: 'Regensburg' },
    phone: '+49 89 99998 199', languages: ['de', 'ti'], channels: ['in_person', 'phone'],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.coordinates.lat > 48.9, true);
  const near = await (await fetch(`${v4()}/api/v1/public/centres?postcode=93047&language=ti`)).json();
  assert.equal(near.items[0].location_id, created.body.id);
  const bad = await admin.post('/api/v1/centres/centre-by-1/locations', {
    name: 'X', address: { street: 'Y', postcode: '00000', city: 'Z' }, languages: ['de'], channels: ['phone'],
  });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.errors[0].field, 'address.postcode');
  const advisor = api(v4());
  await advisor.loginOk(DEMO_USERS.advisor);
  assert.equal((await advisor.post('/api/v1/centres/centre-by-1/locations', { name: 'X' })).status, 403);
});

test('finder API: bad input is a problem naming the field, and no cookie is set', async () => {
  for (const [query, field] of [['postcode=00000', 'postcode'], ['postcode=Atlantis', 'postcode'],
    ['language=x1', 'language'], ['postcode=80331&language=xx', 'language'], ['language=zzz', 'language'],
    ['language=und', 'language'], ['abroad=maybe', 'abroad'], ['colour=red', 'colour'], ['lang=xx', 'lang'],
    [`postcode=${'9'.repeat(500)}`, 'postcode']]) {
    const res = await fetch(`${v4()}/api/v1/public/centres?${query}`);
    assert.equal(res.status, 422, query);
    assert.match(res.headers.get('content-type'), /problem\+json/);
    const body = await res.json();
    assert.equal(body.errors[0].field, field, query);
    assert.equal(res.headers.get('set-cookie'), null);
  }
  // A language code is known when it names a language (CLDR), spoken by a centre or not: Tigrinya
  // finds a centre, Japanese finds none here but is no error, Dari finds the Persian speakers.
  for (const [language, found] of [['ti', true], ['prs', true], ['ja', false]]) {
    const res = await fetch(`${v4()}/api/v1/public/centres?language=${language}`);
    assert.equal(res.status, 200, language);
    const { items } = await res.json();
    assert.equal(items.length > 0, found, language);
    for (const item of items) assert.ok(item.languages.includes(language === 'prs' ? 'fa' : language), language);
  }
});

test('pages exist in every language, right to left where needed, with reciprocal hreflang and no cookies', async () => {
  const signedIn = api(v4());
  await signedIn.loginOk(DEMO_USERS.advisor);
  const cookie = [...signedIn.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  for (const lang of LANGS) {
    for (const path of ['/', '/centres', '/contact', '/employer-sheet', '/rights', '/imprint', '/privacy', '/accessibility']) {
      const res = await page(v4(), `/${lang}${path}`, { headers: { cookie } });
      assert.equal(res.status, 200, `/${lang}${path}`);
      assert.match(res.headers.get('content-type'), /text\/html/);
      assert.equal(res.headers.get('set-cookie'), null, 'a public page neither sets nor refreshes a cookie');
      const rtl = ['ar', 'fa', 'prs', 'ps'].includes(lang);
      assert.match(res.text, new RegExp(`<html lang="${lang}" dir="${rtl ? 'rtl' : 'ltr'}">`), `/${lang}${path}`);
      for (const other of LANGS) assert.ok(res.text.includes(`hreflang="${other}" href="/${other}${path === '/' ? '/' : path}"`), `${lang}${path} → ${other}`);
      assert.doesNotMatch(res.text, /<script>|style="|https?:\/\/(?!www\.(faire-mobilitaet|gesetze-im-internet)\.de)/, 'no inline script or style, no third-party resource');
      assert.doesNotMatch(res.text, /advisor\.berlin|Abmelden/, 'nothing of the staff session');
      // Every translation is machine-made and unreviewed: each page but a German one says so and links the German version.
      const machine = res.text.match(/<p class="small" id="machine-translation">[^<]+<a href="([^"]*)" hreflang="de">/);
      if (lang === 'de') assert.equal(machine, null, `/${lang}${path}`);
      else assert.equal(machine?.[1], `/de${path}`, `/${lang}${path}: the machine-translation line`);
    }
  }
  // Phone numbers stay left to right inside right-to-left pages.
  const ar = await page(v4(), '/ar/centres?postcode=80331&language=ar');
  assert.match(ar.text, /<bdi dir="ltr">\+49 89 99998 \d{3}<\/bdi>/);
  // "/" suggests a language from Accept-Language and links to the staff sign-in.
  const entry = await page(v4(), '/', { headers: { 'accept-language': 'uk-UA,uk;q=0.9,de;q=0.5' } });
  assert.match(entry.text, /class="big" href="\/uk\/"/);
  assert.match(entry.text, /href="\/login"/);
  assert.equal((await page(v4(), '/de/leichte-sprache/')).status, 200);
  // Rights: the knowledge base's published public items, German with a notice where untranslated.
  const rights = await page(v4(), '/ti/rights');
  const item = rights.text.match(/href="(\/ti\/rights\/[^"]+)"/)?.[1];
  assert.ok(item, 'the rights page lists published public items');
  const itemPage = await page(v4(), item);
  assert.equal(itemPage.status, 200);
  assert.match(itemPage.text, /<article lang="(de|ti)"/);
  if (itemPage.text.includes('<article lang="de"')) assert.match(itemPage.text, /class="notice"/);
  // Today's legal figures from the labour-law tables, the same on the overview and on every item
  // (the items' own figures are live placeholders too: tests/api/knowledge_figures).
  const figures = (html) => html.match(/<section aria-labelledby="figures">.*?<\/section>/s)?.[0];
  // Written as Tigrinya writes them (ICU): "€13.90", the mini-job limit in whole euros.
  assert.match(figures(rights.text) ?? '', /€1\d\.\d\d.*€\d{3}/s, 'minimum wage and mini-job limit on the overview');
  assert.equal(figures(itemPage.text), figures(rights.text), 'the same live figures on the item');
  assert.equal((await page(v4(), '/de/rights/no-such-item')).status, 404);
  // The staff app keeps its own paths.
  const login = await page(v4(), '/login');
  assert.equal(login.status, 200);
  assert.match(login.text, /<div id="root">/);
});

test('an unknown language code gets the portal\'s localised "not found" with the languages it offers; staff routes still get the web app', async () => {
  const spa = /<div id="root"><\/div>/;
  for (const path of ['/xx/centres', '/zz/', '/zz', '/xyz/rights/some-item', '/en-GB/contact', '/XX/employer-sheet', '/sr-Latn-RS/', '/es-419/centres']) {
    const res = await page(v4(), path);
    assert.equal(res.status, 404, path);
    assert.match(res.headers.get('content-type'), /text\/html/, path);
    assert.doesNotMatch(res.text, spa, `${path}: not the staff app`);
    assert.doesNotMatch(res.text, /<script/, `${path}: works without JavaScript`);
    assert.equal(res.headers.get('set-cookie'), null);
    // Each portal language, named in itself, leads to the same page.
    const rest = path.replace(/^\/[^/]+/, '') || '/';
    for (const lang of LANGS) {
      assert.ok(res.text.includes(`<li><a href="/${lang}${rest === '/' ? '/' : rest}" lang="${lang}" hreflang="${lang}"`), `${path} → ${lang}`);
    }
  }
  // Shown in German and English by default, in the language of the tag's primary subtag or the
  // browser's language otherwise (a hint only).
  const german = await page(v4(), '/xx/centres');
  assert.match(german.text, /<html lang="de" dir="ltr">/);
  assert.match(german.text, /<h1>Diese Sprache gibt es hier nicht \/ <span lang="en">This language is not available here<\/span><\/h1>/);
  assert.match((await page(v4(), '/en-GB/contact')).text, /<html lang="en" dir="ltr">[\s\S]*<h1>This language is not available here<\/h1>/);
  const arabic = await page(v4(), '/xx/centres', { headers: { 'accept-language': 'ar-SY,ar;q=0.9' } });
  assert.match(arabic.text, /<html lang="ar" dir="rtl">[\s\S]*<h1>هذه اللغة غير متوفرة هنا<\/h1>/);
  // A portal language with a page that does not exist: the portal's 404 in that language.
  for (const path of ['/de/no-such-page', '/uk/centres/extra/deep', '/en/leichte-sprache']) {
    const res = await page(v4(), path);
    assert.equal(res.status, 404, path);
    assert.doesNotMatch(res.text, spa, path);
  }
  assert.match((await page(v4(), '/uk/no-such-page')).text, /<html lang="uk" dir="ltr">/);
  // HEAD answers the same status without a body.
  assert.equal((await fetch(`${v4()}/xx/centres`, { method: 'HEAD' })).status, 404);

  // Every top-level path of the staff app's router (web/src/app/router.tsx), and deeper ones,
  // still gets the web app; the API and missing assets keep their own 404.
  const routerSource = readFileSync(`${REPO_ROOT}/web/src/app/router.tsx`, 'utf8');
  const top = [...new Set([...routerSource.matchAll(/path: '\/([a-z-]+)/g)].map((m) => m[1]))];
  for (const expected of ['login', 'verify', 'dashboard', 'directory', 'profile', 'calculators', 'cases', 'clients', 'escalations',
    'contact-requests', 'events', 'team', 'audit', 'admin', 'statistics', 'knowledge', 'forgot-password', 'reset-password']) {
    assert.ok(top.includes(expected), `router.tsx still has /${expected}`);
  }
  const staffPaths = [...top.map((p) => `/${p}`), '/cases/new', '/cases/c-123/esf', '/admin/users', '/admin/directory/locations',
    '/knowledge/items/k-1', '/events/e-1/check-in', '/statistics/esf', '/verify/ABC-123', '/no-such-staff-page', '/xx/no-portal-page', '/de-facto'];
  for (const path of staffPaths) {
    const res = await page(v4(), path);
    assert.equal(res.status, 200, path);
    assert.match(res.text, spa, `${path} gets the web app`);
  }
  const apiMissing = await page(v4(), '/api/v1/no-such-thing');
  assert.equal(apiMissing.status, 404);
  assert.match(apiMissing.headers.get('content-type'), /application\/problem\+json/);
  assert.equal((await page(v4(), '/api/')).status, 404);
  assert.equal((await page(v4(), '/assets/no-such-file.js')).status, 404);
});

test('web fonts: hashed WOFF2 subsets cached for a year, only for the scripts that need them', async () => {
  const css = await page(v4(), '/portal/assets/portal.css');
  assert.equal(css.status, 200);
  const urls = [...css.text.matchAll(/url\((\/portal\/assets\/fonts\/[^)]+)\)/g)].map((m) => m[1]);
  assert.deepEqual(urls.map((u) => u.replace(/-[0-9a-f]{12}\.woff2$/, '')).sort(),
    ['/portal/assets/fonts/arabic-400', '/portal/assets/fonts/arabic-700', '/portal/assets/fonts/ethiopic-400']);
  assert.doesNotMatch(css.text, /@@font:/);
  assert.equal((css.text.match(/font-display: swap/g) ?? []).length, 3);
  assert.equal((css.text.match(/unicode-range:/g) ?? []).length, 3);
  for (const url of urls) {
    const res = await fetch(`${v4()}${url}`);
    assert.equal(res.status, 200, url);
    assert.equal(res.headers.get('content-type'), 'font/woff2');
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(res.headers.get('set-cookie'), null);
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.equal(bytes.subarray(0, 4).toString('latin1'), 'wOF2', url);
    assert.ok(bytes.length < 50 * 1024, `${url}: ${bytes.length} bytes`);
  }
  assert.equal((await fetch(`${v4()}/portal/assets/fonts/arabic-400-000000000000.woff2`)).status, 404);
});

test('finder page: the Bavarian centre for 80331, a localised error for an unknown postcode', async () => {
  const ok = await page(v4(), '/de/centres?postcode=80331');
  assert.equal(ok.status, 200);
  assert.match(ok.text, /Faire Integration Bayern – München/);
  assert.match(ok.text, /Zuständige Beratungsstelle Ihres Bundeslandes/);
  // The postcode data's licences ask for attribution where distances are shown.
  assert.match(ok.text, /id="geo-data">[^<]*© OpenStreetMap-Mitwirkende, Lizenz ODbL 1\.0[^<]*GeoNames \(Lizenz CC BY 4\.0\)/);
  const arabic = (await page(v4(), '/ar/centres?postcode=80331')).text;
  assert.match(arabic, /id="geo-data">[^<]*ODbL 1\.0[^<]*CC BY 4\.0/);
  // Opening days in the visitor's language and direction ("Mo-Do" of the directory), times left to right.
  assert.match(ok.text, /<bdi>Mo–Do<\/bdi> <bdi dir="ltr">09:00–17:00<\/bdi>/);
  assert.match(arabic, /<bdi>الاثنين–الخميس<\/bdi> <bdi dir="ltr">09:00–17:00<\/bdi>/);
  assert.match((await page(v4(), '/uk/centres?postcode=80331')).text, /<bdi>Пн–Чт<\/bdi>/);
  // An unknown language code, by the finder's field or by "?lang=" (the page's language is its
  // path's): a localised, accessible error; another portal language by "?lang=" is that page.
  for (const [lang, heading] of [['de', 'Diese Sprache kennen wir nicht.'], ['ar', 'لا نعرف هذه اللغة.'], ['uk', null]]) {
    const res = await page(v4(), `/${lang}/centres?postcode=80331&language=xx`);
    assert.equal(res.status, 422, lang);
    assert.match(res.text, new RegExp(`<html lang="${lang}"`));
    assert.match(res.text, /<select id="language" name="language" aria-describedby="language-error" aria-invalid="true">/);
    assert.match(res.text, /<div class="error-summary" role="alert"[^>]*>[\s\S]*<a href="#language">/);
    if (heading) assert.ok(res.text.includes(`<p class="error" id="language-error">${heading}</p>`), lang);
    assert.doesNotMatch(res.text, /class="card"/, `${lang}: no results beside the error`);
  }
  const byQuery = await page(v4(), '/ar/centres?postcode=80331&lang=xx');
  assert.equal(byQuery.status, 404);
  assert.match(byQuery.text, /<html lang="ar" dir="rtl">[\s\S]*<h1>هذه اللغة غير متوفرة هنا<\/h1>/);
  assert.ok(byQuery.text.includes('<li><a href="/uk/centres" lang="uk" hreflang="uk"'), 'the page in each portal language');
  const switched = await page(v4(), '/de/centres?postcode=80331&lang=ar&language=ti');
  assert.equal(switched.status, 303);
  const to = new URL(switched.headers.get('location'), v4());
  assert.equal(to.pathname, '/ar/centres');
  assert.deepEqual([...to.searchParams].sort(), [['language', 'ti'], ['postcode', '80331']]);
  assert.equal((await page(v4(), '/ar/centres?lang=ar')).status, 200);
  const bad = await page(v4(), '/uk/centres?postcode=00000&language=%3Cscript%3E');
  assert.equal(bad.status, 422);
  assert.match(bad.text, /Ми не знаємо такого поштового індексу/);
  assert.match(bad.text, /aria-invalid="true"/);
  assert.doesNotMatch(bad.text, /<script>/);
});

test('a contact request with a solved proof of work lands in the centre inbox and becomes a case', async () => {
  const fields = await contactForm(v4(), 'ar');
  const res = await post(v4(), 'ar', { ...valid, ...fields });
  assert.equal(res.status, 303, res.text.slice(0, 500));
  const location = res.headers.get('location');
  assert.match(location, /^\/ar\/contact\/sent\?ref=FI-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  assert.equal(res.headers.get('set-cookie'), null);
  const reference = new URL(location, v4()).searchParams.get('ref');
  const sent = await page(v4(), location);
  assert.match(sent.text, new RegExp(reference));

  // The same solved challenge again: refused, nothing stored twice.
  const replay = await post(v4(), 'ar', { ...valid, ...fields });
  assert.equal(replay.status, 422);
  assert.match(replay.text, /تم إرسال هذا النموذج من قبل/);

  const advisor = api(v4());
  await advisor.loginOk(DEMO_USERS.advisorBayern);
  const inbox = await advisor.get('/api/v1/contact-requests?status=new');
  assert.equal(inbox.status, 200);
  const mine = inbox.body.items.filter((r) => r.reference === reference);
  assert.equal(mine.length, 1);
  assert.equal(mine[0].name, 'Amina');
  assert.equal(mine[0].verified, true);
  assert.equal(mine[0].centre_id, 'centre-by-1');

  // Berlin's advisors do not see it.
  const berlin = api(v4());
  await berlin.loginOk(DEMO_USERS.advisor);
  const theirs = await berlin.get('/api/v1/contact-requests');
  assert.ok(theirs.body.items.every((r) => r.reference !== reference));
  assert.equal((await berlin.post(`/api/v1/contact-requests/${mine[0].id}/convert`)).status, 404);

  const converted = await advisor.post(`/api/v1/contact-requests/${mine[0].id}/convert`);
  assert.equal(converted.status, 201, JSON.stringify(converted.body));
  const kase = await advisor.get(`/api/v1/cases/${converted.body.case_id}`);
  assert.equal(kase.status, 200);
  assert.deepEqual(kase.body.topics ?? kase.body.case?.topics, ['wages']);
  assert.equal((await advisor.post(`/api/v1/contact-requests/${mine[0].id}/convert`)).status, 409);
  const after = await advisor.get('/api/v1/contact-requests?status=converted');
  assert.equal(after.body.items.find((r) => r.id === mine[0].id).case_id, converted.body.case_id);
});

test('bad input: localised errors, script kept as text, binary refused, nothing stored', async () => {
  const advisor = api(v4());
  await advisor.loginOk(DEMO_USERS.advisorBayern);
  const before = (await advisor.get('/api/v1/contact-requests')).body.items.length;
  const fields = await contactForm(v4(), 'uk');
  const res = await post(v4(), 'uk', { ...valid, ...fields, name: '<script>alert(1)</script>', reach: '', topic: 'nope',
    message: 'x'.repeat(2001), consent: '', postcode: '0000' });
  assert.equal(res.status, 422);
  assert.match(res.text, /Будь ласка, заповніть це поле/);
  assert.match(res.text, /Будь ласка, виберіть тему/);
  assert.match(res.text, /Цей текст задовгий/);
  assert.match(res.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.doesNotMatch(res.text, /<script>alert/);
  const binary = await post(v4(), 'de', { ...valid, ...(await contactForm(v4())), message: 'a\u0000b' });
  assert.equal(binary.status, 422);
  assert.match(binary.text, /ungültige Zeichen/);
  const unknownLanguage = await post(v4(), 'de', { ...valid, ...(await contactForm(v4())), language: 'xx' });
  assert.equal(unknownLanguage.status, 422);
  // A body over the form's limit (only a crafted request: every field has its maxlength) is a
  // page in the visitor's language, not problem+json.
  const huge = await post(v4(), 'ar', { ...valid, ...(await contactForm(v4(), 'ar')), message: 'ر'.repeat(20000) });
  assert.equal(huge.status, 413);
  assert.match(huge.headers.get('content-type'), /text\/html/);
  assert.match(huge.text, /<html lang="ar" dir="rtl">/);
  assert.ok(huge.text.includes(`<p role="alert">${localeStrings('ar').errors.tooLong}</p>`));
  assert.ok(huge.text.includes(`<a href="/ar/contact">${localeStrings('ar').errors.backToForm}</a>`));
  assert.equal((await advisor.get('/api/v1/contact-requests')).body.items.length, before);
  // The employer sheet: names that are not text, too long, and a date that is none, each named.
  const sheet = await page(v4(), `/uk/employer-sheet?postcode=80331&worker_language=ar&worker_name=a%00b%FF&employer_name=${'E'.repeat(201)}&start=2027-13-45&format=pdf`);
  assert.equal(sheet.status, 422);
  assert.match(sheet.headers.get('content-type'), /text\/html/);
  const uk = localeStrings('uk').errors;
  assert.ok(sheet.text.includes(`<p class="error" id="worker_name-error">${uk.binary}</p>`), 'binary');
  assert.ok(sheet.text.includes(`<p class="error" id="employer_name-error">${uk.tooLong}</p>`), 'too long');
  assert.ok(sheet.text.includes(`<p class="error" id="start-error">${uk.date}</p>`), 'not a date');
  // 100 Arabic letters are not too long (the form's maxlength counts characters, not bytes).
  const arabicName = await page(v4(), `/de/employer-sheet?postcode=80331&worker_language=ar&worker_name=${encodeURIComponent('ع'.repeat(100))}`);
  assert.equal(arabicName.status, 200);
});

test('honeypot and a too-fast form are answered like a success but kept out of the inbox', async () => {
  const bot = await post(v4(), 'de', { ...valid, ...(await contactForm(v4())), website: 'http://spam.example' });
  assert.equal(bot.status, 303);
  const fast = await post(strict.baseUrl, 'de', { ...valid, ...(await contactForm(strict.baseUrl)) });
  assert.equal(fast.status, 303);
  for (const [base, res] of [[v4(), bot], [strict.baseUrl, fast]]) {
    const ref = new URL(res.headers.get('location'), base).searchParams.get('ref');
    const advisor = api(base);
    await advisor.loginOk(DEMO_USERS.advisorBayern);
    assert.ok((await advisor.get('/api/v1/contact-requests')).body.items.every((r) => r.reference !== ref));
    const spam = await advisor.get('/api/v1/contact-requests?status=suspected_spam');
    assert.ok(spam.body.items.some((r) => r.reference === ref), 'stored, in the spam folder');
  }
});

test('employer sheet: German and the worker language, nearest location, PDF that reads back', async () => {
  const html = await page(v4(), '/de/employer-sheet?postcode=80331&worker_language=ar&worker_name=Ali&receipt=1');
  assert.equal(html.status, 200);
  assert.match(html.text, /<section class="sheet-lang" lang="de" dir="ltr">/);
  assert.match(html.text, /<section class="sheet-lang" lang="ar" dir="rtl">/);
  assert.match(html.text, /Faire Integration Bayern – München/);
  assert.match(html.text, /Empfangsbestätigung/);
  assert.match(html.text, /§ 45c/);
  assert.match(html.text, /class="small no-print" id="geo-data">[^<]*OpenStreetMap[^<]*GeoNames/, 'the postcode data attributed');
  const bad = await page(v4(), '/de/employer-sheet?postcode=12&worker_language=zz');
  assert.equal(bad.status, 422);
  assert.match(bad.text, /Diese Postleitzahl oder diesen Ort kennen wir nicht/);
  // Across a border: the nearest location and the workplace state's own centre.
  const border = await page(v4(), '/en/employer-sheet?postcode=63739&worker_language=tr');
  assert.equal(border.status, 200);

  const pdf = await fetch(`${v4()}/ar/employer-sheet?postcode=80331&worker_language=ar&format=pdf`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  const bytes = Buffer.from(await pdf.arrayBuffer());
  assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
  const dir = await mkdtemp(join(tmpdir(), 'fd-sheet-'));
  try {
    await writeFile(join(dir, 's.pdf'), bytes);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 's.pdf'), '-']).toString();
    assert.match(text, /Information über die kostenlose\s+Beratung/);
    assert.match(text, /معلومات حول الاستشارة المجانية/);
    assert.match(text, /München/);
    assert.match(text, /Mo–Do 09:00–17:00/, 'the opening days of the German part');
    // A tagged PDF (EN 301 549 clause 10): structure tree over real text, the document in German,
    // the worker's part in Arabic; the incremental update that adds the languages is well-formed.
    const file = join(dir, 's.pdf');
    assert.match(execFileSync('pdfinfo', [file]).toString(), /Tagged:\s+yes/);
    assert.match(execFileSync('qpdf', ['--check', file]).toString(), /No syntax or stream encoding errors found/);
    const objects = JSON.parse(execFileSync('qpdf', ['--json=2', '--json-key=qpdf', file], { maxBuffer: 64 << 20 }).toString()).qpdf[1];
    const values = Object.values(objects).map((o) => o.value).filter((v) => v && typeof v === 'object');
    const catalog = values.find((v) => v['/Type'] === '/Catalog');
    assert.equal(catalog['/Lang'], 'u:de');
    assert.equal(catalog['/MarkInfo']['/Marked'], true);
    assert.ok(catalog['/StructTreeRoot']);
    const elements = values.filter((v) => v['/Type'] === '/StructElem');
    const kinds = new Set(elements.map((e) => e['/S']));
    for (const kind of ['/Document', '/Sect', '/H1', '/P', '/Table', '/TR', '/TD']) assert.ok(kinds.has(kind), `${kind} in ${[...kinds]}`);
    assert.deepEqual(elements.filter((e) => e['/S'] === '/Sect').map((e) => e['/Lang']), ['u:de', 'u:ar']);
    // The sheet embeds the fonts the portal serves as web fonts (Amiri for Arabic script).
    const fonts = execFileSync('pdffonts', [file]).toString();
    assert.match(fonts, /Amiri-Regular/);
    assert.doesNotMatch(fonts, /\s no\s+(yes|no)\s+(yes|no)\s+\d/, `every font embedded:\n${fonts}`);
    // The worker's part reads back word for word in Arabic and Persian (pdftotext once read the
    // Arabic as letters with spaces between, "الترج م ة آلي ة", and dropped Persian's zero-width
    // non-joiner): every sentence of the sheet, compared without punctuation, which pdftotext moves
    // to the other side of a right-to-left word, and without the bidi controls it adds.
    const words = (s) => s.replace(/[\u202a-\u202e]/g, '').replace(/[.,:;،«»()]/g, ' ').replace(/\s+/g, ' ').trim();
    for (const lang of ['ar', 'fa']) {
      const res = await fetch(`${v4()}/${lang}/employer-sheet?postcode=80331&worker_language=${lang}&receipt=1&format=pdf`);
      await writeFile(join(dir, `${lang}.pdf`), Buffer.from(await res.arrayBuffer()));
      const read = words(execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, `${lang}.pdf`), '-']).toString());
      const t = localeStrings(lang).sheet;
      for (const sentence of [t.sheetHeading, t.machineTranslation, t.notice, t.receiptTitle, t.receiptText]) {
        assert.ok(read.includes(words(sentence)), `${lang}: "${sentence}" reads back from the PDF:\n${read}`);
      }
    }
    const ti = await fetch(`${v4()}/de/employer-sheet?postcode=80331&worker_language=ti&format=pdf`);
    await writeFile(join(dir, 'ti.pdf'), Buffer.from(await ti.arrayBuffer()));
    assert.match(execFileSync('pdffonts', [join(dir, 'ti.pdf')]).toString(), /NotoSansEthiopic-Regular/);
    assert.match(execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'ti.pdf'), '-']).toString(), /[\u1200-\u137f]{3}/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('legal pages are editable by admins only and shown on every language', async () => {
  const admin = api(v4());
  await admin.loginOk(DEMO_USERS.admin);
  const saved = await admin.put('/api/v1/portal/legal/imprint/de', { title: 'Impressum', body: 'Träger X e. V.\nStraße 1\n\nVertreten durch Y.' });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  const de = await page(v4(), '/de/imprint');
  assert.match(de.text, /Träger X e\. V\.<br>Straße 1/);
  const fa = await page(v4(), '/fa/imprint');
  assert.match(fa.text, /Träger X e\. V\./, 'German text as the fallback');
  assert.match(fa.text, /class="notice"/);
  const advisor = api(v4());
  await advisor.loginOk(DEMO_USERS.advisor);
  assert.equal((await advisor.put('/api/v1/portal/legal/imprint/de', { title: 'x', body: 'y' })).status, 403);
  assert.equal((await admin.put('/api/v1/portal/legal/imprint/de', { title: '', body: 'y', extra: 1 })).status, 422);

  // The administration's view: every page in every language, which are edited, and the text shown.
  const list = await admin.get('/api/v1/portal/legal');
  assert.equal(list.status, 200);
  assert.equal(list.body.items.length, 3 * LANGS.length);
  const entry = (page, lang) => list.body.items.find((i) => i.page === page && i.lang === lang);
  assert.equal(entry('imprint', 'de').custom, true);
  assert.equal(entry('imprint', 'ar').custom, false);
  const one = await admin.get('/api/v1/portal/legal/imprint/de');
  assert.deepEqual([one.body.custom, one.body.title, one.body.shown_lang], [true, 'Impressum', 'de']);
  assert.match(one.body.updated_at, /^\d{4}-\d\d-\d\dT/);
  const privacyAr = await admin.get('/api/v1/portal/legal/privacy/ar');
  assert.equal(privacyAr.body.custom, false);
  assert.equal(privacyAr.body.shown_lang, 'de', 'no Arabic default: the German text is shown');
  assert.match(privacyAr.body.body, /90 Tagen/);
  assert.equal((await admin.get('/api/v1/portal/legal/cookies/de')).status, 404);
  assert.equal((await admin.get('/api/v1/portal/legal/imprint/xx')).status, 404);
  assert.equal((await advisor.get('/api/v1/portal/legal')).status, 403);
  assert.equal((await advisor.get('/api/v1/portal/legal/imprint/de')).status, 403);
  assert.equal((await advisor.del('/api/v1/portal/legal/imprint/de')).status, 403);

  // An Arabic imprint of its own, then back to the default: every change audited.
  const ar = await admin.put('/api/v1/portal/legal/imprint/ar', { title: 'بيانات الناشر – نص خاص', body: 'الجهة المسؤولة: Träger X e. V.' });
  assert.equal(ar.status, 200);
  let shown = await page(v4(), '/ar/imprint');
  assert.match(shown.text, /<div lang="ar" dir="rtl"><h1>بيانات الناشر – نص خاص<\/h1>/);
  assert.doesNotMatch(shown.text, /class="notice"/);
  const reset = await admin.del('/api/v1/portal/legal/imprint/ar');
  assert.equal(reset.status, 200);
  assert.equal(reset.body.custom, false);
  assert.equal((await admin.del('/api/v1/portal/legal/imprint/ar')).status, 404, 'nothing left to reset');
  shown = await page(v4(), '/ar/imprint');
  assert.doesNotMatch(shown.text, /نص خاص/);
  assert.match(shown.text, /Träger X e\. V\./, 'the German text again, with the notice');
  const audit = await admin.get('/api/v1/audit?record_type=legal_page&limit=50');
  assert.equal(audit.status, 200);
  const actions = audit.body.items.filter((e) => e.record_id === 'imprint-ar').map((e) => e.action);
  assert.deepEqual(actions.sort(), ['delete', 'update']);
});

test('a flood of 1,000 requests from one IPv4 address, one IPv6 address and one IPv6 /64: 429 with Retry-After, every accepted request stored', async () => {
  const advisor = api(v4());
  await advisor.loginOk(DEMO_USERS.advisorBayern);
  const stored = async () => {
    const lists = await Promise.all(['new', 'suspected_spam'].map((s) => advisor.get(`/api/v1/contact-requests?status=${s}`)));
    return new Set(lists.flatMap((l) => l.body.items.map((r) => r.reference)));
  };
  // Each flood sends 1,000 requests, 20 at a time (a burst, as a script would), without
  // JavaScript (unverified: each costs more). The /64 flood comes through the trusted proxy from
  // 1,000 different addresses of one /64, which share one budget.
  const floods = [
    ['one IPv4 address', (fields) => post(v4(), 'de', fields)],
    ['one IPv6 address', (fields) => post(v6(), 'de', fields)],
    ['one IPv6 /64', (fields, i) => postFrom('127.0.0.2', `2001:db8:64:64::${(i + 1).toString(16)}`, fields)],
  ];
  for (const [label, send] of floods) {
    const form = await contactForm(v4(), 'de', { solve: false });
    const accepted = [];
    let limited = 0;
    let next = 0;
    const worker = async () => {
      while (next < 1000) {
        const i = next++;
        const res = await send({ ...valid, ...form, message: `Flood ${label} ${i}` }, i);
        if (res.status === 303) {
          const location = res.headers?.get ? res.headers.get('location') : res.location;
          accepted.push(new URL(location, v4()).searchParams.get('ref'));
        } else {
          assert.equal(res.status, 429, label);
          assert.match(res.headers?.get ? res.headers.get('retry-after') : res.retryAfter, /^\d+$/);
          if (limited === 0 && res.text !== undefined) assert.match(res.text, /Zu viele Nachrichten/);
          limited++;
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, worker));
    assert.ok(accepted.length >= 1 && accepted.length < 100, `${label}: ${accepted.length} accepted`);
    assert.equal(accepted.length + limited, 1000);
    assert.equal(new Set(accepted).size, accepted.length, `${label}: every accepted request has its own reference`);
    const all = await stored();
    for (const ref of accepted) assert.ok(all.has(ref), `${label}: ${ref} stored`);
  }
  // The server keeps serving.
  assert.equal((await fetch(`${v4()}/healthz`)).status, 200);
});

/** A contact form post sent from `localAddress` (a loopback address) with an X-Forwarded-For. */
function postFrom(localAddress, forwarded, fields) {
  const body = new URLSearchParams(fields).toString();
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port: server.port, localAddress, method: 'POST', path: '/de/contact',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body),
        'x-forwarded-for': forwarded, connection: 'close' },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, retryAfter: res.headers['retry-after'], location: res.headers.location }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('rate limits behind a reverse proxy: X-Forwarded-For counts only from a configured proxy (--trusted-proxy)', async () => {
  // Posts without JavaScript (unverified) cost 3 of the 30 units: each client gets 10.
  const exhaust = async (localAddress, forwarded) => {
    let accepted = 0;
    for (let i = 0; i < 11; i++) {
      const res = await postFrom(localAddress, forwarded(i), { ...valid, ...(await contactForm(v4(), 'de', { solve: false })) });
      if (res.status === 429) {
        assert.match(res.retryAfter, /^\d+$/);
        return accepted;
      }
      assert.equal(res.status, 303);
      accepted++;
    }
    assert.fail(`${localAddress}: no 429 after ${accepted} accepted`);
  };
  // Through the proxy, each visitor has a budget of their own: the address the proxy appended
  // (the rightmost untrusted one) counts, not what the visitor wrote in front of it.
  assert.equal(await exhaust('127.0.0.2', (i) => `10.9.9.${i}, 198.51.100.7`), 10);
  assert.equal((await postFrom('127.0.0.2', '198.51.100.8', { ...valid, ...(await contactForm(v4(), 'de', { solve: false })) })).status, 303,
    'another visitor behind the same proxy is not limited');
  // IPv6 visitors through the proxy are counted per /64.
  assert.equal(await exhaust('127.0.0.2', (i) => `2001:db8:7:7::${i + 1}`), 10);
  assert.equal((await postFrom('127.0.0.2', '2001:db8:7:8::1', { ...valid, ...(await contactForm(v4(), 'de', { solve: false })) })).status, 303);
  // A client that is not a configured proxy cannot escape its budget with a forged header.
  assert.equal(await exhaust('127.0.0.3', (i) => `203.0.113.${i}`), 10);
});
