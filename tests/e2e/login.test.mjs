// Sign-in failures explained to the person: wrong password, missing input, too many attempts,
// expired session, server unreachable; and sign-out really ends the session on the server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_USERS, startServer } from '../lib/server.mjs';
import { fillCredentials, openBrowser, signIn, signOut } from '../lib/browser.mjs';

describe('sign-in', () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  test('a wrong password is explained and the person stays on the sign-in page', async () => {
    const browser = await openBrowser();
    const { page } = browser;
    try {
      await page.goto(`${server.baseUrl}/login`);
      await fillCredentials(page, DEMO_USERS.advisor, 'not-the-password');
      const alert = page.getByRole('alert').filter({ hasText: 'Anmeldung fehlgeschlagen' });
      await alert.waitFor();
      assert.match(await alert.innerText(), /E-Mail-Adresse oder Passwort sind falsch/);
      assert.equal(new URL(page.url()).pathname, '/login');
    } finally {
      await browser.close();
    }
  });

  test('empty fields are named before anything is sent', async () => {
    const browser = await openBrowser();
    const { page } = browser;
    try {
      await page.goto(`${server.baseUrl}/login`);
      await page.getByRole('button', { name: 'Anmelden' }).click();
      await page.getByText('Bitte geben Sie Ihre E-Mail-Adresse ein.').waitFor();
      await page.getByText('Bitte geben Sie Ihr Passwort ein.').waitFor();
      const email = page.getByLabel('E-Mail-Adresse');
      assert.equal(await email.getAttribute('aria-invalid'), 'true');
    } finally {
      await browser.close();
    }
  });

  test('too many attempts show when to try again', async () => {
    const browser = await openBrowser();
    const { page } = browser;
    try {
      await page.goto(`${server.baseUrl}/login`);
      const limited = page.getByRole('alert').filter({ hasText: 'Zu viele Anmeldeversuche' });
      for (let attempt = 0; attempt < 25 && !(await limited.isVisible()); attempt++) {
        await fillCredentials(page, DEMO_USERS.programme, `wrong-${attempt}`);
        await page
          .getByRole('alert')
          .filter({ hasText: /Anmeldung fehlgeschlagen|Zu viele Anmeldeversuche/ })
          .waitFor();
        await page.waitForFunction(() => !document.querySelector('button[aria-disabled="true"]'));
      }
      await limited.waitFor();
      assert.match(await limited.innerText(), /Bitte versuchen Sie es in \d+ (Sekunden?|Minuten?) erneut/);
    } finally {
      await browser.close();
    }
  });

  test('after sign-out the session is gone on the server', async () => {
    const browser = await openBrowser();
    const { page } = browser;
    try {
      await signIn(page, server.baseUrl, DEMO_USERS.advisor);
      const before = await page.request.get(`${server.baseUrl}/api/v1/me`);
      assert.equal(before.status(), 200);
      await signOut(page);
      await page.getByText('Sie sind abgemeldet').waitFor();
      const me = await page.request.get(`${server.baseUrl}/api/v1/me`);
      assert.equal(me.status(), 401);
      // A protected page now leads to the sign-in page.
      await page.goto(`${server.baseUrl}/profile`);
      await page.waitForURL(/\/login/);
    } finally {
      await browser.close();
    }
  });
});

describe('sessions that end and servers that go away', () => {
  test('an expired session sends the person to sign in again with a notice', async () => {
    // The server keeps sessions for 30 idle minutes. Restart it on the same database and address
    // with its clock an hour ahead: the browser's cookie now names an expired session.
    const first = await startServer();
    const browser = await openBrowser();
    const { page } = browser;
    let second;
    try {
      await signIn(page, first.baseUrl, DEMO_USERS.advisor);
      const { port, db } = first;
      await first.process.kill('SIGTERM');
      await new Promise((resolve) => first.process.once('exit', resolve));
      second = await startServer({
        db,
        port,
        stateDir: first.stateDir,
        env: { FAIRDESK_CLOCK_OFFSET_SECONDS: '3600' },
      });
      await page.goto(`${second.baseUrl}/profile`);
      await page.waitForURL(/\/login/);
      await page.getByText('Sitzung abgelaufen').waitFor();
    } finally {
      await browser.close();
      await second?.stop();
      await first.stop();
    }
  });

  test('a server that cannot be reached is named as such', async () => {
    const server = await startServer();
    const browser = await openBrowser();
    const { page } = browser;
    try {
      await page.goto(`${server.baseUrl}/login`);
      await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
      await server.stop();
      await fillCredentials(page, DEMO_USERS.advisor);
      const alert = page.getByRole('alert').filter({ hasText: 'Server nicht erreichbar' });
      await alert.waitFor();
    } finally {
      await browser.close();
      await server.stop();
    }
  });
});
