// Public events on the portal in Debian's Chromium on a 360 px screen: the Competence Centre
// publishes a public information event in the staff app; a visitor finds it in Arabic with
// JavaScript (proof of work solved in the browser), registers, opens the link from the e-mail
// (read from a local SMTP sink) and confirms; a second visitor registers in Ukrainian without
// JavaScript, lands on the waiting list and takes the seat the first one frees. axe-core on every
// page and state (including the error state); no horizontal scrolling.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_USERS, startServer } from '../lib/server.mjs';
import { startSmtpSink } from '../lib/smtp-sink.mjs';
import { assertAccessible, openBrowser, screenshot, signIn, signOut } from '../lib/browser.mjs';

const PHONE = { width: 360, height: 740 };

function berlinDay(days) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date(Date.now() + days * 86400e3));
}

describe('public events on the portal', () => {
  let server;
  let sink;
  const inbox = [];
  const title = 'Informationsabend: Arbeitsvertrag und Lohn';
  let eventPath;
  let olenaLink;

  async function linkFor(to, pattern) {
    for (;;) {
      const i = inbox.findIndex((m) => m.to.includes(to) && pattern.test(m.text));
      if (i >= 0) return new URL(inbox.splice(i, 1)[0].text.match(/https:\/\/fairdesk\.example\.org\S+/)[0]).pathname;
      inbox.push(await sink.next());
    }
  }

  before(async () => {
    sink = await startSmtpSink();
    server = await startServer({
      extraArgs: ['--smtp-host', '127.0.0.1', '--smtp-port', String(sink.port), '--public-url', 'https://fairdesk.example.org'],
      env: { FAIRDESK_PORTAL_MIN_FILL_SECONDS: '0' },
    });
  });
  after(async () => {
    await server?.stop();
    await sink?.stop();
  });

  test('the Competence Centre publishes a public information event with one seat', { timeout: 90_000 }, async () => {
    const browser = await openBrowser();
    const { page } = browser;
    try {
      await signIn(page, server.baseUrl, DEMO_USERS.competenceCentre);
      await page.goto(`${server.baseUrl}/events/new`);
      await page.getByLabel('Art', { exact: true }).selectOption('information_event');
      await page.getByLabel('Titel', { exact: true }).fill(title);
      await page.getByLabel('Plätze', { exact: true }).fill('1');
      const day = berlinDay(14);
      await page.getByLabel('Anmeldeschluss').fill(day);
      await page.getByLabel('Zielgruppe').selectOption('public');
      await page.getByLabel('Beginn Termin 1').fill(`${day}T18:00`);
      await page.getByLabel('Ende Termin 1').fill(`${day}T20:00`);
      await page.getByLabel('Ort Termin 1').fill('Beratungsstelle Berlin');
      await page.getByRole('button', { name: 'Als Entwurf speichern' }).click();
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await page.getByTestId('publish').click();
      await page.getByTestId('status-published').waitFor();
      eventPath = `/events/${page.url().split('/events/')[1]}`;
      await signOut(page);
    } finally {
      await browser.close();
    }
  });

  test('Arabic with JavaScript: find the event, register, confirm from the e-mail', { timeout: 90_000 }, async () => {
    const browser = await openBrowser({ locale: 'ar', viewport: PHONE });
    const { page } = browser;
    try {
      await page.goto(`${server.baseUrl}/ar/`);
      await page.getByRole('navigation', { name: /./ }).getByRole('link', { name: 'الفعاليات' }).first().click();
      await page.waitForURL((url) => url.pathname === '/ar/events');
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
      assert.equal(await page.getByTestId('events-calendar').getAttribute('href'), '/api/v1/public/events/calendar.ics');
      await assertAccessible(page, 'portal-events-ar', { fitsWidth: true });
      await page.getByRole('link', { name: title }).click();
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await assertAccessible(page, 'portal-event-ar', { fitsWidth: true });
      // An address the browser accepts but that cannot receive mail: the error is named on the page.
      await page.getByLabel('الاسم أو اسم مستعار').fill('أمل يوسف');
      await page.getByLabel('عنوان البريد الإلكتروني').fill('amal@localhost');
      await page.getByLabel(/أوافق على حفظ اسمي/).check();
      await page.getByRole('button', { name: 'سجّل' }).click();
      await page.locator('#email-error').getByText('يرجى إدخال عنوان بريد إلكتروني صحيح.').waitFor();
      await assertAccessible(page, 'portal-event-ar-error', { fitsWidth: true });
      await page.getByLabel('عنوان البريد الإلكتروني').fill('amal@example.org');
      if (!(await page.getByLabel(/أوافق على حفظ اسمي/).isChecked())) await page.getByLabel(/أوافق على حفظ اسمي/).check();
      await page.getByRole('button', { name: 'سجّل' }).click();
      await page.getByRole('heading', { level: 1, name: 'يرجى التحقق من بريدك الإلكتروني' }).waitFor();
      await assertAccessible(page, 'portal-event-ar-requested', { fitsWidth: true });
      // The link from the e-mail: confirm.
      await page.goto(server.baseUrl + await linkFor('amal@example.org', /يرجى تأكيد تسجيلك/));
      await page.getByRole('button', { name: 'تأكيد التسجيل' }).click();
      await page.locator('[data-status="confirmed"]').waitFor();
      await assertAccessible(page, 'portal-event-ar-confirmed', { fitsWidth: true });
    } finally {
      await browser.close();
    }
  });

  test('Ukrainian without JavaScript: waiting list, then the seat the first visitor frees', { timeout: 90_000 }, async () => {
    const browser = await openBrowser({ locale: 'uk', viewport: PHONE, javaScriptEnabled: false });
    const { page } = browser;
    try {
      await page.goto(`${server.baseUrl}/uk/events`);
      await page.getByRole('link', { name: title }).click();
      await page.getByText('Місць немає').first().waitFor();
      await page.getByLabel('Ім’я або псевдонім', { exact: true }).fill('Олена');
      await page.getByLabel('Адреса електронної пошти', { exact: true }).fill('olena@example.org');
      await page.getByLabel(/Я погоджуюся/).check();
      await page.getByRole('button', { name: 'Зареєструватися' }).click();
      await page.getByRole('heading', { level: 1, name: 'Перевірте, будь ласка, свою електронну пошту' }).waitFor();
      const olena = await linkFor('olena@example.org', /підтвердьте реєстрацію/);
      olenaLink = olena;
      await page.goto(server.baseUrl + olena);
      await page.getByRole('button', { name: 'Підтвердити реєстрацію' }).click();
      await page.locator('[data-status="waitlisted"]').waitFor();
      await screenshot(page, 'portal-event-uk-nojs-waitlisted');

      // The first visitor cancels from their link (in a second, script-free tab).
      const amal = await linkFor('amal@example.org', /أنت مسجّل/);
      const other = await browser.context.newPage();
      await other.goto(server.baseUrl + amal);
      await other.getByRole('button', { name: 'إلغاء التسجيل' }).click();
      await other.locator('[data-status="cancelled"]').waitFor();
      await other.close();

      await page.goto(server.baseUrl + olena);
      await page.locator('[data-status="offered"]').waitFor();
      await screenshot(page, 'portal-event-uk-nojs-offered');
      await page.getByRole('button', { name: 'Прийняти місце' }).click();
      await page.locator('[data-status="confirmed"]').waitFor();
      await page.getByText('Ви прийняли місце.').waitFor();
    } finally {
      await browser.close();
    }
    // axe needs script: the same Ukrainian pages once more in a browser with JavaScript.
    const checker = await openBrowser({ locale: 'uk', viewport: PHONE });
    try {
      await checker.page.goto(`${server.baseUrl}/uk/events`);
      await assertAccessible(checker.page, 'portal-events-uk', { fitsWidth: true });
      await checker.page.goto(server.baseUrl + olenaLink);
      await checker.page.locator('[data-status="confirmed"]').waitFor();
      await assertAccessible(checker.page, 'portal-event-uk-confirmed', { fitsWidth: true });
    } finally {
      await checker.close();
    }
  });

  test('the organiser sees both visitors in the staff app', { timeout: 90_000 }, async () => {
    const browser = await openBrowser();
    const { page } = browser;
    try {
      await signIn(page, server.baseUrl, DEMO_USERS.competenceCentre);
      await page.goto(server.baseUrl + eventPath);
      await page.getByText('Олена').first().waitFor();
      await page.getByText('أمل يوسف').first().waitFor();
      await screenshot(page, 'portal-event-organiser');
    } finally {
      await browser.close();
    }
  });
});
