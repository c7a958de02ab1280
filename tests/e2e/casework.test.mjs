// Daily case work that must not lose anything: an advisor edits a case, types a long note, the
// browser is reloaded (the note comes back as a draft), the session then expires while the note is
// still unsaved (the server restarts with its clock an hour ahead), a dialog asks for the password,
// and the note is saved after signing in again. Signing out removes the drafts from the browser.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, DEMO_USERS, DEMO_PASSWORD, startServer } from '../lib/server.mjs';
import { assertAccessible, openBrowser, signIn, signOut } from '../lib/browser.mjs';

async function draftKeys(page) {
  return page.evaluate(() => Object.keys(window.localStorage).filter((k) => k.startsWith('fairdesk.draft.')));
}

describe('case work that loses nothing', () => {
  let server;
  let browser;
  let page;
  let caseId;
  const note = 'Lohn für März und April fehlt. Arbeitgeber hat Abrechnung verweigert; Klient hat Stundenzettel fotografiert.';

  before(async () => {
    server = await startServer();
    const advisor = api(server.baseUrl);
    await advisor.loginOk(DEMO_USERS.advisor);
    const client = (await advisor.post('/api/v1/clients', { nationality: 'UA', birth_year: 1988 })).body;
    caseId = (await advisor.post('/api/v1/cases', { client_id: client.id, topics: ['wages'] })).body.id;
    browser = await openBrowser();
    page = browser.page;
    await signIn(page, server.baseUrl, DEMO_USERS.advisor);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the advisor changes priority, status, topics and risk flags of an open case', async () => {
    await page.goto(`${server.baseUrl}/cases/${encodeURIComponent(caseId)}`);
    await page.getByRole('heading', { level: 1, name: /^Fall / }).waitFor();
    await page.getByRole('button', { name: 'Fall bearbeiten' }).click();
    const form = page.locator('#case-form-panel');
    await form.getByLabel('Priorität', { exact: true }).selectOption('high');
    await form.getByLabel('Status', { exact: true }).selectOption('referred');
    await form.getByRole('group', { name: 'Risikohinweise' }).getByRole('checkbox').first().check();
    // Taking away the only topic is refused before anything is sent.
    await form.getByRole('group', { name: 'Themen' }).getByRole('checkbox', { checked: true }).uncheck();
    await form.getByRole('button', { name: 'Änderungen speichern' }).click();
    await form.getByText('Bitte ausfüllen.').waitFor();
    await form.getByRole('group', { name: 'Themen' }).getByRole('checkbox').nth(1).check();
    await assertAccessible(page, 'casework-edit-de');
    await form.getByRole('button', { name: 'Änderungen speichern' }).click();
    await page.getByRole('status').filter({ hasText: 'Die Änderungen am Fall wurden gespeichert.' }).waitFor();
    const header = page.getByTestId('case-header');
    await header.getByText('Hoch').waitFor();
    await header.getByText('Weitervermittelt').waitFor();

    // The server has it.
    const advisor = api(server.baseUrl);
    await advisor.loginOk(DEMO_USERS.advisor);
    const stored = (await advisor.get(`/api/v1/cases/${encodeURIComponent(caseId)}`)).body;
    assert.equal(stored.priority, 'high');
    assert.equal(stored.status, 'referred');
    assert.equal(stored.risk_flags.length, 1);
  });

  test('a note being typed survives a reload as a draft', async () => {
    await page.getByRole('button', { name: 'Beratung', exact: true }).click();
    const form = page.locator('#case-form-panel');
    await form.getByLabel('Dauer in Minuten').fill('30');
    await form.getByLabel('Notizen').fill(note);
    assert.equal((await draftKeys(page)).length, 1);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: /^Fall / }).waitFor();
    await page.getByRole('button', { name: 'Beratung', exact: true }).click();
    await page.getByTestId('draft-notice').waitFor();
    assert.equal(await form.getByLabel('Notizen').inputValue(), note);
    assert.equal(await form.getByLabel('Dauer in Minuten').inputValue(), '30');
  });

  test('the session expires before saving: a dialog asks for the password, then the note is saved', async () => {
    // Restart the server on the same database and address with its clock an hour ahead: every
    // session has now been idle for longer than 30 minutes.
    const { port, db, stateDir } = server;
    server.process.kill('SIGTERM');
    await new Promise((resolve) => server.process.once('exit', resolve));
    const old = server;
    server = await startServer({ db, port, stateDir, env: { FAIRDESK_CLOCK_OFFSET_SECONDS: '3600' } });
    const stopOld = old.stop;
    const stopNew = server.stop;
    server.stop = async () => {
      await stopNew();
      await stopOld();
    };

    const form = page.locator('#case-form-panel');
    await form.getByRole('button', { name: 'Beratung speichern' }).click();
    const dialog = page.getByRole('dialog', { name: 'Bitte erneut anmelden' });
    await dialog.waitFor();
    await assertAccessible(page, 'casework-reauth-de');
    // A wrong password is said so; the dialog stays.
    await dialog.getByLabel('Passwort').fill('not-the-password');
    await dialog.getByRole('button', { name: 'Anmelden und fortfahren' }).click();
    await dialog.getByText('Das Passwort ist nicht richtig.').waitFor();
    await dialog.getByLabel('Passwort').fill(DEMO_PASSWORD);
    await dialog.getByRole('button', { name: 'Anmelden und fortfahren' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Die Beratung wurde gespeichert.' }).waitFor();
    await page.getByTestId('timeline-consultation').filter({ hasText: 'Stundenzettel fotografiert' }).waitFor();
    assert.deepEqual(await draftKeys(page), []);
    assert.equal(new URL(page.url()).pathname, `/cases/${encodeURIComponent(caseId)}`);

    // Saved once, not twice.
    const advisor = api(server.baseUrl);
    await advisor.loginOk(DEMO_USERS.advisor);
    const stored = (await advisor.get(`/api/v1/cases/${encodeURIComponent(caseId)}`)).body;
    assert.equal(stored.consultations.filter((c) => c.notes === note).length, 1);
  });

  test('signing out removes the drafts kept in the browser', async () => {
    await page.getByRole('button', { name: 'Fachstelle fragen' }).click();
    await page.locator('#case-form-panel').getByLabel('Frage').fill('Wie weiter bei verweigerter Lohnabrechnung?');
    assert.equal((await draftKeys(page)).length, 1);
    await signOut(page);
    assert.deepEqual(await draftKeys(page), []);
  });
});
