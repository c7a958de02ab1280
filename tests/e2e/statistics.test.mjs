// Statistics in the browser (issue 11): a centre lead sees exact figures of the own centre, the
// same figures as chart and table, the comparison with last year and the downloads; the programme
// sees protected nationwide figures and changes the table through the URL-backed filters.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_USERS, startServer } from '../lib/server.mjs';
import { describeViolations, openBrowser, screenshot, seriousAxeViolations, signIn } from '../lib/browser.mjs';

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
      assert.equal(await page.getByTestId('stats-chart').locator('rect').count(), 12);
      const href = await page.getByRole('link', { name: 'CSV herunterladen' }).getAttribute('href');
      const api = await page.evaluate(async (h) => (await fetch(h.replace('&format=csv', ''))).json(), href);
      assert.equal(api.total.value, total);

      await page.getByLabel('Mit dem Vorjahreszeitraum vergleichen').check();
      await page.getByLabel('Zeilen').selectOption('quarter');
      await page.getByRole('button', { name: 'Anzeigen' }).click();
      await page.waitForURL((url) => url.searchParams.get('rows') === 'quarter' && url.searchParams.get('compare') === '1');
      await page.getByRole('columnheader', { name: 'Vorjahreszeitraum' }).waitFor();
      const csv = await page.getByRole('link', { name: 'CSV herunterladen' }).getAttribute('href');
      assert.match(csv, /format=csv/);
      const download = await page.evaluate(async (href) => (await fetch(href)).text(), csv);
      assert.match(download.replace(/^\uFEFF/, ''), /^quarter,consultations\r\n/);
      const pdf = await page.getByRole('link', { name: 'PDF herunterladen' }).getAttribute('href');
      const pdfType = await page.evaluate(async (href) => (await fetch(href)).headers.get('content-type'), pdf);
      assert.equal(pdfType, 'application/pdf');
      const violations = await seriousAxeViolations(page);
      await screenshot(page, 'statistics-centre-lead');
      assert.deepEqual(violations, [], describeViolations(violations));
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
      const violations = await seriousAxeViolations(page);
      await screenshot(page, 'statistics-programme');
      assert.deepEqual(violations, [], describeViolations(violations));
    } finally {
      await browser.close();
    }
  });
});
