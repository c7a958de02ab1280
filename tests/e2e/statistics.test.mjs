// Statistics in the browser (issue 11): a centre lead sees exact figures of the own centre, the
// same figures as chart and table, the comparison with last year and the downloads; the programme
// sees protected nationwide figures and changes the table through the URL-backed filters.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_USERS, startServer } from '../lib/server.mjs';
import { assertAccessible, openBrowser, signIn } from '../lib/browser.mjs';

describe('statistics', () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  test('centre lead: exact figures of the own centre, chart and table, comparison, exports', async () => {
    const browser = await openBrowser();
    const { page } = browser;
    try {
      await signIn(page, server.baseUrl, DEMO_USERS.centreLead);
      await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Statistik' }).click();
      await page.getByTestId('stats-table').waitFor();
      assert.match(await page.getByTestId('stats-protection').innerText(), /Exakte Zahlen/);
      // The demo data: consultations of Berlin this month, the same total in chart and table.
      const total = Number(await page.getByTestId('stats-total').innerText());
      assert.ok(total >= 1, `total ${total}`);
      // Months are a trend: a line through one point per month (each with its figure as tooltip).
      const chart = page.getByTestId('stats-chart');
      assert.equal(await chart.locator('circle.fd-stats-chart__point').count(), 12);
      assert.equal(await chart.locator('path.fd-stats-chart__line').count(), 1);
      assert.equal(await chart.locator('rect').count(), 0);
      const href = await page.getByRole('link', { name: 'CSV herunterladen' }).getAttribute('href');
      const api = await page.evaluate(async (h) => (await fetch(h.replace('&format=csv', ''))).json(), href);
      assert.equal(api.total.value, total);

      await page.getByLabel('Mit dem Vorjahreszeitraum vergleichen').check();
      await page.getByLabel('Zeilen').selectOption('quarter');
      await page.getByRole('button', { name: 'Anzeigen' }).click();
      await page.waitForURL((url) => url.searchParams.get('rows') === 'quarter' && url.searchParams.get('compare') === '1');
      await page.getByRole('columnheader', { name: 'Vorjahreszeitraum' }).waitFor();
      // The previous year is a second, dashed line beside this year's.
      assert.equal(await page.getByTestId('stats-chart').locator('path.fd-stats-chart__line--previous').count(), 1);
      assert.match(await page.getByTestId('stats-chart-legend').innerText(), /^\s*Gewählter Zeitraum\s+Vorjahreszeitraum\s*$/);
      const csv = await page.getByRole('link', { name: 'CSV herunterladen' }).getAttribute('href');
      assert.match(csv, /format=csv/);
      const download = await page.evaluate(async (href) => (await fetch(href)).text(), csv);
      assert.match(download.replace(/^\uFEFF/, ''), /^quarter,consultations\r\n/);
      const pdf = await page.getByRole('link', { name: 'PDF herunterladen' }).getAttribute('href');
      const pdfType = await page.evaluate(async (href) => (await fetch(href)).headers.get('content-type'), pdf);
      assert.equal(pdfType, 'application/pdf');
      await assertAccessible(page, 'statistics-centre-lead');

      // Close a year long past (never the running one), show its frozen figures, record a
      // revision, and read the figures as closed again.
      const periods = page.getByTestId('stats-periods');
      await periods.getByTestId('stats-periods-empty').waitFor();
      await periods.getByLabel('Art des Zeitraums').selectOption('year');
      await periods.getByLabel('Monat im Zeitraum').fill('2022-06');
      await periods.getByRole('button', { name: '2022 abschließen' }).click();
      await periods.getByRole('button', { name: 'Ja, 2022 endgültig abschließen' }).click();
      await periods.getByText('Zeitraum 2022 abgeschlossen.').waitFor();
      const row = periods.getByTestId('stats-period-row').filter({ hasText: '2022' });
      await row.getByRole('button', { name: 'Zahlen zeigen' }).click();
      await page.waitForURL((url) => url.searchParams.get('from') === '2022-01' && url.searchParams.get('to') === '2022-12');
      await page.getByTestId('stats-closed-note').getByText('Abgeschlossener Zeitraum 2022').waitFor();
      const frozenTotal = await page.getByTestId('stats-total').innerText();
      await row.getByRole('button', { name: 'Revision erfassen' }).click();
      await row.getByLabel('Grund der Revision').fill('Nachträge nach dem Abschluss');
      await row.getByRole('button', { name: 'Revision speichern' }).click();
      await row.getByText(/Revision 1, .*: Nachträge nach dem Abschluss/).waitFor();
      // The table shown (the latest revision, the URL unchanged) is fetched again and names it.
      await page.getByTestId('stats-closed-revision').filter({ hasText: /Revision 1, .*: Nachträge nach dem Abschluss/ }).waitFor();
      await row.getByTestId('stats-period-revision-0').click();
      await page.waitForURL((url) => url.searchParams.get('revision') === '0');
      // The note is answered by a fetch after the URL changed: wait for the revision's own note
      // (CI read the previous answer's note before the new one arrived). The closing date is in
      // the note's title only, not repeated in its text.
      const revisionNote = page.getByTestId('stats-closed-revision').filter({ hasText: /^Zahlen wie beim Abschluss \(nicht die neueste Revision\)$/ });
      await revisionNote.waitFor();
      const note = await page.getByTestId('stats-closed-note').innerText();
      assert.equal(note.match(/abgeschlossen am/gi)?.length, 1, note);
      assert.equal(await page.getByTestId('stats-total').innerText(), frozenTotal);
      await assertAccessible(page, 'statistics-closed-period');
    } finally {
      await browser.close();
    }
  });

  test('programme: protected nationwide figures, filters kept in the URL', async () => {
    const browser = await openBrowser();
    const { page } = browser;
    try {
      await signIn(page, server.baseUrl, DEMO_USERS.programme);
      await page.goto(`${server.baseUrl}/statistics?measure=cases_opened&rows=state&cols=gender`);
      await page.getByTestId('stats-filters').waitFor();
      await page.waitForFunction(() => !document.querySelector('.fd-loading'));
      assert.match(await page.getByTestId('stats-protection').innerText(), /Geschützte Zahlen/);
      assert.equal(await page.getByLabel('Zeilen').inputValue(), 'state');
      assert.equal(await page.getByLabel('Spalten (optional)').inputValue(), 'gender');
      // The running month is not offered in a protected view.
      const max = await page.getByLabel('Bis (Monat)').getAttribute('max');
      assert.ok(max < new Date().toISOString().slice(0, 7), max);
      // The annual report of the network, made by the server as a PDF.
      const report = page.getByTestId('stats-report');
      await report.getByLabel('Jahr').selectOption(String(new Date().getFullYear() - 2));
      const reportHref = await report.getByRole('link', { name: /PDF, Englisch/ }).getAttribute('href');
      assert.match(reportHref, /^\/api\/v1\/stats\/report\?year=\d{4}&lang=en$/);
      const reportType = await page.evaluate(async (h) => (await fetch(h)).headers.get('content-type'), reportHref);
      assert.equal(reportType, 'application/pdf');
      await assertAccessible(page, 'statistics-programme');
    } finally {
      await browser.close();
    }
  });

  test('state coordinator: refused filters from the address are named in German and can be left', async () => {
    const browser = await openBrowser();
    const { page } = browser;
    try {
      await signIn(page, server.baseUrl, DEMO_USERS.stateCoordinator);
      const now = new Date();
      const running = now.toISOString().slice(0, 7);
      const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
      // The running month and another state, as a shared link might carry them.
      await page.goto(`${server.baseUrl}/statistics?measure=consultations&rows=topic&from=${last}&to=${running}`);
      await page.getByText(/^Geschützte Ansichten zeigen den laufenden Monat nicht; der letzte ist /).waitFor();
      assert.doesNotMatch(await page.locator('main').innerText(), /running month/);
      await page.goto(`${server.baseUrl}/statistics?measure=consultations&rows=topic&from=${last}&to=${last}&state=BY`);
      const errors = page.getByTestId('stats-errors');
      await errors.getByText('Land: Darüber können Sie nicht berichten.').waitFor();
      assert.doesNotMatch(await page.locator('main').innerText(), /report on/);
      // The coordinator has no state choice: applying the form leaves the foreign state behind.
      await page.getByRole('button', { name: 'Anzeigen' }).click();
      await page.waitForURL((url) => url.searchParams.get('to') === last && !url.searchParams.has('state'));
      await page.locator('[data-testid="stats-table"], [data-testid="stats-empty"]').first().waitFor();
      assert.equal(await errors.count(), 0);
      await assertAccessible(page, 'statistics-refused-filters');
    } finally {
      await browser.close();
    }
  });
});
