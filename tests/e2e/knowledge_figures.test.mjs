// Live legal figures in the browser (issue 12): the server runs on 15 June 2026
// (FAIRDESK_CLOCK_OFFSET_SECONDS), so the figures are those of that day whatever today is. The
// public rights page of the demo minimum-wage item (found through the API by its tag, not by its
// position) shows the table's figure in German and Arabic; the Competence Centre inserts a figure
// in the editor, sees the preview with the resolved value, and an unknown placeholder is refused
// naming the text. axe-core runs on the pages.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, DEMO_USERS, startServer } from '../lib/server.mjs';
import { assertAccessible, openBrowser, signIn } from '../lib/browser.mjs';

const NBSP = '\u00a0';
const DAY = '2026-06-15';

describe('live figures in knowledge items', () => {
  let server;
  let browser;
  let page;
  let demoId;

  before(async () => {
    const offset = Math.round((Date.parse(`${DAY}T10:00:00Z`) - Date.now()) / 1000);
    server = await startServer({ env: { FAIRDESK_CLOCK_OFFSET_SECONDS: String(offset) } });
    browser = await openBrowser();
    page = browser.page;
    const found = await api(server.baseUrl).get('/api/v1/public/knowledge/search?q=MiLoG&lang=de');
    demoId = found.body.items.find((i) => i.language === 'de' && /Mindestlohn/.test(i.title))?.id;
    assert.ok(demoId, JSON.stringify(found.body));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the public rights page shows the minimum wage of the table in German and in Arabic', async () => {
    for (const [lang, figure, since] of [
      ['de', `13,90${NBSP}€`, 'seit 1. Januar 2026'],
      ['ar', '١٣٫٩٠', 'منذ ١ يناير ٢٠٢٦'],
    ]) {
      await page.goto(`${server.baseUrl}/${lang}/rights/${demoId}`);
      const article = page.locator('main article').filter({ hasText: since });
      await article.waitFor();
      const text = await article.textContent();
      assert.ok(text.includes(figure), `${lang}: ${text}`);
      assert.doesNotMatch(text, /\{\{/);
      assert.equal(await article.getAttribute('lang'), lang);
      await assertAccessible(page, `rights-item-figures-${lang}`);
    }
  });

  test('the Competence Centre inserts a figure, previews it resolved, and an unknown placeholder is refused', async () => {
    await signIn(page, server.baseUrl, DEMO_USERS.competenceCentre);
    await page.goto(`${server.baseUrl}/knowledge/new`);
    await page.getByTestId('page-knowledge-new').waitFor();
    await page.getByLabel('Art').selectOption('faq');
    await page.getByLabel('Titel').fill('Wie hoch ist der Mindestlohn heute?');
    const body = page.getByLabel('Text', { exact: true });
    await body.fill('Der Mindestlohn beträgt  pro Stunde.');
    // The caret after "beträgt ": the placeholder goes there.
    await body.evaluate((el) => el.setSelectionRange(24, 24));
    const figure = page.getByTestId('kb-figure');
    await figure.locator('option', { hasText: `13,90${NBSP}€ (seit 1. Januar 2026)` }).waitFor({ state: 'attached' });
    await figure.selectOption('minimum_wage');
    await page.getByTestId('kb-figure-insert').click();
    assert.equal(await body.inputValue(), 'Der Mindestlohn beträgt {{minimum_wage}} pro Stunde.');
    await page.getByTestId('kb-preview-button').click();
    const preview = page.getByTestId('kb-preview').filter({ hasText: 'seit 1. Januar 2026' });
    await preview.waitFor();
    assert.match(await preview.textContent(), new RegExp(`Der Mindestlohn beträgt 13,90${NBSP}€ \\(seit 1\\. Januar 2026\\) pro Stunde\\.`));
    await assertAccessible(page, 'knowledge-new-figures-preview');

    // A typed placeholder that names no figure: the preview and the save say so, naming it.
    await body.fill('Der Mindestlohn beträgt {{mindestlohn}} pro Stunde.');
    await page.getByTestId('kb-preview-button').click();
    await page.getByTestId('kb-preview-error').filter({ hasText: '{{mindestlohn}}' }).waitFor();
    await page.getByRole('button', { name: 'Entwurf anlegen' }).click();
    await page.getByText(/enthält einen unbekannten Platzhalter: \{\{mindestlohn\}\}/).first().waitFor();
    assert.match(page.url(), /\/knowledge\/new$/, 'nothing was created');

    // With the figure it is created, and the editor shows the placeholder, not the value.
    await body.fill('Der Mindestlohn beträgt {{minimum_wage}} pro Stunde.');
    await page.getByRole('button', { name: 'Entwurf anlegen' }).click();
    await page.getByTestId('page-knowledge-editor').waitFor();
    const editorBody = page.getByLabel('Text', { exact: true });
    assert.equal(await editorBody.inputValue(), 'Der Mindestlohn beträgt {{minimum_wage}} pro Stunde.');
    await page.getByTestId('kb-preview-button').click();
    await page.getByTestId('kb-preview').filter({ hasText: `13,90${NBSP}€` }).waitFor();
    await assertAccessible(page, 'knowledge-editor-figures-preview');
  });
});
