// ESF Plus participant data in the browser (issue 11): an advisor records a client's entry (with a
// refused special-category answer) and exit from the case page; the centre lead sees the indicators
// of the period and downloads them as CSV. Axe checks both pages.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_USERS, api, startServer } from '../lib/server.mjs';
import { describeViolations, openBrowser, screenshot, seriousAxeViolations, signIn } from '../lib/browser.mjs';

// Fixed past dates (no demo record lies in these months).
const ENTRY = '2025-02-10';
const EXIT = '2025-04-15';

describe('esf', () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  test('advisor records entry and exit; centre lead exports the indicators', async () => {
    // A case with two consultations (a participant is counselled more than once).
    const c = api(server.baseUrl);
    await c.loginOk(DEMO_USERS.advisor);
    const client = (await c.post('/api/v1/clients', { nationality: 'ER', birth_year: 1998, gender: 'female', languages: ['ti'] })).body;
    const k = (await c.post('/api/v1/cases', { client_id: client.id, topics: ['wages'] })).body;
    for (let i = 0; i < 2; i++) {
      const res = await c.post(`/api/v1/cases/${k.id}/consultations`, { date: ENTRY, duration_minutes: 60, channel: 'in_person',
        language: 'ti', kind: 'acute', notes: 'n' });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }

    const advisor = await openBrowser();
    try {
      const { page } = advisor;
      await signIn(page, server.baseUrl, DEMO_USERS.advisor);
      await page.goto(`${server.baseUrl}/cases/${k.id}`);
      await page.getByTestId('open-esf').click();
      await page.getByRole('heading', { level: 1, name: 'ESF-Plus-Teilnahme' }).waitFor();
      const form = page.getByTestId('esf-form');
      await form.getByLabel('Eintrittsdatum').fill(ENTRY);
      await form.getByLabel('Geburtsjahr').fill('1998');
      await form.getByLabel('Geschlecht').selectOption('women');
      await form.getByLabel('Erwerbsstatus beim Eintritt').selectOption('unemployed');
      await form.getByLabel('Höchster Bildungsabschluss').selectOption('isced_3_4');
      await form.getByLabel('Drittstaatsangehörig').selectOption('yes');
      await form.getByLabel('Ausländische Herkunft').selectOption('yes');
      await form.getByLabel('Obdachlos oder von Wohnungsausgrenzung betroffen').selectOption('no');
      await form.getByLabel('Wohnt im ländlichen Raum').selectOption('no');
      await form.getByLabel('Behinderung').selectOption('refused');
      await form.getByLabel('Angehörige einer Minderheit (auch Roma)').selectOption('no');
      await page.getByTestId('esf-submit').click();
      await page.getByText('Der Eintritt ist gespeichert.').waitFor();
      await page.getByTestId('esf-summary').waitFor();
      assert.equal(await page.getByTestId('esf-value-disability').innerText(), 'Antwort verweigert');
      assert.equal(await page.getByTestId('esf-value-exit_date').innerText(), 'noch nicht erfasst');

      // The exit, on the same page.
      await page.getByLabel('Austrittsdatum').fill(EXIT);
      await page.getByLabel('Status nach dem Austritt').selectOption('employed');
      await page.getByLabel('Qualifikation erlangt').selectOption('yes');
      await page.getByTestId('esf-submit').click();
      await page.getByText('Die Änderungen sind gespeichert.').waitFor();
      await page.getByTestId('esf-value-exit_status').filter({ hasText: 'erwerbstätig' }).waitFor();
      const violations = await seriousAxeViolations(page);
      await screenshot(page, 'esf-participant');
      assert.deepEqual(violations, [], describeViolations(violations));
      assert.deepEqual(advisor.errors.filter((e) => !/status of 401/.test(e)), [], 'no page errors (the 401 is the session probe before signing in)');
    } finally {
      await advisor.close();
    }

    const lead = await openBrowser();
    try {
      const { page } = lead;
      await signIn(page, server.baseUrl, DEMO_USERS.centreLead);
      await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Statistik' }).click();
      await page.getByTestId('open-esf-indicators').click();
      await page.getByRole('heading', { level: 1, name: 'ESF-Plus-Indikatoren' }).waitFor();
      await page.getByLabel('Von (Monat)').fill('2025-02');
      await page.getByLabel('Bis (Monat)').fill('2025-04');
      await page.getByRole('button', { name: 'Anzeigen' }).click();
      await page.waitForURL((url) => url.searchParams.get('from') === '2025-02' && url.searchParams.get('to') === '2025-04');
      await page.getByRole('table').getByText('2025-02', { exact: false }).first().waitFor();
      const total = (code) => page.getByTestId(`esf-row-${code}`).getByTestId('esf-total').innerText();
      assert.equal(await total('EECO01'), '1');
      assert.equal(await total('EECO02'), '1');
      assert.equal(await total('EECO12'), '0');
      assert.equal(await total('REFUSED_DISABILITY'), '1');
      assert.equal(await total('EECR04'), '1');
      assert.equal(await total('EECR03'), '1');
      const href = await page.getByTestId('esf-csv').getAttribute('href');
      const csv = await page.evaluate(async (h) => (await fetch(h)).text(), href);
      const line = csv.split('\r\n').find((l) => l.startsWith('EECO01;'));
      assert.equal(line, 'EECO01;Teilnehmende insgesamt;1;0;0;0;1');
      const xlsx = await page.getByTestId('esf-xlsx').getAttribute('href');
      const type = await page.evaluate(async (h) => (await fetch(h)).headers.get('content-type'), xlsx);
      assert.equal(type, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const violations = await seriousAxeViolations(page);
      await screenshot(page, 'esf-indicators-centre-lead');
      assert.deepEqual(violations, [], describeViolations(violations));
      assert.deepEqual(lead.errors.filter((e) => !/status of 401/.test(e)), []);
    } finally {
      await lead.close();
    }
  });
});
