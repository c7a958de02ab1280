// Statistics API (issue 11): the table endpoint against the real binary — the statistics record
// follows case work in the same transaction, survives erasure, role scopes, protection, exports,
// and bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, api, DEMO_USERS, errorFields, signedIn } from '../lib/server.mjs';

let server;
const today = new Date().toISOString().slice(0, 10);
const thisMonth = today.slice(0, 7);
const lastMonth = (() => {
  const d = new Date(`${thisMonth}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
})();
const yearAgo = `${Number(thisMonth.slice(0, 4)) - 1}${thisMonth.slice(4)}`;

const as = (email) => signedIn(server.baseUrl, email);
const table = (c, q) => c.get(`/api/v1/stats/table?${new URLSearchParams(q)}`);

before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

test('case work is counted in the same transaction, and erasure changes no figure', async () => {
  const c = await as(DEMO_USERS.advisor);
  const q = { measure: 'consultations', rows: 'month', from: yearAgo, to: thisMonth };
  let res = await table(c, q);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.protected, false);
  assert.equal(res.body.centre, 'centre-be-1');
  const before = res.body.total.value;
  const opened = (await table(c, { ...q, measure: 'cases_opened', rows: 'residence_status' })).body.total.value;

  const client = (await c.post('/api/v1/clients', { nationality: 'SY', birth_year: 1990, gender: 'female', languages: ['ar'] })).body;
  const k = (await c.post('/api/v1/cases', { client_id: client.id, topics: ['wages'] })).body;
  for (const kind of ['acute', 'preventive']) {
    res = await c.post(`/api/v1/cases/${k.id}/consultations`, { date: today, duration_minutes: 30, channel: 'phone',
      language: 'ar', kind, notes: 'n' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  res = await table(c, q);
  assert.equal(res.body.total.value, before + 2);
  const cell = res.body.cells.find((x) => x.row === thisMonth);
  assert.ok(cell.value >= 2);
  res = await table(c, { ...q, rows: 'kind', cols: 'contact' });
  assert.equal(res.body.cells.find((x) => x.row === 'preventive' && x.col === 'follow_up').suppressed, false);
  assert.equal((await table(c, { ...q, measure: 'cases_opened', rows: 'residence_status' })).body.total.value, opened + 1);

  // Erasure on request: the case is anonymised, the client deleted; the figures stay.
  const snapshot = (await table(c, { ...q, rows: 'nationality', cols: 'kind' })).body;
  res = await c.del(`/api/v1/clients/${client.id}`);
  assert.equal(res.status, 204);
  assert.deepEqual((await table(c, { ...q, rows: 'nationality', cols: 'kind' })).body, snapshot);
  const persons = (await table(c, { ...q, measure: 'persons', rows: 'year' })).body;
  assert.ok(persons.total.value >= 1);
});

test('residence status and place of residence: recorded at intake, changed with the client, counted in the statistics', async () => {
  const c = await as(DEMO_USERS.advisor);
  const q = { measure: 'cases_opened', from: yearAgo, to: thisMonth };
  const cellOf = async (rows, key) => {
    const res = await table(c, { ...q, rows });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.cells.find((x) => x.row === key)?.value ?? 0;
  };
  const before = { tolerated: await cellOf('residence_status', 'tolerated'), employment: await cellOf('residence_status', 'employment'),
    abroad: await cellOf('abroad', 'abroad'), germany: await cellOf('abroad', 'germany') };

  // Bad values: 422 naming the field, no client created.
  let res = await c.post('/api/v1/clients', { gender: 'male', residence_status: 'refugee', abroad: 'yes' });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res).sort(), ['abroad', 'residence_status']);

  res = await c.post('/api/v1/clients', { nationality: 'ER', gender: 'male', residence_status: 'tolerated', abroad: true });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const client = res.body;
  assert.equal(client.residence_status, 'tolerated');
  assert.equal(client.abroad, true);
  assert.equal((await c.post('/api/v1/cases', { client_id: client.id, topics: ['wages'] })).status, 201);
  assert.equal(await cellOf('residence_status', 'tolerated'), before.tolerated + 1);
  assert.equal(await cellOf('abroad', 'abroad'), before.abroad + 1);

  res = await c.patch(`/api/v1/clients/${client.id}`, { residence_status: 'status-x' });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['residence_status']);
  res = await c.patch(`/api/v1/clients/${client.id}`, { residence_status: 'employment', abroad: false });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.residence_status, 'employment');
  assert.equal(res.body.abroad, false);
  assert.equal(await cellOf('residence_status', 'tolerated'), before.tolerated);
  assert.equal(await cellOf('residence_status', 'employment'), before.employment + 1);
  assert.equal(await cellOf('abroad', 'abroad'), before.abroad);
  assert.equal(await cellOf('abroad', 'germany'), before.germany + 1);
  res = await c.patch(`/api/v1/clients/${client.id}`, { residence_status: null, abroad: null });
  assert.equal(res.status, 200);
  assert.equal(res.body.residence_status, null);
  assert.equal(res.body.abroad, null);
  assert.equal(await cellOf('abroad', 'germany'), before.germany);
});

test('role scopes: own centre exact, state and nationwide protected, admin none', async () => {
  const q = { measure: 'cases_opened', rows: 'state', from: yearAgo, to: lastMonth };
  const lead = await as(DEMO_USERS.centreLead);
  let res = await table(lead, { ...q, to: thisMonth });
  assert.equal(res.body.protected, false);
  assert.deepEqual(res.body.cells.map((x) => x.row), ['BE']);

  const coordinator = await as(DEMO_USERS.stateCoordinator);
  res = await table(coordinator, q);
  assert.equal(res.status, 200);
  assert.equal(res.body.protected, true);
  assert.equal(res.body.state, 'BE');
  for (const x of res.body.cells) {
    assert.equal(x.row, 'BE');
    if (x.suppressed) assert.equal(x.value, null);
    else assert.ok(x.value === 0 || x.value >= 5, `published ${x.value}`);
  }
  assert.deepEqual(errorFields(await table(coordinator, { ...q, state: 'BY' })), ['state']);
  assert.deepEqual(errorFields(await table(coordinator, { ...q, to: thisMonth })), ['to']);
  assert.deepEqual(errorFields(await table(coordinator, { ...q, exact: 'true' })), ['exact']);

  const programme = await as(DEMO_USERS.programme);
  res = await table(programme, { ...q, rows: 'topic', cols: 'gender' });
  assert.equal(res.status, 200);
  assert.equal(res.body.protected, true);
  // Small demo figures: every non-zero count below 5 is hidden, and so is what would give it away.
  for (const x of [...res.body.cells, ...res.body.row_totals, ...res.body.col_totals, res.body.total]) {
    if (!x.suppressed) assert.ok(x.value === 0 || x.value >= 5);
  }

  const fachstelle = await as(DEMO_USERS.competenceCentre);
  assert.equal((await table(fachstelle, q)).body.protected, true);
  assert.equal((await table(fachstelle, { ...q, centre: 'centre-fachstelle' })).body.protected, false);

  const admin = await as(DEMO_USERS.admin);
  assert.equal((await table(admin, q)).status, 403);
  assert.equal((await api(server.baseUrl).get(`/api/v1/stats/table?${new URLSearchParams(q)}`)).status, 401);
});

test('bad input: 422 naming the field, nothing leaks', async () => {
  const c = await as(DEMO_USERS.advisor);
  const q = { measure: 'consultations', rows: 'month', from: yearAgo, to: thisMonth };
  assert.deepEqual(errorFields(await table(c, { ...q, rows: 'client_name' })), ['rows']);
  assert.deepEqual(errorFields(await table(c, { ...q, cols: 'month' })), ['cols']);
  assert.deepEqual(errorFields(await table(c, { ...q, measure: 'cases_opened', rows: 'channel' })), ['rows']);
  assert.deepEqual(errorFields(await table(c, { ...q, from: '2026-13' })), ['from']);
  assert.deepEqual(errorFields(await table(c, { ...q, to: '2999-01' })), ['to']);
  assert.deepEqual(errorFields(await table(c, { ...q, from: thisMonth, to: yearAgo })), ['to']);
  assert.deepEqual(errorFields(await table(c, { ...q, state: 'XX' })), ['state']);
  assert.deepEqual(errorFields(await table(c, { ...q, layers: 'topic' })), ['layers']);
  assert.deepEqual(errorFields(await table(c, { ...q, centre: 'centre-by-1' })), ['centre']);
  const coordinator = await as(DEMO_USERS.stateCoordinator);
  const other = await table(coordinator, { ...q, to: lastMonth, centre: 'centre-by-1' });
  const missing = await table(coordinator, { ...q, to: lastMonth, centre: 'centre-zz-9' });
  assert.equal(other.status, 422);
  assert.deepEqual(other.body.errors, missing.body.errors);
});

test('exports: CSV (comma and semicolon, formula-safe) and XLSX of the same figures', async () => {
  const c = await as(DEMO_USERS.advisor);
  const q = { measure: 'consultations', rows: 'channel', from: yearAgo, to: thisMonth };
  const json = (await table(c, q)).body;
  let res = await table(c, { ...q, format: 'csv' });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/csv; charset=utf-8/);
  assert.match(res.headers.get('content-disposition'), /attachment; filename="fairdesk-consultations-/);
  const lines = res.body.replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.equal(lines[0], 'channel,consultations');
  for (const cell of json.cells) assert.ok(lines.includes(`${cell.row},${cell.value}`), cell.row);
  assert.equal(lines.at(-1), `total,${json.total.value}`);
  res = await table(c, { ...q, format: 'csv', delimiter: 'semicolon' });
  assert.equal(res.body.replace(/^\uFEFF/, '').split('\r\n')[0], 'channel;consultations');
  res = await table(c, { ...q, format: 'xlsx' });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.ok(res.body.startsWith('PK'));
  assert.deepEqual(errorFields(await table(c, { ...q, format: 'doc' })), ['format']);

  // The XLSX is for people: measure, dimension and values named in German, a quarter as text
  // ("2026-Q1": no date format shows a quarter), the figures as number cells.
  const dir = mkdtempSync(join(tmpdir(), 'fairdesk-stats-xlsx-'));
  try {
    const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const xlsx = async (query, name) => {
      const r = await fetch(new URL(`/api/v1/stats/table?${new URLSearchParams({ ...query, format: 'xlsx', lang: 'de' })}`,
        server.baseUrl), { headers: { Cookie: cookie } });
      assert.equal(r.status, 200);
      const file = join(dir, name);
      writeFileSync(file, Buffer.from(await r.arrayBuffer()));
      const part = (p) => execFileSync('unzip', ['-p', file, p]).toString('utf8');
      return { strings: part('xl/sharedStrings.xml'), sheet: part('xl/worksheets/sheet1.xml') };
    };
    const byChannel = await xlsx(q, 'channel.xlsx');
    for (const text of ['fairdesk-Statistik: Beratungskontakte', '<t>Kanal</t>', '<t>Beratungskontakte</t>', '<t>Summe</t>']) {
      assert.ok(byChannel.strings.includes(text), text);
    }
    const names = { in_person: 'persönlich', phone: 'Telefon', video: 'Video', messenger: 'Messenger', email: 'E-Mail',
      outreach: 'aufsuchend' };
    for (const cell of json.cells) assert.ok(byChannel.strings.includes(`<t>${names[cell.row]}</t>`), cell.row);
    assert.ok(!byChannel.strings.includes('<t>in_person</t>'));
    const byQuarter = await xlsx({ ...q, rows: 'quarter' }, 'quarter.xlsx');
    const quarters = (await table(c, { ...q, rows: 'quarter' })).body.row_totals;
    for (const r of quarters) assert.ok(byQuarter.strings.includes(`<t>${r.row}</t>`), r.row);
    // Row 6 (the first figure row): the quarter a string cell, its figure a number cell.
    assert.match(byQuarter.sheet, /<c r="A6"[^>]* t="s"><v>\d+<\/v><\/c><c r="B6"[^>]*><v>\d+<\/v>/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('PDF export: the same figures as the JSON table, protected ones included, read back with pdftotext', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fairdesk-stats-pdf-'));
  try {
    // Rows, header and figures are named and formatted in the language asked for.
    const channelsDe = { in_person: 'persönlich', phone: 'Telefon', video: 'Video', messenger: 'Messenger', email: 'E-Mail',
      outreach: 'aufsuchend' };
    const statesEn = { BW: 'Baden-Württemberg', BY: 'Bavaria', BE: 'Berlin', BB: 'Brandenburg', HB: 'Bremen', HH: 'Hamburg',
      HE: 'Hesse', MV: 'Mecklenburg-Western Pomerania', NI: 'Lower Saxony', NW: 'North Rhine-Westphalia',
      RP: 'Rhineland-Palatinate', SL: 'Saarland', SN: 'Saxony', ST: 'Saxony-Anhalt', SH: 'Schleswig-Holstein', TH: 'Thuringia' };
    for (const [email, q, mark, header, name, locale] of [
      [DEMO_USERS.advisor, { measure: 'consultations', rows: 'channel', from: yearAgo, to: thisMonth }, /Exakte Werte/,
        /Kanal\s+Beratungskontakte/, (k) => channelsDe[k], 'de-DE'],
      [DEMO_USERS.programme, { measure: 'consultations', rows: 'state', from: yearAgo, to: lastMonth, lang: 'en' },
        /Protected: values 1–4 shown as ·/, /State\s+Consultations/, (k) => statesEn[k], 'en-GB'],
    ]) {
      const c = await as(email);
      const json = (await table(c, q)).body;
      const pdf = await fetch(new URL(`/api/v1/stats/table?${new URLSearchParams({ ...q, format: 'pdf' })}`, server.baseUrl),
        { headers: { Cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
      assert.equal(pdf.status, 200);
      assert.equal(pdf.headers.get('content-type'), 'application/pdf');
      assert.match(pdf.headers.get('content-disposition'), /attachment; filename="fairdesk-consultations-.*\.pdf"/);
      const file = join(dir, 'table.pdf');
      writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
      const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']).toString('utf8');
      assert.match(text, mark);
      assert.match(text, header);
      const shown = (f) => (f.suppressed ? '·' : f.value.toLocaleString(locale));
      const lines = text.split('\n').map((l) => l.trim().split(/\s{2,}/));
      for (const cell of json.cells) {
        assert.ok(name(cell.row), cell.row);
        const line = lines.find((l) => l[0] === name(cell.row));
        assert.ok(line, `${cell.row} in ${text}`);
        assert.equal(line.at(-1), shown(cell), cell.row);
      }
      const total = lines.find((l) => l[0] === 'Summe' || l[0] === 'Total');
      assert.equal(total.at(-1), shown(json.total));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The annual report: pdftotext -layout gives one line per table row with cells apart by two or
// more spaces; a table is found by its header row and read until its total row (repeated header
// rows and page footers after a page break are skipped).
function readTable(text, header) {
  const lines = text.split('\n').map((l) => l.trim().split(/\s{2,}/));
  const same = (l) => l.length === header.length && l.every((c, i) => c === header[i]);
  const start = lines.findIndex(same);
  assert.ok(start >= 0, `table ${header.join(' | ')} in\n${text}`);
  const rows = [];
  for (const l of lines.slice(start + 1)) {
    if (same(l) || l.length < header.length) continue;  // repeated header, footer, blank
    rows.push(l);
    if (l[0] === 'Summe' || l[0] === 'Total') break;
  }
  return rows;
}
// "1.234" (de), "1,234" (en), "1.234,56 €", "€1,234.56" → the integer (cents for money).
const number = (s) => (s === '·' ? null : Number(s.replace(/[^0-9-]/g, '')));
const shown = (f) => (f.suppressed ? null : f.value);

async function fetchReport(c, q, dir) {
  const res = await fetch(new URL(`/api/v1/stats/report?${new URLSearchParams(q)}`, server.baseUrl),
    { headers: { Cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  assert.match(res.headers.get('content-disposition'), /^attachment; filename="fairdesk-annual-report-\d{4}.*\.pdf"$/);
  const file = join(dir, `report-${q.lang ?? 'de'}.pdf`);
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']).toString('utf8');
}

test('annual report PDF in German and English: the figures of the table endpoint, exact and protected, and a closed year', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fairdesk-stats-report-'));
  const YEAR = '2024';  // a year long past, whatever today is
  try {
    const advisor = await as(DEMO_USERS.advisor);
    const lead = await as(DEMO_USERS.centreLead);
    const topicsList = (await lead.get('/api/v1/topics')).body.items;
    const client = (await advisor.post('/api/v1/clients', { nationality: 'UA', birth_year: 1980, gender: 'female', languages: ['uk'] })).body;
    const k = (await advisor.post('/api/v1/cases', { client_id: client.id, topics: ['dismissal'] })).body;
    for (const [date, channel] of [['2024-02-03', 'phone'], ['2024-02-10', 'in_person'], ['2024-05-06', 'video'],
      ['2024-11-20', 'phone'], ['2023-05-04', 'phone']]) {
      const res = await advisor.post(`/api/v1/cases/${k.id}/consultations`, { date, duration_minutes: 20, channel,
        language: 'uk', kind: 'preventive', notes: 'n' });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    const year = { from: `${YEAR}-01`, to: `${YEAR}-12` };
    const json = async (c, q) => {
      const res = await table(c, { ...year, ...q });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };

    // Centre lead, German: exact figures of the centre.
    let text = await fetchReport(lead, { year: YEAR }, dir);
    assert.match(text, new RegExp(`Jahresbericht ${YEAR} – Faire\\s+Integration Berlin`));
    assert.match(text, /Exakte Zahlen der eigenen Beratungsstelle/);
    const keyRows = readTable(text, ['Kennzahl', YEAR, '2023', 'Veränderung']);
    const measures = [['Beratungskontakte', 'consultations'], ['Beratene Personen', 'persons'], ['Eröffnete Fälle', 'cases_opened'],
      ['Abgeschlossene Fälle', 'cases_closed'], ['Gesicherte Löhne', 'wages_recovered_cents']];
    for (const [label, measure] of measures) {
      const row = keyRows.find((r) => r[0] === label);
      assert.ok(row, label);
      assert.equal(number(row[1]), (await json(lead, { measure, rows: 'year' })).total.value, label);
      assert.equal(number(row[2]), (await json(lead, { measure, rows: 'year', from: '2023-01', to: '2023-12' })).total.value, label);
    }
    const months = await json(lead, { measure: 'consultations', rows: 'month' });
    const monthRows = readTable(text, ['Monat', YEAR, '2023']);
    assert.deepEqual(monthRows.map((r) => number(r[1])), [...months.row_totals.map(shown), months.total.value]);
    assert.equal(monthRows[1][0], 'Feb');
    const topics = await json(lead, { measure: 'consultations', rows: 'topic' });
    const topicRows = readTable(text, ['Thema', YEAR]);
    for (const t of topics.row_totals) {
      const label = topicsList.find((x) => x.code === t.row)?.labels?.de ?? t.row;
      assert.equal(number(topicRows.find((r) => r[0] === label)?.[1] ?? 'missing'), t.value, label);
    }
    const channels = await json(lead, { measure: 'consultations', rows: 'channel' });
    assert.equal(readTable(text, ['Zugangsweg', YEAR]).length, channels.row_totals.length + 1);

    // Programme, English: protected nationwide figures, "·" where the table endpoint suppresses.
    const programme = await as(DEMO_USERS.programme);
    text = await fetchReport(programme, { year: YEAR, lang: 'en' }, dir);
    assert.match(text, new RegExp(`Annual report ${YEAR} – nationwide`));
    assert.match(text, /Protected figures: values of 1 to 4/);
    const pMonths = await json(programme, { measure: 'consultations', rows: 'month' });
    assert.deepEqual(readTable(text, ['Month', YEAR, '2023']).map((r) => number(r[1])),
      [...pMonths.row_totals.map(shown), shown(pMonths.total)]);
    const pStates = await json(programme, { measure: 'consultations', rows: 'state' });
    assert.deepEqual(readTable(text, ['State', YEAR]).map((r) => number(r[1])),
      [...pStates.row_totals.map(shown), shown(pStates.total)]);
    assert.ok(pStates.row_totals.some((r) => r.suppressed), 'small demo figures are suppressed');
    const pKeys = readTable(text, ['Measure', YEAR, '2023', 'Change']);
    assert.equal(number(pKeys.find((r) => r[0] === 'Consultations')[1]),
      shown((await json(programme, { measure: 'consultations', rows: 'year' })).total));

    // A closed year: the report shows the closed figures and says so, late entries do not move it.
    assert.equal((await lead.post('/api/v1/stats/periods', { period: YEAR })).status, 201);
    await advisor.post(`/api/v1/cases/${k.id}/consultations`, { date: '2024-02-20', duration_minutes: 20, channel: 'phone',
      language: 'uk', kind: 'acute', notes: 'late' });
    text = await fetchReport(lead, { year: YEAR }, dir);
    assert.match(text, new RegExp(`Abgeschlossener\\s+Zeitraum\\s+${YEAR},\\s+abgeschlossen\\s+am\\s+\\d{4}-\\d\\d-\\d\\d\\.\\s+Stand:\\s+wie\\s+abgeschlossen\\.`));
    assert.deepEqual(readTable(text, ['Monat', YEAR, '2023']).map((r) => number(r[1])), [...months.row_totals.map(shown), months.total.value]);

    // Bad input: 4xx naming the field.
    const reportOf = (c, q) => c.get(`/api/v1/stats/report?${new URLSearchParams(q)}`);
    assert.deepEqual(errorFields(await reportOf(lead, {})), ['year']);
    assert.deepEqual(errorFields(await reportOf(lead, { year: '1999' })), ['year']);
    assert.deepEqual(errorFields(await reportOf(lead, { year: '3000' })), ['year']);
    assert.deepEqual(errorFields(await reportOf(lead, { year: 'x' })), ['year']);
    assert.deepEqual(errorFields(await reportOf(lead, { year: YEAR, lang: 'fr' })), ['lang']);
    assert.deepEqual(errorFields(await reportOf(lead, { year: YEAR, format: 'pdf' })), ['format']);
    assert.deepEqual(errorFields(await reportOf(lead, { year: YEAR, centre: 'centre-by-1' })), ['centre']);
    assert.deepEqual(errorFields(await reportOf(await as(DEMO_USERS.stateCoordinator), { year: YEAR, state: 'BY' })), ['state']);
    assert.equal((await reportOf(await as(DEMO_USERS.admin), { year: YEAR })).status, 403);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
