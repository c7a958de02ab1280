// The public portal as visitors use it, in Debian's Chromium on a 360 px wide screen: the issue's
// acceptance walk in Arabic, Ukrainian and German, each with and without JavaScript, through to
// the advisor who turns the request into a case; error states; axe-core on every page in every
// language (with error states); no horizontal scrolling; the weight of a rights page on a cold load.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, api, DEMO_USERS } from '../lib/server.mjs';
import { assertAccessible, assertFitsWidth, openBrowser, screenshot, signIn } from '../lib/browser.mjs';

const PHONE = { width: 360, height: 740 };
const LANGS = ['de', 'en', 'ar', 'fa', 'prs', 'ps', 'uk', 'ru', 'tr', 'ti'];

let server;
before(async () => {
  server = await startServer({ env: { FAIRDESK_PORTAL_MIN_FILL_SECONDS: '0' } });
});
after(async () => {
  await server?.stop();
});

/** The portal's strings of one language (the server renders the same files). */
const strings = (lang) => JSON.parse(readFileSync(new URL(`../../web/src/locales/portal/${lang}.json`, import.meta.url), 'utf8'));

/** The text of a PDF as pdftotext reads it back. */
async function pdfText(bytes) {
  const dir = await mkdtemp(join(tmpdir(), 'fd-portal-pdf-'));
  try {
    await writeFile(join(dir, 'sheet.pdf'), bytes);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'sheet.pdf'), '-']).toString();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function checkPage(page, label, { axe = true } = {}) {
  // axe-core is a script: it cannot run on a page without JavaScript (the axe test below checks
  // every page and language with it; the HTML is the same without JavaScript).
  if (axe) await assertAccessible(page, label, { fitsWidth: true });
  else await assertFitsWidth(page, label);
}

/**
 * The document's language and direction, the language navigation (each language named in itself,
 * with lang and hreflang, the current one marked), the reciprocal hreflang links, and where the
 * first line of the heading and of the first form label starts: at the right edge on right-to-left
 * pages, at the left edge otherwise.
 */
async function checkDirection(page, lang, label) {
  const dir = strings(lang).meta.dir;
  assert.equal(await page.getAttribute('html', 'lang'), lang, `${label}: lang`);
  assert.equal(await page.getAttribute('html', 'dir'), dir, `${label}: dir`);
  const nav = await page.locator('nav.langs a').evaluateAll((links) =>
    links.map((a) => ({ lang: a.lang, hreflang: a.hreflang, current: a.getAttribute('aria-current'), dir: a.dir })));
  assert.equal(nav.length, LANGS.length, `${label}: every language in the language navigation`);
  for (const link of nav) assert.equal(link.lang, link.hreflang, `${label}: lang and hreflang of ${link.lang}`);
  assert.deepEqual(nav.filter((link) => link.current).map((link) => link.lang), [lang], `${label}: aria-current`);
  assert.deepEqual(nav.filter((link) => link.dir === 'rtl').map((link) => link.lang).sort(), ['ar', 'fa', 'prs', 'ps']);
  const alternates = await page.locator('link[rel="alternate"][hreflang]').evaluateAll((links) => links.map((l) => l.hreflang));
  assert.deepEqual(alternates.sort(), [...LANGS, 'x-default'].sort(), `${label}: hreflang alternates`);
  // The first line of a block starts at the inline start edge of its box.
  const starts = await page.evaluate(() =>
    ['main h1', 'main form label'].map((selector) => {
      const element = document.querySelector(selector);
      if (!element) return null;
      const box = element.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(element);
      const first = range.getClientRects()[0];
      return { selector, direction: getComputedStyle(element).direction, left: first.left - box.left, right: box.right - first.right };
    }).filter(Boolean));
  for (const s of starts) {
    assert.equal(s.direction, dir, `${label}: ${s.selector} direction`);
    assert.ok((dir === 'rtl' ? s.right : s.left) < 2, `${label}: ${s.selector} starts at the ${dir === 'rtl' ? 'right' : 'left'} (${JSON.stringify(s)})`);
  }
}

/**
 * A new visitor's way through the portal on a phone; resolves to the reference of the contact
 * request the visitor sent to the Bavarian centre.
 */
async function visitorWalk(lang, javaScriptEnabled, name) {
  const t = strings(lang);
  const mode = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';
  const tag = `${lang}-${javaScriptEnabled ? 'js' : 'nojs'}`;
  const axe = javaScriptEnabled; // axe-core is a script; the axe test below covers every page
  const browser = await openBrowser({ locale: lang, viewport: PHONE, javaScriptEnabled });
  const { page } = browser;
  try {
    // The entry page suggests the browser's language; the visitor picks theirs by its own name.
    await page.goto(`${server.baseUrl}/`);
    assert.equal(await page.locator(`a.big[hreflang="${lang}"]`).count(), 1, 'the browser language is suggested');
    await page.locator(`ul.entry-langs a[hreflang="${lang}"]`).click();
    await page.waitForURL((url) => url.pathname === `/${lang}/`);
    await checkDirection(page, lang, `/${lang}/ ${mode}`);
    await checkPage(page, `/${lang}/ ${mode}`, { axe });
    // The translations are machine-made and unreviewed, and every page but a German one says so.
    const machine = page.locator('#machine-translation');
    if (lang === 'de') assert.equal(await machine.count(), 0);
    else {
      assert.ok((await machine.textContent()).includes(t.site.machineTranslation));
      assert.equal(await machine.getByRole('link', { name: t.site.germanVersion }).getAttribute('href'), '/de/');
    }
    const nav = page.getByRole('navigation', { name: t.site.mainNav });

    // Finder: 80331 gives the Bavarian centre; phone numbers and addresses stay left to right.
    await nav.getByRole('link', { name: t.nav.centres, exact: true }).click();
    await page.getByLabel(t.finder.postcode, { exact: true }).fill('80331');
    await page.getByRole('button', { name: t.finder.submit }).click();
    await page.getByRole('heading', { level: 3, name: /Faire Integration Bayern – München/ }).first().waitFor();
    const first = page.locator('.cards article').first();
    assert.match(await first.locator('h3').textContent(), /Faire Integration Bayern/, 'the nearest location is the Bavarian one');
    for (const ltr of await first.locator('dd bdi[dir="ltr"]').all()) {
      assert.equal(await ltr.evaluate((e) => getComputedStyle(e).direction), 'ltr');
    }
    assert.match(await first.locator('a[href^="tel:"] bdi[dir="ltr"]').textContent(), /^\+?[\d ()/-]+$/);
    assert.match(await first.locator('a[href^="mailto:"] bdi[dir="ltr"]').textContent(), /@/);
    await checkDirection(page, lang, `/${lang}/centres ${mode}`);
    await checkPage(page, `/${lang}/centres?postcode=80331 ${mode}`, { axe });
    await screenshot(page, `portal-walk-${tag}-finder`);
    // A centre that speaks Tigrinya.
    await page.getByLabel(t.finder.language, { exact: true }).selectOption('ti');
    await page.getByRole('button', { name: t.finder.submit }).click();
    await page.waitForURL(/language=ti/);
    const cards = page.locator('.cards article');
    assert.ok((await cards.count()) > 0, 'a centre that speaks Tigrinya');
    for (const text of await cards.allTextContents()) assert.match(text, /ትግርኛ/);

    // A rights page with its as-of date; the live minimum wage on the overview.
    await nav.getByRole('link', { name: t.nav.rights, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: t.rights.title }).waitFor();
    // As the page's language writes it: "13,90 €" (uk: "13,90 EUR"), Arabic-Indic digits in Arabic.
    assert.match(await page.locator('main').textContent(), /1\d,\d\d\s(€|EUR)|١[٠-٩]٫[٠-٩]{2}/);
    await checkPage(page, `/${lang}/rights ${mode}`, { axe });
    await page.locator('main ul.items a').first().click();
    await page.waitForURL(new RegExp(`/${lang}/rights/.+`));
    await page.locator('main article h1').waitFor();
    const article = page.locator('main article');
    const shown = await article.getAttribute('lang');
    assert.equal(await article.getAttribute('dir'), strings(shown).meta.dir, 'the article carries its own direction');
    if (shown !== lang) await page.locator('main p.notice').waitFor(); // German with a notice
    assert.ok((await article.textContent()).includes(strings(shown).rights.asOf.split('{{')[0].trim()), 'valid as of');
    await checkPage(page, `/${lang}/rights/{item} ${mode}`, { axe });

    // A contact request to the Bavarian centre, from the finder's result.
    await page.goto(`${server.baseUrl}/${lang}/centres?postcode=80331`);
    await page.getByRole('link', { name: t.finder.contactThis }).first().click();
    await page.getByLabel(t.contact.name, { exact: true }).fill(name);
    await page.getByLabel(t.contact.reach, { exact: true }).fill('+49 170 2222222');
    await page.getByLabel(t.topics.leave, { exact: true }).check();
    await page.getByLabel(t.contact.message, { exact: true }).fill(`${t.topics.leave}: ${name}`);
    await page.getByLabel(t.contact.consent).check();
    await checkDirection(page, lang, `/${lang}/contact ${mode}`);
    await checkPage(page, `/${lang}/contact ${mode}`, { axe });
    await page.getByRole('button', { name: t.contact.submit }).click();
    await page.waitForURL(new RegExp(`/${lang}/contact/sent\\?ref=FI-`));
    await page.getByRole('heading', { level: 1, name: t.contact.sentTitle }).waitFor();
    const reference = new URL(page.url()).searchParams.get('ref');
    assert.equal(await page.locator('strong.ref bdi[dir="ltr"]').textContent(), reference, 'the reference is shown left to right');
    await checkPage(page, `/${lang}/contact/sent ${mode}`, { axe });

    // The employer sheet in German and Arabic, as HTML and as a PDF that reads back.
    await nav.getByRole('link', { name: t.nav.employer, exact: true }).click();
    await page.getByLabel(t.sheet.postcode, { exact: true }).fill('80331');
    await page.getByLabel(t.sheet.workerLanguage, { exact: true }).selectOption('ar');
    await page.getByLabel(t.sheet.receipt, { exact: true }).check();
    await page.getByRole('button', { name: t.sheet.create }).click();
    const arabic = page.locator('section.sheet-lang[lang="ar"][dir="rtl"]');
    const german = page.locator('section.sheet-lang[lang="de"][dir="ltr"]');
    await arabic.waitFor();
    await german.waitFor();
    for (const section of [german, arabic]) assert.match(await section.textContent(), /Faire Integration Bayern – München/);
    assert.ok((await arabic.textContent()).includes(strings('ar').sheet.machineTranslation), 'the Arabic part says it is machine-made');
    assert.ok(!(await german.textContent()).includes(strings('de').sheet.machineTranslation));
    await page.locator('section.receipt[lang="ar"][dir="rtl"]').waitFor();
    await checkDirection(page, lang, `/${lang}/employer-sheet ${mode}`);
    await checkPage(page, `/${lang}/employer-sheet (sheet) ${mode}`, { axe });
    await screenshot(page, `portal-walk-${tag}-sheet`);
    const href = await page.getByRole('link', { name: t.sheet.pdf }).getAttribute('href');
    const pdf = await fetch(`${server.baseUrl}${href}`);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    // Compared without punctuation, which pdftotext moves to the other side of a right-to-left
    // word, and without the bidi controls it adds; every word of the Arabic part as it is written.
    const words = (s) => s.replace(/[\u202a-\u202e]/g, '').replace(/[.,:;،«»()]/g, ' ').replace(/\s+/g, ' ').trim();
    const text = words(await pdfText(Buffer.from(await pdf.arrayBuffer())));
    const de = strings('de');
    const ar = strings('ar');
    for (const expected of [de.sheet.sheetHeading, ar.sheet.sheetHeading, ar.sheet.notice, ar.sheet.machineTranslation,
      'Faire Integration Bayern', '80331 München', de.sheet.receiptTitle, ar.sheet.receiptTitle, ar.sheet.receiptText]) {
      assert.ok(text.includes(words(expected)), `the PDF reads back "${expected}":\n${text.slice(0, 1500)}`);
    }
    if (javaScriptEnabled) assert.deepEqual(browser.cspViolations(), []);
    assert.deepEqual(await browser.context.cookies(), [], 'no cookies');
    return reference;
  } finally {
    await browser.close();
  }
}

/**
 * The Bavarian advisor finds the request in the staff app's inbox, turns it into a case in one
 * step and opens the case. A request sent without JavaScript has no solved proof of work and says so.
 */
async function advisorTurnsIntoCase(reference, name, javaScriptEnabled, lang) {
  const staff = await openBrowser();
  try {
    const { page } = staff;
    await signIn(page, server.baseUrl, DEMO_USERS.advisorBayern);
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Kontaktanfragen' }).click();
    const item = page.getByTestId('contact-request').filter({ hasText: reference });
    await item.waitFor();
    const text = await item.textContent();
    assert.ok(text.includes(name), `${reference}: the name`);
    assert.ok(text.includes('Urlaub'), `${reference}: the topic`);
    // The language the visitor wrote in, named in the staff app's language (not its code).
    const languageNames = { ar: 'Arabisch', uk: 'Ukrainisch', de: 'Deutsch' };
    assert.ok(text.includes(`Sprache${languageNames[lang]}`), `${reference}: the language ${languageNames[lang]} in ${text}`);
    assert.ok(text.includes(javaScriptEnabled ? 'ja' : 'nein (ohne JavaScript gesendet)'), `${reference}: proof of work`);
    await assertAccessible(page, `contact-request-${javaScriptEnabled ? 'js' : 'no-js'}`);
    await item.getByRole('button', { name: 'Als Fall anlegen' }).click();
    await page.getByText(new RegExp(`Die Anfrage ${reference} ist jetzt der Fall`)).waitFor();
    await page.getByRole('link', { name: 'Fall öffnen' }).first().click();
    await page.waitForURL(/\/cases\/[^/]+$/);
    await page.getByRole('heading', { level: 1 }).waitFor();
    assert.ok((await page.locator('main').textContent()).includes('Urlaub'), 'the case has the topic');
    // The staff app links the portal's legal pages.
    assert.equal(await page.locator('footer a[href="/de/imprint"]').count(), 1);
    // The request has left the "new" list.
    const advisor = api(server.baseUrl);
    await advisor.loginOk(DEMO_USERS.advisorBayern);
    const converted = await advisor.get('/api/v1/contact-requests?status=converted');
    const mine = converted.body.items.filter((r) => r.reference === reference);
    assert.equal(mine.length, 1, `${reference} converted`);
    assert.ok(mine[0].case_id, 'with its case');
  } finally {
    await staff.close();
  }
}

describe('public portal', () => {
  test('Arabic on a phone with JavaScript: a contact request with an error, corrected, then sent', async () => {
    const browser = await openBrowser({ locale: 'ar', viewport: PHONE });
    const { page } = browser;
    try {
      await page.goto(`${server.baseUrl}/ar/contact`);
      await page.getByLabel('الاسم أو اسم مستعار').fill('   ');
      await page.getByLabel('كيف يمكننا التواصل معك؟').fill('amina@example.org');
      await page.getByLabel('الرمز البريدي (اختياري)').fill('80331');
      await page.getByLabel('الأجر').check();
      await page.getByLabel('رسالتك').fill('لم يدفع صاحب العمل أجري منذ شهرين.');
      await page.getByLabel(/أوافق على أن يحفظ/).check();
      await page.getByRole('button', { name: 'إرسال الرسالة' }).click();
      await page.getByRole('heading', { name: 'يرجى التحقق من بياناتك' }).waitFor();
      await checkDirection(page, 'ar', '/ar/contact (error)');
      await checkPage(page, '/ar/contact (error)');
      await page.getByLabel('الاسم أو اسم مستعار').fill('أمينة');
      await page.getByRole('button', { name: 'إرسال الرسالة' }).click();
      await page.waitForURL(/\/ar\/contact\/sent\?ref=FI-/);
      await page.getByRole('heading', { level: 1, name: 'وصلت رسالتك' }).waitFor();
      await checkPage(page, '/ar/contact/sent');
      assert.deepEqual(browser.cspViolations(), []);
    } finally {
      await browser.close();
    }
  });

  test('Ukrainian on a phone without JavaScript: finder, contact request, sheet', async () => {
    const browser = await openBrowser({ locale: 'uk', viewport: PHONE, javaScriptEnabled: false });
    const { page } = browser;
    try {
      await page.goto(`${server.baseUrl}/uk/centres`);
      await page.getByLabel('Поштовий індекс або місто').fill('München');
      await page.getByRole('button', { name: 'Шукати' }).click();
      await page.getByRole('heading', { level: 3, name: /Faire Integration Bayern – München/ }).first().waitFor();
      await page.getByLabel('Я живу за кордоном').check();
      await page.getByRole('button', { name: 'Шукати' }).click();
      await page.getByText('Консультації доступні й для людей за кордоном').waitFor();

      await page.goto(`${server.baseUrl}/uk/contact`);
      await page.getByLabel('Ім’я або псевдонім').fill('Олена');
      await page.getByLabel('Як з вами зв’язатися?').fill('+49 170 1111111');
      await page.getByLabel('Поштовий індекс (необов’язково)').fill('10115');
      await page.getByLabel('Відпустка').check();
      await page.getByLabel('Ваше повідомлення').fill('Роботодавець не дає відпустку.');
      await page.getByLabel(/Я погоджуюся/).check();
      await page.getByRole('button', { name: 'Надіслати повідомлення' }).click();
      await page.waitForURL(/\/uk\/contact\/sent\?ref=FI-/);
      await page.getByText('Ваш номер звернення').waitFor();

      await page.goto(`${server.baseUrl}/uk/employer-sheet`);
      await page.getByLabel('Поштовий індекс місця роботи').fill('12');
      await page.locator('form button[type="submit"]').click();
      await page.getByText('Ми не знаємо такого поштового індексу або міста.').first().waitFor();
      await page.getByLabel('Поштовий індекс місця роботи').fill('01067');
      await page.locator('form button[type="submit"]').click();
      await page.locator('section.sheet-lang[lang="uk"]').waitFor();
      await screenshot(page, 'portal-uk-nojs-sheet');
    } finally {
      await browser.close();
    }
  });

  // The acceptance walk, as a new visitor on a 360 px phone, in Arabic, Ukrainian and
  // German, each with and without JavaScript: every step through the labels the visitor reads (the
  // language's own locale file), and the request checked from the advisor's side in the staff app.
  for (const lang of ['ar', 'uk', 'de']) {
    for (const javaScriptEnabled of [true, false]) {
      const mode = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';
      test(`acceptance walk in ${lang} ${mode}: Bavarian centre for 80331, Tigrinya, a rights page, a request that becomes a case, the sheet in German and Arabic`, async () => {
        const name = `Walk ${lang}-${javaScriptEnabled ? 'js' : 'nojs'}`;
        const reference = await visitorWalk(lang, javaScriptEnabled, name);
        await advisorTurnsIntoCase(reference, name, javaScriptEnabled, lang);
      });
    }
  }

  test('an admin adds, changes and removes a location of a centre in the administration; the finder follows', async () => {
    const staff = await openBrowser();
    const visitor = await openBrowser({ locale: 'ti', viewport: PHONE });
    const firstCard = async (postcode) => {
      const res = await fetch(`${server.baseUrl}/de/centres?postcode=${postcode}`);
      return (await res.text()).match(/<article class="card"><h3>([^<]+)<\/h3>/)?.[1];
    };
    try {
      const { page } = staff;
      await signIn(page, server.baseUrl, DEMO_USERS.admin);
      await page.goto(`${server.baseUrl}/admin/centres`);
      await page.getByRole('link', { name: 'Faire Integration Bayern' }).click();
      await page.getByRole('heading', { level: 2, name: 'Standorte im Portal' }).waitFor();
      const rows = page.getByTestId('location-row');
      await rows.filter({ hasText: 'Nürnberg' }).waitFor();
      const before = await rows.count();
      assert.notEqual(await firstCard('93047'), 'Faire Integration Bayern – Regensburg');

      // A new location starts from the centre's contact data; bad input is explained at the field.
      await page.getByRole('link', { name: 'Standort hinzufügen' }).click();
      await page.getByRole('heading', { level: 1, name: 'Neuer Standort' }).waitFor();
      assert.ok((await page.getByLabel('Sprachen der Beratung').inputValue()).length > 0, 'languages taken from the centre');
      await page.getByLabel('Name des Standorts').fill('Regensburg');
      await page.getByLabel('Straße und Hausnummer').fill('Beispielgasse 5');
      await page.getByLabel('Postleitzahl', { exact: true }).fill('00000');
      await page.getByLabel('Ort', { exact: true }).fill('Regensburg');
      await page.getByLabel('Sprachen der Beratung').fill('de, ti, ar');
      await page.getByRole('button', { name: 'Speichern' }).click();
      await page.getByText('Diese Postleitzahl gibt es nicht.').waitFor();
      await assertAccessible(page, 'admin-location-errors-de');
      await page.getByLabel('Postleitzahl', { exact: true }).fill('93047');
      await page.getByRole('button', { name: 'Speichern' }).click();
      await page.getByRole('status').filter({ hasText: 'Der Standort Regensburg ist gespeichert.' }).waitFor();
      await rows.filter({ hasText: 'Beispielgasse 5, 93047 Regensburg' }).waitFor();
      assert.equal(await rows.count(), before + 1);
      await assertAccessible(page, 'admin-location-saved-de');

      // The portal finds it: in Tigrinya, for its postcode.
      await visitor.page.goto(`${server.baseUrl}/ti/centres?postcode=93047&language=ti`);
      const card = visitor.page.locator('.cards article').first();
      assert.equal(await card.locator('h3').textContent(), 'Faire Integration Bayern – Regensburg');
      assert.match(await card.textContent(), /Beispielgasse 5/);

      // Renamed, then removed after a confirmation.
      await rows.getByRole('link', { name: 'Regensburg' }).click();
      await page.getByLabel('Name des Standorts').fill('Regensburg-Ost');
      await page.getByRole('button', { name: 'Speichern' }).click();
      await page.getByRole('status').filter({ hasText: 'Der Standort Regensburg-Ost ist gespeichert.' }).waitFor();
      assert.equal(await firstCard('93047'), 'Faire Integration Bayern – Regensburg-Ost');
      await rows.getByRole('link', { name: 'Regensburg-Ost' }).click();
      await page.getByRole('button', { name: 'Standort entfernen' }).click();
      await page.getByRole('alert').getByText('Standort Regensburg-Ost entfernen?').waitFor();
      await assertAccessible(page, 'admin-location-remove-de');
      await page.getByRole('button', { name: 'Ja, entfernen' }).click();
      await page.getByRole('status').filter({ hasText: 'Der Standort Regensburg-Ost ist entfernt.' }).waitFor();
      // The list is loaded again after the removal: wait for it before counting its rows.
      await rows.filter({ hasText: 'Regensburg-Ost' }).waitFor({ state: 'detached' });
      await rows.filter({ hasText: 'Nürnberg' }).waitFor();
      assert.equal(await rows.count(), before);
      assert.notEqual(await firstCard('93047'), 'Faire Integration Bayern – Regensburg-Ost');
    } finally {
      await staff.close();
      await visitor.close();
    }
  });

  test('an admin writes the Arabic privacy notice in the administration; the portal shows it, and the default after a reset', async () => {
    const staff = await openBrowser();
    const visitor = await openBrowser({ locale: 'ar', viewport: PHONE });
    try {
      const { page } = staff;
      await signIn(page, server.baseUrl, DEMO_USERS.admin);
      await page.goto(`${server.baseUrl}/admin/users`);
      await page.getByRole('navigation', { name: 'Bereiche der Verwaltung' }).getByRole('link', { name: 'Rechtliche Seiten' }).click();
      await page.getByRole('heading', { level: 1, name: 'Rechtliche Seiten des Portals' }).waitFor();
      await page.getByLabel('Seite', { exact: true }).selectOption('privacy');
      await page.getByLabel('Sprache', { exact: true }).selectOption('ar');
      await page.waitForURL(/page=privacy&lang=ar/);
      await page.getByTestId('legal-status').getByText(/Für العربية gibt es noch keinen Text/).waitFor();
      // The editor starts from the German default; its direction follows the text (dir="auto").
      const direction = (label) => page.getByLabel(label, { exact: true }).evaluate((e) => (e.matches(':dir(rtl)') ? 'rtl' : 'ltr'));
      assert.equal(await direction('Überschrift'), 'ltr');
      await page.getByLabel('Überschrift').fill('سياسة الخصوصية');
      assert.equal(await direction('Überschrift'), 'rtl');
      await page.getByLabel('Text', { exact: true }).fill('');
      await page.getByRole('button', { name: 'Speichern' }).click();
      await page.getByText('Bitte füllen Sie dieses Feld aus.').waitFor();
      await page.getByLabel('Text', { exact: true }).fill('نحفظ طلبات التواصل لمدة 90 يومًا.\n\nالمسؤول: Träger X e. V.');
      await page.getByRole('button', { name: 'Speichern' }).click();
      await page.getByRole('status').getByText('Gespeichert: Das Portal zeigt den neuen Text.').waitFor();
      await page.getByTestId('legal-status').getByText(/Eigener Text, gespeichert am/).waitFor();
      assert.equal(await direction('Text'), 'rtl');
      assert.equal(await page.getByTestId('legal-privacy-ar').getAttribute('data-custom'), 'yes');
      await assertAccessible(page, 'admin-legal-ar');

      await visitor.page.goto(`${server.baseUrl}/ar/privacy`);
      await visitor.page.getByRole('heading', { level: 1, name: 'سياسة الخصوصية' }).waitFor();
      assert.equal(await visitor.page.locator('main p.notice').count(), 0, 'no fallback notice');
      assert.match(await visitor.page.locator('main').textContent(), /نحفظ طلبات التواصل لمدة 90 يومًا/);
      await checkPage(visitor.page, '/ar/privacy (edited)');

      await page.getByRole('button', { name: 'Auf Standardtext zurücksetzen' }).click();
      await page.getByRole('status').getByText(/Zurückgesetzt/).waitFor();
      await page.getByTestId('legal-status').getByText(/Für العربية gibt es noch keinen Text/).waitFor();
      assert.equal(await page.getByTestId('legal-privacy-ar').getAttribute('data-custom'), 'no');
      await visitor.page.reload();
      await visitor.page.locator('main p.notice').waitFor();
      assert.doesNotMatch(await visitor.page.locator('main').textContent(), /نحفظ طلبات التواصل/);
    } finally {
      await staff.close();
      await visitor.close();
    }
  });

  test('axe finds no serious or critical violation on any page in any language, error states included', async () => {
    const browser = await openBrowser({ viewport: PHONE });
    const { page } = browser;
    try {
      for (const lang of LANGS) {
        for (const path of ['/', '/centres?postcode=80331&language=ar', '/centres?postcode=00000', '/contact', '/employer-sheet',
          '/employer-sheet?postcode=80331&worker_language=' + lang + '&receipt=1', '/employer-sheet?postcode=1', '/rights',
          '/privacy', '/imprint', '/accessibility']) {
          await page.goto(`${server.baseUrl}/${lang}${path}`);
          await checkPage(page, `/${lang}${path}`);
        }
      }
      for (const path of ['/', '/de/leichte-sprache/']) {
        await page.goto(`${server.baseUrl}${path}`);
        await checkPage(page, path);
      }
      // Keyboard: the skip link comes first and moves the focus to the content.
      await page.goto(`${server.baseUrl}/ar/centres`);
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip');
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert.notEqual(outline, 'none', 'visible focus');
    } finally {
      await browser.close();
    }
  });

  test('axe on the pages and error states the walks reach in three languages only, now in every language: a rights item, events, the contact form with errors, its confirmation and the 429 page', async (t) => {
    // A server whose contact form takes one request per address and window: the second is a 429.
    const limited = await startServer({ env: { FAIRDESK_PORTAL_MIN_FILL_SECONDS: '0', FAIRDESK_PORTAL_RATE_BUDGET: '1' } });
    t.after(() => limited.stop());
    const browser = await openBrowser({ viewport: PHONE });
    const { page } = browser;
    const send = async (base, lang, name = 'Axe') => {
      await page.goto(`${base}/${lang}/contact`);
      await page.locator('input[name="name"]').fill(name);
      await page.locator('input[name="reach"]').fill('+49 170 3333333');
      await page.locator('input[name="topic"]').first().check();
      await page.locator('textarea[name="message"]').fill('axe');
      await page.locator('input[name="consent"]').check();
      await page.locator('#contact-form button[type="submit"]').click();
    };
    try {
      let sent = false;
      for (const lang of LANGS) {
        const s = strings(lang);
        await page.goto(`${server.baseUrl}/${lang}/rights`);
        await page.locator('main ul.items a').first().click();
        await page.locator('main article h1').waitFor();
        await page.locator('main section[aria-labelledby="figures"]').waitFor();
        await checkPage(page, `/${lang}/rights/{item}`);
        await page.goto(`${server.baseUrl}/${lang}/events`);
        await checkPage(page, `/${lang}/events`);
        // A name of spaces passes the browser's own check but not the server's: the error summary.
        await send(server.baseUrl, lang, '   ');
        await page.locator('.error-summary h2').filter({ hasText: s.errors.title }).waitFor();
        await checkPage(page, `/${lang}/contact (errors)`);
        // The first request on the limited server is accepted, every later one is refused.
        await send(limited.baseUrl, lang);
        if (!sent) {
          await page.getByRole('heading', { level: 1, name: s.contact.sentTitle }).waitFor();
          await checkPage(page, `/${lang}/contact/sent`);
          sent = true;
          await send(limited.baseUrl, lang);
        }
        await page.getByRole('heading', { level: 1, name: s.errors.tooManyTitle }).waitFor();
        await checkPage(page, `/${lang}/contact (429)`);
      }
    } finally {
      await browser.close();
    }
  });

  test('an address with an unknown language code: the portal\'s own "not found" with every language, without JavaScript and accessible', async () => {
    const plain = await openBrowser({ viewport: PHONE, javaScriptEnabled: false });
    try {
      const res = await plain.page.goto(`${server.baseUrl}/xx/centres`);
      assert.equal(res.status(), 404);
      await plain.page.getByRole('heading', { level: 1, name: /Diese Sprache gibt es hier nicht/ }).waitFor();
      // The Ukrainian link leads to the finder in Ukrainian.
      await plain.page.locator('main').getByRole('link', { name: 'Українська' }).click();
      await plain.page.waitForURL(/\/uk\/centres$/);
      await plain.page.getByRole('heading', { level: 1, name: strings('uk').finder.title }).waitFor();
    } finally {
      await plain.close();
    }
    const browser = await openBrowser({ locale: 'ar', viewport: PHONE });
    const { page } = browser;
    try {
      for (const path of ['/xx/centres', '/zz/', '/de/no-such-page']) {
        const res = await page.goto(`${server.baseUrl}${path}`);
        assert.equal(res.status(), 404, path);
        await page.locator('main h1').waitFor();
        await checkPage(page, path);
      }
      // Shown in the browser's language: Arabic, right to left.
      await page.goto(`${server.baseUrl}/xx/centres`);
      await page.getByRole('heading', { level: 1, name: strings('ar').errors.languageUnknownTitle }).waitFor();
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
      assert.equal(await page.locator('main ul.entry-langs a').count(), LANGS.length);
      // A staff route still gets the web app (its sign-in, since nobody is signed in).
      await page.goto(`${server.baseUrl}/statistics`);
      await page.waitForURL(/\/login/);
      await page.locator('#root input').first().waitFor();
      assert.deepEqual(browser.cspViolations(), []);
    } finally {
      await browser.close();
    }
  });

  test('a sign-language video on the home page: playable controls, download with size and duration, captions, transcript; axe', async () => {
    const admin = api(server.baseUrl);
    await admin.loginOk(DEMO_USERS.admin);
    const created = await admin.post('/api/v1/portal/sign-videos', { page: 'home', title: 'Was Sie hier finden', duration_seconds: 95,
      width: 640, height: 480, fps: 25, captions: 'WEBVTT\n\n00:00.000 --> 00:03.000\nWillkommen.\n', transcript: 'Willkommen bei Faire Integration.' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const mp4 = Buffer.concat([Buffer.from('000000206674797069736f6d0000020069736f6d69736f3261766331', 'hex'), Buffer.from('mp41'),
      Buffer.from('0000001066726565', 'hex'), Buffer.alloc(8)]);
    const put = await admin.request('PUT', `/api/v1/portal/sign-videos/${created.body.id}/file`, { body: mp4, headers: { 'Content-Type': 'video/mp4' } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const browser = await openBrowser({ viewport: PHONE });
    const { page } = browser;
    try {
      for (const lang of ['de', 'ar']) {
        await page.goto(`${server.baseUrl}/${lang}/`);
        const video = page.locator(`video[src="/portal/sign-videos/${created.body.id}"]`);
        await video.waitFor();
        assert.equal(await video.getAttribute('controls'), '');
        assert.equal(await page.locator('video track[kind="captions"][srclang="de"]').count(), 1);
        await page.locator('.sign-video').getByRole('link', { name: strings(lang).sign.download }).waitFor();
        await page.locator('.sign-video summary').filter({ hasText: strings(lang).sign.transcript }).click();
        await page.locator('.sign-video .transcript').getByText('Willkommen bei Faire Integration.').waitFor();
        await checkPage(page, `/${lang}/ with a sign-language video`);
      }
      assert.deepEqual(browser.cspViolations(), []);
    } finally {
      await browser.close();
      await admin.del(`/api/v1/portal/sign-videos/${created.body.id}`);
    }
  });

  test('keyboard only, left to right and right to left: every control in order forwards and backwards with a visible focus; finder and contact form by keyboard', async () => {
    /** The tab stops of the page in document order (a radio group is one stop). */
    const tabStops = (page) => page.evaluate(() => {
      const seen = new Set();
      const stops = [];
      for (const e of document.querySelectorAll('a[href], input, select, textarea, button')) {
        if (e.type === 'hidden' || e.tabIndex < 0 || e.closest('[aria-hidden="true"]') || e.getClientRects().length === 0) continue;
        const key = e.type === 'radio' ? `radio:${e.name}` : `${e.tagName}#${e.id}:${e.getAttribute('href') ?? ''}:${[...e.parentElement.children].indexOf(e)}:${stops.length}`;
        e.dataset.stop = key;
        if (seen.has(key)) continue;
        seen.add(key);
        stops.push(key);
      }
      return stops;
    });
    /** The focused element's stop and whether its focus is visible (an outline of at least 2 px). */
    const focused = (page) => page.evaluate(() => {
      const e = document.activeElement;
      const style = getComputedStyle(e);
      return { stop: e?.dataset.stop ?? e?.tagName, visible: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 };
    });
    for (const lang of ['ar', 'de']) {
      const t = strings(lang);
      const browser = await openBrowser({ locale: lang, viewport: PHONE });
      const { page } = browser;
      try {
        await page.goto(`${server.baseUrl}/${lang}/contact`);
        const stops = await tabStops(page);
        assert.ok(stops.length > 20, `${lang}: ${stops.length} tab stops`);
        const forwards = [];
        for (let i = 0; i < stops.length; i++) {
          await page.keyboard.press('Tab');
          const f = await focused(page);
          assert.ok(f.visible, `${lang}: visible focus on ${f.stop} (Tab)`);
          forwards.push(f.stop);
        }
        assert.deepEqual(forwards, stops, `${lang}: focus order forwards`);
        const backwards = [];
        for (let i = 1; i < stops.length; i++) {
          await page.keyboard.press('Shift+Tab');
          const f = await focused(page);
          assert.ok(f.visible, `${lang}: visible focus on ${f.stop} (Shift+Tab)`);
          backwards.push(f.stop);
        }
        assert.deepEqual(backwards, stops.slice(0, -1).reverse(), `${lang}: focus order backwards`);

        // The contact form by keyboard alone: Tab to a field, type; Space ticks, arrows choose.
        const tabTo = async (id) => {
          for (let i = 0; i <= stops.length && (await page.evaluate(() => document.activeElement?.id)) !== id; i++) await page.keyboard.press('Tab');
          assert.equal(await page.evaluate(() => document.activeElement?.id), id, `${lang}: Tab reaches #${id}`);
        };
        await page.goto(`${server.baseUrl}/${lang}/contact`);
        await tabTo('name');
        await page.keyboard.type(`Keyboard ${lang}`);
        await tabTo('reach');
        await page.keyboard.type('+49 170 3333333');
        await tabTo('topic-wages');
        await page.keyboard.press('ArrowDown'); // the next topic (arrows follow the reading direction)
        assert.equal(await page.evaluate(() => document.querySelector('input[name="topic"]:checked')?.value), 'working_time');
        await tabTo('message');
        await page.keyboard.type('Keyboard only.');
        await tabTo('consent');
        await page.keyboard.press('Space');
        assert.equal(await page.isChecked('#consent'), true);
        await page.keyboard.press('Tab'); // the privacy link
        await page.keyboard.press('Tab'); // the submit button
        assert.equal(await page.evaluate(() => document.activeElement?.textContent), t.contact.submit);
        await page.keyboard.press('Enter');
        await page.waitForURL(new RegExp(`/${lang}/contact/sent\\?ref=FI-`));

        // The finder by keyboard: the skip link first, then the postcode, Enter submits.
        await page.goto(`${server.baseUrl}/${lang}/centres`);
        await page.keyboard.press('Tab');
        assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip');
        await page.keyboard.press('Enter');
        await tabTo('postcode');
        await page.keyboard.type('80331');
        await page.keyboard.press('Enter');
        await page.getByRole('heading', { level: 3, name: /Faire Integration Bayern – München/ }).first().waitFor();
      } finally {
        await browser.close();
      }
    }
  });

  test('a rights page weighs at most 100 KB on a cold load, fonts included; web fonts only in their languages', async (t) => {
    // Arabic-script languages get the Arabic font (regular and bold), Tigrinya the Ethiopic one,
    // every other language none: the language names in the navigation never pull a font in.
    const fontsFor = (lang) => (['ar', 'fa', 'prs', 'ps'].includes(lang) ? ['arabic-400', 'arabic-700'] : lang === 'ti' ? ['ethiopic-400'] : []);
    const figures = [];
    const browser = await openBrowser({ viewport: PHONE });
    const { page } = browser;
    try {
      // Every load is a cold load: the browser's caches are off (DevTools protocol).
      const cdp = await browser.context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      let bytes = 0;
      const hosts = new Set();
      const fonts = [];
      page.on('response', async (response) => {
        const url = new URL(response.url());
        hosts.add(url.host);
        const font = url.pathname.match(/^\/portal\/assets\/fonts\/([a-z]+-\d+)-[0-9a-f]+\.woff2$/);
        if (font) fonts.push(font[1]);
        const body = await response.body().catch(() => Buffer.alloc(0));
        bytes += body.length + 300; // body and a generous allowance for the headers
      });
      for (const lang of LANGS) {
        // The rights overview and one rights item.
        let itemPath = null;
        for (const which of ['overview', 'item']) {
          bytes = 0;
          fonts.length = 0;
          const path = which === 'overview' ? `/${lang}/rights` : itemPath;
          await page.goto(`${server.baseUrl}${path}`, { waitUntil: 'networkidle' });
          if (which === 'overview') itemPath = await page.locator('main ul.items a').first().getAttribute('href');
          await page.evaluate(() => document.fonts.ready);
          figures.push(`${path}: ${bytes} bytes (${[...fonts].sort().join(', ') || 'no web font'})`);
          assert.ok(bytes <= 100 * 1024, `${path}: ${bytes} bytes`);
          assert.deepEqual([...fonts].sort(), fontsFor(lang), `${path}: web fonts fetched`);
          if (fontsFor(lang).length) {
            const family = lang === 'ti' ? 'Fairdesk Ethiopic' : 'Fairdesk Arabic';
            const sample = lang === 'ti' ? 'ትግርኛ' : 'العربية';
            assert.ok(await page.evaluate(([f, s]) => document.fonts.check(`16px "${f}"`, s), [family, sample]), `${path}: ${family} loaded`);
          }
        }
      }
      assert.deepEqual([...hosts], [new URL(server.baseUrl).host], 'no third-party request');
      assert.deepEqual(await browser.context.cookies(), [], 'no cookies');
    } finally {
      await browser.close();
    }
    t.diagnostic('page weight on a cold load (360 px):');
    for (const line of figures) t.diagnostic(line);
  });
});
