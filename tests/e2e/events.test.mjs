// Events in the browser, as issue 10 will be checked: the Competence Centre creates (a time that
// does not exist is refused, naming the field) and publishes a training; advisors of two centres
// register and fill it; a centre lead joins the waiting list and gets the seat when an advisor
// cancels; attendance is taken on the check-in page; the certificate is downloaded and read back
// with pdftotext; a centre lead records a head count for the demo workshop in a language course.
// axe-core runs on every page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_USERS, freshDatabaseUrl, startServer } from '../lib/server.mjs';
import { assertAccessible, openBrowser, signIn, signOut } from '../lib/browser.mjs';

// Local Berlin time `minutes` from now, YYYY-MM-DDTHH:MM.
function berlin(minutes) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(Date.now() + minutes * 60000)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

// The last Sunday of March of next year: 02:30 does not exist that night.
function nextSpringChange() {
  const d = new Date(Date.UTC(new Date().getUTCFullYear() + 1, 2, 31));
  d.setUTCDate(31 - d.getUTCDay());
  return d.toISOString().slice(0, 10);
}

describe('events and training', () => {
  let server;
  let browser;
  let page;
  let eventUrl;
  const title = 'Fortbildung Arbeitsrecht für Geflüchtete';

  // Our own folder, so that the last test can restart the server on the same data, later.
  const dir = mkdtempSync(join(tmpdir(), 'fairdesk-e2e-events-'));
  const data = { db: freshDatabaseUrl(dir), stateDir: dir };

  before(async () => {
    server = await startServer(data);
    browser = await openBrowser();
    page = browser.page;
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the Competence Centre creates and publishes a training', async () => {
    await signIn(page, server.baseUrl, DEMO_USERS.competenceCentre);
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Veranstaltungen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Veranstaltungen und Fortbildungen' }).waitFor();
    await page.getByTestId('event-card').first().waitFor();
    await assertAccessible(page, 'events-list-cc');
    await page.getByTestId('new-event').click();
    await page.getByLabel('Art', { exact: true }).selectOption('training');
    await page.getByLabel('Titel', { exact: true }).fill(title);
    await page.getByLabel('Plätze', { exact: true }).fill('2');
    const start = berlin(30);
    await page.getByLabel('Anmeldeschluss').fill(start.slice(0, 10));
    await page.getByLabel('Beginn Termin 1').fill(`${nextSpringChange()}T02:30`);
    await page.getByLabel('Ende Termin 1').fill(`${nextSpringChange()}T05:00`);
    await page.getByLabel('Ort Termin 1').fill('Kompetenzstelle, Raum 2.14');
    // Topics from the case-work taxonomy, so the training can be found by what it is about.
    await page.getByTestId('event-topics').getByLabel('Kündigung', { exact: true }).check();
    // Material from the knowledge base: search (Enter searches, it does not send the form), link.
    const material = 'Checkliste: Erstberatung nach einer Kündigung';
    await page.getByLabel('Wissensdatenbank durchsuchen').fill('Erstberatung Kündigung');
    await page.getByLabel('Wissensdatenbank durchsuchen').press('Enter');
    await page.getByRole('button', { name: `„${material}“ verknüpfen` }).click();
    await page.getByTestId('material-linked').getByRole('link', { name: material }).waitFor();
    await assertAccessible(page, 'events-form');
    await page.getByRole('button', { name: 'Als Entwurf speichern' }).click();
    const error = page.locator('#ev-s0-start-error');
    await error.waitFor();
    assert.match(await error.textContent(), /gibt es nicht|does not exist/);
    await page.getByLabel('Beginn Termin 1').fill(start);
    await page.getByLabel('Ende Termin 1').fill(berlin(150));
    await page.getByRole('button', { name: 'Als Entwurf speichern' }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByTestId('status-draft').waitFor();
    await page.getByTestId('publish').click();
    await page.getByTestId('status-published').waitFor();
    await page.getByTestId('event-material').getByRole('link', { name: material }).waitFor();
    assert.equal((await page.getByTestId('event-topics').textContent()).trim(), 'Kündigung');
    eventUrl = page.url();
    await assertAccessible(page, 'events-detail-organiser');
    await signOut(page);
  });

  test('advisors of two centres fill it; a lead waits and moves up when one cancels', async () => {
    for (const email of [DEMO_USERS.advisor, DEMO_USERS.advisorBayern]) {
      await signIn(page, server.baseUrl, email);
      await page.goto(eventUrl);
      await page.getByTestId('register').click();
      await page.getByTestId('status-confirmed').waitFor();
      if (email === DEMO_USERS.advisor) {
        // The advisor follows the linked material into the knowledge base and comes back.
        await page.getByTestId('event-material').getByRole('link', { name: 'Checkliste: Erstberatung nach einer Kündigung' }).click();
        await page.getByRole('heading', { level: 1, name: 'Checkliste: Erstberatung nach einer Kündigung' }).waitFor();
        await page.goBack();
        await page.getByTestId('status-confirmed').waitFor();
        await assertAccessible(page, 'events-detail-registered');
      }
      await signOut(page);
    }
    await signIn(page, server.baseUrl, DEMO_USERS.centreLead);
    await page.goto(eventUrl);
    await page.getByRole('button', { name: 'Auf die Warteliste setzen' }).click();
    await page.getByTestId('status-waitlisted').waitFor();
    await page.getByText('Platz 1 auf der Warteliste').waitFor();
    await signOut(page);

    await signIn(page, server.baseUrl, DEMO_USERS.advisor);
    await page.goto(eventUrl);
    await page.getByRole('button', { name: 'Anmeldung stornieren' }).click();
    // The freed seat is offered to the lead at once: for everyone else the event stays full.
    await page.getByRole('button', { name: 'Auf die Warteliste setzen' }).waitFor();
    await signOut(page);

    await signIn(page, server.baseUrl, DEMO_USERS.centreLead);
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Veranstaltungen' }).click();
    await page.getByTestId('event-notifications').getByRole('link', { name: `Ein Platz ist frei geworden: „${title}“ – bitte bestätigen.` }).click();
    await page.getByTestId('status-offered').waitFor();
    await assertAccessible(page, 'events-offer');
    await page.getByRole('button', { name: 'Platz annehmen' }).click();
    await page.getByTestId('status-confirmed').waitFor();
    await signOut(page);
  });

  test('attendance is taken on the check-in page and the certificate reads back', async () => {
    await signIn(page, server.baseUrl, DEMO_USERS.competenceCentre);
    await page.goto(eventUrl);
    const rows = page.getByTestId('participant-row');
    await rows.first().waitFor();
    await page.getByTestId('check-in-link').click();
    await page.getByTestId('check-in-list').waitFor();
    await page.getByRole('button', { name: 'Lena Schmidt anwesend' }).click();
    await page.getByRole('button', { name: 'Lena Schmidt anwesend', pressed: true }).waitFor();
    await page.getByRole('button', { name: 'Mykola Bondarenko nicht da' }).click();
    await page.getByRole('button', { name: 'Mykola Bondarenko nicht da', pressed: true }).waitFor();
    await page.getByText('1 von 2 anwesend').waitFor();
    await assertAccessible(page, 'events-check-in');
    await page.getByRole('link', { name: 'Zurück zur Veranstaltung' }).click();
    await page.getByTestId('status-attended').waitFor();
    await page.getByTestId('status-no_show').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('certificate-link').click()]);
    const file = await download.path();
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString('utf8');
    assert.ok(text.includes('Lena Schmidt'), text);
    assert.ok(text.includes(title), text);
    assert.match(text, /FD-\d{4}-\d{6}/);
    await signOut(page);
    // Anyone can check it at the address printed on it, without signing in.
    const code = text.match(/Prüfcode \/ Verification code: ([A-Z2-7]{5}-[A-Z2-7]{5})/)?.[1];
    assert.ok(code, text);
    await page.goto(`${server.baseUrl}/verify/${code}`);
    await page.getByText('Diese Bescheinigung ist echt.').waitFor();
    assert.match(await page.getByTestId('verify-result').textContent(), /Lena Schmidt/);
    await assertAccessible(page, 'events-verify');
    await page.goto(`${server.baseUrl}/verify/AAAAA-AAAAA`);
    await page.getByText('Zu diesem Prüfcode gibt es keine Bescheinigung.').waitFor();
  });

  test('a centre lead records the head count of the workshop in a language course', async () => {
    await signIn(page, server.baseUrl, DEMO_USERS.centreLead);
    await page.goto(`${server.baseUrl}/events?scope=past`);
    await page.getByRole('link', { name: 'Deine Rechte bei der Arbeit (Integrationskurs B1)' }).click();
    await page.getByTestId('head-counts').waitFor();
    const field = page.getByLabel('Anzahl Ukrainisch, männlich');
    await field.fill('4');
    await page.getByTestId('save-head-counts').click();
    await page.getByText('Die Zählung ist gespeichert.').waitFor();
    await assertAccessible(page, 'events-workshop-head-count');
    await page.reload();
    assert.equal(await page.getByLabel('Anzahl Ukrainisch, männlich').inputValue(), '4');
    await signOut(page);
  });

  test('an offer nobody takes expires after 48 hours and passes to the next person', async () => {
    const meeting = 'Austauschtreffen Ost: Saisonarbeit und Unterkunft';
    const open = async () => {
      await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Veranstaltungen' }).click();
      await page.getByTestId('event-list').getByRole('link', { name: meeting, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: meeting }).waitFor();
    };
    await signIn(page, server.baseUrl, DEMO_USERS.competenceCentre);
    await open();
    await page.getByRole('button', { name: 'Auf die Warteliste setzen' }).click();
    await page.getByText('Platz 2 auf der Warteliste').waitFor();
    await signOut(page);
    await signIn(page, server.baseUrl, DEMO_USERS.advisorBayern);
    await open();
    await page.getByRole('button', { name: 'Anmeldung stornieren' }).click();
    await page.getByRole('button', { name: 'Auf die Warteliste setzen' }).waitFor();
    await signOut(page);
    await signIn(page, server.baseUrl, DEMO_USERS.stateCoordinator);
    await open();
    await page.getByTestId('status-offered').waitFor();
    await signOut(page);

    // Two days later (the server restarted with its clock 49 hours on) the offer has passed on.
    await server.stop();
    // A restart without --demo: the demo database keeps its demo accounts without a second factor.
    server = await startServer({ ...data, demo: false, extraArgs: ['--require-2fa=false'], env: { FAIRDESK_CLOCK_OFFSET_SECONDS: String(49 * 3600) } });
    await signIn(page, server.baseUrl, DEMO_USERS.stateCoordinator);
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Veranstaltungen' }).click();
    await page.getByTestId('event-notifications').getByText(`Ihr Platzangebot für „${meeting}“ ist abgelaufen.`).waitFor();
    await signOut(page);
    await signIn(page, server.baseUrl, DEMO_USERS.competenceCentre);
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Veranstaltungen' }).click();
    await page.getByTestId('event-notifications').getByRole('link', { name: `Ein Platz ist frei geworden: „${meeting}“ – bitte bestätigen.` }).click();
    // The organiser's participant table shows the same badge: look at the own registration only.
    await page.getByTestId('my-registration').getByTestId('status-offered').waitFor();
    await page.getByRole('button', { name: 'Platz annehmen' }).click();
    await page.getByTestId('my-registration').getByTestId('status-confirmed').waitFor();
  });
});
