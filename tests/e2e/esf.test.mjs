// ESF Plus participant data in the browser (issue 11): an advisor records a client's entry (with a
// refused special-category answer) and exit from the case page, finds the six-month result due in
// the follow-up list and records it; the centre lead sees the indicators of the period, downloads
// them as CSV, XLSX and pseudonymised records; the state coordinator and the programme see
// protected figures only; the Competence Centre sees its own centre exactly, from the copy of a
// closed period. Axe checks every page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_USERS, api, startServer } from '../lib/server.mjs';
import { assertAccessible, openBrowser, signIn } from '../lib/browser.mjs';

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
      // Sent empty: the server's field messages in German, never its English sentences.
      await page.getByTestId('esf-submit').click();
      await form.getByText('Bitte ausfüllen.').first().waitFor();
      assert.equal(await form.getByText('Bitte einen der angebotenen Werte wählen.').count() +
        await form.getByText('Bitte ausfüllen.').count(), 11, 'a German message at each of the 11 entry fields');
      assert.equal(await page.getByText('is required').count(), 0);
      await assertAccessible(page, 'esf-participant-errors');
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
      await assertAccessible(page, 'esf-participant');

      // Six months after leaving, the longer-term result is due: the follow-up list (from the
      // statistics page) names the case and leads back to it.
      await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Statistik' }).click();
      await page.getByTestId('open-esf-indicators').filter({ hasText: 'ESF-Plus-Nacherfassung' }).click();
      await page.getByRole('heading', { level: 1, name: 'ESF-Plus-Nacherfassung' }).waitFor();
      const due = page.getByTestId(`esf-due-${k.id}-long_term_status`);
      await due.waitFor();
      assert.match(await due.innerText(), /Status sechs Monate nach dem Austritt/);
      assert.match(await due.innerText(), /fällig/);
      assert.equal(await page.getByTestId(`esf-due-${k.id}-exit_status`).count(), 0, 'the exit status is recorded');
      assert.equal(await page.getByTestId('esf-table').count(), 0, 'advisors export no indicators');
      await assertAccessible(page, 'esf-due-advisor');
      await due.getByRole('link', { name: k.number }).click();
      await page.getByRole('heading', { level: 1, name: 'ESF-Plus-Teilnahme' }).waitFor();
      await page.getByLabel('Status sechs Monate nach dem Austritt').selectOption('employed');
      await page.getByTestId('esf-submit').click();
      await page.getByText('Die Änderungen sind gespeichert.').waitFor();
      await page.goBack();
      await page.getByTestId('esf-due').waitFor();
      await page.getByRole('heading', { level: 2, name: 'Noch zu erfassende Ergebnisse' }).waitFor();
      await page.getByTestId(`esf-due-${k.id}-long_term_status`).waitFor({ state: 'detached' });
      assert.deepEqual(advisor.errors.filter((e) => !/status of (401|422)/.test(e)), [],
        'no page errors (the 401 is the session probe before signing in, the 422 the empty form sent above)');
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
      await page.getByRole('table').getByText('ESF-Plus-Indikatoren Februar 2025 bis April 2025').waitFor();
      const total = (code) => page.getByTestId(`esf-row-${code}`).getByTestId('esf-total').innerText();
      assert.equal(await total('EECO01'), '1');
      assert.equal(await total('EECO02'), '1');
      assert.equal(await total('EECO12'), '0');
      assert.equal(await total('REFUSED_DISABILITY'), '1');
      assert.equal(await page.getByTestId('esf-row-REFUSED_DISABILITY').locator('td').first().innerText(), '–', 'context rows have no code');
      assert.equal(await total('EECR04'), '1');
      assert.equal(await total('EECR03'), '1');
      const href = await page.getByTestId('esf-csv').getAttribute('href');
      const csv = await page.evaluate(async (h) => (await fetch(h)).text(), href);
      const line = csv.split('\r\n').find((l) => l.startsWith('EECO01;'));
      assert.equal(line, 'EECO01;Teilnehmende insgesamt;1;0;0;0;1');
      const xlsx = await page.getByTestId('esf-xlsx').getAttribute('href');
      const type = await page.evaluate(async (h) => (await fetch(h)).headers.get('content-type'), xlsx);
      assert.equal(type, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const records = await page.getByTestId('esf-records').getAttribute('href');
      const recordsCsv = await page.evaluate(async (h) => (await fetch(h)).text(), records);
      const recordLines = recordsCsv.replace(/^\uFEFF/, '').trim().split('\r\n');
      assert.match(recordLines[0], /^pseudonym;entry_month;/);
      assert.equal(recordLines.length, 2, 'one participant in the period');
      assert.match(recordLines[1], /^P[0-9a-f]{16};2025-02;2025-04;women;/);
      assert.ok(!recordsCsv.includes(k.id) && !recordsCsv.includes('1998'), 'no case id, no birth year');
      await page.getByTestId('esf-due').waitFor();
      await assertAccessible(page, 'esf-indicators-centre-lead');
      assert.deepEqual(lead.errors.filter((e) => !/status of 401/.test(e)), []);
    } finally {
      await lead.close();
    }
  });

  test('the state coordinator and the programme see protected figures, no follow-up list, on a phone too', async () => {
    // The demo participants entered in the two months before the running one (all small counts).
    for (const [who, scope] of [[DEMO_USERS.stateCoordinator, 'Geschützte Zahlen des Landes Berlin.'],
      [DEMO_USERS.programme, 'Geschützte Zahlen aller Beratungsstellen bundesweit.']]) {
      // The programme on a 390 px phone: the protected table scrolls within itself.
      const b = await openBrowser(who === DEMO_USERS.programme ? { viewport: { width: 390, height: 844 } } : {});
      try {
        const { page } = b;
        await signIn(page, server.baseUrl, who);
        await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Statistik' }).click();
        await page.getByTestId('open-esf-indicators').filter({ hasText: 'ESF-Plus-Indikatoren' }).click();
        await page.getByRole('heading', { level: 1, name: 'ESF-Plus-Indikatoren' }).waitFor();
        await page.getByText(scope).waitFor();
        await page.getByTestId('esf-protected-note').waitFor();
        await page.getByTestId('esf-table').waitFor();
        const cells = await page.getByTestId('esf-table').locator('td[data-numeric]').allInnerTexts();
        assert.ok(cells.length > 0);
        for (const text of cells) {
          const shown = text.replace(/geschützt/, '').trim();
          assert.ok(shown === '·' || shown === '0' || Number(shown.replace(/\./g, '')) >= 5, `published: ${text}`);
        }
        assert.ok(cells.some((t) => t.includes('·')), 'the small demo figures are protected');
        assert.equal(await page.getByTestId('esf-due').count(), 0);
        assert.equal(await page.getByTestId('esf-records').count(), 0);
        await page.getByRole('columnheader', { name: 'Frauen' }).waitFor();
        await assertAccessible(page, `esf-indicators-${who.split('@')[0].replace(/\W/g, '-')}`, { fitsWidth: true });
        assert.deepEqual(b.errors.filter((e) => !/status of 401/.test(e)), []);
      } finally {
        await b.close();
      }
    }
  });

  test('the Competence Centre sees its own centre exactly, answered from a closed period', async () => {
    const MONTH = '2025-06';
    const c = api(server.baseUrl);
    await c.loginOk(DEMO_USERS.competenceCentre);
    const client = (await c.post('/api/v1/clients', { nationality: 'ER', birth_year: 1990, gender: 'female', languages: ['ti'] })).body;
    const k = (await c.post('/api/v1/cases', { client_id: client.id, topics: ['wages'] })).body;
    for (let i = 0; i < 2; i++) {
      const res = await c.post(`/api/v1/cases/${k.id}/consultations`, { date: `${MONTH}-03`, duration_minutes: 60,
        channel: 'in_person', language: 'ti', kind: 'acute', notes: 'n' });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    let res = await c.post(`/api/v1/cases/${k.id}/esf`, { entry_date: `${MONTH}-05`, gender: 'women', birth_year: 1990,
      employment_status: 'inactive', education: 'isced_0_2', third_country_national: 'yes', foreign_background: 'yes',
      homeless: 'no', rural: 'no', disability: 'no', minority: 'no' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    res = await c.post('/api/v1/stats/periods', { period: MONTH });
    assert.equal(res.status, 201, JSON.stringify(res.body));

    const b = await openBrowser();
    try {
      const { page } = b;
      await signIn(page, server.baseUrl, DEMO_USERS.competenceCentre);
      await page.goto(`${server.baseUrl}/statistics/esf?from=${MONTH}&to=${MONTH}`);
      await page.getByRole('heading', { level: 1, name: 'ESF-Plus-Indikatoren' }).waitFor();
      await page.getByText('Geschützte Zahlen aller Beratungsstellen bundesweit.').waitFor();
      await page.getByTestId('esf-protected-note').waitFor();
      await page.getByTestId('esf-own-centre').check();
      await page.getByRole('button', { name: 'Anzeigen' }).click();
      await page.waitForURL((url) => url.searchParams.get('centre') === 'centre-fachstelle');
      await page.getByText('Exakte Zahlen Ihrer Beratungsstelle.').waitFor();
      await page.getByTestId('stats-closed-note').filter({ hasText: `Abgeschlossener Zeitraum ${MONTH}` }).waitFor();
      await page.getByTestId('esf-row-EECO04').getByTestId('esf-total').filter({ hasText: /^1$/ }).waitFor();
      assert.equal(await page.getByTestId('esf-protected-note').count(), 0);
      assert.equal(await page.getByTestId('esf-row-EECO01').getByTestId('esf-total').innerText(), '1');
      const href = await page.getByTestId('esf-csv').getAttribute('href');
      assert.match(href, /centre=centre-fachstelle/);
      await assertAccessible(page, 'esf-indicators-competence-centre-own');
      assert.deepEqual(b.errors.filter((e) => !/status of 401/.test(e)), []);
    } finally {
      await b.close();
    }
  });
});
