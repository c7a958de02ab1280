// The case work of a team over a week, in the browser: a new colleague joins the centre and the
// centre lead hands one case over to her from the case page (the case's history says who had it
// before, the audit trail has the change, the colleague finds the case on her dashboard and in her
// list, the previous advisor no longer has it); a link to page 3 of a long case list opens page 3
// again after a reload and for a colleague, with "previous page" working and no personal data in
// the address; a closed case is not offered for bulk assignment, and one closed meanwhile is named
// in the refusal; a deadline marked done by mistake is opened again; ticking a consent at intake fills in today's date. axe-core on every page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, DEMO_USERS, startServer } from '../lib/server.mjs';
import { waitUntil } from '../lib/wait.mjs';
import { assertAccessible, openBrowser, signIn, signOut } from '../lib/browser.mjs';

describe('a week of team work', () => {
  let server;
  let browser;
  let page;
  let advisor;
  let advisorMe;
  const colleague = { email: 'deniz.kaya@example.org', name: 'Deniz Kaya', password: 'deniz-eigenes-passwort' };

  before(async () => {
    server = await startServer();
    advisor = api(server.baseUrl);
    advisorMe = await advisor.loginOk(DEMO_USERS.advisor);
    // Monday: the admin adds a second advisor to the Berlin centre; she chooses her own password.
    const admin = api(server.baseUrl);
    await admin.loginOk(DEMO_USERS.admin);
    const created = await admin.post('/api/v1/users', { email: colleague.email, display_name: colleague.name, role: 'advisor', centre_id: 'centre-be-1' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    colleague.id = created.body.user.id;
    const newcomer = api(server.baseUrl);
    await newcomer.loginOk(colleague.email, created.body.initial_password);
    const changed = await newcomer.post('/api/v1/me/password', { current_password: created.body.initial_password, new_password: colleague.password });
    assert.equal(changed.status, 204, JSON.stringify(changed.body));
    browser = await openBrowser();
    page = browser.page;
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the centre lead hands one case to the new colleague from the case page', async () => {
    const client = (await advisor.post('/api/v1/clients', { nationality: 'PL', languages: ['pl'] })).body;
    const handed = (await advisor.post('/api/v1/cases', { client_id: client.id, topics: ['wages'] })).body;
    assert.equal(handed.assignee_id, advisorMe.id, 'the advisor who opened it has it');

    await signIn(page, server.baseUrl, DEMO_USERS.centreLead);
    await page.goto(`${server.baseUrl}/cases/${encodeURIComponent(handed.id)}`);
    await page.getByRole('heading', { level: 1, name: `Fall ${handed.number}` }).waitFor();
    const assign = page.getByTestId('case-assign');
    const picker = assign.getByLabel('Zuständig');
    await picker.locator('option', { hasText: `${colleague.name} (0 offen)` }).waitFor({ state: 'attached' });
    await picker.selectOption(colleague.id);
    await assertAccessible(page, 'team-assign-one-de');
    await assign.getByRole('button', { name: 'Zuweisen' }).click();
    await page.getByRole('status').filter({ hasText: `Der Fall ist jetzt ${colleague.name} zugewiesen.` }).waitFor();
    await page.getByTestId('case-header').getByTestId('case-assignee').filter({ hasText: colleague.name }).waitFor();
    // The picker counts the case for her now, and nothing is left to save.
    await picker.locator('option', { hasText: `${colleague.name} (1 offen)` }).waitFor({ state: 'attached' });
    assert.equal(await assign.getByRole('button', { name: 'Zuweisen' }).isDisabled(), true);

    // The case's history: who handed it over, when, and who had it before.
    const lead = api(server.baseUrl);
    const leadMe = await lead.loginOk(DEMO_USERS.centreLead);
    await page.getByRole('button', { name: 'Änderungsverlauf' }).click();
    const handover = page.getByTestId('history-entry').filter({ hasText: 'Zuständigkeit geändert · Fall' });
    await handover.getByText(`${leadMe.display_name}, `, { exact: false }).waitFor();
    await handover.getByRole('definition').filter({ hasText: advisorMe.display_name }).waitFor();
    await assertAccessible(page, 'team-assign-history-de');

    // The audit trail read by the lead, reached from the case page: the change, by her, on this
    // case number (no raw id on the page).
    await page.getByTestId('case-audit-link').click();
    await page.waitForURL((url) => url.pathname === '/audit' && url.searchParams.get('record_id') === handed.id);
    await page.getByTestId('audit-row').filter({ hasText: handed.number }).first().waitFor();
    assert.doesNotMatch(await page.getByTestId('audit-table').innerText(), /\bcase_[a-z0-9]{8,}/, 'no raw case ids');
    await page.goto(`${server.baseUrl}/audit?record_id=${encodeURIComponent(handed.id)}&record_type=case`);
    await page.getByTestId('audit-row').filter({ hasText: 'geändert' }).filter({ hasText: handed.number }).filter({ hasText: leadMe.display_name }).first().waitFor();
    const trail = (await lead.get(`/api/v1/audit?record_id=${encodeURIComponent(handed.id)}&limit=50`)).body.items;
    assert.ok(trail.some((e) => e.action === 'update' && e.user_id === leadMe.id), 'the reassignment is in the audit trail');
    // … and on her phone: the audit rows are cards (nothing scrolls sideways, not even inside the
    // table's box), each value under its column's name.
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      const changed = page.getByTestId('audit-row').filter({ hasText: 'geändert' }).filter({ hasText: handed.number }).first();
      await waitUntil(async () => (await changed.boundingBox())?.width <= 390, { timeoutMs: 10_000, what: 'the audit row as a card' });
      const boxes = await page.locator('.kern-table-responsive').evaluateAll((all) => all.map((e) => e.scrollWidth - e.clientWidth));
      assert.ok(boxes.length >= 1 && boxes.every((over) => over <= 0), `sideways scrolling inside the tables: ${boxes}`);
      assert.equal(await changed.getByTestId('audit-action').evaluate((el) => getComputedStyle(el, '::before').content), '"Aktion"');
      await assertAccessible(page, 'team-audit-phone-de', { fitsWidth: true });
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }

    // The colleague signs in: the case is on her dashboard and in her list.
    await signOut(page);
    await signIn(page, server.baseUrl, colleague.email, { password: colleague.password });
    const mine = page.getByTestId('dashboard-cases');
    await mine.getByRole('link', { name: handed.number }).waitFor();
    await mine.getByRole('link', { name: 'Alle meine Fälle' }).click();
    await page.waitForURL((url) => url.pathname === '/cases' && url.searchParams.get('assignee') === 'me');
    const row = page.getByTestId('case-row').filter({ hasText: handed.number });
    await row.getByTestId('case-assignee').filter({ hasText: `${colleague.name} (Sie)` }).waitFor();
    await assertAccessible(page, 'team-colleague-list-de');
    // Her case list on a phone: rows are cards with every column named, the sort buttons above them.
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await waitUntil(async () => (await row.boundingBox())?.width <= 390, { timeoutMs: 10_000, what: 'the case row as a card' });
      assert.equal(await row.getByTestId('case-next-deadline').evaluate((el) => getComputedStyle(el, '::before').content), '"Nächste Frist"');
      await page.getByTestId('sort-number').waitFor();
      const over = await page.locator('.kern-table-responsive').evaluate((e) => e.scrollWidth - e.clientWidth);
      assert.ok(over <= 0, `the case list scrolls sideways inside its box by ${over} px`);
      await assertAccessible(page, 'team-colleague-list-phone-de', { fitsWidth: true });
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    await signOut(page);
    // The advisor who had it no longer finds it among hers.
    const hers = (await advisor.get(`/api/v1/cases?assignee=me&client_id=${encodeURIComponent(client.id)}`)).body.items;
    assert.deepEqual(hers, []);
  });

  test('a link to page 3 of the case list opens page 3 again, with "previous page", for anyone of the centre', async () => {
    // A harvest crew: 101 cases on one client record (the list is filtered to it, so only these
    // count), in the default order (newest first), which the server pages by position.
    const crew = (await advisor.post('/api/v1/clients', { nationality: 'RO', languages: ['ro'] })).body;
    const numbers = [];
    for (let i = 0; i < 101; i++) {
      const created = await advisor.post('/api/v1/cases', { client_id: crew.id, topics: ['wages'] });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      numbers.push(created.body.number);
    }
    // The pages as the API gives them (cases opened in the same second are ordered by id).
    const pages = [];
    for (let cursor = ''; pages.length === 0 || cursor; ) {
      const res = await advisor.get(`/api/v1/cases?client_id=${encodeURIComponent(crew.id)}&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      pages.push(res.body.items.map((c) => c.number));
      cursor = res.body.next_cursor ?? '';
    }
    assert.deepEqual(pages.map((p) => p.length), [50, 50, 1]);
    await signIn(page, server.baseUrl, DEMO_USERS.advisor);
    await page.goto(`${server.baseUrl}/cases?client_id=${encodeURIComponent(crew.id)}`);
    const listed = async (p = page) => p.getByTestId('case-row').locator('th').allTextContents();
    const showing = (expected, what, p = page) =>
      waitUntil(async () => (await listed(p)).join() === expected.join(), { timeoutMs: 15_000, what });
    await showing(pages[0], 'page 1');
    await page.getByTestId('next-page').click();
    await page.getByTestId('page-number').filter({ hasText: 'Seite 2' }).waitFor();
    await showing(pages[1], 'page 2');
    await page.getByTestId('next-page').click();
    await page.getByTestId('page-number').filter({ hasText: 'Seite 3' }).waitFor();
    await showing(pages[2], 'page 3');
    assert.equal(await page.getByTestId('next-page').count(), 0, 'the last page');

    // The address: the filter and opaque positions only, no client code or other text of the cases.
    const address = new URL(page.url());
    assert.deepEqual([...new Set(address.searchParams.keys())].sort(), ['client_id', 'cursor', 'page', 'trail']);
    assert.equal(address.searchParams.get('page'), '3');
    for (const value of [address.searchParams.get('cursor'), ...address.searchParams.getAll('trail')]) {
      assert.ok(!value.includes(crew.code) && !numbers.some((n) => value.includes(n)), `cursor ${value} names no client or case`);
    }

    // A reload shows page 3 again, with the way back.
    await page.reload();
    await page.getByTestId('page-number').filter({ hasText: 'Seite 3' }).waitFor();
    await showing(pages[2], 'page 3 after a reload');
    await page.getByTestId('previous-page').waitFor();
    await assertAccessible(page, 'team-list-page-3-de');

    // The link sent to the centre lead opens the same page in her browser, and she pages back.
    const other = await openBrowser();
    try {
      await signIn(other.page, server.baseUrl, DEMO_USERS.centreLead);
      await other.page.goto(address.toString());
      await other.page.getByTestId('page-number').filter({ hasText: 'Seite 3' }).waitFor();
      await showing(pages[2], "page 3 in the lead's browser", other.page);
      await other.page.getByTestId('previous-page').click();
      await other.page.getByTestId('page-number').filter({ hasText: 'Seite 2' }).waitFor();
      await showing(pages[1], "page 2 in the lead's browser", other.page);
      await other.page.getByTestId('previous-page').click();
      await other.page.waitForURL((url) => !url.searchParams.has('cursor'));
      await showing(pages[0], "page 1 in the lead's browser", other.page);
      assert.equal(await other.page.getByTestId('page-number').count(), 0);
    } finally {
      await other.close();
    }

    // The browser's back and forward buttons walk the same pages.
    await page.getByTestId('previous-page').click();
    await page.getByTestId('page-number').filter({ hasText: 'Seite 2' }).waitFor();
    await showing(pages[1], 'page 2 by "previous page"');
    await page.goBack();
    await page.getByTestId('page-number').filter({ hasText: 'Seite 3' }).waitFor();
    await showing(pages[2], 'page 3 by the back button');
    await page.goForward();
    await page.getByTestId('page-number').filter({ hasText: 'Seite 2' }).waitFor();
    await showing(pages[1], 'page 2 by the forward button');
    // A new filter starts on the first page again.
    await page.getByLabel('Status', { exact: true }).selectOption('open');
    await page.waitForURL((url) => url.searchParams.get('status') === 'open' && !url.searchParams.has('cursor') && !url.searchParams.has('trail'));
    await showing(pages[0], 'page 1 of the open cases');
    await signOut(page);
  });

  test('bulk assignment: a closed case is not offered; one closed meanwhile is named in the refusal', async () => {
    const client = (await advisor.post('/api/v1/clients', { nationality: 'HR', languages: ['hr'] })).body;
    const open = [];
    for (let i = 0; i < 3; i++) open.push((await advisor.post('/api/v1/cases', { client_id: client.id, topics: ['leave'] })).body);
    const closed = (await advisor.post('/api/v1/cases', { client_id: client.id, topics: ['leave'] })).body;
    const close = (id) => advisor.patch(`/api/v1/cases/${encodeURIComponent(id)}`, { status: 'closed', closing_reason: 'resolved', outcome: { settled: true } });
    assert.equal((await close(closed.id)).status, 200);
    await signIn(page, server.baseUrl, DEMO_USERS.centreLead);
    await page.goto(`${server.baseUrl}/cases?client_id=${encodeURIComponent(client.id)}`);
    await page.getByRole('checkbox', { name: `${closed.number} ist abgeschlossen und kann erst nach dem Wiederöffnen zugewiesen werden` }).waitFor();
    assert.equal(await page.getByRole('checkbox', { name: new RegExp(`^${closed.number} ist abgeschlossen`) }).isDisabled(), true);
    await page.getByRole('checkbox', { name: 'Alle Fälle dieser Seite auswählen' }).check();
    const bulk = page.getByTestId('bulk-assign');
    await bulk.getByRole('heading', { name: '3 Fälle ausgewählt' }).waitFor();
    // Nothing is chosen yet: the button does not take the cases from their advisor.
    assert.equal(await bulk.getByLabel('Zuweisen an').inputValue(), '');
    assert.equal(await bulk.getByRole('button', { name: 'Zuweisen' }).isDisabled(), true);
    await assertAccessible(page, 'team-bulk-closed-de');
    // Meanwhile the advisor closes one of them: the refusal names it, and why; nothing is assigned.
    assert.equal((await close(open[1].id)).status, 200);
    await bulk.getByLabel('Zuweisen an').selectOption(colleague.id);
    await bulk.getByRole('button', { name: 'Zuweisen' }).click();
    await bulk.getByRole('alert').getByText(`${open[1].number}: Der Fall ist abgeschlossen. Bitte öffnen Sie ihn zuerst wieder.`).waitFor();
    const stored = await Promise.all(open.map(async (k) => (await advisor.get(`/api/v1/cases/${encodeURIComponent(k.id)}`)).body.assignee_id));
    assert.deepEqual(stored, open.map(() => advisorMe.id), 'all or nothing');
    await signOut(page);
  });

  test('a deadline marked done by mistake is opened again', async () => {
    const client = (await advisor.post('/api/v1/clients', { nationality: 'MD', languages: ['ro'] })).body;
    const k = (await advisor.post('/api/v1/cases', { client_id: client.id, topics: ['dismissal'] })).body;
    const created = await advisor.post(`/api/v1/cases/${encodeURIComponent(k.id)}/deadlines`, { kind: 'court_date', due_date: '2099-03-02', note: 'Gütetermin' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await signIn(page, server.baseUrl, DEMO_USERS.advisor);
    await page.goto(`${server.baseUrl}/cases/${encodeURIComponent(k.id)}`);
    const entry = page.getByTestId('timeline-deadline').filter({ hasText: 'Gütetermin' });
    await entry.getByRole('button', { name: 'Als erledigt markieren' }).click();
    await page.getByRole('status').filter({ hasText: 'Die Frist ist erledigt.' }).waitFor();
    await entry.getByRole('button', { name: 'Wieder als offen markieren' }).click();
    await page.getByRole('status').filter({ hasText: 'Die Frist ist wieder offen.' }).waitFor();
    await entry.getByRole('button', { name: 'Als erledigt markieren' }).waitFor();
    await page.getByTestId('summary-deadlines').getByRole('heading', { name: '1 offene Frist' }).waitFor();
    await assertAccessible(page, 'team-deadline-open-again-de');
    const stored = (await advisor.get(`/api/v1/cases/${encodeURIComponent(k.id)}/deadlines`)).body.items.find((d) => d.id === created.body.id);
    assert.equal(stored.done, false);
    await signOut(page);
  });

  test('the dashboard lists her open cases even when her last 200 changes were closings', async () => {
    // A busy month: three cases still open, then 201 cases opened and closed after them.
    const her = api(server.baseUrl);
    await her.loginOk(colleague.email, colleague.password);
    const open = [];
    for (let i = 0; i < 3; i++) {
      const client = (await her.post('/api/v1/clients', { nationality: 'BG' })).body;
      const k = await her.post('/api/v1/cases', { client_id: client.id, topics: ['wages'] });
      assert.equal(k.status, 201, JSON.stringify(k.body));
      open.push(k.body.number);
    }
    const closed = [];
    let next = 0;
    const closeOne = async () => {
      for (let i = next++; i < 201; i = next++) {
        const client = (await her.post('/api/v1/clients', { nationality: 'BG' })).body;
        const k = (await her.post('/api/v1/cases', { client_id: client.id, topics: ['leave'] })).body;
        const done = await her.patch(`/api/v1/cases/${encodeURIComponent(k.id)}`, { status: 'closed', closing_reason: 'resolved', outcome: { wages_recovered_cents: 0 } });
        assert.equal(done.status, 200, JSON.stringify(done.body));
        closed.push(k.number);
      }
    };
    await Promise.all(Array.from({ length: 6 }, closeOne));
    // All her open cases (the one handed to her earlier in the week too, if it ran).
    const active = (await her.get('/api/v1/cases?assignee=me&status=active&limit=50')).body.items.map((c) => c.number);
    assert.ok(open.every((n) => active.includes(n)) && active.length < 10, `open: ${active}`);

    await signIn(page, server.baseUrl, colleague.email, { password: colleague.password });
    const mine = page.getByTestId('dashboard-cases');
    await mine.getByTestId('dashboard-cases-count').filter({ hasText: `(${active.length})` }).waitFor();
    const listed = (await mine.getByTestId('dashboard-case').getByRole('link').allTextContents()).map((t) => t.trim());
    assert.deepEqual([...listed].sort(), [...active].sort());
    assert.ok(!listed.some((n) => closed.includes(n)), 'no closed case on the dashboard');
    await signOut(page);
  });

  test('intake: ticking a consent fills in today as its date, which can still be changed', async () => {
    await signIn(page, server.baseUrl, colleague.email, { password: colleague.password });
    await page.goto(`${server.baseUrl}/cases/new`);
    await page.getByRole('heading', { level: 1, name: 'Neuen Fall anlegen' }).waitFor();
    const date = page.getByLabel('Einwilligungen erteilt am');
    assert.equal(await date.inputValue(), '');
    await page.getByLabel('Kontaktaufnahme durch die Beratungsstelle').check();
    const today = await page.evaluate(() => {
      const d = new Date();
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    assert.equal(await date.inputValue(), today);
    await date.fill('2026-01-15');
    await page.getByLabel('Speicherung der Daten').check();
    assert.equal(await date.inputValue(), '2026-01-15', 'a date entered is not overwritten');
    await signOut(page);
  });
});
