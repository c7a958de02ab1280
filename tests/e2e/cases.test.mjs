// Case work in the browser: an advisor walks through a whole case (open it with the routing
// suggestions, consult, refer, set a deadline, escalate, close with an outcome), the dashboard
// lists the deadline, another centre gets a not-found page, and the competence centre answers
// the escalation from its inbox. axe-core runs on every page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, DEMO_USERS, startServer } from '../lib/server.mjs';
import { waitUntil } from '../lib/wait.mjs';
import { assertAccessible, openBrowser, screenshot, signIn, signOut } from '../lib/browser.mjs';

function isoDate(offsetDays) {
  const d = new Date();
  d.setDate(d.getDate() + offsetDays);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

describe('case work', () => {
  let server;
  let browser;
  let page;
  let caseId;
  let caseNumber;
  let clientCode;
  const question = 'Darf der Arbeitgeber die Unterkunftskosten vom Mindestlohn abziehen?';

  before(async () => {
    server = await startServer();
    browser = await openBrowser();
    page = browser.page;
    await signIn(page, server.baseUrl, DEMO_USERS.advisor);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the dashboard shows the advisor their cases, deadlines and answers', async () => {
    await page.getByTestId('dashboard-deadlines').waitFor();
    await page.getByTestId('dashboard-cases').waitFor();
    await page.getByTestId('dashboard-escalations').waitFor();
    await assertAccessible(page, 'cases-dashboard-de');
  });

  test('the case list keeps its filters in the address', async () => {
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Fälle' }).click();
    await page.getByRole('heading', { level: 1, name: 'Fälle' }).waitFor();
    await page.getByLabel('Status').selectOption('open');
    await page.waitForURL(/status=open/);
    await page.getByLabel('Zuständig').selectOption('me');
    await page.waitForURL(/assignee=me/);
    await assertAccessible(page, 'cases-list-de');
    // Reloading keeps the filters (read once the list page has rendered them from the address).
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Fälle' }).waitFor();
    await waitUntil(async () => (await page.getByLabel('Status').inputValue()) === 'open', {
      timeoutMs: 15_000,
      what: 'the status filter "open" after reloading',
    });
    assert.equal(await page.getByLabel('Zuständig').inputValue(), 'me');
  });

  test('opening a case shows the routing suggestions: third-country national in 10115 → the Berlin centre', async () => {
    await page.getByRole('link', { name: 'Neuen Fall anlegen' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Neuen Fall anlegen' }).waitFor();
    await assertAccessible(page, 'cases-new-empty-de');

    // Validation as one types: a birth year out of range and a consent date in the future.
    await page.getByRole('group', { name: '1. Klient*in', exact: true }).getByLabel('Geburtsjahr').fill('1850');
    assert.equal(await page.getByRole('group', { name: '1. Klient*in', exact: true }).getByLabel('Geburtsjahr').getAttribute('aria-invalid'), 'true');
    await page.getByRole('group', { name: '1. Klient*in', exact: true }).getByLabel('Geburtsjahr').fill('1990');
    assert.equal(await page.getByRole('group', { name: '1. Klient*in', exact: true }).getByLabel('Geburtsjahr').getAttribute('aria-invalid'), null);

    await page.getByRole('group', { name: '1. Klient*in', exact: true }).getByLabel('Staatsangehörigkeit').selectOption('SY');
    assert.equal(await page.getByRole('group', { name: '1. Klient*in', exact: true }).getByLabel('Staatsangehörigkeit').locator('option:checked').textContent(), 'Syrien');
    await page.getByLabel('Geschlecht').selectOption('female');
    await page.getByRole('group', { name: /Sprachen/ }).getByLabel('Arabisch').check();
    await page.getByLabel('Erwerbsstatus').selectOption('employed');
    await page.getByLabel('Branche (WZ 2008)').selectOption('I');
    await page.getByRole('combobox', { name: 'Aufenthaltsstatus' }).selectOption('humanitarian');
    await page.getByRole('combobox', { name: 'Wohnort' }).selectOption('germany');
    await page.getByLabel('Speicherung der Daten').check();
    await page.getByLabel('Einwilligungen erteilt am').fill(isoDate(3));
    assert.equal(await page.getByLabel('Einwilligungen erteilt am').getAttribute('aria-invalid'), 'true');
    await page.getByText('Das Datum darf nicht in der Zukunft liegen.').waitFor();
    await page.getByLabel('Einwilligungen erteilt am').fill(isoDate(0));

    await page.getByRole('group', { name: /^Themen/ }).getByLabel('Lohn', { exact: false }).first().check();
    await page.getByLabel('Postleitzahl').fill('10115');
    const suggestion = page.getByTestId('routing-suggestion').filter({ hasText: /Berlin/ });
    await suggestion.first().waitFor();
    assert.equal(await suggestion.first().getAttribute('data-target'), 'centre');
    await assertAccessible(page, 'cases-new-routing-de');

    await page.getByRole('button', { name: 'Fall anlegen' }).click();
    await page.waitForURL((url) => /^\/cases\/[^/]+$/.test(url.pathname) && url.pathname !== '/cases/new');
    caseId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
    await page.getByRole('heading', { level: 1, name: /^Fall / }).waitFor();
    caseNumber = (await page.getByRole('heading', { level: 1 }).textContent()).replace(/^Fall /, '').trim();
    await page.getByRole('status').filter({ hasText: 'wurde angelegt' }).waitFor();
    clientCode = (await page.getByTestId('client-code').textContent()).trim();
    assert.match(clientCode, /^BE-\d{4}-\w{4}$/);
    // The reporting fields of the intake form are stored with the client.
    const clientHref = await page.getByTestId('client-record-link').getAttribute('href');
    const stored = await page.evaluate(async (h) => (await fetch(`/api/v1${h}`)).json(), clientHref);
    assert.equal(stored.residence_status, 'humanitarian');
    assert.equal(stored.abroad, false);
    // The one who opens the case is its assignee, shown by name.
    assert.match(await page.getByTestId('case-assignee').textContent(), /^\S.* \(Sie\)$/);
    const calc = page.getByRole('link', { name: 'Rechner öffnen' }).first();
    assert.equal(await calc.getAttribute('href'), `/calculators/dismissal-claim-deadline?case=${encodeURIComponent(caseId)}`);
    await assertAccessible(page, 'cases-detail-new-de');
  });

  test('consultation: validated as one types, then on the timeline', async () => {
    await page.getByRole('button', { name: 'Beratung', exact: true }).click();
    const form = page.locator('#case-form-panel');
    await form.getByLabel('Dauer in Minuten').fill('900');
    assert.equal(await form.getByLabel('Dauer in Minuten').getAttribute('aria-invalid'), 'true');
    await form.getByText('Bitte eine ganze Zahl von 1 bis 600 angeben.').waitFor();
    await form.getByLabel('Dauer in Minuten').fill('45');
    await form.getByLabel('Kanal').selectOption('phone');
    await form.getByLabel('Sprache der Beratung').selectOption('ar');
    await form.getByLabel('Mit Sprachmittlung').check();
    await form.getByLabel('Notizen').fill('Lohn für März fehlt, Arbeitgeber reagiert nicht.');
    await assertAccessible(page, 'cases-consultation-form-de');
    await form.getByRole('button', { name: 'Beratung speichern' }).click();
    await page.getByRole('status').filter({ hasText: 'Die Beratung wurde gespeichert.' }).waitFor();
    await page.getByTestId('timeline-consultation').filter({ hasText: 'Telefon, 45 Minuten' }).waitFor();
  });

  test('referral with consent and hand-over note', async () => {
    await page.getByRole('button', { name: 'Weitervermittlung' }).click();
    const form = page.locator('#case-form-panel');
    await form.getByLabel('Weitervermitteln an').selectOption('trade_union');
    await form.getByLabel('Stand', { exact: true }).selectOption('made');
    await form.getByRole('button', { name: 'Weitervermittlung speichern' }).click();
    // Without consent the form says so at the check box.
    assert.equal(await form.getByLabel('Die Klient*in ist mit der Weitergabe einverstanden').getAttribute('aria-invalid'), 'true');
    await form.getByLabel('Die Klient*in ist mit der Weitergabe einverstanden').check();
    await form.getByLabel('Einwilligung am').fill(isoDate(0));
    await form.getByLabel('Übergabenotiz').fill('Mitgliedschaft wird geprüft.');
    await form.getByRole('button', { name: 'Weitervermittlung speichern' }).click();
    await page.getByRole('status').filter({ hasText: 'Die Weitervermittlung wurde gespeichert.' }).waitFor();
    await page.getByTestId('timeline-referral').filter({ hasText: 'Gewerkschaft' }).waitFor();
  });

  test('deadline in three days', async () => {
    await page.getByRole('button', { name: 'Frist', exact: true }).click();
    const form = page.locator('#case-form-panel');
    await form.getByLabel('Art der Frist').selectOption('exclusion_period');
    await form.getByLabel('Fällig am').fill(isoDate(3));
    await form.getByLabel('Notiz').fill('Lohn März schriftlich geltend machen');
    await form.getByRole('button', { name: 'Frist speichern' }).click();
    await page.getByRole('status').filter({ hasText: 'Die Frist wurde gespeichert.' }).waitFor();
    await page.getByTestId('timeline-deadline').filter({ hasText: 'Ausschlussfrist' }).waitFor();
  });

  test('document upload: a mismatching type is refused with the server error, a text file is listed', async () => {
    await page.getByRole('button', { name: 'Dokument' }).click();
    const form = page.locator('#case-form-panel');
    const fake = join(tmpdir(), `fake-${process.pid}.pdf`);
    await writeFile(fake, 'this is not a PDF');
    await form.getByLabel('Datei').setInputFiles(fake);
    await form.getByRole('button', { name: 'Hochladen' }).click();
    await page.getByTestId('document-error').waitFor();
    assert.equal(await form.getByLabel('Datei').getAttribute('aria-invalid'), 'true');
    const text = join(tmpdir(), `lohnabrechnung-${process.pid}.txt`);
    await writeFile(text, 'Lohnabrechnung März: 0,00 EUR\n');
    await form.getByLabel('Datei').setInputFiles(text);
    await form.getByRole('button', { name: 'Hochladen' }).click();
    await page.getByRole('status').filter({ hasText: 'wurde hochgeladen' }).waitFor();
    await page.getByTestId('timeline-document').filter({ hasText: 'lohnabrechnung' }).waitFor();
  });

  test('escalation to the competence centre', async () => {
    await page.getByRole('button', { name: 'Fachstelle fragen' }).click();
    const form = page.locator('#case-form-panel');
    await form.getByLabel('Anonymisierte Zusammenfassung').fill('Beschäftigte in der Gastronomie, Unterkunft vom Arbeitgeber, Abzüge vom Lohn.');
    await form.getByLabel('Ihre Frage').fill(question);
    await form.getByRole('button', { name: 'An die Fachstelle senden' }).click();
    await page.getByRole('status').filter({ hasText: 'Die Anfrage ist bei der Fachstelle.' }).waitFor();
    await page.getByTestId('timeline-escalation').waitFor();
    await assertAccessible(page, 'cases-detail-timeline-de');
  });

  test('the dashboard lists the deadline', async () => {
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Übersicht' }).click();
    await page.getByTestId('dashboard-deadline').filter({ hasText: caseNumber }).waitFor();
    const dashboardCase = page.getByTestId('dashboard-case').filter({ hasText: caseNumber });
    await dashboardCase.waitFor();
    assert.equal(await dashboardCase.getByTestId('dashboard-case-client').textContent(), `Klient*in ${clientCode}`);
    await assertAccessible(page, 'cases-dashboard-deadline-de');
  });

  test('the case list shows the client code and the assignee by name', async () => {
    await page.goto(`${server.baseUrl}/cases?q=${encodeURIComponent(caseNumber)}`);
    const row = page.getByTestId('case-row').filter({ hasText: caseNumber });
    await row.waitFor();
    assert.equal((await row.getByTestId('case-client-code').textContent()).trim(), clientCode);
    assert.match((await row.getByTestId('case-assignee').textContent()).trim(), /^\S.* \(Sie\)$/);
  });

  test('close with an outcome: 1.234,56 € → 123456 cents', async () => {
    await page.goto(`${server.baseUrl}/cases/${encodeURIComponent(caseId)}`);
    await page.getByRole('button', { name: 'Abschließen' }).click();
    const form = page.locator('#case-form-panel');
    await form.getByLabel('Erstrittener Lohn in Euro').fill('1.234,567');
    assert.equal(await form.getByLabel('Erstrittener Lohn in Euro').getAttribute('aria-invalid'), 'true');
    await form.getByLabel('Erstrittener Lohn in Euro').fill('1.234,56');
    await form.getByLabel('Vergleich geschlossen').check();
    await form.getByLabel('Grund des Abschlusses').selectOption('resolved');
    await form.getByRole('button', { name: 'Fall abschließen' }).click();
    await page.getByRole('status').filter({ hasText: 'Der Fall wurde abgeschlossen.' }).waitFor();
    await page.getByTestId('case-outcome').filter({ hasText: '1.234,56' }).waitFor();

    const client = api(server.baseUrl);
    await client.loginOk(DEMO_USERS.advisor);
    const stored = await client.get(`/api/v1/cases/${encodeURIComponent(caseId)}`);
    assert.equal(stored.status, 200);
    assert.equal(stored.body.status, 'closed');
    assert.equal(stored.body.outcome.wages_recovered_cents, 123456);
    assert.equal(stored.body.outcome.settled, true);
    assert.equal(stored.body.closing_reason, 'resolved');
    assert.equal(stored.body.consultations.length, 1);
    assert.equal(stored.body.referrals.length, 1);
    assert.equal(stored.body.deadlines.length, 1);
    assert.equal(stored.body.escalations.length, 1);
    await assertAccessible(page, 'cases-detail-closed-de');
  });

  test('in English the case page reads in English', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: `Case ${caseNumber}` }).waitFor();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    await assertAccessible(page, 'cases-detail-en');
    await page.getByRole('link', { name: 'Cases', exact: true }).click();
    await page.getByRole('columnheader', { name: 'Case number' }).waitFor();
    await screenshot(page, 'cases-list-en');
    await page.goto(`${server.baseUrl}/cases/new`);
    await page.getByLabel('Nationality').selectOption('PL');
    await page.getByRole('group', { name: /^Topics/ }).getByRole('checkbox').first().check();
    await page.getByTestId('routing-suggestion').first().waitFor();
    await assertAccessible(page, 'cases-new-en');
    await page.getByRole('button', { name: 'Deutsch' }).click();
    await page.getByRole('heading', { level: 1, name: 'Neuen Fall anlegen' }).waitFor();
  });

  test("another centre's advisor gets a not-found page for the case", async () => {
    await signOut(page);
    await signIn(page, server.baseUrl, DEMO_USERS.advisorBayern);
    await page.goto(`${server.baseUrl}/cases/${encodeURIComponent(caseId)}`);
    await page.getByTestId('case-not-found').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Fall nicht gefunden' }).waitFor();
    assert.equal(await page.getByText(caseNumber).count(), 0);
    await assertAccessible(page, 'cases-not-found-de');
  });

  test('the competence centre sees the escalation in its inbox and answers', async () => {
    await signOut(page);
    await signIn(page, server.baseUrl, DEMO_USERS.competenceCentre);
    await page.getByTestId('dashboard-escalation').filter({ hasText: question }).waitFor();
    await page.goto(`${server.baseUrl}/escalations`);
    await page.getByRole('heading', { level: 1, name: 'Eingang: Anfragen der Beratungsstellen' }).waitFor();
    await assertAccessible(page, 'escalations-inbox-de');
    await page.getByRole('link', { name: question }).click();
    await page.getByTestId('escalation-question').filter({ hasText: question }).waitFor();
    // No way back to the case or the client.
    assert.equal(await page.getByRole('link', { name: 'Zum Fall' }).count(), 0);
    await page.getByRole('button', { name: 'Senden' }).click();
    assert.equal(await page.getByLabel('Nachricht').getAttribute('aria-invalid'), 'true');
    await page.getByLabel('Nachricht').fill('Nein: Sachbezüge dürfen nicht auf den Mindestlohn angerechnet werden (§ 107 Abs. 2 GewO).');
    await page.getByRole('button', { name: 'Senden' }).click();
    await page.getByRole('status').filter({ hasText: 'Die Nachricht wurde gesendet.' }).waitFor();
    await page.getByTestId('escalation-thread').getByText('§ 107 Abs. 2 GewO').waitFor();
    await page.getByTestId('escalation-status').filter({ hasText: 'Beantwortet' }).waitFor();
    await assertAccessible(page, 'escalation-answered-de');
  });

  test('the advisor finds the answer on the dashboard', async () => {
    await signOut(page);
    await signIn(page, server.baseUrl, DEMO_USERS.advisor);
    await page.getByTestId('dashboard-escalation').filter({ hasText: question }).click();
    await page.getByTestId('escalation-thread').getByText('§ 107 Abs. 2 GewO').waitFor();
    await page.getByRole('link', { name: 'Zum Fall' }).waitFor();
    assert.deepEqual(browser.cspViolations(), []);
  });
});
