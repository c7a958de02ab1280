// Each demo user signs in through the UI and sees exactly the navigation of their role
// (PRODUCT.md §1); pages of other roles answer "not available for your role".
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_USERS, startServer } from '../lib/server.mjs';
import { navigationLabels, openBrowser, signIn, signOut } from '../lib/browser.mjs';

const EXPECTED = [
  {
    email: DEMO_USERS.advisor,
    nav: ['Übersicht', 'Fälle', 'Kontaktanfragen', 'Wissen', 'Veranstaltungen', 'Statistik', 'Rechner', 'Verzeichnis', 'Profil'],
    allowed: ['/cases', '/calculators', '/statistics'],
    forbidden: ['/admin', '/escalations', '/team'],
  },
  {
    email: DEMO_USERS.advisorBayern,
    nav: ['Übersicht', 'Fälle', 'Kontaktanfragen', 'Wissen', 'Veranstaltungen', 'Statistik', 'Rechner', 'Verzeichnis', 'Profil'],
    allowed: ['/cases'],
    forbidden: ['/admin', '/team'],
  },
  {
    email: DEMO_USERS.centreLead,
    nav: ['Übersicht', 'Fälle', 'Kontaktanfragen', 'Wissen', 'Veranstaltungen', 'Statistik', 'Team', 'Protokoll', 'Rechner', 'Verzeichnis', 'Profil'],
    allowed: ['/team', '/cases', '/audit', '/statistics'],
    forbidden: ['/admin', '/escalations'],
  },
  {
    email: DEMO_USERS.competenceCentre,
    nav: ['Übersicht', 'Fälle', 'Kontaktanfragen', 'Anfragen und Eskalationen', 'Wissen', 'Veranstaltungen', 'Statistik', 'Rechner', 'Verzeichnis', 'Profil'],
    allowed: ['/escalations', '/cases', '/statistics'],
    forbidden: ['/admin', '/team'],
  },
  {
    email: DEMO_USERS.stateCoordinator,
    nav: ['Übersicht', 'Statistik', 'Wissen', 'Veranstaltungen', 'Rechner', 'Verzeichnis', 'Profil'],
    allowed: ['/statistics', '/calculators'],
    forbidden: ['/cases', '/admin', '/escalations', '/team'],
  },
  {
    email: DEMO_USERS.programme,
    nav: ['Übersicht', 'Statistik', 'Wissen', 'Veranstaltungen', 'Rechner', 'Verzeichnis', 'Profil'],
    allowed: ['/statistics'],
    forbidden: ['/cases', '/admin', '/team'],
  },
  {
    email: DEMO_USERS.admin,
    nav: ['Übersicht', 'Verwaltung', 'Protokoll', 'Verzeichnis', 'Profil'],
    allowed: ['/admin', '/audit'],
    forbidden: ['/cases', '/calculators', '/statistics', '/escalations', '/team'],
  },
];

describe('role navigation', () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  for (const expected of EXPECTED) {
    test(`${expected.email} sees the navigation of their role`, async () => {
      const browser = await openBrowser();
      const { page } = browser;
      try {
        await signIn(page, server.baseUrl, expected.email);
        assert.equal(new URL(page.url()).pathname, '/dashboard');
        assert.deepEqual(await navigationLabels(page), expected.nav);
        await page.getByRole('heading', { level: 1, name: 'Übersicht' }).waitFor();

        for (const path of expected.allowed) {
          await page.goto(`${server.baseUrl}${path}`);
          await page.getByRole('heading', { level: 1 }).waitFor();
          assert.equal(await page.getByTestId('forbidden').count(), 0, `${path} should be open to ${expected.email}`);
          assert.equal(await page.getByTestId('not-found').count(), 0, `${path} should exist`);
        }
        for (const path of expected.forbidden) {
          await page.goto(`${server.baseUrl}${path}`);
          await page.getByRole('heading', { level: 1, name: 'Für Ihre Rolle nicht verfügbar' }).waitFor();
        }
        await signOut(page);
        await page.getByText('Sie sind abgemeldet').waitFor();
      } finally {
        await browser.close();
      }
    });
  }

  test('signed-out visitors are sent to the sign-in page and back after signing in', async () => {
    const browser = await openBrowser();
    const { page } = browser;
    try {
      await page.goto(`${server.baseUrl}/directory?state=BE`);
      await page.waitForURL(/\/login\?next=/);
      await page.getByLabel('E-Mail-Adresse').fill(DEMO_USERS.advisor);
      await page.getByLabel('Passwort').fill('fairdesk-demo');
      await page.getByRole('button', { name: 'Anmelden' }).click();
      await page.waitForURL((url) => url.pathname === '/directory' && url.search === '?state=BE');
    } finally {
      await browser.close();
    }
  });
});
