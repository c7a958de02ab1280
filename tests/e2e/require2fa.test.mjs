// `fairdesk serve --require-2fa`: an account with case access and no second factor is sent to the
// set-up page (the profile) with a notice, sees only what it can use, sets up TOTP, and then has
// the whole app. A tab that still believes otherwise is sent to the set-up page on the server's
// 403. Roles without case access are not asked. Codes are computed here (RFC 6238), no waiting.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, DEMO_PASSWORD, DEMO_USERS, startServer } from '../lib/server.mjs';
import { assertAccessible, navigationLabels, openBrowser, signIn, signOut } from '../lib/browser.mjs';
import { freshTotp, totp } from '../lib/totp.mjs';

const NOTICE = 'Ihre Organisation verlangt einen zweiten Faktor';
const NOTICE_EN = 'Your organisation requires a second factor';

describe('required second factor', () => {
  let server;
  before(async () => {
    server = await startServer({ extraArgs: ['--require-2fa'] });
  });
  after(async () => {
    await server?.stop();
  });

  test('an advisor without TOTP sets it up first, then has the whole app', async () => {
    const browser = await openBrowser();
    const { page } = browser;
    try {
      // Sign-in works, and lands on the set-up page, not on a dashboard full of errors.
      await signIn(page, server.baseUrl, DEMO_USERS.advisor);
      await page.waitForURL((url) => url.pathname === '/profile');
      const notice = page.getByTestId('alert-warning').filter({ hasText: NOTICE });
      await notice.waitFor();
      await page.getByRole('heading', { level: 1, name: 'Profil' }).waitFor();
      assert.deepEqual(await navigationLabels(page), ['Profil'], 'only the profile is in the navigation');
      await page.getByRole('button', { name: 'Abmelden' }).waitFor();
      // The password form needs the full app; only the TOTP panel is offered.
      assert.equal(await page.getByLabel('Aktuelles Passwort').count(), 0);
      assert.equal(await page.getByTestId('alert-danger').count(), 0, 'no error alert');

      await assertAccessible(page, 'require2fa-profile-only');

      // Any other page sends the person back here, remembering where they were going.
      await page.goto(`${server.baseUrl}/cases`);
      await page.waitForURL((url) => url.pathname === '/profile' && url.searchParams.get('next') === '/cases');
      await notice.waitFor();
      assert.equal(await page.getByTestId('page-cases').count(), 0);
      assert.equal(await page.getByTestId('alert-danger').count(), 0, 'no error alert');

      // The notice in English, too (the language switch stays usable).
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByTestId('alert-warning').filter({ hasText: NOTICE_EN }).waitFor();
      await page.getByRole('button', { name: 'Deutsch' }).click();
      await notice.waitFor();

      // Set up TOTP.
      await page.getByRole('button', { name: 'Zwei-Faktor-Anmeldung einrichten' }).click();
      await page.getByRole('img', { name: 'QR-Code zum Einrichten der Authenticator-App' }).waitFor();
      const secret = await page.getByTestId('totp-secret').getAttribute('data-secret');
      assert.match(secret, /^[A-Z2-7]+=*$/);
      await assertAccessible(page, 'require2fa-enrolling');
      await page.getByLabel('Code aus der App').fill(totp(secret));
      await page.getByRole('button', { name: 'Einrichtung abschließen' }).click();

      // Recovery codes once; /me is read again and the whole navigation is back.
      await page.getByText('Wiederherstellungscodes sichern').waitFor();
      await page.getByTestId('alert-success').filter({ hasText: 'Die Zwei-Faktor-Anmeldung ist eingerichtet' }).waitFor();
      await notice.waitFor({ state: 'detached' });
      const codes = await page.getByTestId('recovery-codes').getByRole('listitem').count();
      assert.ok(codes >= 5, `expected recovery codes, got ${codes}`);
      const recoveryCode = (await page.getByTestId('recovery-codes').getByRole('listitem').first().textContent()).trim();
      assert.deepEqual(await navigationLabels(page), ['Übersicht', 'Fälle', 'Kontaktanfragen', 'Wissen', 'Veranstaltungen', 'Statistik', 'Rechner', 'Verzeichnis', 'Profil']);
      await assertAccessible(page, 'require2fa-done');

      // Codes kept: on to where the person was going.
      await page.getByRole('button', { name: 'Ich habe die Codes gesichert' }).click();
      await page.waitForURL((url) => url.pathname === '/cases');
      await page.getByTestId('page-cases').waitFor();
      await page.getByRole('heading', { level: 1, name: 'Fälle' }).waitFor();
      assert.equal(await page.getByTestId('alert-danger').count(), 0, 'no error alert');

      // A fresh load works too, and the profile shows the full page again.
      await page.goto(`${server.baseUrl}/cases`);
      await page.getByTestId('page-cases').waitFor();
      await page.goto(`${server.baseUrl}/profile`);
      await page.getByTestId('totp-status').filter({ hasText: 'eingerichtet' }).waitFor();
      await page.getByLabel('Aktuelles Passwort').waitFor();
      assert.equal(await page.getByTestId('alert-warning').filter({ hasText: NOTICE }).count(), 0);

      // A stale tab: TOTP is turned off elsewhere; the next request this tab makes is refused
      // with 403 totp-enrolment-required, and the tab goes to the set-up page instead of an error.
      const other = api(server.baseUrl);
      await other.loginOk(DEMO_USERS.advisor, DEMO_PASSWORD, freshTotp(secret));
      // Switching it off needs a code as well as the password (issue 8 #7): an unused recovery code.
      const off = await other.del('/api/v1/me/totp', { password: DEMO_PASSWORD, code: recoveryCode });
      assert.equal(off.status, 204, JSON.stringify(off.body));
      const refused = await other.get('/api/v1/cases');
      assert.equal(refused.status, 403);
      assert.match(refused.body.type, /\/problems\/totp-enrolment-required$/);

      await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Fälle' }).click();
      await page.waitForURL((url) => url.pathname === '/profile');
      await notice.waitFor();
      await page.getByTestId('totp-status').filter({ hasText: 'nicht eingerichtet' }).waitFor();
      assert.deepEqual(await navigationLabels(page), ['Profil']);

      // Signing out works during the set-up.
      await signOut(page);
      assert.deepEqual(browser.cspViolations(), []);
    } finally {
      await browser.close();
    }
  });

  test('a state coordinator (no case access) is not asked for a second factor', async () => {
    const browser = await openBrowser();
    const { page } = browser;
    try {
      await signIn(page, server.baseUrl, DEMO_USERS.stateCoordinator);
      await page.waitForURL((url) => url.pathname === '/dashboard');
      assert.deepEqual(await navigationLabels(page), ['Übersicht', 'Statistik', 'Wissen', 'Veranstaltungen', 'Rechner', 'Verzeichnis', 'Profil']);
      await page.goto(`${server.baseUrl}/profile`);
      await page.getByTestId('totp-status').filter({ hasText: 'nicht eingerichtet' }).waitFor();
      await page.getByLabel('Aktuelles Passwort').waitFor();
      assert.equal(await page.getByText(NOTICE).count(), 0, 'no set-up notice');
      await page.goto(`${server.baseUrl}/directory`);
      await page.waitForURL((url) => url.pathname === '/directory');
      assert.equal(await page.getByTestId('alert-danger').count(), 0, 'no error alert');
    } finally {
      await browser.close();
    }
  });
});
