// The public portal as visitors use it, in Debian's Chromium on a 360 px wide screen: Arabic
// with JavaScript, Ukrainian without, German through to the advisor who turns the request into a
// case; axe-core on every page in every language (with error states); no horizontal scrolling;
// the weight of a rights page on a cold load.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_USERS } from '../lib/server.mjs';
import { describeViolations, openBrowser, screenshot, seriousAxeViolations, signIn } from '../lib/browser.mjs';

const PHONE = { width: 360, height: 740 };
const LANGS = ['de', 'en', 'ar', 'fa', 'prs', 'ps', 'uk', 'ru', 'tr', 'ti'];

let server;
before(async () => {
  server = await startServer({ env: { FAIRDESK_PORTAL_MIN_FILL_SECONDS: '0' } });
});
after(async () => {
  await server?.stop();
});

async function checkPage(page, label) {
  const violations = await seriousAxeViolations(page);
  assert.deepEqual(violations, [], `${label}\n${describeViolations(violations)}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${label}: ${overflow}px of horizontal scrolling`);
}

describe('public portal', () => {
  test('Arabic on a phone with JavaScript: finder, Tigrinya, rights, contact request, employer sheet', async () => {
    const browser = await openBrowser({ locale: 'ar', viewport: PHONE });
    const { page } = browser;
    try {
      await page.goto(`${server.baseUrl}/`);
      await page.locator('a.big[hreflang="ar"]').click();
      await page.waitForURL((url) => url.pathname === '/ar/');
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
      await checkPage(page, '/ar/');

      await page.getByRole('link', { name: 'ابحث عن مركز استشارة' }).first().click();
      await page.getByLabel('الرمز البريدي أو المدينة').fill('80331');
      await page.getByRole('button', { name: 'بحث' }).click();
      await page.getByRole('heading', { level: 3, name: /Faire Integration Bayern – München/ }).first().waitFor();
      await checkPage(page, '/ar/centres?postcode=80331');
      await screenshot(page, 'portal-ar-finder');

      await page.getByLabel('لغة الاستشارة').selectOption('ti');
      await page.getByRole('button', { name: 'بحث' }).click();
      await page.waitForURL(/language=ti/);
      const cards = page.locator('.cards article');
      assert.ok((await cards.count()) > 0);
      for (const text of await cards.allTextContents()) assert.match(text, /ትግርኛ/);

      await page.goto(`${server.baseUrl}/ar/rights`);
      await page.getByRole('heading', { level: 1, name: 'حقوقك في العمل' }).waitFor();
      assert.match(await page.locator('main').textContent(), /12,\d\d €|13,\d\d €|14,\d\d €/);
      await checkPage(page, '/ar/rights');
      await page.locator('main ul.items a').first().click();
      await page.waitForURL(/\/ar\/rights\/.+/);
      await page.locator('main article h1').waitFor();
      await checkPage(page, '/ar/rights/{item}');

      await page.goto(`${server.baseUrl}/ar/contact`);
      await page.getByLabel('الاسم أو اسم مستعار').fill('   ');
      await page.getByLabel('كيف يمكننا التواصل معك؟').fill('amina@example.org');
      await page.getByLabel('الرمز البريدي (اختياري)').fill('80331');
      await page.getByLabel('الأجر').check();
      await page.getByLabel('رسالتك').fill('لم يدفع صاحب العمل أجري منذ شهرين.');
      await page.getByLabel(/أوافق على أن يحفظ/).check();
      await page.getByRole('button', { name: 'إرسال الرسالة' }).click();
      await page.getByRole('heading', { name: 'يرجى التحقق من بياناتك' }).waitFor();
      await checkPage(page, '/ar/contact (error)');
      await page.getByLabel('الاسم أو اسم مستعار').fill('أمينة');
      await page.getByRole('button', { name: 'إرسال الرسالة' }).click();
      await page.waitForURL(/\/ar\/contact\/sent\?ref=FI-/);
      await page.getByRole('heading', { level: 1, name: 'وصلت رسالتك' }).waitFor();
      await checkPage(page, '/ar/contact/sent');

      await page.goto(`${server.baseUrl}/ar/employer-sheet`);
      await page.getByLabel('الرمز البريدي لمكان العمل').fill('80331');
      await page.locator('#worker_language').selectOption('ar');
      await page.getByLabel('مع إقرار بالاستلام').check();
      await page.locator('form button[type="submit"]').click();
      await page.locator('section.sheet-lang[lang="ar"]').waitFor();
      await checkPage(page, '/ar/employer-sheet (sheet)');
      await screenshot(page, 'portal-ar-sheet');
      const href = await page.locator('a[href*="format=pdf"]').getAttribute('href');
      const pdf = await fetch(`${server.baseUrl}${href.replaceAll('&amp;', '&')}`);
      assert.equal(pdf.headers.get('content-type'), 'application/pdf');
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

  test('German: a request reaches the Bavarian inbox and the advisor turns it into a case', async () => {
    const visitor = await openBrowser({ viewport: PHONE });
    try {
      const { page } = visitor;
      await page.goto(`${server.baseUrl}/de/centres?postcode=80331`);
      await page.getByRole('link', { name: 'Nachricht an diese Beratungsstelle' }).first().click();
      await page.getByLabel('Name oder Spitzname').fill('Samir');
      await page.getByLabel('Wie erreichen wir Sie?').fill('samir@example.org');
      await page.getByLabel('Kündigung').check();
      await page.getByLabel('Ihre Nachricht').fill('Ich habe eine Kündigung bekommen.');
      await page.getByLabel(/Ich bin einverstanden/).check();
      await page.getByRole('button', { name: 'Nachricht senden' }).click();
      await page.waitForURL(/\/de\/contact\/sent\?ref=FI-/);
      await checkPage(page, '/de/contact/sent');
    } finally {
      await visitor.close();
    }
    const staff = await openBrowser();
    try {
      const { page } = staff;
      await signIn(page, server.baseUrl, DEMO_USERS.advisorBayern);
      await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Kontaktanfragen' }).click();
      const item = page.getByTestId('contact-request').filter({ hasText: 'Samir' });
      await item.waitFor();
      const violations = await seriousAxeViolations(page);
      assert.deepEqual(violations, [], describeViolations(violations));
      await item.getByRole('button', { name: 'Als Fall anlegen' }).click();
      await page.getByText(/ist jetzt der Fall/).waitFor();
      await page.getByRole('link', { name: 'Fall öffnen' }).first().click();
      await page.waitForURL(/\/cases\/[^/]+$/);
      await page.getByRole('heading', { level: 1 }).waitFor();
      assert.ok((await page.locator('main').textContent()).includes('Kündigung'));
      // The staff app links the portal's legal pages.
      assert.equal(await page.locator('footer a[href="/de/imprint"]').count(), 1);
    } finally {
      await staff.close();
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
      let violations = await seriousAxeViolations(page);
      assert.deepEqual(violations, [], describeViolations(violations));
      await screenshot(page, 'admin-legal-ar');

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
