// Issue 8 and issue 7 in the browser: the admin gives a user a one-time password, who must choose
// their own before anything else; the language picked on the sign-in page stays after signing in;
// "forgot your password" sends a link (through a local SMTP sink) that sets a new one (a refused
// password keeps the link; a mistyped address is named); the lead
// sees the administration in the audit trail and the sign-ins with their addresses; a sign-in
// under attack solves the proof of work by itself. axe on the new pages.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, DEMO_USERS, DEMO_PASSWORD, startServer } from '../lib/server.mjs';
import { startSmtpSink } from '../lib/smtp-sink.mjs';
import { assertAccessible, fillCredentials, openBrowser, signIn, signOut } from '../lib/browser.mjs';

describe('accounts and sign-in security', () => {
  let server;
  let sink;
  before(async () => {
    sink = await startSmtpSink();
    server = await startServer({
      extraArgs: ['--smtp-host', '127.0.0.1', '--smtp-port', String(sink.port), '--public-url', 'http://placeholder'],
    });
  });
  after(async () => {
    await server?.stop();
    await sink?.stop();
  });

  test('one-time password, language kept, reset by e-mail, the lead reads it all', async () => {
    const browser = await openBrowser();
    const { page } = browser;
    try {
      // The admin creates a one-time password for the Berlin advisor.
      await signIn(page, server.baseUrl, DEMO_USERS.admin);
      const users = await (async () => {
        const admin = api(server.baseUrl);
        await admin.loginOk(DEMO_USERS.admin);
        return (await admin.get('/api/v1/users?limit=200')).body.items;
      })();
      const advisor = users.find((u) => u.email === DEMO_USERS.advisor);
      await page.goto(`${server.baseUrl}/admin/users/${advisor.id}`);
      await page.getByRole('button', { name: 'Einmalpasswort erzeugen' }).click();
      const oneTime = (await page.getByTestId('one-time-password').innerText()).trim();
      assert.ok(oneTime.length >= 12);
      await assertAccessible(page, 'security-admin-one-time-password');
      await signOut(page);

      // English picked on the sign-in page; the one-time password leads to the password form only.
      await page.goto(`${server.baseUrl}/login`);
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await fillCredentials(page, DEMO_USERS.advisor, oneTime);
      await page.getByText('Please choose your own password').waitFor();
      assert.equal(new URL(page.url()).pathname, '/profile');
      await assertAccessible(page, 'security-must-change-en');
      await page.getByLabel('Current password').fill(oneTime);
      await page.getByLabel('New password', { exact: true }).fill('aaaaaaaaaaaa');
      await page.getByLabel('Repeat new password').fill('aaaaaaaaaaaa');
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByText('This password is too easy to guess').waitFor();
      // Keeping the one-time password is refused as such, not as "too easy to guess".
      await page.getByLabel('New password', { exact: true }).fill(oneTime);
      await page.getByLabel('Repeat new password').fill(oneTime);
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByText('The new password must differ from the current one.').waitFor();
      await page.getByLabel('New password', { exact: true }).fill('Bahars-eigenes-Passwort');
      await page.getByLabel('Repeat new password').fill('Bahars-eigenes-Passwort');
      await page.getByRole('button', { name: 'Change password' }).click();
      // Until then only the profile was in the navigation; now the whole app is.
      await page.waitForURL((url) => url.pathname === '/dashboard');
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Cases' }).waitFor();
      // The language stays English, and is the account's now.
      const me = api(server.baseUrl);
      assert.equal((await me.loginOk(DEMO_USERS.advisor, 'Bahars-eigenes-Passwort')).language, 'en');
      await signOut(page);

      // Forgot the password: a link by e-mail sets a new one.
      await page.goto(`${server.baseUrl}/login`);
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      // A typo in the address is named instead of "a mail is on its way".
      await page.getByLabel('Email address').fill('advisor.berlin-example.org');
      await page.getByRole('button', { name: 'Send link' }).click();
      await page.getByText('Please enter a valid e-mail address.').waitFor();
      await page.getByLabel('Email address').fill(DEMO_USERS.advisor);
      await assertAccessible(page, 'security-forgot-en');
      await page.getByRole('button', { name: 'Send link' }).click();
      await page.getByText('E-mail on its way').waitFor();
      const mail = await sink.next();
      assert.equal(mail.subject, 'fairdesk: reset your password');
      const link = /http:\/\/placeholder(\/reset-password#token=[A-Za-z0-9_-]+)/.exec(mail.text)[1];
      await page.goto(`${server.baseUrl}${link}`);
      // The e-mail address as the password is refused, and the link still works afterwards.
      await page.getByLabel('New password', { exact: true }).fill(DEMO_USERS.advisor);
      await page.getByLabel('Repeat new password').fill(DEMO_USERS.advisor);
      await page.getByRole('button', { name: 'Save password' }).click();
      await page.getByText('The password must not be your e-mail address or be based on it.').waitFor();
      await page.getByLabel('New password', { exact: true }).fill('Noch-ein-neues-Passwort');
      await page.getByLabel('Repeat new password').fill('Noch-ein-neues-Passwort');
      await page.getByRole('button', { name: 'Save password' }).click();
      await page.getByText('Your new password is saved.').waitFor();
      assert.equal(new URL(page.url()).hash, '', 'the token leaves the address bar');
      await signIn(page, server.baseUrl, DEMO_USERS.advisor, { password: 'Noch-ein-neues-Passwort' });
      await signOut(page);

      // The lead reads the administration in the audit trail, and the sign-ins with addresses.
      await page.goto(`${server.baseUrl}/login`);
      await page.getByRole('button', { name: 'Deutsch' }).click();
      await signIn(page, server.baseUrl, DEMO_USERS.centreLead);
      await page.goto(`${server.baseUrl}/audit?record_type=user_password`);
      await page.getByTestId('audit-table').getByText('Bahar Yilmaz').first().waitFor();
      const events = page.getByTestId('security-events');
      await events.getByText('Einmalpasswort erzeugt').first().waitFor();
      await events.getByText('Passwort über Link neu gesetzt').first().waitFor();
      await events.getByText('127.0.0.1').first().waitFor();
      await assertAccessible(page, 'security-lead-audit-de');
      assert.deepEqual(browser.cspViolations(), []);
    } finally {
      await browser.close();
    }
  });

  test('under attack, the sign-in page solves the proof of work by itself', async () => {
    // Twenty failures from this address (on unknown accounts) make every sign-in from it cost a
    // proof of work; the browser comes from the same address.
    for (let i = 0; i < 20; i += 1) {
      assert.equal((await api(server.baseUrl).login(`nobody${i}@example.org`, 'wrong-password-1')).status, 401);
    }
    const browser = await openBrowser();
    const { page } = browser;
    try {
      const statuses = [];
      page.on('response', (r) => {
        if (r.url().endsWith('/api/v1/session') && r.request().method() === 'POST') statuses.push(r.status());
      });
      await page.goto(`${server.baseUrl}/login`);
      await fillCredentials(page, DEMO_USERS.stateCoordinator, DEMO_PASSWORD);
      await page.getByRole('navigation', { name: 'Hauptnavigation' }).waitFor();
      assert.deepEqual(statuses, [429, 200]);
    } finally {
      await browser.close();
    }
  });
});
