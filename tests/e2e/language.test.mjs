// The language switch: German by default, English on request; kept in the browser when signed
// out and on the server (PATCH /api/v1/me) when signed in.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_USERS, startServer } from '../lib/server.mjs';
import { openBrowser, signIn } from '../lib/browser.mjs';

describe('language', () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  test('German by default, English on the sign-in page survives a reload', async () => {
    const browser = await openBrowser({ locale: 'en-GB' });
    const { page } = browser;
    try {
      await page.goto(`${server.baseUrl}/login`);
      await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), 'de');
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      assert.equal(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed'), 'true');
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    } finally {
      await browser.close();
    }
  });

  test('signed in, the choice is kept on the server and follows the person', async () => {
    const first = await openBrowser();
    try {
      const { page } = first;
      await signIn(page, server.baseUrl, DEMO_USERS.stateCoordinator);
      const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/me') && r.request().method() === 'PATCH');
      await page.getByRole('button', { name: 'English' }).click();
      assert.equal((await saved).status(), 200);
      await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
      await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      const me = await page.request.get(`${server.baseUrl}/api/v1/me`);
      assert.equal((await me.json()).user.language, 'en');
    } finally {
      await first.close();
    }

    // Another browser (no localStorage): English again after signing in.
    const second = await openBrowser();
    try {
      const { page } = second;
      await page.goto(`${server.baseUrl}/login`);
      await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
      await signIn(page, server.baseUrl, DEMO_USERS.stateCoordinator);
      await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
      assert.deepEqual(
        (await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link').allTextContents()).map((t) => t.trim()),
        ['Overview', 'Statistics', 'Knowledge', 'Events', 'Calculators', 'Directory', 'Profile'],
      );
      // And back to German.
      await page.getByRole('button', { name: 'Deutsch' }).click();
      await page.getByRole('heading', { level: 1, name: 'Übersicht' }).waitFor();
    } finally {
      await second.close();
    }
  });
});
