// Administration in the browser: the Berlin centre lead reads the centre's audit trail (after an
// advisor opened a case) and filters it, sees the team and disables and re-enables a colleague;
// the admin creates an account (the initial password is shown once and works) and edits a
// centre's languages, which the directory then shows. axe-core runs on every page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, DEMO_USERS, startServer } from '../lib/server.mjs';
import { waitUntil } from '../lib/wait.mjs';
import { assertAccessible, navigationLabels, openBrowser, screenshot, signIn, signOut } from '../lib/browser.mjs';

async function as(server, email) {
  const client = api(server.baseUrl);
  await client.loginOk(email);
  return client;
}

describe('administration', () => {
  let server;
  let caseBe;
  let caseBy;

  before(async () => {
    server = await startServer();
    // An advisor of Berlin opens a case (and reads it); one of Bavaria too, which Berlin's lead
    // must not see.
    const be = await as(server, DEMO_USERS.advisor);
    const clientBe = (await be.post('/api/v1/clients', { nationality: 'SY' })).body;
    assert.ok(clientBe.id, JSON.stringify(clientBe));
    caseBe = (await be.post('/api/v1/cases', { client_id: clientBe.id, topics: ['wages'] })).body;
    assert.ok(caseBe.id, JSON.stringify(caseBe));
    assert.equal((await be.get(`/api/v1/cases/${caseBe.id}`)).status, 200);
    // … and her case list: one audit entry naming every case listed.
    const listed = await be.get('/api/v1/cases?limit=50');
    assert.ok(listed.body.items.length > 1, 'the demo centre lists several cases');
    const by = await as(server, DEMO_USERS.advisorBayern);
    const clientBy = (await by.post('/api/v1/clients', { nationality: 'UA' })).body;
    caseBy = (await by.post('/api/v1/cases', { client_id: clientBy.id, topics: ['leave'] })).body;
    assert.ok(caseBy.id, JSON.stringify(caseBy));
  });
  after(async () => {
    await server?.stop();
  });

  test('the centre lead reads the Berlin audit trail and filters it by record type', async () => {
    const browser = await openBrowser();
    const { page } = browser;
    try {
      await signIn(page, server.baseUrl, DEMO_USERS.centreLead);
      assert.ok((await navigationLabels(page)).includes('Protokoll'));
      await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Protokoll' }).click();
      await page.getByRole('heading', { level: 1, name: 'Protokoll' }).waitFor();
      await page.getByTestId('audit-table').waitFor();
      const table = page.getByTestId('audit-table');
      // The advisor's creation of the case is there, with her name and role; Bavaria's case is not.
      // Records by their case number, never by a raw id (issue 7).
      const created = table.getByRole('row').filter({ hasText: caseBe.number }).filter({ hasText: 'angelegt' });
      await created.first().waitFor();
      const text = await created.first().innerText();
      assert.match(text, /Bahar Yilmaz/);
      assert.match(text, /Beratung/);
      assert.match(text, /Fall/);
      assert.equal(await table.getByText(caseBy.number).count(), 0, 'another centre\'s case must not show');
      assert.doesNotMatch(await table.innerText(), /\bcase_[a-z0-9]{8,}/, 'no raw case ids');
      // The list read names the first case and how many more: it is not shown as one case opened.
      const listRead = table.getByRole('row').filter({ has: page.getByTestId('audit-record-more') }).filter({ hasText: 'gelesen' }).first();
      await listRead.getByText(/^und \d+ weitere Datensätze \(eine Liste\)$/).waitFor();
      assert.equal(await listRead.getByTestId('audit-record').getByRole('link').count(), 0, 'a list is not linked as if it were its first case');
      // The explanation of ids and the hash chain.
      await page.getByText('Was das Protokoll enthält und wie es gesichert ist').click();
      await page.getByText('fairdesk audit verify').waitFor();
      await assertAccessible(page, 'admin-audit-lead-de', { heading: true });

      // Filter by record type: only case entries remain, and the filter is in the address.
      await page.getByLabel('Art des Datensatzes').selectOption('case');
      await page.getByRole('button', { name: 'Filter anwenden' }).click();
      await page.waitForURL(/record_type=case/);
      await page.waitForFunction(() => {
        const cells = [...document.querySelectorAll('[data-testid="audit-record-type"]')];
        return !document.querySelector('.fd-loading') && cells.length > 0 && cells.every((c) => c.textContent.trim() === 'Fall');
      });
      assert.ok(await table.getByText(caseBe.number).count() > 0);
      // Filter by user via the keyboard-reachable select, then reload: the filters survive.
      await page.getByLabel('Konto', { exact: true }).selectOption({ label: 'Bahar Yilmaz (Beratung)' });
      await page.getByRole('button', { name: 'Filter anwenden' }).press('Enter');
      await page.waitForURL(/user_id=.*record_type=case|record_type=case.*user_id=/);
      await page.reload();
      await page.getByTestId('audit-table').waitFor();
      assert.equal(await page.getByLabel('Art des Datensatzes').inputValue(), 'case');
      const roles = await page.getByTestId('audit-row').allInnerTexts();
      assert.ok(roles.every((r) => r.includes('Bahar Yilmaz')));
      // A to date before the from date is explained at the field.
      await page.getByLabel('Von (Datum)').fill('2030-01-02');
      await page.getByLabel('Bis (Datum)').fill('2030-01-01');
      await page.getByRole('button', { name: 'Filter anwenden' }).click();
      await page.getByText('Das Bis-Datum darf nicht vor dem Von-Datum liegen.').waitFor();
      await assertAccessible(page, 'admin-audit-lead-filtered-de', { heading: true });
      await page.getByRole('button', { name: 'Filter zurücksetzen' }).click();
      await page.waitForURL((url) => url.pathname === '/audit' && url.search === '');

      // English.
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { level: 1, name: 'Audit trail' }).waitFor();
      await page.getByTestId('audit-table').waitFor();
      await assertAccessible(page, 'admin-audit-lead-en', { heading: true });
      await page.getByRole('button', { name: 'Deutsch' }).click();
      await page.getByRole('heading', { level: 1, name: 'Protokoll' }).waitFor();
      assert.deepEqual(browser.cspViolations(), []);
    } finally {
      await browser.close();
    }
  });

  test('the centre lead sees the team and disables and re-enables a colleague', async () => {
    const browser = await openBrowser();
    const { page } = browser;
    try {
      await signIn(page, server.baseUrl, DEMO_USERS.centreLead);
      await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Team' }).click();
      await page.getByRole('heading', { level: 1, name: 'Team' }).waitFor();
      const rows = page.getByTestId('team-row');
      await rows.first().waitFor();
      const emails = await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.email));
      assert.ok(emails.includes(DEMO_USERS.advisor));
      assert.ok(emails.includes(DEMO_USERS.centreLead));
      assert.ok(!emails.includes(DEMO_USERS.advisorBayern), 'only the own centre');
      const colleague = page.locator(`[data-testid="team-row"][data-email="${DEMO_USERS.advisor}"]`);
      const self = page.locator(`[data-testid="team-row"][data-email="${DEMO_USERS.centreLead}"]`);
      assert.match(await colleague.innerText(), /Beratung/);
      assert.match(await colleague.innerText(), /nicht eingerichtet/);
      assert.equal(await self.getByRole('button').count(), 0, 'no disabling oneself');
      await assertAccessible(page, 'admin-team-de', { heading: true });
      // On a phone each member is a card: nothing scrolls sideways, not even inside the table's box.
      await page.setViewportSize({ width: 390, height: 844 });
      try {
        await waitUntil(async () => (await colleague.boundingBox())?.width <= 390, { timeoutMs: 10_000, what: 'the member as a card' });
        const over = await page.locator('.kern-table-responsive').evaluate((e) => e.scrollWidth - e.clientWidth);
        assert.ok(over <= 0, `the team table scrolls sideways inside its box by ${over} px`);
        assert.equal(await colleague.getByTestId('team-status').evaluate((el) => getComputedStyle(el, '::before').content), '"Konto"');
        await assertAccessible(page, 'admin-team-phone-de', { fitsWidth: true });
      } finally {
        await page.setViewportSize({ width: 1280, height: 900 });
      }

      // Disable, with a confirmation step, by keyboard.
      await colleague.getByRole('button', { name: 'Konto von Bahar Yilmaz sperren' }).focus();
      await page.keyboard.press('Enter');
      const confirm = page.getByRole('button', { name: 'Ja, sperren' });
      await confirm.waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Ja, sperren');
      await assertAccessible(page, 'admin-team-confirm-de', { heading: true });
      await page.keyboard.press('Enter');
      await page.getByRole('status').filter({ hasText: 'Das Konto von Bahar Yilmaz ist gesperrt.' }).waitFor();
      assert.equal((await colleague.getByTestId('team-status').innerText()).trim(), 'gesperrt');
      const refused = await api(server.baseUrl).login(DEMO_USERS.advisor);
      assert.notEqual(refused.status, 200, 'a disabled account cannot sign in');

      // Enable again.
      await colleague.getByRole('button', { name: 'Konto von Bahar Yilmaz entsperren' }).click();
      await page.getByRole('status').filter({ hasText: 'Das Konto von Bahar Yilmaz ist wieder aktiv.' }).waitFor();
      assert.equal((await colleague.getByTestId('team-status').innerText()).trim(), 'aktiv');
      assert.equal((await api(server.baseUrl).login(DEMO_USERS.advisor)).status, 200);

      // The colleague's audit trail is one link away.
      await colleague.getByRole('link', { name: 'Protokoll der Zugriffe von Bahar Yilmaz' }).click();
      await page.waitForURL(/\/audit\?user_id=/);
      await page.getByTestId('audit-table').waitFor();
      assert.deepEqual(browser.cspViolations(), []);
    } finally {
      await browser.close();
    }
  });

  test('an advisor may not open the audit trail, the team or the administration', async () => {
    const browser = await openBrowser();
    const { page } = browser;
    try {
      await signIn(page, server.baseUrl, DEMO_USERS.advisor);
      assert.ok(!(await navigationLabels(page)).includes('Protokoll'));
      for (const path of ['/audit', '/team', '/admin/users']) {
        await page.goto(`${server.baseUrl}${path}`);
        await page.getByRole('heading', { level: 1, name: 'Für Ihre Rolle nicht verfügbar' }).waitFor();
      }
    } finally {
      await browser.close();
    }
  });

  test('the admin creates an account and sees its initial password once', async () => {
    const browser = await openBrowser();
    const { page } = browser;
    try {
      await signIn(page, server.baseUrl, DEMO_USERS.admin);
      await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Verwaltung' }).click();
      await page.getByRole('heading', { level: 1, name: 'Benutzerkonten' }).waitFor();
      await page.getByTestId('users-table').waitFor();
      assert.ok((await page.getByTestId('user-row').count()) >= 7);
      await assertAccessible(page, 'admin-users-de', { heading: true });

      await page.getByRole('link', { name: 'Neues Konto anlegen' }).click();
      await page.getByRole('heading', { level: 1, name: 'Neues Konto anlegen' }).waitFor();
      // Submitting the empty form explains each field and focuses the first.
      await page.getByRole('button', { name: 'Konto anlegen' }).click();
      await page.getByText('Bitte eine Rolle wählen.').waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.id?.endsWith('-display_name')), true);
      await assertAccessible(page, 'admin-new-user-errors-de', { heading: true });

      // An address that is taken: the server's conflict is shown at the e-mail field.
      await page.getByLabel('Name').fill('Doppelte Person');
      await page.getByLabel('E-Mail-Adresse').fill(DEMO_USERS.advisor);
      await page.getByLabel('Rolle').selectOption('advisor');
      await page.getByLabel('Beratungsstelle').selectOption('centre-be-1');
      await page.getByRole('button', { name: 'Konto anlegen' }).click();
      await page.getByText('Zu dieser E-Mail-Adresse gibt es schon ein Konto.').waitFor();

      await page.getByLabel('Name').fill('Selin Kaya');
      await page.getByLabel('E-Mail-Adresse').fill('selin.kaya@example.org');
      await page.getByRole('button', { name: 'Konto anlegen' }).click();
      await page.getByTestId('user-created').waitFor();
      const password = (await page.getByTestId('initial-password').innerText()).trim();
      assert.ok(password.length >= 12, password);
      await assertAccessible(page, 'admin-user-created-de', { heading: true });
      const user = await api(server.baseUrl).loginOk('selin.kaya@example.org', password);
      assert.equal(user.role, 'advisor');
      assert.equal(user.centre_id, 'centre-be-1');

      // Back in the list the account is there; its page changes the role (and the password is
      // not shown again).
      await page.getByRole('link', { name: 'Zur Kontenliste' }).click();
      const row = page.locator('[data-testid="user-row"][data-email="selin.kaya@example.org"]');
      await row.waitFor();
      assert.equal(await page.getByTestId('initial-password').count(), 0);
      await row.getByRole('link', { name: 'Selin Kaya' }).click();
      await page.getByRole('heading', { level: 1, name: 'Konto von Selin Kaya' }).waitFor();
      await page.getByLabel('Rolle').selectOption('centre_lead');
      await assertAccessible(page, 'admin-edit-user-de', { heading: true });
      await page.getByRole('button', { name: 'Speichern' }).click();
      await page.getByRole('status').filter({ hasText: 'Das Konto von Selin Kaya ist gespeichert.' }).waitFor();
      assert.match(await row.innerText(), /Leitung der Beratungsstelle/);
      // Disable from the list.
      await row.getByRole('button', { name: 'Konto von Selin Kaya sperren' }).click();
      await page.getByRole('status').filter({ hasText: 'Das Konto von Selin Kaya ist gesperrt.' }).waitFor();
      assert.equal((await row.getByTestId('user-status').innerText()).trim(), 'gesperrt');
      await row.getByRole('button', { name: 'Konto von Selin Kaya entsperren' }).click();
      await page.getByRole('status').filter({ hasText: 'wieder aktiv' }).waitFor();

      // The admin reads the whole audit trail, Bavaria's case included.
      await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Protokoll' }).click();
      await page.getByTestId('audit-table').waitFor();
      await page.getByTestId('audit-table').getByText(caseBy.number).first().waitFor();
      await assertAccessible(page, 'admin-audit-admin-de', { heading: true });
      assert.deepEqual(browser.cspViolations(), []);
    } finally {
      await browser.close();
    }
  });

  test('the admin edits a centre, an organisation and the settings (retention, topics, routing rules with history)', async () => {
    const browser = await openBrowser();
    const { page } = browser;
    try {
      await signIn(page, server.baseUrl, DEMO_USERS.admin);
      const admin = await as(server, DEMO_USERS.admin);
      await page.goto(`${server.baseUrl}/admin`);
      await page.getByRole('navigation', { name: 'Bereiche der Verwaltung' }).getByRole('link', { name: 'Beratungsstellen' }).click();
      await page.getByRole('heading', { level: 1, name: 'Beratungsstellen' }).waitFor();
      await assertAccessible(page, 'admin-centres-de', { heading: true });
      await page.getByRole('link', { name: 'Faire Integration Berlin' }).click();
      await page.getByRole('heading', { level: 1, name: 'Faire Integration Berlin' }).waitFor();
      const languages = page.getByLabel('Sprachen der Beratung');
      assert.equal(await languages.inputValue(), 'de, en, ar, fa, ru, uk, tr, vi, es');

      // Invalid input is explained at the fields before anything is sent.
      await languages.fill('de, en, polnisch');
      await page.getByLabel('Postleitzahl').fill('1011');
      await page.getByRole('button', { name: 'Öffnungszeit hinzufügen' }).click();
      await page.getByRole('button', { name: 'Speichern' }).click();
      await page.getByText('Keine Sprachcodes nach ISO 639: polnisch.').waitFor();
      await page.getByText('Eine Postleitzahl hat fünf Ziffern.').waitFor();
      await page.getByText('Bitte ausfüllen.').waitFor();
      await assertAccessible(page, 'admin-centre-errors-de', { heading: true });

      await page.getByLabel('Postleitzahl').fill('10115');
      await page.getByRole('button', { name: 'Öffnungszeit 3 entfernen' }).click();
      await languages.fill('de, en, ar, fa, ru, uk, tr, vi, es, pl');
      await page.getByText('Im Verzeichnis: Deutsch, Englisch, Arabisch').waitFor();
      await page.getByRole('button', { name: 'Speichern' }).click();
      await page.getByRole('status').filter({ hasText: 'Faire Integration Berlin ist gespeichert.' }).waitFor();
      await assertAccessible(page, 'admin-centres-saved-de', { heading: true });

      // The directory shows the new language.
      await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Verzeichnis' }).click();
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.goto(`${server.baseUrl}/directory?state=BE`);
      const card = page.getByTestId('centre').filter({ hasText: 'Faire Integration Berlin' });
      await card.getByText('Polnisch').waitFor();
      await screenshot(page, 'admin-directory-after-de');

      // An organisation: the website must be an http(s) address (checked here and by the server).
      await page.goto(`${server.baseUrl}/admin/organisations`);
      await page.getByTestId('organisations-table').waitFor();
      await assertAccessible(page, 'admin-organisations-de', { heading: true });
      await page.getByTestId('organisation-row').first().getByRole('link').click();
      await page.getByLabel('Kurzname').waitFor();
      await page.getByLabel('Website').fill('www.example.org');
      await page.getByRole('button', { name: 'Speichern' }).click();
      await page.getByText('Bitte eine vollständige Adresse angeben, die mit https:// oder http:// beginnt.').waitFor();
      await assertAccessible(page, 'admin-organisation-errors-de', { heading: true });
      await page.getByLabel('Website').fill('https://www.example.org/iq');
      await page.getByRole('button', { name: 'Speichern' }).click();
      await page.getByRole('status').filter({ hasText: 'ist gespeichert.' }).waitFor();
      await page.getByTestId('organisations-table').getByText('https://www.example.org/iq').waitFor();
      // A cleared website is removed (the form sends null).
      await page.getByTestId('organisation-row').filter({ hasText: 'https://www.example.org/iq' }).getByRole('link').click();
      await page.getByLabel('Website').fill('');
      await page.getByRole('button', { name: 'Speichern' }).click();
      await page.getByRole('status').filter({ hasText: 'ist gespeichert.' }).waitFor();
      await page.getByTestId('organisations-table').waitFor();
      assert.equal(await page.getByTestId('organisations-table').getByText('https://www.example.org/iq').count(), 0);

      // Settings (issue 7): the retention period, a new topic, a label sharpened, a topic in use
      // that cannot go, a rule switched off and a new one; the history shows each change.
      await page.getByRole('navigation', { name: 'Bereiche der Verwaltung' }).getByRole('link', { name: 'Einstellungen' }).click();
      await page.getByRole('heading', { level: 1, name: 'Einstellungen' }).waitFor();
      await page.getByTestId('topics-table').waitFor();
      await page.getByTestId('rules-list').waitFor();
      await page.getByText('Es gilt die Voreinstellung des Servers: 3 Jahre.').waitFor();
      await assertAccessible(page, 'admin-settings-de', { heading: true });
      const years = page.getByLabel('Jahre nach Abschluss eines Falls');
      await years.fill('12');
      await page.getByRole('button', { name: 'Frist speichern' }).click();
      await page.getByText('Bitte eine ganze Zahl von 1 bis 10 Jahren angeben.').waitFor();
      await years.fill('5');
      await page.getByRole('button', { name: 'Frist speichern' }).click();
      await page.getByRole('status').filter({ hasText: 'Die Aufbewahrungsfrist ist jetzt 5 Jahre.' }).waitFor();
      await page.getByText(/Eingestellt: 5 Jahre \(zuletzt geändert von Alex Admin/).waitFor();

      const newTopic = page.getByRole('group', { name: 'Neues Thema' });
      await newTopic.getByLabel('Code').fill('Saisonarbeit');
      await newTopic.getByRole('button', { name: 'Thema hinzufügen' }).click();
      await newTopic.getByText('Der Code besteht aus 2 bis 40 Kleinbuchstaben').waitFor();
      await newTopic.getByLabel('Code').fill('seasonal_work');
      await newTopic.getByLabel('Bezeichnung (Deutsch)').fill('Saisonarbeit');
      await newTopic.getByLabel('Bezeichnung (Englisch)').fill('Seasonal work');
      await newTopic.getByRole('button', { name: 'Thema hinzufügen' }).click();
      await page.getByTestId('topic-row').filter({ hasText: 'seasonal_work' }).waitFor();
      await page.getByLabel('Deutsche Bezeichnung von leave').fill('Urlaub und Urlaubsabgeltung');
      await page.getByRole('button', { name: 'Themen speichern' }).click();
      await page.getByRole('status').filter({ hasText: 'Der Themenkatalog ist gespeichert.' }).waitFor();
      // "wages" is used by the Berlin case: removing it is refused, nothing changes.
      await page.getByRole('button', { name: 'wages entfernen' }).click();
      await page.getByRole('button', { name: 'Themen speichern' }).click();
      await page.getByTestId('settings-errors').getByText(/Das Thema „wages“ wird in \d+ Fällen oder Beratungen verwendet/).waitFor();
      await assertAccessible(page, 'admin-settings-topic-in-use-de', { heading: true });
      const topicsNow = (await admin.get('/api/v1/topics')).body.items;
      assert.ok(topicsNow.some((t) => t.code === 'wages') && topicsNow.some((t) => t.code === 'seasonal_work'));
      assert.equal(topicsNow.find((t) => t.code === 'leave').labels.de, 'Urlaub und Urlaubsabgeltung');

      // Routing: the recognition rule off, a new rule for seasonal work (trade union).
      await page.reload();
      await page.getByTestId('rules-list').waitFor();
      await page.locator('[data-rule="recognition"]').getByLabel('Regel aktiv').uncheck();
      const newRule = page.getByTestId('new-rule');
      await newRule.getByLabel('Kennung', { exact: true }).fill('seasonal-union');
      await newRule.getByLabel('Vorschlag').selectOption('trade_union');
      await newRule.getByLabel('Saisonarbeit').check();
      await newRule.getByLabel('Begründung (Deutsch)').fill('Saisonkräfte berät die Gewerkschaft vor Ort.');
      await newRule.getByLabel('Begründung (Englisch)').fill('Seasonal workers are advised by the local union.');
      await newRule.getByRole('button', { name: 'Regel hinzufügen' }).click();
      await page.locator('[data-rule="seasonal-union"]').waitFor();
      await page.getByRole('button', { name: 'Regeln speichern' }).click();
      await page.getByRole('status').filter({ hasText: 'Die Zuständigkeitsregeln sind gespeichert.' }).waitFor();
      // Intake follows at once.
      const advisor = api(server.baseUrl);
      await advisor.loginOk(DEMO_USERS.advisor);
      const routed = (await advisor.post('/api/v1/intake/route', { nationality: 'SY', topics: ['seasonal_work', 'recognition'], postcode: '10115' })).body;
      assert.ok(routed.suggestions.some((x) => x.target === 'trade_union'), JSON.stringify(routed));
      assert.ok(!routed.suggestions.some((x) => x.target === 'recognition_counselling'), JSON.stringify(routed));

      // The history: newest first, who, and what changed.
      const history = page.getByTestId('settings-history');
      await history.getByText('Hinzugefügt: seasonal-union').waitFor();
      const rows = history.getByTestId('settings-change');
      assert.deepEqual(await rows.evaluateAll((r) => r.map((x) => x.dataset.kind)), ['routing_rules', 'topics', 'retention']);
      await rows.nth(0).getByText('Geändert: recognition').waitFor();
      await rows.nth(1).getByText('Hinzugefügt: seasonal_work').waitFor();
      await rows.nth(1).getByText('Geändert: leave').waitFor();
      await rows.nth(2).getByText('Aufbewahrungsfrist von 3 auf 5 Jahre').waitFor();
      assert.equal(await rows.getByText('Alex Admin').count(), 3);
      await assertAccessible(page, 'admin-settings-history-de', { heading: true });
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
      await page.getByTestId('settings-history').getByText('Retention period from 3 to 5 years').waitFor();
      await assertAccessible(page, 'admin-settings-en', { heading: true });
      await page.getByRole('button', { name: 'Deutsch' }).click();
      await page.getByRole('heading', { level: 1, name: 'Einstellungen' }).waitFor();

      // A second admin changes the retention period while this page is open: saving here is
      // refused (nothing overwritten), the page says so and loads the current state.
      const other = await admin.get('/api/v1/settings/retention');
      assert.equal((await admin.put('/api/v1/settings/retention', { retention_years: 7 }, { headers: { 'If-Match': other.headers.get('etag') } })).status, 200);
      await years.fill('6');
      await page.getByRole('button', { name: 'Frist speichern' }).click();
      await page.getByTestId('settings-conflict').waitFor();
      await page.getByText('Inzwischen von jemand anderem geändert').waitFor();
      assert.equal((await admin.get('/api/v1/settings/retention')).body.retention_years, 7, 'nothing overwritten');
      await assertAccessible(page, 'admin-settings-conflict-de', { heading: true });
      await page.getByRole('button', { name: 'Aktuellen Stand laden' }).click();
      await page.getByText(/Eingestellt: 7 Jahre/).waitFor();
      await page.getByLabel('Jahre nach Abschluss eines Falls').fill('6');
      await page.getByRole('button', { name: 'Frist speichern' }).click();
      await page.getByRole('status').filter({ hasText: 'Die Aufbewahrungsfrist ist jetzt 6 Jahre.' }).waitFor();

      // English pages of the administration.
      await page.goto(`${server.baseUrl}/admin/organisations`);
      await page.getByRole('heading', { level: 1, name: 'Organisationen' }).waitFor();
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { level: 1, name: 'Organisations' }).waitFor();
      await assertAccessible(page, 'admin-organisations-en', { heading: true });
      await page.goto(`${server.baseUrl}/admin/centres/centre-be-1`);
      await page.getByLabel('Languages of counselling').waitFor();
      await assertAccessible(page, 'admin-centre-en', { heading: true });
      await page.goto(`${server.baseUrl}/admin/users/new`);
      await page.getByRole('heading', { level: 1, name: 'Create an account' }).waitFor();
      await assertAccessible(page, 'admin-new-user-en', { heading: true });
      await page.getByRole('button', { name: 'Deutsch' }).click();
      await page.getByRole('heading', { level: 1, name: 'Neues Konto anlegen' }).waitFor();
      assert.deepEqual(browser.cspViolations(), []);
      await signOut(page);
    } finally {
      await browser.close();
    }
  });
});
