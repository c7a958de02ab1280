// axe-core on every page, in German and English, for every role: no serious or critical
// violations, and no Content-Security-Policy violations in the console.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_USERS, startServer } from '../lib/server.mjs';
import { assertAccessible, fillCredentials, openBrowser, signIn } from '../lib/browser.mjs';

const PAGES_BY_USER = {
  [DEMO_USERS.advisor]: ['/dashboard', '/cases', '/contact-requests', '/calculators', '/directory', '/profile', '/statistics', '/no-such-page'],
  [DEMO_USERS.centreLead]: ['/dashboard', '/team'],
  [DEMO_USERS.competenceCentre]: ['/dashboard', '/escalations'],
  [DEMO_USERS.stateCoordinator]: ['/dashboard', '/statistics'],
  [DEMO_USERS.programme]: ['/dashboard'],
  [DEMO_USERS.admin]: ['/dashboard', '/admin', '/directory?state=BE'],
};

describe('accessibility', () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  for (const language of ['de', 'en']) {
    test(`sign-in pages (${language})`, async () => {
      const browser = await openBrowser();
      const { page } = browser;
      try {
        await page.goto(`${server.baseUrl}/login`);
        if (language === 'en') await page.getByRole('button', { name: 'English' }).click();
        await page.waitForFunction((lang) => document.documentElement.lang === lang, language);
        await assertAccessible(page, `login-${language}`, { heading: true });
        // With errors shown.
        await page.getByRole('button', { name: /^(Anmelden|Sign in)$/ }).click();
        await assertAccessible(page, `login-empty-${language}`, { heading: true });
        await fillCredentials(page, DEMO_USERS.advisorBayern, 'wrong-password');
        await page.getByRole('alert').first().waitFor();
        await assertAccessible(page, `login-failed-${language}`, { heading: true });
        assert.deepEqual(browser.cspViolations(), []);
      } finally {
        await browser.close();
      }
    });
  }

  for (const [email, paths] of Object.entries(PAGES_BY_USER)) {
    for (const language of ['de', 'en']) {
      test(`${email} (${language}): ${paths.join(' ')}`, async () => {
        const browser = await openBrowser();
        const { page } = browser;
        try {
          await signIn(page, server.baseUrl, email);
          if (language === 'en') {
            await page.getByRole('button', { name: 'English' }).click();
            await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
          }
          for (const path of paths) {
            await page.goto(`${server.baseUrl}${path}`);
            await page.waitForFunction((lang) => document.documentElement.lang === lang, language);
            const name = `${email.split('@')[0]}-${path.replace(/[^a-z]+/g, '_') || 'root'}-${language}`;
            await assertAccessible(page, name, { heading: true });
            assert.equal(await page.getByRole('main').count(), 1, 'one main landmark');
            assert.equal(await page.getByRole('banner').count(), 1, 'one banner landmark');
          }
          assert.deepEqual(browser.cspViolations(), []);
        } finally {
          // Leave the stored language German for the next test of this user.
          if (language === 'en') {
            await page.request.patch(`${server.baseUrl}/api/v1/me`, {
              data: { language: 'de' },
              headers: { 'X-CSRF-Token': (await (await page.request.get(`${server.baseUrl}/api/v1/me`)).json()).csrf_token },
            }).catch(() => {});
          }
          await browser.close();
        }
      });
    }
  }

  test('profile with TOTP enrolment open and the skip link', async () => {
    const browser = await openBrowser();
    const { page } = browser;
    try {
      await signIn(page, server.baseUrl, DEMO_USERS.programme);
      await page.goto(`${server.baseUrl}/profile`);
      await page.getByRole('button', { name: 'Zwei-Faktor-Anmeldung einrichten' }).click();
      await page.getByRole('img', { name: /QR-Code/ }).waitFor();
      await assertAccessible(page, 'profile-totp-enrol', { heading: true });
      // The skip link is the first thing the keyboard reaches and leads to the main content.
      await page.goto(`${server.baseUrl}/directory`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
      assert.equal(focused, 'Zum Inhalt springen');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => location.hash === '#main');
      assert.deepEqual(browser.cspViolations(), []);
    } finally {
      await browser.close();
    }
  });
});
