// The directory of advice centres: grouped by state, filters for state, language and postcode
// kept in the URL and sent to GET /api/v1/centres, language names in the UI language.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, DEMO_USERS, startServer } from '../lib/server.mjs';
import { openBrowser, signIn } from '../lib/browser.mjs';

describe('directory', () => {
  let server;
  let browser;
  let page;
  let allCentres;

  before(async () => {
    server = await startServer();
    allCentres = (await api(server.baseUrl).get('/api/v1/centres?limit=200')).body.items;
    browser = await openBrowser();
    page = browser.page;
    await signIn(page, server.baseUrl, DEMO_USERS.advisor);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Waits until the result count announces `n` centres and `n` cards are shown. */
  const waitForResults = async (n) => {
    await page.getByRole('status').filter({ hasText: new RegExp(`^${n} Beratungsstellen? gefunden$`) }).waitFor();
    await page.waitForFunction((count) => document.querySelectorAll('[data-testid="centre"]').length === count, n);
  };

  const groupHeadings = async () =>
    (await page.getByTestId('state-group').getByRole('heading', { level: 2 }).allTextContents()).map((t) =>
      t.replace(/\s*\(\d+\)$/, '').trim(),
    );

  test('lists every centre, grouped by federal state, with demo badges', async () => {
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Verzeichnis' }).click();
    await page.getByRole('heading', { level: 1, name: 'Verzeichnis der Beratungsstellen' }).waitFor();
    await waitForResults(allCentres.length);
    const states = new Set(allCentres.map((c) => c.state));
    assert.equal((await groupHeadings()).length, states.size);
    assert.ok(states.size >= 16, 'at least one centre per federal state');
    const demoCount = allCentres.filter((c) => c.demo).length;
    assert.equal(await page.getByTestId('centre').filter({ hasText: 'Demodaten' }).count(), demoCount);
  });

  test('the state filter is kept in the URL and shows only that state', async () => {
    await page.getByLabel('Bundesland').selectOption('BY');
    await page.getByRole('button', { name: 'Filter anwenden' }).click();
    await page.waitForURL((url) => url.pathname === '/directory' && url.searchParams.get('state') === 'BY');
    await waitForResults(allCentres.filter((c) => c.state === 'BY').length);
    assert.deepEqual(await groupHeadings(), ['Bayern']);
  });

  test('language and postcode filters come from the URL and reach the API', async () => {
    const language = allCentres.find((c) => c.state === 'BE' && c.languages.some((l) => l !== 'de'))?.languages.find((l) => l !== 'de') ?? 'en';
    const requested = page.waitForRequest((r) => r.url().includes('/api/v1/centres') && r.url().includes(`language=${language}`));
    await page.goto(`${server.baseUrl}/directory?state=BE&language=${language}`);
    const request = await requested;
    const query = new URL(request.url()).searchParams;
    assert.equal(query.get('state'), 'BE');
    assert.equal(query.get('language'), language);
    const expected = allCentres.filter((c) => c.state === 'BE' && c.languages.includes(language));
    await waitForResults(expected.length);
    assert.equal(await page.getByLabel('Bundesland').inputValue(), 'BE');
    assert.equal(await page.getByLabel('Sprache', { exact: true }).inputValue(), language);
    // Language names in the UI language, not codes.
    const name = new Intl.DisplayNames(['de'], { type: 'language' }).of(language);
    await page.getByTestId('centre').first().getByText(name, { exact: true }).first().waitFor();

    // Postcode: a Berlin postcode finds the Berlin centre(s) serving it.
    await page.goto(`${server.baseUrl}/directory`);
    await waitForResults(allCentres.length);
    await page.getByLabel('Postleitzahl').fill('10115');
    await page.getByRole('button', { name: 'Filter anwenden' }).click();
    await page.waitForURL((url) => url.searchParams.get('postcode') === '10115');
    const byPostcode = (await api(server.baseUrl).get('/api/v1/centres?postcode=10115')).body.items;
    assert.ok(byPostcode.length >= 1, 'a Berlin centre serves 10115');
    await waitForResults(byPostcode.length);
    assert.deepEqual(await groupHeadings(), [...new Set(byPostcode.map((c) => ({ BE: 'Berlin' })[c.state] ?? c.state))]);

    // Back restores the previous filters.
    await page.goBack();
    await page.waitForURL((url) => !url.searchParams.has('postcode'));
    await page.waitForFunction(() => (document.querySelector('input[name="postcode"]')?.value ?? 'x') === '');
  });

  test('a malformed postcode is explained at the field and not sent', async () => {
    await page.goto(`${server.baseUrl}/directory`);
    await page.getByLabel('Postleitzahl').fill('1011');
    await page.getByRole('button', { name: 'Filter anwenden' }).click();
    await page.getByText('Bitte geben Sie eine Postleitzahl mit fünf Ziffern ein.').waitFor();
    assert.equal(new URL(page.url()).search, '');
  });

  test('reset clears every filter', async () => {
    await page.goto(`${server.baseUrl}/directory?state=HH`);
    await page.getByRole('link', { name: 'Filter zurücksetzen' }).click();
    await page.waitForURL((url) => url.pathname === '/directory' && url.search === '');
    await waitForResults(allCentres.length);
  });
});
