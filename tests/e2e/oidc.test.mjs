// Sign-in through the organisation's identity provider in Chromium (issue 13): the admin sets it
// up on /admin/settings, a person clicks "Anmelden mit …" on the sign-in page, signs in at the
// real OpenID Provider (oidc-provider, loopback) and lands signed in on the page they wanted; a
// person without a matching group sees why in German.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_USERS, startServer } from '../lib/server.mjs';
import { assertAccessible, openBrowser, screenshot, signIn, signOut } from '../lib/browser.mjs';
import { startOidcProvider } from '../lib/oidc-provider.mjs';

let server;
let idp;

before(async () => {
  server = await startServer();
  idp = await startOidcProvider({
    client: { client_id: 'fairdesk', client_secret: 'e2e-client-secret-0123', redirect_uris: [`${server.baseUrl}/api/v1/oidc/callback`] },
    accounts: {
      erika: { password: 'erika-pw', email: 'erika@org.example', name: 'Erika Esser', groups: ['fd-advisor-be-1'] },
      max: { password: 'max-pw', email: 'max@org.example', name: 'Max Muster', groups: ['other'] },
    },
  });
});
after(async () => {
  await idp?.stop();
  await server?.stop();
});

async function atProvider(page, login) {
  await page.waitForURL((url) => url.href.startsWith(idp.issuer));
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(`${login}-pw`);
  await page.getByRole('button', { name: 'Sign in at the IdP' }).click();
}

test('the admin configures the provider; a person signs in with it and lands where they wanted; no group, no entry', async () => {
  const browser = await openBrowser();
  const { page, errors } = browser;
  try {
    // The admin sets up the provider on the settings page.
    await signIn(page, server.baseUrl, DEMO_USERS.admin);
    await page.goto(`${server.baseUrl}/admin/settings`);
    const section = page.getByTestId('settings-oidc');
    await section.getByLabel('Anmeldung über den Identitätsanbieter anbieten').check();
    await section.getByLabel('Name auf der Schaltfläche').fill('Testorganisation');
    await section.getByLabel('Issuer-Adresse').fill(idp.issuer);
    await section.getByLabel('Client-ID').fill('fairdesk');
    await section.getByLabel('Client-Secret').fill('e2e-client-secret-0123');
    await section.getByLabel('Scopes').fill('openid email profile groups');
    await section.getByRole('button', { name: 'Zuordnungsregel hinzufügen' }).click();
    await section.getByLabel('Wert (z. B. Gruppe)').fill('fd-advisor-be-1');
    await section.getByLabel('Beratungsstelle (ID)').fill('centre-be-1');
    assert.equal(await section.getByTestId('oidc-redirect-uri').innerText(), `${server.baseUrl}/api/v1/oidc/callback`);
    await section.getByRole('button', { name: 'Anmeldung speichern' }).click();
    await section.getByText('Die Einstellungen zur Anmeldung sind gespeichert.').waitFor();
    assert.match(await section.getByLabel('Client-Secret').getAttribute('value') ?? '', /^$/, 'the secret is not shown again');
    await screenshot(page, 'oidc-admin-settings');
    await signOut(page);

    // A person opens a page, is sent to sign in, and uses the organisation's account.
    await page.goto(`${server.baseUrl}/cases`);
    await page.waitForURL(/\/login/);
    const button = page.getByRole('link', { name: 'Anmelden mit Testorganisation' });
    await button.waitFor();
    await assertAccessible(page, 'oidc-login-button');
    await button.click();
    await atProvider(page, 'erika');
    await page.waitForURL((url) => url.pathname === '/cases');
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).waitFor();
    await page.getByText('Erika Esser').first().waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
    assert.equal(me.user.role, 'advisor');
    assert.equal(me.user.centre_id, 'centre-be-1');
    await screenshot(page, 'oidc-signed-in');
    await signOut(page);
    // Signed out of fairdesk but still signed in at the provider (single sign-on): the button
    // signs her in again without the provider's form.
    await page.getByRole('link', { name: 'Anmelden mit Testorganisation' }).click();
    await page.waitForURL((url) => url.href.startsWith(server.baseUrl) && url.pathname !== '/login');
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).waitFor();
    await page.getByText('Erika Esser').first().waitFor();
    assert.deepEqual(errors.filter((e) => !/401|Unauthorized/.test(e)), []);
  } finally {
    await browser.close();
  }

  // Someone whose groups fairdesk does not know is refused with a reason, in German.
  const other = await openBrowser();
  try {
    await other.page.goto(`${server.baseUrl}/login`);
    await other.page.getByRole('link', { name: 'Anmelden mit Testorganisation' }).click();
    await atProvider(other.page, 'max');
    await other.page.waitForURL(/\/login\?oidc_error=oidc-no-mapping/);
    const alert = other.page.getByRole('alert').filter({ hasText: 'Anmeldung über den Identitätsanbieter fehlgeschlagen' });
    await alert.waitFor();
    assert.match(await alert.innerText(), /keine Rolle in fairdesk/);
    assert.ok(!other.page.url().includes('max'), 'no personal data in the URL');
    await screenshot(other.page, 'oidc-refused');
  } finally {
    await other.close();
  }
});
