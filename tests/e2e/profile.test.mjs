// The profile page: change the password; set up TOTP and sign in with a code computed here
// (RFC 6238); sign in with a recovery code; turn TOTP off again.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_USERS, startServer } from '../lib/server.mjs';
import { fillCredentials, openBrowser, signIn, signOut } from '../lib/browser.mjs';
import { freshTotp, totp } from '../lib/totp.mjs';

describe('profile', () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  test('change the password, then sign in with the new one only', async () => {
    const browser = await openBrowser();
    const { page } = browser;
    const newPassword = 'a-much-longer-secret-2026';
    try {
      await signIn(page, server.baseUrl, DEMO_USERS.advisorBayern);
      await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Profil' }).click();
      await page.getByRole('heading', { level: 1, name: 'Profil' }).waitFor();

      // Too short: refused in the browser, with the rule named.
      await page.getByLabel('Aktuelles Passwort').fill('fairdesk-demo');
      await page.getByLabel('Neues Passwort', { exact: true }).fill('short');
      await page.getByLabel('Neues Passwort wiederholen').fill('short');
      await page.getByRole('button', { name: 'Passwort ändern' }).click();
      await page.getByText('Das neue Passwort muss mindestens 12 Zeichen lang sein.').waitFor();

      // Wrong current password: the server's field error is shown at the field.
      await page.getByLabel('Aktuelles Passwort').fill('not-my-password');
      await page.getByLabel('Neues Passwort', { exact: true }).fill(newPassword);
      await page.getByLabel('Neues Passwort wiederholen').fill(newPassword);
      await page.getByRole('button', { name: 'Passwort ändern' }).click();
      const current = page.getByLabel('Aktuelles Passwort');
      await page.waitForFunction(
        (el) => el.getAttribute('aria-invalid') === 'true',
        await current.elementHandle(),
      );

      await current.fill('fairdesk-demo');
      await page.getByRole('button', { name: 'Passwort ändern' }).click();
      await page.getByText('Ihr Passwort wurde geändert.').waitFor();

      await signOut(page);
      await fillCredentials(page, DEMO_USERS.advisorBayern, 'fairdesk-demo');
      await page.getByRole('alert').filter({ hasText: 'Anmeldung fehlgeschlagen' }).waitFor();
      await signIn(page, server.baseUrl, DEMO_USERS.advisorBayern, { password: newPassword });
    } finally {
      await browser.close();
    }
  });

  test('set up TOTP, sign in with a code and with a recovery code, turn it off', async () => {
    const browser = await openBrowser();
    const { page } = browser;
    try {
      await signIn(page, server.baseUrl, DEMO_USERS.centreLead);
      await page.goto(`${server.baseUrl}/profile`);
      await page.getByText('nicht eingerichtet').waitFor();
      await page.getByRole('button', { name: 'Zwei-Faktor-Anmeldung einrichten' }).click();

      const qr = page.getByRole('img', { name: 'QR-Code zum Einrichten der Authenticator-App' });
      await qr.waitFor();
      assert.match(await qr.getAttribute('src'), /^data:image\/svg\+xml;base64,/);
      assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR code image renders');
      const secret = await page.getByTestId('totp-secret').getAttribute('data-secret');
      assert.match(secret, /^[A-Z2-7]+=*$/);

      // A wrong code is refused at the field.
      await page.getByLabel('Code aus der App').fill('000000' === totp(secret) ? '111111' : '000000');
      await page.getByRole('button', { name: 'Einrichtung abschließen' }).click();
      await page.getByLabel('Code aus der App').and(page.locator('[aria-invalid="true"]')).waitFor();

      await page.getByLabel('Code aus der App').fill(totp(secret));
      await page.getByRole('button', { name: 'Einrichtung abschließen' }).click();
      await page.getByText('Wiederherstellungscodes sichern').waitFor();
      const codes = (await page.getByTestId('recovery-codes').getByRole('listitem').allTextContents()).map((c) => c.trim());
      assert.ok(codes.length >= 5, `expected recovery codes, got ${codes.length}`);
      await page.getByRole('button', { name: 'Ich habe die Codes gesichert' }).click();
      await page.getByTestId('totp-status').filter({ hasText: 'eingerichtet' }).waitFor();
      assert.equal(await page.getByTestId('recovery-codes').count(), 0, 'recovery codes are shown only once');

      // Sign in again: the password alone is not enough any more.
      await signOut(page);
      await fillCredentials(page, DEMO_USERS.centreLead);
      const codeField = page.getByLabel('Sicherheitscode');
      await codeField.waitFor();
      await codeField.fill('000000' === totp(secret) ? '111111' : '000000');
      await page.getByRole('button', { name: 'Code bestätigen' }).click();
      await page.getByRole('alert').filter({ hasText: 'Code nicht gültig' }).waitFor();

      // The enrolment used this step's code; the next step's is accepted already (no waiting).
      await codeField.fill(freshTotp(secret));
      await page.getByRole('button', { name: 'Code bestätigen' }).click();
      await page.getByRole('navigation', { name: 'Hauptnavigation' }).waitFor();

      // A recovery code works once in place of the app's code.
      await signOut(page);
      await signIn(page, server.baseUrl, DEMO_USERS.centreLead, { totp: () => codes[0] });

      // Turn it off again: the password and a recovery code (issue8_07_disable_totp_needs_code).
      await page.goto(`${server.baseUrl}/profile`);
      await page.getByLabel('Passwort', { exact: true }).fill('fairdesk-demo');
      await page.getByRole('button', { name: 'Zwei-Faktor-Anmeldung ausschalten' }).click();
      await page.getByText('Bitte geben Sie einen Code aus der App oder einen Wiederherstellungscode ein.').waitFor();
      await page.getByLabel('Code aus der App oder Wiederherstellungscode').fill(codes[1]);
      await page.getByRole('button', { name: 'Zwei-Faktor-Anmeldung ausschalten' }).click();
      await page.getByText('Die Zwei-Faktor-Anmeldung ist ausgeschaltet.').waitFor();
      await page.getByTestId('totp-status').filter({ hasText: 'nicht eingerichtet' }).waitFor();
      await signOut(page);
      await signIn(page, server.baseUrl, DEMO_USERS.centreLead);
    } finally {
      await browser.close();
    }
  });
});
