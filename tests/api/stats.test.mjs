// Statistics API (issue 11): the table endpoint against the real binary — the statistics record
// follows case work in the same transaction, survives erasure, role scopes, protection, exports,
// and bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, api, DEMO_USERS } from '../lib/server.mjs';

let server;
const today = new Date().toISOString().slice(0, 10);
const thisMonth = today.slice(0, 7);
const lastMonth = (() => {
  const d = new Date(`${thisMonth}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
})();
const yearAgo = `${Number(thisMonth.slice(0, 4)) - 1}${thisMonth.slice(4)}`;

async function as(email) {
  const c = api(server.baseUrl);
  await c.loginOk(email);
  return c;
}
const fields = (res) => (res.body?.errors ?? []).map((e) => e.field);
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
  assert.deepEqual(fields(res).sort(), ['abroad', 'residence_status']);

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
  assert.deepEqual(fields(res), ['residence_status']);
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
  assert.deepEqual(fields(await table(coordinator, { ...q, state: 'BY' })), ['state']);
  assert.deepEqual(fields(await table(coordinator, { ...q, to: thisMonth })), ['to']);
  assert.deepEqual(fields(await table(coordinator, { ...q, exact: 'true' })), ['exact']);

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
  assert.deepEqual(fields(await table(c, { ...q, rows: 'client_name' })), ['rows']);
  assert.deepEqual(fields(await table(c, { ...q, cols: 'month' })), ['cols']);
  assert.deepEqual(fields(await table(c, { ...q, measure: 'cases_opened', rows: 'channel' })), ['rows']);
  assert.deepEqual(fields(await table(c, { ...q, from: '2026-13' })), ['from']);
  assert.deepEqual(fields(await table(c, { ...q, to: '2999-01' })), ['to']);
  assert.deepEqual(fields(await table(c, { ...q, from: thisMonth, to: yearAgo })), ['to']);
  assert.deepEqual(fields(await table(c, { ...q, state: 'XX' })), ['state']);
  assert.deepEqual(fields(await table(c, { ...q, layers: 'topic' })), ['layers']);
  assert.deepEqual(fields(await table(c, { ...q, centre: 'centre-by-1' })), ['centre']);
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
  assert.deepEqual(fields(await table(c, { ...q, format: 'doc' })), ['format']);
});

test('PDF export: the same figures as the JSON table, protected ones included, read back with pdftotext', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fairdesk-stats-pdf-'));
  try {
    for (const [email, q, mark] of [
      [DEMO_USERS.advisor, { measure: 'consultations', rows: 'channel', from: yearAgo, to: thisMonth }, /Exakte Werte/],
      [DEMO_USERS.programme, { measure: 'consultations', rows: 'state', from: yearAgo, to: lastMonth, lang: 'en' },
        /Protected: values 1–4 shown as ·/],
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
      const lines = text.split('\n').map((l) => l.trim().split(/\s{2,}/));
      for (const cell of json.cells) {
        const line = lines.find((l) => l[0] === cell.row);
        assert.ok(line, `${cell.row} in ${text}`);
        assert.equal(line.at(-1), cell.suppressed ? '·' : String(cell.value), cell.row);
      }
      const total = lines.find((l) => l[0] === 'Summe' || l[0] === 'Total');
      assert.equal(total.at(-1), json.total.suppressed ? '·' : String(json.total.value));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
