// A week of case work in the browser, in the order it happens: a client comes back and is found
// at intake (no second client code), the advisor looks at the record and shows the contact data on
// purpose, follows a referral to completion, enters a deadline in the past only when confirmed,
// corrects a consultation and a stored letter (new version) with a reason, is warned about open deadlines when closing, reopens
// with a reason; someone else changes the case meanwhile (412, shown, re-applied); the centre lead
// reassigns cases in bulk and merges a duplicate record. axe-core on every page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, DEMO_USERS, startServer } from '../lib/server.mjs';
import { waitUntil } from '../lib/wait.mjs';
import { assertAccessible, openBrowser, screenshot, signIn, signOut } from '../lib/browser.mjs';

function isoDate(offsetDays) {
  const d = new Date();
  d.setDate(d.getDate() + offsetDays);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

describe('a week of case work', () => {
  let server;
  let browser;
  let page;
  let advisor;
  let client;
  let firstCase;
  let caseId;

  before(async () => {
    server = await startServer();
    advisor = api(server.baseUrl);
    await advisor.loginOk(DEMO_USERS.advisor);
    // Last month's visit: a client with name and phone, and a case.
    client = (
      await advisor.post('/api/v1/clients', {
        nationality: 'SY',
        birth_year: 1991,
        languages: ['ar'],
        employer: 'Gebäudereinigung Glanz GmbH',
        name: 'Rania Haddad',
        phone: '0176 5550 1234',
        safe_contact: 'nur vormittags, nicht über den Arbeitgeber',
        consents: { storage: true, contact: true, anonymised_use: false, date: isoDate(-30) },
      })
    ).body;
    firstCase = (await advisor.post('/api/v1/cases', { client_id: client.id, topics: ['wages'] })).body;
    browser = await openBrowser();
    page = browser.page;
    await signIn(page, server.baseUrl, DEMO_USERS.advisor);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('intake finds the returning client by phone and opens a new case for the same record', async () => {
    await page.goto(`${server.baseUrl}/cases/new`);
    await page.getByRole('heading', { level: 1, name: 'Neuen Fall anlegen' }).waitFor();
    const returning = page.getByTestId('returning-client');
    // What is typed into the search is sent in a request body, never in a URL (proxies and
    // browsers keep URLs): every request of the search is recorded.
    const searches = [];
    const urls = [];
    const record = (request) => {
      urls.push(request.url());
      if (request.url().endsWith('/api/v1/clients/search')) searches.push({ method: request.method(), body: request.postDataJSON() });
    };
    page.on('request', record);
    // Found by birth year and nationality (without a name or phone recorded this is the way) …
    await returning.getByLabel('Geburtsjahr').fill('1991');
    await returning.getByLabel('Staatsangehörigkeit').selectOption('SY');
    await returning.getByRole('button', { name: 'Suchen' }).click();
    await page.getByTestId('returning-results').getByText(client.code, { exact: true }).waitFor();
    await returning.getByLabel('Geburtsjahr').fill('');
    // … and by phone, written differently from how it was recorded: the server compares normalised values.
    await returning.getByLabel('Klientencode, Name, Telefon oder E-Mail').fill('+49 176 55501234');
    await returning.getByRole('button', { name: 'Suchen' }).click();
    const results = page.getByTestId('returning-results');
    await results.getByText(client.code, { exact: true }).waitFor();
    page.off('request', record);
    assert.deepEqual(searches.map((x) => x.method), ['POST', 'POST']);
    assert.equal(searches[1].body.q, '+49 176 55501234');
    assert.equal(searches[0].body.birth_year, 1991);
    for (const url of urls.filter((u) => new URL(u).pathname.startsWith('/api/'))) {
      assert.ok(!/1991|5550|SY/.test(decodeURIComponent(new URL(url).search)), url);
    }
    await assertAccessible(page, 'week-intake-returning-de');
    await results.getByRole('button', { name: `Neuen Fall für ${client.code} anlegen` }).click();
    await page.getByTestId('returning-chosen').waitFor();
    // The client step is not asked again.
    assert.equal(await page.getByLabel('Geburtsjahr', { exact: true }).count(), 0);
    const topics = page.getByTestId('multi-new-topics');
    await topics.getByLabel('Themen filtern').fill('kündig');
    await topics.getByRole('checkbox', { name: 'Kündigung' }).check();
    await page.getByLabel('Anliegen').fill('Kündigung nach Nachfrage zum Lohn, mündlich ausgesprochen.');
    await page.getByRole('button', { name: 'Fall anlegen' }).click();
    await page.waitForURL((url) => /^\/cases\/[^/]+$/.test(url.pathname) && url.pathname !== '/cases/new');
    caseId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
    await page.getByTestId('case-narrative').getByText('mündlich ausgesprochen').waitFor();
    assert.equal((await page.getByTestId('client-panel').getByTestId('client-code').textContent()).trim(), client.code);
    const cases = (await advisor.get(`/api/v1/clients/${client.id}/cases`)).body.items;
    assert.equal(cases.length, 2, 'one client, two cases');
  });

  test('the client record: contact data only on "show" (audited), consents with their date, edit', async () => {
    await page.getByTestId('client-panel').getByRole('link', { name: 'Zur Klientenakte' }).click();
    await page.getByRole('heading', { level: 1, name: `Klient*in ${client.code}` }).waitFor();
    const personal = page.getByTestId('client-personal');
    assert.equal((await personal.getByTestId('personal-phone').textContent()).trim(), 'erfasst – verborgen');
    assert.equal(await page.getByText('0176 5550 1234').count(), 0);
    await page.getByTestId('client-consents').getByText('Speicherung, Kontaktaufnahme').waitFor();
    // The client's cases load after the record: wait for the second before counting.
    await page.getByTestId('client-cases').getByRole('link', { name: /^Fall / }).nth(1).waitFor();
    assert.equal(await page.getByTestId('client-cases').getByRole('link', { name: /^Fall / }).count(), 2);
    await assertAccessible(page, 'week-client-record-de');

    const lead = api(server.baseUrl);
    await lead.loginOk(DEMO_USERS.centreLead);
    const shows = async () =>
      (await lead.get(`/api/v1/audit?record_id=${client.id}&limit=200`)).body.items.filter((e) => e.record_type === 'client_personal').length;
    const before = await shows();
    await personal.getByRole('button', { name: 'Name und Kontakt anzeigen' }).click();
    await personal.getByText('0176 5550 1234').waitFor();
    await personal.getByText('nur vormittags, nicht über den Arbeitgeber').waitFor();
    assert.equal(await shows(), before + 1, 'showing is audited');

    // Edit: the safe-contact note and a new consent.
    await page.getByRole('button', { name: 'Angaben bearbeiten' }).click();
    await page.getByLabel('Sichere Kontaktaufnahme').fill('nur per Messenger');
    await page.getByLabel('Anonymisierte Nutzung als Fallbeispiel').check();
    await page.getByLabel('Einwilligungen erteilt am').fill(isoDate(0));
    // Meanwhile the lead corrects the employer and the phone number: the save is refused (412)
    // and shows the conflict, with what is stored now in the shown fields too (not "not stated").
    const changed = await lead.patch(`/api/v1/clients/${client.id}`, { employer: 'Glanz Gebäudeservice GmbH', phone: '0176 5550 9999' });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    await page.getByRole('button', { name: 'Angaben speichern' }).click();
    const conflict = page.getByTestId('conflict');
    const safeRow = conflict.getByRole('row', { name: /Sichere Kontaktaufnahme/ });
    await safeRow.getByText('nur per Messenger').waitFor();
    assert.equal((await safeRow.getByRole('cell').first().textContent()).trim(), 'nur vormittags, nicht über den Arbeitgeber');
    const phoneRow = conflict.getByRole('row', { name: /Telefon/ });
    assert.equal((await phoneRow.getByRole('cell').first().textContent()).trim(), '0176 5550 9999');
    assert.equal((await phoneRow.getByRole('cell').nth(1).textContent()).trim(), 'nicht geändert (beim Öffnen: 0176 5550 1234)');
    await assertAccessible(page, 'week-client-conflict-de');
    await conflict.getByRole('button', { name: 'Meine Änderungen übernehmen' }).click();
    await page.getByRole('status').filter({ hasText: 'Die Angaben wurden gespeichert.' }).waitFor();
    const stored = (await advisor.get(`/api/v1/clients/${client.id}/personal`)).body;
    assert.equal(stored.safe_contact, 'nur per Messenger');
    assert.equal(stored.phone, '0176 5550 9999', "the lead's change of a field not touched here stays");
    const record = (await advisor.get(`/api/v1/clients/${client.id}`)).body;
    assert.equal(record.employer, 'Glanz Gebäudeservice GmbH', "the lead's change is not overwritten");
    assert.equal(record.consents.anonymised_use, true);
  });

  test('a referral is followed from suggested to completed, with the organisation and the dates; other advice centres by name', async () => {
    await page.goto(`${server.baseUrl}/cases/${encodeURIComponent(caseId)}`);
    await page.getByRole('button', { name: 'Weitervermittlung' }).click();
    const form = page.locator('#case-form-panel');
    // Another advice centre: the others of the network by name, not the own one and not the
    // Fachstelle Faire Integration (it is asked through an escalation, never referred to).
    await form.getByLabel('Weitervermitteln an').selectOption('centre');
    // The directory's centres are loaded with the form: wait for them.
    const optionsOf = async (select) => (await select.locator('option').allTextContents()).slice(1);
    await waitUntil(async () => (await optionsOf(form.getByLabel('Organisation'))).length > 5, { timeoutMs: 10_000, what: 'the advice centres' });
    const centres = await optionsOf(form.getByLabel('Organisation'));
    assert.deepEqual(centres, [...centres].sort((a, b) => a.localeCompare(b, 'de')));
    assert.ok(!centres.includes('Fachstelle Faire Integration') && !centres.includes('Faire Integration Berlin'), centres.join());
    await form.getByLabel('Weitervermitteln an').selectOption('trade_union');
    await form.getByLabel('Organisation').selectOption({ index: 1 });
    const organisation = (await form.getByLabel('Organisation').locator('option:checked').textContent()).trim();
    await form.getByLabel('Stand', { exact: true }).selectOption('suggested');
    await form.getByLabel('Die Klient*in ist mit der Weitergabe einverstanden').check();
    // The consent date is today unless changed.
    assert.equal(await form.getByLabel('Einwilligung am').inputValue(), isoDate(0));
    await form.getByRole('button', { name: 'Weitervermittlung speichern' }).click();
    await page.getByRole('status').filter({ hasText: 'Die Weitervermittlung wurde gespeichert.' }).waitFor();
    const summary = page.getByTestId('summary-referrals');
    await summary.getByText(organisation, { exact: false }).waitFor();
    for (const [button, status] of [
      ['Als weitervermittelt eintragen', 'Weitervermittelt'],
      ['Bestätigung eintragen', 'Bestätigt'],
      ['Als abgeschlossen eintragen', 'Abgeschlossen'],
    ]) {
      await summary.getByRole('button', { name: button }).click();
      await summary.getByRole('button', { name: 'Speichern' }).click();
      await page.getByRole('status').filter({ hasText: `Die Weitervermittlung steht jetzt auf „${status}“.` }).waitFor();
    }
    await assertAccessible(page, 'week-referral-completed-de');
    // A transfer offers the same advice centres (the server refuses the Fachstelle as a target).
    await page.getByRole('button', { name: 'Übergeben', exact: true }).click();
    const transfer = page.locator('#case-form-panel');
    await waitUntil(async () => (await optionsOf(transfer.getByLabel('Neue Beratungsstelle'))).length > 5, { timeoutMs: 10_000, what: 'the transfer targets' });
    assert.deepEqual(await optionsOf(transfer.getByLabel('Neue Beratungsstelle')), centres);
    await transfer.getByRole('button', { name: 'Abbrechen' }).click();
    const stored = (await advisor.get(`/api/v1/cases/${encodeURIComponent(caseId)}`)).body.referrals[0];
    assert.equal(stored.status, 'completed');
    assert.equal(stored.status_dates.completed, isoDate(0));
  });

  test('a deadline in the past needs a confirmation and is marked overdue', async () => {
    await page.getByRole('button', { name: 'Frist', exact: true }).click();
    const form = page.locator('#case-form-panel');
    await form.getByLabel('Art der Frist').selectOption('other');
    await form.getByLabel('Fällig am').fill(isoDate(-2));
    await form.getByRole('button', { name: 'Frist speichern' }).click();
    await form.getByText('Bitte bestätigen Sie das Datum in der Vergangenheit.').waitFor();
    await form.getByLabel(/Das Datum liegt in der Vergangenheit/).check();
    await form.getByRole('button', { name: 'Frist speichern' }).click();
    await page.getByRole('status').filter({ hasText: 'Die Frist wurde gespeichert.' }).waitFor();
    await page.getByTestId('summary-deadlines').getByTestId('overdue').waitFor();
    await page.getByTestId('timeline-deadline').getByTestId('overdue').waitFor();
    // A court date entered in the wrong case is withdrawn with a reason; it stays listed, marked.
    const wrong = await advisor.post(`/api/v1/cases/${encodeURIComponent(caseId)}/deadlines`, { kind: 'court_date', due_date: isoDate(20), note: 'Gütetermin (falscher Fall)' });
    assert.equal(wrong.status, 201, JSON.stringify(wrong.body));
    await page.reload();
    const entry = page.getByTestId('timeline-deadline').filter({ hasText: 'Gütetermin (falscher Fall)' });
    await entry.getByRole('button', { name: 'Zurückziehen' }).click();
    await entry.getByLabel('Grund').fill('Im falschen Fall eingetragen');
    await entry.getByRole('button', { name: 'Zurückziehen' }).click();
    await page.getByRole('status').filter({ hasText: 'Der Eintrag wurde zurückgezogen.' }).waitFor();
    await entry.getByTestId('withdrawn-mark').waitFor();
    // Why, by whom and what it was: in the change history.
    await page.getByRole('button', { name: 'Änderungsverlauf' }).click();
    const withdrawal = page.getByTestId('history-entry').filter({ hasText: 'Zurückgezogen · Frist' });
    await withdrawal.getByText('Grund: Im falschen Fall eingetragen', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Änderungsverlauf' }).click();
    const stored = (await advisor.get(`/api/v1/cases/${encodeURIComponent(caseId)}/deadlines`)).body.items.find((d) => d.id === wrong.body.id);
    assert.equal(stored?.withdrawn, true, "the deadline is kept, marked as withdrawn");
  });

  test('a consultation is corrected with a reason and keeps a visible mark; who and when on every entry', async () => {
    await page.getByRole('button', { name: 'Beratung', exact: true }).click();
    const form = page.locator('#case-form-panel');
    await form.getByLabel('Dauer in Minuten').fill('40');
    await form.getByLabel('Notizen').fill('Lohnrückstand 1.200 EUR');
    await form.getByRole('button', { name: 'Beratung speichern' }).click();
    await page.getByRole('status').filter({ hasText: 'Die Beratung wurde gespeichert.' }).waitFor();
    const entry = page.getByTestId('timeline-consultation');
    await entry.getByTestId('timeline-by').getByText(/^Bahar Yilmaz, /).waitFor();
    await entry.getByRole('button', { name: 'Korrigieren' }).click();
    await entry.getByLabel('Notizen').fill('Lohnrückstand 1.500 EUR');
    await entry.getByRole('button', { name: 'Korrektur speichern' }).click();
    await entry.getByText('Bitte ausfüllen.').waitFor();
    await entry.getByLabel('Grund').fill('Betrag falsch übertragen');
    // Meanwhile the centre lead corrects the duration of the same consultation: the save is
    // refused (412), the entry as stored now is shown beside the typed correction, nothing is lost.
    const lead = api(server.baseUrl);
    const leadMe = await lead.loginOk(DEMO_USERS.centreLead);
    const consultation = (await advisor.get(`/api/v1/cases/${encodeURIComponent(caseId)}`)).body.consultations.find((c) => c.notes === 'Lohnrückstand 1.200 EUR');
    const byLead = await lead.patch(`/api/v1/consultations/${consultation.id}`, { duration_minutes: 45, reason: 'Dauer nachgetragen' });
    assert.equal(byLead.status, 200, JSON.stringify(byLead.body));
    await entry.getByRole('button', { name: 'Korrektur speichern' }).click();
    const conflict = entry.getByTestId('conflict');
    await conflict.getByRole('row', { name: /Notizen/ }).getByText('Lohnrückstand 1.500 EUR').waitFor();
    await conflict.getByRole('row', { name: /Notizen/ }).getByText('Lohnrückstand 1.200 EUR').waitFor();
    await conflict.getByTestId('conflict-by').getByText(leadMe.display_name, { exact: false }).waitFor();
    await assertAccessible(page, 'week-correction-conflict-de');
    await conflict.getByRole('button', { name: 'Meine Änderungen übernehmen' }).click();
    await page.getByRole('status').filter({ hasText: 'Die Korrektur wurde gespeichert.' }).waitFor();
    const both = (await advisor.get(`/api/v1/consultations/${consultation.id}`)).body;
    assert.deepEqual([both.notes, both.duration_minutes], ['Lohnrückstand 1.500 EUR', 45], "the lead's correction is kept");
    await entry.getByTestId('corrected-mark').waitFor();
    await entry.getByText('Lohnrückstand 1.500 EUR').waitFor();
    // The earlier version, who changed it and why: in the change history.
    await page.getByRole('button', { name: 'Änderungsverlauf' }).click();
    const history = page.getByTestId('history-entry').filter({ hasText: 'Korrigiert · Beratung' });
    const mine = history.filter({ hasText: 'Grund: Betrag falsch übertragen' });
    await mine.getByText('Lohnrückstand 1.200 EUR').waitFor();
    await history.filter({ hasText: 'Grund: Dauer nachgetragen' }).getByText(leadMe.display_name, { exact: false }).first().waitFor();
    assert.equal(await page.getByTestId('timeline-by').count(), await page.locator('.fd-timeline__item:not(.fd-timeline__item--escalation)').count());
    await assertAccessible(page, 'week-corrected-de');
  });

  test('two people edit the case: the second save shows what changed and can be re-applied', async () => {
    await page.getByRole('button', { name: 'Fall bearbeiten' }).click();
    const form = page.locator('#case-form-panel');
    await form.getByLabel('Priorität', { exact: true }).selectOption('urgent');
    // Meanwhile a colleague sets the status.
    const lead = api(server.baseUrl);
    await lead.loginOk(DEMO_USERS.centreLead);
    const res = await lead.patch(`/api/v1/cases/${encodeURIComponent(caseId)}`, { status: 'waiting_client' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    await form.getByRole('button', { name: 'Änderungen speichern' }).click();
    const conflict = form.getByTestId('conflict');
    await conflict.waitFor();
    await conflict.getByRole('row', { name: /Priorität/ }).getByText('Dringend').waitFor();
    // The colleague's change is listed too, as not changed by this person.
    await conflict.getByRole('row', { name: /Status/ }).getByText('Wartet auf Klient*in').waitFor();
    await conflict.getByRole('row', { name: /Status/ }).getByText('nicht geändert (beim Öffnen: Offen)').waitFor();
    await assertAccessible(page, 'week-conflict-de');
    await conflict.getByRole('button', { name: 'Meine Änderungen übernehmen' }).click();
    await page.getByRole('status').filter({ hasText: 'Die Änderungen am Fall wurden gespeichert.' }).waitFor();
    const stored = (await advisor.get(`/api/v1/cases/${encodeURIComponent(caseId)}`)).body;
    assert.equal(stored.priority, 'urgent');
    assert.equal(stored.status, 'waiting_client', "the colleague's change is kept");
  });

  test('closing warns about the open deadline; reopening asks for a reason', async () => {
    await page.getByRole('button', { name: 'Abschließen' }).click();
    const form = page.locator('#case-form-panel');
    await form.getByTestId('close-warning').getByText(/Frist: Sonstige Frist/).waitFor();
    await form.getByLabel('Grund des Abschlusses').selectOption('resolved');
    await form.getByLabel('Erstrittener Lohn in Euro').fill('1.500,00');
    // Meanwhile the centre lead raises the priority: closing is refused (412) with what changed,
    // and the case is closed on top of the new version with what was entered.
    const lead = api(server.baseUrl);
    await lead.loginOk(DEMO_USERS.centreLead);
    assert.equal((await lead.patch(`/api/v1/cases/${encodeURIComponent(caseId)}`, { priority: 'high' })).status, 200);
    await form.getByRole('button', { name: 'Fall abschließen' }).click();
    const conflict = form.getByTestId('conflict');
    await conflict.getByRole('row', { name: /Priorität/ }).getByText('nicht geändert (beim Öffnen: Dringend)').waitFor();
    await conflict.getByRole('row', { name: /Status/ }).getByText('Abgeschlossen').waitFor();
    await assertAccessible(page, 'week-close-conflict-de');
    await conflict.getByRole('button', { name: 'Meine Änderungen übernehmen' }).click();
    await page.getByRole('status').filter({ hasText: '1 Frist ist noch offen.' }).waitFor();
    const closed = (await advisor.get(`/api/v1/cases/${encodeURIComponent(caseId)}`)).body;
    assert.deepEqual([closed.status, closed.priority, closed.outcome?.wages_recovered_cents], ['closed', 'high', 150000]);
    // A closed case has no "Arbeitsverhältnis" button, so the empty employment does not point to one.
    await page.getByTestId('case-employment').getByText('Keine Angaben zum Arbeitsverhältnis.', { exact: true }).waitFor();
    // Days later the client is back: the reason typed survives a reload (a draft in the browser).
    await page.getByRole('button', { name: 'Fall wieder öffnen' }).click();
    await page.getByRole('button', { name: 'Wieder öffnen' }).click();
    await page.getByText('Bitte ausfüllen.').waitFor();
    await page.getByLabel('Grund').fill('Arbeitgeber zahlt nicht wie vereinbart');
    await page.reload();
    await page.getByRole('button', { name: 'Fall wieder öffnen' }).click();
    await page.getByTestId('draft-notice').waitFor();
    assert.equal(await page.getByLabel('Grund').inputValue(), 'Arbeitgeber zahlt nicht wie vereinbart');
    await page.getByRole('button', { name: 'Wieder öffnen' }).click();
    await page.getByRole('status').filter({ hasText: 'Der Fall ist wieder offen.' }).waitFor();
    assert.equal((await advisor.get(`/api/v1/cases/${encodeURIComponent(caseId)}`)).body.status, 'open');
  });

  test('calculators from the case: the employment recorded, the fitting one offered, prefilled, and its date becomes a deadline', async () => {
    await page.goto(`${server.baseUrl}/cases/${encodeURIComponent(caseId)}`);
    await page.getByTestId('case-employment').getByText('Noch keine Angaben zum Arbeitsverhältnis.', { exact: false }).waitFor();
    // The advisor records the employment as the client tells it: notice given orally.
    await page.getByRole('button', { name: 'Arbeitsverhältnis', exact: true }).click();
    const form = page.getByTestId('employment-form');
    await form.getByLabel('Arbeitgeber').fill('Hotel Adler KG');
    await form.getByLabel('Beginn des Arbeitsverhältnisses').fill('2024-05-01');
    await form.getByLabel('Kündigung zugegangen am').fill(isoDate(-1));
    await form.getByLabel('Form der Kündigung').selectOption('oral');
    await form.getByLabel('Wochenarbeitszeit (Stunden)').fill('38,5 Std');
    await form.getByRole('button', { name: 'Arbeitsverhältnis speichern' }).click();
    await form.getByText('Bitte eine Zahl eintragen, zum Beispiel 38,5.').waitFor();
    await form.getByLabel('Wochenarbeitszeit (Stunden)').fill('38,5');
    await assertAccessible(page, 'casework-employment-form-de');
    await form.getByRole('button', { name: 'Arbeitsverhältnis speichern' }).click();
    await page.getByRole('status').filter({ hasText: 'Das Arbeitsverhältnis wurde gespeichert.' }).waitFor();
    const facts = page.getByTestId('case-employment');
    assert.equal(await facts.getByTestId('employment-employer').textContent(), 'Hotel Adler KG');
    assert.equal(await facts.getByTestId('employment-weekly_hours').textContent(), '38,5 Stunden pro Woche');
    assert.equal(await facts.getByTestId('employment-notice_form').textContent(), 'mündlich');
    // The client brings the letter: the notice was written after all. Corrected.
    await page.getByRole('button', { name: 'Arbeitsverhältnis', exact: true }).click();
    await page.getByTestId('employment-form').getByLabel('Form der Kündigung').selectOption('written');
    await page.getByTestId('employment-form').getByRole('button', { name: 'Arbeitsverhältnis speichern' }).click();
    await facts.getByTestId('employment-notice_form').getByText('schriftlich (Papier, unterschrieben)').waitFor();
    const stored = (await advisor.get(`/api/v1/cases/${encodeURIComponent(caseId)}`)).body.employment;
    assert.deepEqual([stored.employer, stored.notice_form, stored.weekly_hours], ['Hotel Adler KG', 'written', 38.5]);

    await page.getByTestId('fitting-calculators').getByRole('link', { name: 'Klagefrist' }).click();
    await page.getByRole('heading', { level: 1, name: 'Klagefrist bei Kündigung' }).waitFor();
    await page.getByTestId('calculator-prefilled').waitFor();
    assert.equal(await page.getByLabel('Bundesland').inputValue(), 'BE', "the centre's state is filled in");
    assert.equal(await page.getByLabel('Zugang der Kündigung').inputValue(), isoDate(-1), 'the date of the notice comes from the case');
    await page.getByRole('button', { name: 'Berechnen' }).click();
    const attach = page.getByTestId('attach-deadline');
    assert.equal(await attach.getByLabel('Fall').inputValue(), caseId);
    await attach.getByRole('button', { name: 'Als Frist zum Fall hinzufügen' }).click();
    await attach.getByTestId('alert-success').waitFor();
    const deadlines = (await advisor.get(`/api/v1/cases/${encodeURIComponent(caseId)}/deadlines`)).body.items;
    assert.ok(deadlines.some((d) => d.kind === 'dismissal_claim' && d.source?.calculator === 'dismissal-claim-deadline'));

    // The contract has an exclusion clause: its first stage ends three months after the claim fell
    // due (1.5.2026 is a holiday, so Monday 4.5.2026, § 193 BGB), and that date becomes a deadline.
    await page.goto(`${server.baseUrl}/calculators/exclusion-clause?case=${encodeURIComponent(caseId)}`);
    await page.getByRole('heading', { level: 1, name: 'Ausschlussfrist im Arbeitsvertrag' }).waitFor();
    await page.getByTestId('calculator-from-case').waitFor();
    await page.getByLabel('Datum des Arbeitsvertrags').fill('2024-04-15');
    await page.getByRole('group', { name: /vorformulierten Vertrag/ }).getByLabel('Ja').check();
    await page.getByLabel('Erste Stufe in Monaten').fill('3');
    await page.getByRole('group', { name: /Mindestlohn ausdrücklich aus/ }).getByLabel('Ja').check();
    await page.getByLabel('Fälligkeit des Anspruchs').fill('2026-02-01');
    await page.getByLabel('Bundesland').selectOption('BY');
    await page.getByRole('button', { name: 'Berechnen' }).click();
    await page.getByTestId('calc-answer').getByText('spätestens am Montag, 4. Mai 2026').waitFor();
    await page.getByTestId('calc-assert-by').getByText('verschoben vom Freitag, 1. Mai 2026').waitFor();
    // Every warning in German: no server English left in the German result.
    await page.getByTestId('calc-warnings').locator('li[data-code="due_date_per_claim"]').filter({ hasText: 'eigene Fälligkeit' }).waitFor();
    assert.equal(await page.getByTestId('calc-warnings').locator('li[lang="en"]').count(), 0);
    const exclusionAttach = page.getByTestId('attach-deadline');
    assert.equal(await exclusionAttach.getByLabel('Fall').inputValue(), caseId);
    await exclusionAttach.getByRole('button', { name: 'Als Frist zum Fall hinzufügen' }).click();
    await exclusionAttach.getByTestId('alert-success').waitFor();
    const withExclusion = (await advisor.get(`/api/v1/cases/${encodeURIComponent(caseId)}/deadlines`)).body.items;
    const exclusion = withExclusion.find((d) => d.kind === 'exclusion_period');
    assert.equal(exclusion?.due_date, '2026-05-04');
    assert.equal(exclusion?.source?.calculator, 'exclusion-clause');
    // The notice period, the employee resigning: the hints are German too.
    await page.goto(`${server.baseUrl}/calculators/notice-period?case=${encodeURIComponent(caseId)}`);
    await page.getByTestId('calculator-prefilled').waitFor();
    await page.getByLabel('Gekündigt hat').selectOption('employee');
    await page.getByRole('button', { name: 'Berechnen' }).click();
    await page.getByTestId('calc-warnings').locator('li[data-code="unchecked_employee_period"]').filter({ hasText: 'Nicht abschließend geprüft' }).waitFor();
    assert.equal(await page.getByTestId('calc-warnings').locator('li[lang="en"]').count(), 0);

    // A hotel worker's case: the working-time check opens with the hospitality rules (§ 10 ArbZG).
    const hotelClient = (await advisor.post('/api/v1/clients', { nationality: 'VN', sector: 'I' })).body;
    const hotelCase = (await advisor.post('/api/v1/cases', { client_id: hotelClient.id, topics: ['working_time'] })).body;
    await page.goto(`${server.baseUrl}/calculators/working-time?case=${encodeURIComponent(hotelCase.id)}`);
    await page.getByTestId('calculator-from-case').waitFor();
    await page.waitForFunction(() => document.querySelector('select[id$="sector"]')?.value === 'hospitality');
    assert.equal(await page.getByLabel('Branche').inputValue(), 'hospitality');
    // A twelve-hour shift: the violation is explained in German, with the hours worked.
    await page.locator('#calc-shifts-0-start').fill('2026-03-02T06:00');
    await page.locator('#calc-shifts-0-end').fill('2026-03-02T18:00');
    await page.locator('#calc-shifts-0-break_minutes').fill('30');
    await page.getByRole('button', { name: 'Berechnen' }).click();
    await page.getByTestId('calc-result').getByRole('cell', { name: '11:30 Std. gearbeitet; höchstens 10 Stunden je Werktag (§ 3 ArbZG).' }).waitFor();
    assert.equal(await page.getByTestId('calc-result').locator('[lang="en"]').count(), 0);

    // The calculators follow the case's facts, not only its topics: the wage case offers the
    // minimum wage (topic) and, once a notice and the hours are recorded, the dismissal-claim
    // deadline and the working-time check as well.
    await page.goto(`${server.baseUrl}/cases/${encodeURIComponent(firstCase.id)}`);
    const fitting = page.getByTestId('fitting-calculators');
    await fitting.getByRole('link', { name: 'Mindestlohn' }).waitFor();
    assert.equal(await fitting.getByRole('link', { name: 'Klagefrist' }).count(), 0);
    const withNotice = await advisor.patch(`/api/v1/cases/${encodeURIComponent(firstCase.id)}`, {
      employment: { notice_received: isoDate(-2), weekly_hours: 45 },
    });
    assert.equal(withNotice.status, 200, JSON.stringify(withNotice.body));
    await page.reload();
    await fitting.getByRole('link', { name: 'Klagefrist' }).waitFor();
    await fitting.getByRole('link', { name: 'Arbeitszeit' }).waitFor();
    assert.deepEqual(await fitting.getByRole('link').allTextContents(), ['Mindestlohn', 'Verjährung', 'Minijob', 'Klagefrist', 'Kündigungsfrist', 'Arbeitszeit']);
    await fitting.getByRole('link', { name: 'Klagefrist' }).click();
    await page.getByRole('heading', { level: 1, name: 'Klagefrist bei Kündigung' }).waitFor();
    await page.getByTestId('calculator-prefilled').waitFor();
    assert.equal(await page.getByLabel('Zugang der Kündigung').inputValue(), isoDate(-2));

    // The wage case offers the minimum-wage calculator; its claim letter goes into the case.
    await page.goto(`${server.baseUrl}/cases/${encodeURIComponent(firstCase.id)}`);
    await page.getByTestId('fitting-calculators').getByRole('link', { name: 'Mindestlohn' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mindestlohn' }).waitFor();
    await page.locator('#calc-periods-0-month').fill('2026-02');
    await page.locator('#calc-periods-0-hours').fill('150');
    await page.locator('#calc-periods-0-gross_pay_cents').fill('1500');
    await page.getByRole('button', { name: 'Berechnen' }).click();
    await page.getByRole('button', { name: 'Geltendmachung an den Arbeitgeber erstellen' }).click();
    await page.getByTestId('claim-letter').waitFor();
    assert.equal(await page.getByLabel('Name des Arbeitgebers').inputValue(), 'Glanz Gebäudeservice GmbH');
    const store = page.getByTestId('letter-store');
    await store.getByLabel('Abgeschickt am').fill(isoDate(0));
    await store.getByRole('button', { name: 'Schreiben im Fall ablegen' }).click();
    await store.getByText('Das Schreiben liegt im Fall, die Zahlungsfrist ist eingetragen.').waitFor();
    const documents = (await advisor.get(`/api/v1/cases/${encodeURIComponent(firstCase.id)}/documents`)).body.items;
    assert.deepEqual(documents.map((d) => d.filename), [`Forderungsschreiben-${isoDate(0)}.txt`]);
    const letterDeadlines = (await advisor.get(`/api/v1/cases/${encodeURIComponent(firstCase.id)}/deadlines`)).body.items;
    assert.ok(letterDeadlines.some((d) => d.due_date === isoDate(14) && /Forderungsschreiben/.test(d.note)));
    // A mistake in the letter: corrected by a new version with a reason; the first stays, marked.
    await page.goto(`${server.baseUrl}/cases/${encodeURIComponent(firstCase.id)}`);
    const letter = page.getByTestId('timeline-document');
    await letter.getByTestId('timeline-by').getByText(/^Bahar Yilmaz, /).waitFor();
    await letter.getByRole('button', { name: 'Korrigieren' }).click();
    await letter.getByRole('button', { name: 'Neue Fassung speichern' }).click();
    await letter.getByText('Bitte ausfüllen.').first().waitFor();
    await letter.getByLabel('Korrigierte Fassung').setInputFiles({
      name: 'Forderungsschreiben-korrigiert.txt', mimeType: 'text/plain', buffer: Buffer.from('Forderung: 2 Monate Mindestlohn\n'),
    });
    await letter.getByLabel('Grund').fill('Zeitraum falsch angegeben');
    await assertAccessible(page, 'casework-document-correct-de');
    await letter.getByRole('button', { name: 'Neue Fassung speichern' }).click();
    await page.getByRole('status').filter({ hasText: '„Forderungsschreiben-korrigiert.txt“ ersetzt die bisherige Fassung.' }).waitFor();
    const versions = page.getByTestId('timeline-document');
    await versions.nth(1).waitFor();
    const previous = versions.filter({ has: page.getByTestId('document-replaced-by') });
    const current = versions.filter({ hasText: 'Forderungsschreiben-korrigiert.txt' }).filter({ has: page.getByTestId('document-replaces') });
    await previous.getByTestId('withdrawn-mark').waitFor();
    await previous.getByText('Ersetzt durch „Forderungsschreiben-korrigiert.txt“').waitFor();
    await previous.getByText('Grund: Zeitraum falsch angegeben').waitFor();
    await current.getByText(`Korrigierte Fassung von „Forderungsschreiben-${isoDate(0)}.txt“`).waitFor();
    assert.equal(await previous.getByRole('button', { name: 'Korrigieren' }).count(), 0, 'the old version is kept as it was');
    assert.equal(await previous.getByRole('link').count(), 1, 'the old version can still be opened');
    // A change of mind: the letter is not sent after all; withdrawn with a reason, still listed.
    await current.getByRole('button', { name: 'Zurückziehen' }).click();
    await current.getByLabel('Grund').fill('Entwurf, nicht abgeschickt');
    await current.getByRole('button', { name: 'Zurückziehen' }).click();
    await page.getByRole('status').filter({ hasText: 'Der Eintrag wurde zurückgezogen.' }).waitFor();
    await current.getByTestId('withdrawn-mark').waitFor();
    await current.getByText('Grund: Entwurf, nicht abgeschickt').waitFor();
    await assertAccessible(page, 'casework-document-versions-de');
  });

  test('on a 390 px phone: intake (routing above the submit button), case page, consultation form and a calculator fit the screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const fits = async (name) => {
      await page.waitForFunction(() => !document.querySelector('.fd-loading'));
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      await screenshot(page, name);
      assert.ok(width <= 390, `${name}: content is ${width} px wide`);
    };
    try {
      await page.goto(`${server.baseUrl}/cases/new`);
      await page.getByRole('group', { name: '1. Klient*in', exact: true }).getByLabel('Staatsangehörigkeit').selectOption('UA');
      const topics = page.getByTestId('multi-new-topics');
      await topics.getByLabel('Themen filtern').fill('Lohn');
      await topics.getByRole('checkbox', { name: 'Lohn und Gehalt' }).check();
      await page.getByLabel('Postleitzahl').fill('80331');
      const suggestion = page.getByTestId('routing-suggestion').first();
      await suggestion.waitFor();
      const routing = await page.getByTestId('routing-suggestions').boundingBox();
      const submit = await page.getByRole('button', { name: 'Fall anlegen' }).boundingBox();
      assert.ok(routing.y + routing.height <= submit.y, 'the routing suggestion sits above the submit button');
      // … and the page's lead says so (it said "on the right", which a phone does not have).
      await page.getByText('auf schmalen Bildschirmen direkt über „Fall anlegen“', { exact: false }).waitFor();
      await fits('week-phone-intake');
      // The suggestion names the Bavarian centre: its contact data, and a referral recorded with the case.
      const actions = page.getByTestId('suggestion-actions').first();
      await actions.getByTestId('suggestion-contact').waitFor();
      await actions.getByLabel('Weitervermittlung mit dem Fall eintragen').check();
      await actions.getByLabel(/mit der Weitergabe einverstanden/).check();
      await page.getByRole('button', { name: 'Fall anlegen' }).click();
      await page.getByRole('status').filter({ hasText: /Weitervermittlung an .* eingetragen\./ }).waitFor();
      const referral = page.getByTestId('summary-referral').first();
      await referral.getByText('Weitervermittelt', { exact: false }).first().waitFor();
      await page.getByTestId('case-summary').waitFor();
      await fits('week-phone-case');
      await page.getByRole('button', { name: 'Beratung', exact: true }).click();
      await page.locator('#case-form-panel').getByLabel('Notizen').waitFor();
      // The consultation's and the case's topics: a list to filter, not twenty check boxes.
      await page.getByTestId('multi-consultation-topics').getByLabel('Themen filtern').waitFor();
      await fits('week-phone-consultation');
      await page.getByRole('button', { name: 'Fall bearbeiten', exact: true }).click();
      const editTopics = page.locator('#case-form-panel').getByTestId('multi-edit-topics');
      await editTopics.getByLabel('Themen filtern').fill('arbeitszeit');
      await editTopics.getByRole('checkbox', { name: 'Arbeitszeit' }).check();
      await editTopics.getByRole('list', { name: '2 ausgewählt' }).waitFor();
      await fits('week-phone-case-edit');
      await page.getByRole('button', { name: 'Fall bearbeiten', exact: true }).click();
      // The client record edited on the phone: the shown name and contact fields stay on screen,
      // the languages are a list to filter.
      await page.getByTestId('client-panel').getByRole('link', { name: 'Zur Klientenakte' }).click();
      await page.getByTestId('client-personal').getByRole('button', { name: 'Name und Kontakt anzeigen' }).click();
      await page.getByRole('button', { name: 'Angaben bearbeiten' }).click();
      await page.getByTestId('multi-client-languages').getByLabel('Sprachen filtern').fill('ukr');
      await page.getByTestId('multi-client-languages').getByRole('checkbox', { name: 'Ukrainisch' }).waitFor();
      await fits('week-phone-client-edit');
      const phone = await page.locator('#client-phone').boundingBox();
      assert.ok(phone.x >= 0 && phone.x + phone.width <= 390, `the phone field lies at ${phone.x}..${phone.x + phone.width}`);
      await page.goto(`${server.baseUrl}/calculators/notice-period`);
      await page.getByRole('button', { name: 'Berechnen' }).waitFor();
      await fits('week-phone-calculator');
      // The minimum wage has a padded "more details" box, whose fields stuck out by 2 px.
      await page.goto(`${server.baseUrl}/calculators/minimum-wage`);
      await page.getByRole('group', { name: 'Weitere Angaben' }).waitFor();
      await fits('week-phone-calculator-more');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  test('the Fachstelle Faire Integration: inbox with centre, topics, waiting time; taken, answered with a name; the advisor marks it read', async () => {
    const question = 'Gilt die mündliche Kündigung, und läuft die Klagefrist?';
    const created = await advisor.post(`/api/v1/cases/${encodeURIComponent(caseId)}/escalations`, {
      summary: 'Reinigungskraft, Kündigung mündlich nach Frage zum Lohn',
      question,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await signOut(page);
    await signIn(page, server.baseUrl, DEMO_USERS.competenceCentre);
    await page.goto(`${server.baseUrl}/escalations`);
    const row = page.getByTestId('escalation-row').filter({ hasText: question });
    await row.getByTestId('escalation-centre').getByText(/Berlin · BE/).waitFor();
    await row.getByText('Kündigung').first().waitFor();
    assert.match(await row.getByTestId('escalation-waiting').textContent(), /Stunde|Minute|Tag/);
    await assertAccessible(page, 'week-fachstelle-inbox-de');
    // On a phone the inbox rows are cards: nothing scrolls sideways (neither the page nor the
    // table's own box), and every column's value is there under its name.
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      const box = page.locator('.kern-table-responsive').filter({ has: page.getByTestId('escalation-table') });
      await waitUntil(async () => (await row.boundingBox())?.width <= 390, { timeoutMs: 10_000, what: 'the row as a card' });
      const [pageWidth, boxScroll, boxWidth] = await Promise.all([
        page.evaluate(() => document.documentElement.scrollWidth),
        box.evaluate((el) => el.scrollWidth),
        box.evaluate((el) => el.clientWidth),
      ]);
      await screenshot(page, 'week-fachstelle-inbox-phone-de');
      assert.ok(pageWidth <= 390, `the page is ${pageWidth} px wide`);
      assert.ok(boxScroll <= boxWidth, `the table scrolls sideways: ${boxScroll} > ${boxWidth}`);
      const label = (testId) => row.getByTestId(testId).evaluate((el) => getComputedStyle(el, '::before').content);
      assert.equal(await label('escalation-centre'), '"Beratungsstelle"');
      assert.equal(await label('escalation-waiting'), '"Wartezeit"');
      assert.equal(await label('escalation-row-assignee'), '"Zuständig"');
      const centre = await row.getByTestId('escalation-centre').boundingBox();
      const waiting = await row.getByTestId('escalation-waiting').boundingBox();
      assert.ok(waiting.y >= centre.y + centre.height - 1, 'the cells stand under each other');
      await assertAccessible(page, 'week-fachstelle-inbox-phone-de');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    await row.getByRole('link').click();
    // Who asked, by name (the answers carry the answering person's name, too).
    const advisorMe = (await advisor.get('/api/v1/me')).body.user;
    await page.getByTestId('escalation-asked-by').getByText(advisorMe.display_name).waitFor();
    await page.getByRole('button', { name: 'Anfrage übernehmen' }).click();
    await page.getByRole('status').filter({ hasText: 'Sie sind jetzt für diese Anfrage zuständig.' }).waitFor();
    const cc = api(server.baseUrl);
    const ccMe = await cc.loginOk(DEMO_USERS.competenceCentre);
    await page.getByTestId('escalation-assignee').getByText(ccMe.display_name).waitFor();
    await page.getByLabel('Nachricht').fill('Eine mündliche Kündigung ist unwirksam (§ 623 BGB); die Klagefrist läuft erst ab schriftlichem Zugang.');
    await page.getByRole('button', { name: 'Senden' }).click();
    await page.getByRole('status').filter({ hasText: 'Die Nachricht wurde gesendet.' }).waitFor();

    await signOut(page);
    await signIn(page, server.baseUrl, DEMO_USERS.advisor);
    await page.goto(`${server.baseUrl}/cases/${encodeURIComponent(caseId)}`);
    await page.getByTestId('summary-escalations').getByText('1 ungelesene Antwort').waitFor();
    // Like every timeline entry, the question names who asked and when.
    const asked = page.getByTestId('timeline-escalation').filter({ hasText: question });
    await asked.getByTestId('timeline-by').getByText(new RegExp(`^${advisorMe.display_name}, \\d\\d\\.\\d\\d\\.\\d{4}, \\d\\d:\\d\\d$`)).waitFor();
    await page.getByTestId('summary-escalations').getByRole('link').click();
    const thread = page.getByTestId('escalation-thread');
    await thread.getByText(`${ccMe.display_name} (Fachstelle Faire Integration)`).waitFor();
    await thread.getByTestId('unread-answer').waitFor();
    await page.getByRole('button', { name: 'Antworten als gelesen markieren' }).click();
    await page.getByRole('status').filter({ hasText: 'Die Antworten sind als gelesen markiert.' }).waitFor();
    await thread.getByTestId('unread-answer').waitFor({ state: 'detached' });
    await assertAccessible(page, 'week-escalation-read-de');
  });

  test('a long case list: pages forward and back, a search kept out of the address through paging, reload and back, a saved filter, a cleared search box clears the search', async () => {
    // A seasonal worker's employer: 58 colleagues' cases recorded for one client record (the
    // list is filtered to it, so only these cases are counted, whatever else the centre has).
    const crew = (await advisor.post('/api/v1/clients', { nationality: 'RO', languages: ['ro'] })).body;
    const numbers = [];
    for (let i = 0; i < 58; i++) {
      const created = await advisor.post('/api/v1/cases', { client_id: crew.id, topics: [i % 2 ? 'wages' : 'working_time'] });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      numbers.push(created.body.number);
    }
    await page.goto(`${server.baseUrl}/cases?client_id=${encodeURIComponent(crew.id)}&sort=number`);
    // The rows of the list as loaded for the address now (the table is replaced by a loader meanwhile).
    const listed = async () => page.getByTestId('case-row').locator('th').allTextContents();
    const showing = (expected, what) => waitUntil(async () => (await listed()).join() === expected.join(), { timeoutMs: 15_000, what });
    await showing(numbers.slice(0, 50), 'the first 50 cases');
    await page.getByTestId('next-page').click();
    await page.getByTestId('page-number').getByText('Seite 2').waitFor();
    await showing(numbers.slice(50), 'the last 8 cases on page 2');
    assert.equal(await page.getByTestId('next-page').count(), 0, 'the last page');
    await assertAccessible(page, 'week-list-page-2-de');
    await page.getByTestId('previous-page').click();
    await showing(numbers.slice(0, 50), 'the first page again');
    assert.equal(await page.getByTestId('previous-page').count(), 0, 'back on the first page');
    // The search box: a case number narrows the list; emptying the box shows all again. The
    // search text never goes into the address (it could be a name), only the filters do.
    const addresses = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) addresses.push(frame.url());
    });
    const box = page.getByLabel('Fallnummer oder Klientencode');
    await page.getByText('der Suchtext nicht, er bleibt zum Schutz der Daten nur in diesem Tab.', { exact: false }).waitFor();
    await box.fill(numbers[7]);
    await page.getByRole('button', { name: 'Suchen' }).click();
    await showing([numbers[7]], `only ${numbers[7]}`);
    await box.fill('');
    await showing(numbers.slice(0, 50), 'all cases again after the search box was emptied');
    // A search over all of the centre's cases by the crew's client code: 58 hits on two pages,
    // page 2 kept on reload, back to page 1 with the search still applied.
    await page.goto(`${server.baseUrl}/cases?sort=number`);
    await box.fill(crew.code);
    await page.getByRole('button', { name: 'Suchen' }).click();
    await showing(numbers.slice(0, 50), `the first 50 cases found by ${crew.code}`);
    await page.getByTestId('next-page').click();
    await page.getByTestId('page-number').getByText('Seite 2').waitFor();
    await showing(numbers.slice(50), 'the last 8 found cases on page 2');
    await page.reload();
    await page.getByTestId('page-number').getByText('Seite 2').waitFor();
    await showing(numbers.slice(50), 'page 2 of the search after a reload');
    assert.equal(await box.inputValue(), crew.code, 'the search box after a reload');
    await page.goBack();
    await showing(numbers.slice(0, 50), 'page 1 of the search after going back');
    assert.equal(await box.inputValue(), crew.code, 'the search box after going back');
    await page.goForward();
    await showing(numbers.slice(50), 'page 2 again after going forward');
    addresses.push(page.url());
    assert.ok(addresses.length >= 6, addresses.join(' '));
    for (const address of addresses) {
      const decoded = decodeURIComponent(address);
      assert.ok(!decoded.includes(crew.code) && !decoded.includes(numbers[7]), `no search text in ${address}`);
      assert.ok(!new URL(address).searchParams.has('q'), `no q in ${address}`);
    }
    // An old link with the search in the address still works, and the address loses it at once.
    await page.goto(`${server.baseUrl}/cases?client_id=${encodeURIComponent(crew.id)}&sort=number&q=${encodeURIComponent(numbers[3])}`);
    await showing([numbers[3]], `only ${numbers[3]} from an old link`);
    await page.waitForURL((url) => !url.searchParams.has('q') && url.searchParams.get('client_id') === crew.id);
    assert.equal(await box.inputValue(), numbers[3]);
    await box.fill('');
    await showing(numbers.slice(0, 50), 'the first 50 cases of the crew again');
    // A filter kept under a name, applied again after the filters were reset.
    await page.getByLabel('Thema', { exact: true }).selectOption('wages');
    await page.waitForURL(/topic=wages/);
    await page.getByRole('button', { name: 'Diese Filter speichern' }).click();
    await page.getByLabel('Name für diese Filter').fill('Erntehilfe – Lohn');
    await page.getByRole('button', { name: 'Speichern', exact: true }).click();
    const saved = page.getByTestId('saved-filters').getByRole('combobox', { name: 'Gespeicherte Filter' });
    await page.getByRole('button', { name: '„Erntehilfe – Lohn“ löschen' }).waitFor();
    await assertAccessible(page, 'week-list-saved-filter-de');
    await page.getByRole('button', { name: 'Filter zurücksetzen' }).click();
    await page.waitForURL((url) => !url.searchParams.has('client_id'));
    await saved.selectOption({ label: 'Erntehilfe – Lohn' });
    await page.waitForURL((url) => url.searchParams.get('client_id') === crew.id && url.searchParams.get('topic') === 'wages');
    await showing(numbers.filter((_, i) => i % 2), 'the 29 wage cases of the saved filter');
  });

  test('the centre lead reassigns two cases at once and merges a duplicate record', async () => {
    const duplicate = (await advisor.post('/api/v1/clients', { nationality: 'SY', birth_year: 1991, phone: '0176-55501234' })).body;
    const dupCase = (await advisor.post('/api/v1/cases', { client_id: duplicate.id, topics: ['leave'] })).body;
    await signOut(page);
    await signIn(page, server.baseUrl, DEMO_USERS.centreLead);
    await page.goto(`${server.baseUrl}/cases?client_id=${encodeURIComponent(client.id)}`);
    await page.getByRole('heading', { level: 1, name: 'Fälle' }).waitFor();
    const second = (await advisor.get(`/api/v1/cases/${encodeURIComponent(caseId)}`)).body;
    const lead = api(server.baseUrl);
    const leadMe = await lead.loginOk(DEMO_USERS.centreLead);
    await page.getByRole('checkbox', { name: `${firstCase.number} auswählen` }).check();
    await page.getByRole('checkbox', { name: `${second.number} auswählen` }).check();
    const bulk = page.getByTestId('bulk-assign');
    await bulk.getByRole('heading', { name: '2 Fälle ausgewählt' }).waitFor();
    await bulk.getByLabel('Zuweisen an').selectOption(leadMe.id);
    await assertAccessible(page, 'week-bulk-assign-de');
    await bulk.getByRole('button', { name: 'Zuweisen' }).click();
    await page.getByRole('status').filter({ hasText: `2 Fälle sind jetzt ${leadMe.display_name} zugewiesen.` }).waitFor();
    assert.equal((await advisor.get(`/api/v1/cases/${encodeURIComponent(firstCase.id)}`)).body.assignee_id, leadMe.id);
    // The list reloads after the assignment: wait for both rows to show the new assignee.
    const assigned = page.getByTestId('case-assignee').filter({ hasText: leadMe.display_name });
    await assigned.nth(1).waitFor();
    assert.equal(await assigned.count(), 2);
    // Each member's open caseload, and sorting by the next deadline (in the address).
    await page.getByTestId('caseload').getByRole('button', { name: leadMe.display_name }).waitFor();
    await page.getByTestId('sort-next_deadline').click();
    await page.waitForURL(/sort=next_deadline/);
    // The header's aria-sort follows the reloaded list, not the address: wait for it.
    await page.locator('th[aria-sort="ascending"]').filter({ hasText: 'Nächste Frist' }).waitFor();

    await page.goto(`${server.baseUrl}/clients/${encodeURIComponent(client.id)}`);
    const merge = page.getByTestId('client-merge');
    await merge.getByLabel('Andere Akte suchen (Code, Name, Telefon)').fill(duplicate.code);
    await merge.getByRole('button', { name: 'Suchen' }).click();
    await merge.getByLabel(new RegExp(duplicate.code)).check();
    await merge.getByRole('button', { name: 'Zusammenführen' }).click();
    await page.getByRole('status').filter({ hasText: `${duplicate.code} wurde in ${client.code} übernommen.` }).waitFor();
    await page.getByTestId('client-cases').getByRole('link', { name: `Fall ${dupCase.number}` }).waitFor();
  });
});
