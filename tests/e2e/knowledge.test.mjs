// The knowledge base in the browser (issue 9, "How it will be checked", as far as built): the
// Competence Centre writes a dossier in German, translates it into Arabic and Ukrainian, cannot
// publish its own change, a second editor reviews and publishes; the source changes and the
// translations are flagged outdated; an advisor finds items in German and in Arabic with and
// without vowel marks, reads one with highlighted snippets and fills a letter template from a
// case. axe-core runs on every page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, DEMO_USERS, startServer } from '../lib/server.mjs';
import { pdfShowing, TINY_PNG } from '../lib/files.mjs';
import { assertAccessible, openBrowser, signIn, signOut } from '../lib/browser.mjs';

describe('knowledge base', () => {
  let server;
  let browser;
  let page;
  let editorUrl;

  before(async () => {
    server = await startServer();
    browser = await openBrowser();
    page = browser.page;
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const nav = () => page.getByRole('navigation', { name: 'Hauptnavigation' });
  const status = () => page.getByTestId('kb-status');

  test('the Competence Centre writes a dossier in German and translates it into Arabic and Ukrainian', async () => {
    await signIn(page, server.baseUrl, DEMO_USERS.competenceCentre);
    await nav().getByRole('link', { name: 'Wissen' }).click();
    await page.getByTestId('kb-desk').waitFor();
    await assertAccessible(page, 'knowledge-desk-de');
    await page.getByRole('link', { name: 'Neuer Beitrag' }).click();
    await page.getByLabel('Art').selectOption('dossier');
    await page.getByLabel('Thema').selectOption('wages');
    await page.getByLabel('Zielgruppe').selectOption('public');
    await page.getByLabel('Titel').fill('Lohnabrechnung prüfen');
    // Raw HTML is refused, naming the text field; nothing is created.
    await page.getByLabel('Text', { exact: true }).fill('Achtung <script>alert(1)</script>');
    await page.getByRole('button', { name: 'Entwurf anlegen' }).click();
    await page.getByText(/darf kein HTML enthalten \(Zeile 1\); bitte Markdown verwenden/).waitFor();
    await page.getByLabel('Text', { exact: true }).fill('Die **Lohnabrechnung** zeigt Stunden, Stundenlohn und Abzüge.\n\n- Stunden zählen\n- Lohn vergleichen');
    await page.getByRole('button', { name: 'Entwurf anlegen' }).click();
    await page.getByTestId('page-knowledge-editor').waitFor();
    editorUrl = page.url().replace(/\?.*$/, '');
    assert.match(await status().textContent(), /Entwurf · aktuelle Fassung 1/);
    await assertAccessible(page, 'knowledge-editor-de');

    for (const [lang, title, body] of [
      ['ar', 'التحقق من كشف الراتب', 'يُظهر **كشف الراتب** الساعات والأجر والاستقطاعات.'],
      ['uk', 'Перевірка розрахункового листа', 'Розрахунковий лист показує години, ставку та відрахування.'],
    ]) {
      await page.getByTestId('kb-add-language').selectOption(lang);
      await page.getByText('links der Ausgangstext').waitFor();
      await page.getByLabel('Titel').fill(title);
      await page.getByLabel('Text', { exact: true }).fill(body);
      await page.getByRole('button', { name: 'Speichern' }).click();
      await page.getByTestId(`kb-tab-${lang}`).waitFor();
      await status().filter({ hasText: 'aktuelle Fassung 1' }).waitFor();
      await page.getByRole('button', { name: 'Zur Prüfung geben' }).click();
      await status().filter({ hasText: 'In Prüfung' }).waitFor();
    }
    await assertAccessible(page, 'knowledge-editor-translation-uk');
    await page.getByTestId('kb-tab-de').click();
    await page.getByRole('button', { name: 'Zur Prüfung geben' }).click();
    await status().filter({ hasText: 'In Prüfung' }).waitFor();
    // Four eyes: the author cannot publish.
    await page.getByRole('button', { name: 'Prüfen und veröffentlichen' }).click();
    await page.getByTestId('kb-forbidden').waitFor();
    assert.match(await status().textContent(), /In Prüfung/);
    await signOut(page);
  });

  test('a second editor reviews and publishes, changes the source and sees the translations flagged', async () => {
    await signIn(page, server.baseUrl, DEMO_USERS.competenceCentre2);
    await nav().getByRole('link', { name: 'Wissen' }).click();
    const queue = page.getByTestId('kb-queue');
    await queue.waitFor();
    assert.equal(await queue.getByRole('link', { name: 'Lohnabrechnung prüfen' }).count(), 1);
    await page.goto(editorUrl);
    for (const lang of ['de', 'ar', 'uk']) {
      await page.getByTestId(`kb-tab-${lang}`).click();
      await page.getByRole('button', { name: 'Prüfen und veröffentlichen' }).click();
      await status().filter({ hasText: 'Veröffentlicht' }).waitFor();
    }
    // An attachment for the German version: a file whose content is not what it claims is
    // refused, a text file is stored and offered to readers.
    await page.getByTestId('kb-tab-de').click();
    const attach = page.getByLabel('Datei an die Fassung „Deutsch“ anhängen');
    await attach.setInputFiles({ name: 'Formular.pdf', mimeType: 'application/pdf', buffer: Buffer.from('kein PDF') });
    await page.getByTestId('kb-attachments').getByRole('alert').waitFor();
    await attach.setInputFiles({ name: 'Checkliste Lohnabrechnung.txt', mimeType: 'text/plain', buffer: Buffer.from('Stunden, Stundenlohn, Abzüge prüfen.') });
    await page.getByTestId('kb-attachments').getByRole('link', { name: 'Checkliste Lohnabrechnung.txt' }).waitFor();
    assert.equal(await page.getByTestId('kb-attachments').getByRole('link').count(), 1);
    // An image for a public item needs the editor's confirmation that it shows no personal data.
    await attach.setInputFiles({ name: 'Beispiel Lohnabrechnung.png', mimeType: 'image/png', buffer: TINY_PNG });
    await page.getByTestId('kb-attachments').getByRole('alert').filter({ hasText: 'Bild nicht angehängt: Bestätigung fehlt' }).waitFor();
    await page.getByLabel(/Ich habe die Bilder angesehen/).check();
    await attach.setInputFiles({ name: 'Beispiel Lohnabrechnung.png', mimeType: 'image/png', buffer: TINY_PNG });
    await page.getByTestId('kb-attachments').getByRole('link', { name: 'Beispiel Lohnabrechnung.png' }).waitFor();
    assert.equal(await page.getByTestId('kb-attachments').getByRole('alert').count(), 0);
    await assertAccessible(page, 'knowledge-editor-image-confirmed');
    await page.goto(editorUrl.replace('/knowledge/edit/', '/knowledge/items/') + '?lang=de');
    const fileLink = page.getByTestId('kb-attachments').getByRole('link', { name: 'Checkliste Lohnabrechnung.txt' });
    await fileLink.waitFor();
    const file = await page.request.get(new URL(await fileLink.getAttribute('href'), server.baseUrl).toString());
    assert.equal(await file.text(), 'Stunden, Stundenlohn, Abzüge prüfen.');
    await assertAccessible(page, 'knowledge-reader-attachment');
    await page.goto(editorUrl);
    await page.getByTestId('kb-tab-de').click();
    await page.getByLabel('Text', { exact: true }).fill('Die **Lohnabrechnung** zeigt Stunden, Stundenlohn, Zuschläge und Abzüge.\n\n- Stunden zählen\n- Lohn vergleichen');
    await page.getByLabel('Notiz zur Änderung').fill('Zuschläge ergänzt');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await status().filter({ hasText: 'aktuelle Fassung 2' }).waitFor();
    await page.getByTestId('kb-tab-ar').filter({ hasText: 'veraltet' }).waitFor();
    await page.getByTestId('kb-tab-uk').filter({ hasText: 'veraltet' }).waitFor();
    // The revisions can be compared.
    await page.getByRole('button', { name: 'Mit aktueller vergleichen (1)' }).click();
    await page.getByTestId('kb-diff').getByText('Zuschläge', { exact: false }).waitFor();
    await page.getByTestId('kb-tab-ar').click();
    await page.getByTestId('kb-outdated').waitFor();
    await assertAccessible(page, 'knowledge-editor-outdated-ar');
    // The item's properties after creation: tags and the review date.
    await page.getByTestId('kb-settings').getByText('Eigenschaften des Beitrags').click();
    await page.getByTestId('kb-settings').getByLabel('Schlagwörter').fill('Lohnabrechnung, Abzüge');
    await page.getByTestId('kb-settings').getByLabel('Prüfen bis').fill('2031-03-31');
    await page.getByRole('button', { name: 'Eigenschaften speichern' }).click();
    await page.getByTestId('kb-settings').getByText('Eigenschaften gespeichert.').waitFor();
    // Revisions by the other editor show her name, never a user id.
    assert.doesNotMatch(await page.getByTestId('page-knowledge-editor').textContent(), /usr_/);
    await assertAccessible(page, 'knowledge-editor-settings');
    await signOut(page);
  });

  test('the Competence Centre turns an answered escalation into a case description and is stopped by the redaction check', async () => {
    // An advisor escalates a case of a client who consented to anonymised use; the centre answers.
    const adv = api(server.baseUrl);
    await adv.loginOk(DEMO_USERS.advisor);
    const today = new Date().toISOString().slice(0, 10);
    const client = (await adv.post('/api/v1/clients', {
      nationality: 'SY', employer: 'Blitzblank Gebäudereinigung GmbH',
      consents: { storage: true, contact: true, anonymised_use: true, date: today },
      name: 'Samira Haddad', phone: '+49 151 2345 6789',
    })).body;
    const k = (await adv.post('/api/v1/cases', { client_id: client.id, topics: ['wages'] })).body;
    const esc = (await adv.post(`/api/v1/cases/${k.id}/escalations`, {
      summary: 'Reinigungskraft, Lohn nur teilweise gezahlt', question: 'Gilt die Ausschlussfrist von einem Monat?',
    })).body;
    const cc = api(server.baseUrl);
    await cc.loginOk(DEMO_USERS.competenceCentre);
    assert.equal((await cc.post(`/api/v1/escalations/${esc.id}/messages`, { body: 'Nein, nicht für den Mindestlohn.' })).status, 201);

    await signIn(page, server.baseUrl, DEMO_USERS.competenceCentre);
    await nav().getByRole('link', { name: 'Wissen' }).click();
    await page.getByLabel('Fallbeschreibung aus einer beantworteten Anfrage').selectOption(esc.id);
    await page.getByRole('button', { name: 'Fallbeschreibung anlegen' }).click();
    await page.getByTestId('page-knowledge-editor').waitFor();
    assert.match(await page.getByLabel('Text', { exact: true }).inputValue(), /Ausschlussfrist/);
    await page.getByLabel('Text', { exact: true }).fill('Frau Haddad (Tel. 0151-2345 6789) arbeitete bei Blitzblank Gebäudereinigung GmbH.');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await status().filter({ hasText: 'aktuelle Fassung 2' }).waitFor();
    await page.getByRole('button', { name: 'Zur Prüfung geben' }).click();
    const errors = page.getByTestId('kb-field-errors');
    await errors.waitFor();
    assert.match(await errors.textContent(), /Deutsch – Text: enthält personenbezogene Daten des Ausgangsfalls \(Name, Telefonnummer, Arbeitgeber\); bitte anonymisieren/);
    assert.match(await page.getByRole('alert').filter({ has: errors }).textContent(), /Die Fallbeschreibung enthält noch personenbezogene Daten/);
    assert.match(await status().textContent(), /Entwurf/);
    await assertAccessible(page, 'knowledge-redaction-blocked');
    await page.getByLabel('Text', { exact: true }).fill('Eine Reinigungskraft erhielt drei Monate nur einen Teil ihres Lohns.');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await status().filter({ hasText: 'aktuelle Fassung 3' }).waitFor();
    // The text inside an attached PDF is checked too: the letter still names the client.
    await page.getByLabel('Datei an die Fassung „Deutsch“ anhängen')
      .setInputFiles({ name: 'Schreiben an den Arbeitgeber.pdf', mimeType: 'application/pdf', buffer: pdfShowing('Samira Haddad fordert den offenen Lohn') });
    await page.getByTestId('kb-attachments').getByRole('link', { name: 'Schreiben an den Arbeitgeber.pdf' }).waitFor();
    await page.getByRole('button', { name: 'Zur Prüfung geben' }).click();
    await errors.filter({ hasText: 'Anhang 1 – Text' }).waitFor();
    assert.match(await errors.textContent(), /Anhang 1 – Text: Der Text der Datei enthält personenbezogene Daten des Ausgangsfalls \(Name\); bitte anonymisieren oder den Anhang entfernen/);
    assert.ok(!(await errors.textContent()).includes('Haddad'));
    assert.match(await status().textContent(), /Entwurf/);
    await assertAccessible(page, 'knowledge-redaction-attachment-blocked');
    await page.getByRole('button', { name: 'Anhang Schreiben an den Arbeitgeber.pdf entfernen' }).click();
    await page.getByTestId('kb-attachments').getByText('Noch keine Anhänge.').waitFor();
    await page.getByRole('button', { name: 'Zur Prüfung geben' }).click();
    await status().filter({ hasText: 'In Prüfung' }).waitFor();
    await signOut(page);
  });

  test('an advisor finds items in German and Arabic, with and without vowel marks, and fills a letter template from a case', async () => {
    await signIn(page, server.baseUrl, DEMO_USERS.advisor);
    await nav().getByRole('link', { name: 'Wissen' }).click();
    const search = async (q, lang) => {
      await page.getByLabel('Sprache der Suche').selectOption(lang);
      await page.getByLabel('Suche im Wissen').fill(q);
      await page.getByRole('button', { name: 'Suchen' }).click();
      await page.waitForURL((u) => u.searchParams.get('q') === q && u.searchParams.get('lang') === lang);
      await page.waitForFunction(() => !document.querySelector('.fd-loading'));
      await page.getByTestId('kb-results').waitFor();
      return page.getByTestId('kb-hit').allTextContents();
    };
    const german = await search('Schutzklage', 'de');
    assert.ok(german.some((t) => t.includes('Kündigung: Fristen und Kündigungsschutzklage')), german.join('\n'));
    assert.ok((await page.locator('[data-testid="kb-hit"] mark').count()) > 0);
    await assertAccessible(page, 'knowledge-search-de');
    const plain = await search('الأجور', 'ar');
    assert.ok(plain.some((t) => t.includes('الحد الأدنى للأجور: ما يحق لك')), plain.join('\n'));
    const marked = await search('الْأُجُورِ', 'ar');
    assert.deepEqual(marked, plain);
    await assertAccessible(page, 'knowledge-search-ar');
    // The item just published, in Arabic and in German; the correction saved since is not live yet.
    const fresh = await search('كشف الراتب', 'ar');
    assert.ok(fresh.some((t) => t.includes('التحقق من كشف الراتب')), fresh.join('\n'));
    const freshDe = await search('Lohnabrechnungen', 'de');
    assert.ok(freshDe.some((t) => t.includes('Lohnabrechnung prüfen')), freshDe.join('\n'));
    await page.getByTestId('kb-results').getByRole('link', { name: 'Lohnabrechnung prüfen' }).click();
    await page.getByTestId('kb-body').waitFor();
    assert.match(await page.getByTestId('kb-body').textContent(), /Stunden, Stundenlohn und Abzüge/);
    await page.goto(`${server.baseUrl}/knowledge`);

    // The letter template, filled from a case.
    await search('Musterschreiben', 'de');
    await page.getByTestId('kb-results').getByRole('link', { name: 'Musterschreiben: Geltendmachung offenen Lohns' }).click();
    await page.getByTestId('page-knowledge-item').waitFor();
    const caseSelect = page.getByLabel('Fall', { exact: true });
    await caseSelect.waitFor();
    const option = await caseSelect.locator('option').nth(1).textContent();
    const code = option.split(' · ')[1];
    await caseSelect.selectOption({ index: 1 });
    await page.getByLabel('Betrag (Euro)').fill('1.234,56');
    await page.getByLabel('Arbeitgeber').fill('Muster Reinigung GmbH');
    const letter = await page.getByTestId('kb-letter').textContent();
    assert.match(letter, /1\.234,56 Euro brutto/);
    assert.match(letter, /An: Muster Reinigung GmbH/);
    assert.ok(code && letter.includes(code), `${code} in ${letter}`);

    // The amount and period from the minimum wage calculator (2025: 12.82 euros an hour):
    // March 160 h paid 1,600.00 → 451.20 owed; April 100 h paid 1,500.00 → nothing owed.
    await page.getByLabel('Monat', { exact: true }).fill('2025-03');
    await page.getByLabel('Stunden', { exact: true }).fill('160');
    await page.getByLabel('Gezahlt brutto (Euro)').fill('1.600,00');
    await page.getByRole('button', { name: 'Monat hinzufügen' }).click();
    await page.locator('#kb-calc-month-1').fill('2025-04');
    await page.locator('#kb-calc-hours-1').fill('100');
    await page.locator('#kb-calc-paid-1').fill('1500');
    await page.getByRole('button', { name: 'Betrag berechnen' }).click();
    await page.getByTestId('kb-calc-result').filter({ hasText: '451,20' }).waitFor();
    const calculated = await page.getByTestId('kb-letter').textContent();
    assert.match(calculated, /in Höhe von 451,20 Euro brutto für den Zeitraum März 2025 geltend/);
    assert.equal(await page.getByLabel('Betrag (Euro)').inputValue(), '451,20');
    // A month without hours is refused in the form, the letter keeps the calculated amount.
    await page.locator('#kb-calc-hours-1').fill('');
    await page.getByRole('button', { name: 'Betrag berechnen' }).click();
    await page.getByRole('alert').filter({ hasText: 'Zeile 2' }).waitFor();
    assert.match(await page.getByTestId('kb-letter').textContent(), /451,20 Euro brutto/);
    await assertAccessible(page, 'knowledge-letter-template');

    // A suggestion goes to the editors.
    await page.getByLabel('Ihr Vorschlag an die Fachstelle').fill('Bitte ein Feld für die Steuer-ID ergänzen.');
    await page.getByRole('button', { name: 'Vorschlag senden' }).click();
    await page.getByText('Danke – die Fachstelle hat Ihren Vorschlag erhalten.').waitFor();
    await signOut(page);
  });

  test('a correction of a published item is reviewed by the other editor, goes live and is audited', async () => {
    const itemId = decodeURIComponent(editorUrl.split('/knowledge/edit/')[1]);
    // Anonymous: the published public item is found through the public API, before and after.
    const publicSearch = async (q, lang) => {
      const r = await fetch(new URL(`/api/v1/public/knowledge/search?q=${encodeURIComponent(q)}&lang=${lang}`, server.baseUrl));
      assert.equal(r.status, 200);
      return (await r.json()).items;
    };
    assert.ok((await publicSearch('Lohnabrechnung', 'de')).some((h) => h.id === itemId));
    // The second editor (author of the correction, revision 2) submits it; the published
    // revision 1 stays live meanwhile.
    await signIn(page, server.baseUrl, DEMO_USERS.competenceCentre2);
    await page.goto(editorUrl);
    await page.getByTestId('kb-tab-de').click();
    await page.getByRole('button', { name: 'Zur Prüfung geben' }).click();
    await status().filter({ hasText: 'In Prüfung' }).waitFor();
    await signOut(page);
    const anonymous = await fetch(new URL(`/api/v1/public/knowledge/items/${encodeURIComponent(itemId)}?lang=de`, server.baseUrl));
    assert.doesNotMatch((await anonymous.json()).html, /Zuschläge/);
    // The first editor reviews the correction and publishes it.
    await signIn(page, server.baseUrl, DEMO_USERS.competenceCentre);
    await page.goto(editorUrl);
    await page.getByTestId('kb-tab-de').click();
    await page.getByRole('button', { name: 'Prüfen und veröffentlichen' }).click();
    await status().filter({ hasText: 'Veröffentlicht' }).waitFor();
    assert.match(await status().textContent(), /Fassung 2/);
    await signOut(page);
    // An advisor reads the corrected German text; the Arabic reader is told its text is outdated.
    await signIn(page, server.baseUrl, DEMO_USERS.advisor);
    await page.goto(editorUrl.replace('/knowledge/edit/', '/knowledge/items/') + '?lang=de');
    await page.getByTestId('kb-body').filter({ hasText: 'Zuschläge' }).waitFor();
    await page.goto(editorUrl.replace('/knowledge/edit/', '/knowledge/items/') + '?lang=ar');
    await page.getByTestId('kb-notice-outdated').waitFor();
    await assertAccessible(page, 'knowledge-reader-outdated-ar');
    await signOut(page);
    const corrected = await fetch(new URL(`/api/v1/public/knowledge/items/${encodeURIComponent(itemId)}?lang=de`, server.baseUrl));
    assert.match((await corrected.json()).html, /Zuschläge/);
    // The audit trail names both editors' changes to the translations.
    await signIn(page, server.baseUrl, DEMO_USERS.admin);
    await page.goto(`${server.baseUrl}/audit?record_type=knowledge_translation`);
    const rows = page.getByRole('row').filter({ hasText: 'Fassung eines Wissensbeitrags' });
    await rows.filter({ hasText: 'Tobias Richter' }).first().waitFor();
    await rows.filter({ hasText: 'Amina Haddad' }).first().waitFor();
    await assertAccessible(page, 'knowledge-audit');
    await signOut(page);
  });
});
