// Issue 8 #4: the data-subject export is a ZIP archive streamed while it is read (manifest.json
// and each document, read and decrypted one at a time, outside any write transaction), and a case
// holds at most a quota of documents and bytes. One server with small quotas, against the real
// binary (FAIRDESK_BIN), on SQLite or, with FAIRDESK_TEST_DB_URL, on PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startServer, api, DEMO_USERS } from '../lib/server.mjs';
import { readZip } from '../lib/zip.mjs';

const QUOTA_DOCUMENTS = 12;
const QUOTA_MIB = 12;
const MiB = 1024 * 1024;

let server;
before(async () => {
  server = await startServer({
    extraArgs: ['--case-quota-documents', String(QUOTA_DOCUMENTS), '--case-quota-mib', String(QUOTA_MIB)],
    // AddressSanitizer keeps freed memory in a quarantine (256 MiB by default) to catch use after
    // free; that would make the resident size follow everything allocated, which a release build
    // does not. A small quarantine keeps the check meaningful under the sanitizer too.
    env: { ASAN_OPTIONS: `${process.env.ASAN_OPTIONS ?? ''}:quarantine_size_mb=8:thread_local_quarantine_size_kb=256` },
  });
});
after(async () => {
  await server?.stop();
});

/** A PDF of `size` bytes: a real header, then random (incompressible) bytes. */
function pdf(size) {
  const head = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1');
  return Buffer.concat([head, randomBytes(size - head.length)]);
}

const sha = (b) => createHash('sha256').update(b).digest('hex');

function upload(client, caseId, body, filename) {
  return client.request('POST', `/api/v1/cases/${caseId}/documents`, {
    body,
    headers: { 'Content-Type': 'application/pdf', 'X-Filename': encodeURIComponent(filename) },
  });
}

async function advisor() {
  const c = api(server.baseUrl);
  await c.loginOk(DEMO_USERS.advisor);
  return c;
}

async function newClientWithCases(c, n) {
  const client = await c.post('/api/v1/clients', { nationality: 'SY', name: 'Export Quota' });
  assert.equal(client.status, 201);
  const cases = [];
  for (let i = 0; i < n; i++) {
    const k = await c.post('/api/v1/cases', { client_id: client.body.id, topics: ['wages'] });
    assert.equal(k.status, 201);
    cases.push(k.body);
  }
  return { client: client.body, cases };
}

// The server's own memory (heap and stacks: RssAnon). File-backed pages are left out: SQLite
// reads the database through mmap, so the database pages an export reads count in VmRSS although
// they are the kernel's page cache, shared and reclaimable, and bounded by the file, not by the
// request.
const rssBytes = () => Number(readFileSync(`/proc/${server.process.pid}/status`, 'utf8').match(/RssAnon:\s+(\d+) kB/)[1]) * 1024;

test('issue8_04_case_quota_documents: a case takes at most its quota of documents; the next upload is refused with 422 naming the file', async () => {
  const c = await advisor();
  const { cases: [k] } = await newClientWithCases(c, 1);
  for (let i = 0; i < QUOTA_DOCUMENTS; i++) {
    assert.equal((await upload(c, k.id, pdf(2000), `Lohn ${i}.pdf`)).status, 201);
  }
  // A withdrawn document is kept, so it still counts.
  const list = await c.get(`/api/v1/cases/${k.id}/documents?limit=100`);
  assert.equal(list.body.items.length, QUOTA_DOCUMENTS);
  const withdrawn = await c.patch(`/api/v1/documents/${list.body.items[0].id}`, { withdrawn: true, reason: 'falscher Fall' });
  assert.equal(withdrawn.status, 200);
  const refused = await upload(c, k.id, pdf(2000), 'eins zu viel.pdf');
  assert.equal(refused.status, 422);
  assert.equal(refused.headers.get('content-type'), 'application/problem+json');
  assert.match(refused.body.type, /case-quota/);
  assert.equal(refused.body.errors[0].field, 'file');
  assert.match(refused.body.errors[0].message, new RegExp(`${QUOTA_DOCUMENTS} documents`));
  // A correction is a new version beside the kept old one: it counts too, and is refused alike.
  const version = await c.request('POST', `/api/v1/documents/${list.body.items[1].id}/versions`, {
    body: pdf(2000),
    headers: { 'Content-Type': 'application/pdf', 'X-Filename': 'korrigiert.pdf', 'X-Reason': 'Tippfehler' },
  });
  assert.equal(version.status, 422);
  assert.match(version.body.type, /case-quota/);
  assert.equal(version.body.errors[0].field, 'file');
  const after = await c.get(`/api/v1/cases/${k.id}/documents?limit=100`);
  assert.equal(after.body.items.length, QUOTA_DOCUMENTS);
  assert.equal(after.body.items.find((d) => d.id === list.body.items[1].id).withdrawn, false, 'nothing changed');
});

test('issue8_04_case_quota_bytes: a case takes documents up to its quota of bytes, exactly, and no byte more', async () => {
  const c = await advisor();
  const { cases: [k] } = await newClientWithCases(c, 1);
  assert.equal((await upload(c, k.id, pdf(5 * MiB), 'Vertrag.pdf')).status, 201);
  assert.equal((await upload(c, k.id, pdf(5 * MiB), 'Lohnzettel.pdf')).status, 201);
  const refused = await upload(c, k.id, pdf(QUOTA_MIB * MiB - 10 * MiB + 1), 'zu gross.pdf');
  assert.equal(refused.status, 422);
  assert.equal(refused.body.errors[0].field, 'file');
  assert.match(refused.body.errors[0].message, new RegExp(`${QUOTA_MIB} MiB`));
  assert.equal((await upload(c, k.id, pdf(QUOTA_MIB * MiB - 10 * MiB), 'passt genau.pdf')).status, 201);
  assert.equal((await c.get(`/api/v1/cases/${k.id}/documents?limit=100`)).body.items.length, 3);
});

test('issue8_04_streamed_zip_export: a 27 MiB export streams with bounded server memory, outside any write transaction, and holds every document intact', async () => {
  const c = await advisor();
  const { client, cases } = await newClientWithCases(c, 3);
  const uploaded = new Map(); // document id → { sha, size, name }
  // 3 cases × 12 documents of 0.75 MiB: 27 MiB of documents (each case at its quota of documents).
  for (const [index, k] of cases.entries()) {
    const sizes = Array(QUOTA_DOCUMENTS).fill(0.75 * MiB);
    for (const [i, size] of sizes.entries()) {
      const bytes = pdf(size);
      const name = `Fall ${index} Dokument ${i}.pdf`;
      const res = await upload(c, k.id, bytes, name);
      assert.equal(res.status, 201);
      uploaded.set(res.body.id, { sha: sha(bytes), size, name });
    }
  }
  const totalUploaded = [...uploaded.values()].reduce((n, d) => n + d.size, 0);
  assert.equal(totalUploaded, 27 * MiB);

  const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const before = rssBytes();
  const response = await fetch(`${server.baseUrl}/api/v1/clients/${client.id}/export`, { headers: { Cookie: cookie } });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'application/zip');
  assert.equal(response.headers.get('transfer-encoding'), 'chunked');
  assert.match(response.headers.get('content-disposition'), /attachment; filename="client-export.zip"/);
  const reader = response.body.getReader();
  const chunks = [];
  let received = 0;
  let peak = before;
  let wroteMeanwhile = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    peak = Math.max(peak, rssBytes());
    if (!wroteMeanwhile && received > 9 * MiB) {
      // Mid-export, with the rest not yet read: another person's write goes through at once,
      // since no transaction is held while the export is sent.
      wroteMeanwhile = true;
      const other = api(server.baseUrl);
      await other.loginOk(DEMO_USERS.centreLead);
      const created = await other.post('/api/v1/clients', { nationality: 'UA' });
      assert.equal(created.status, 201);
    }
  }
  assert.ok(wroteMeanwhile);
  const growth = peak - before;
  console.log(`export ${(received / MiB).toFixed(1)} MiB, server anonymous RSS ${(before / MiB).toFixed(0)} → peak ` +
    `${(peak / MiB).toFixed(0)} MiB (+${(growth / MiB).toFixed(1)} MiB)`);
  assert.ok(received > totalUploaded, 'the archive holds every document');
  // Bounded: the server holds one document (a few copies of it while it is read and decrypted)
  // and a slice in flight, never the export, which the old JSON export held several times over
  // (decrypted, base64-encoded, serialised: well over twice the 27 MiB).
  assert.ok(growth < 12 * MiB, `server memory grew by ${(growth / MiB).toFixed(1)} MiB during a ${(received / MiB).toFixed(0)} MiB export`);

  const entries = readZip(Buffer.concat(chunks));
  const manifest = JSON.parse(entries.get('manifest.json'));
  assert.equal(manifest.client.id, client.id);
  assert.equal(manifest.client.name, 'Export Quota');
  assert.deepEqual(new Set(manifest.cases.map((x) => x.id)), new Set(cases.map((x) => x.id)));
  const listed = manifest.cases.flatMap((x) => x.documents);
  assert.equal(listed.length, uploaded.size);
  for (const d of listed) {
    const want = uploaded.get(d.id);
    assert.ok(want, `document ${d.id} was uploaded`);
    assert.equal(d.filename, want.name);
    assert.equal(d.size_bytes, want.size);
    assert.equal(d.file, `documents/${d.id}/${want.name}`);
    assert.equal(entries.get(d.file).length, want.size);
    assert.equal(sha(entries.get(d.file)), want.sha, `${d.file} arrives intact`);
    assert.equal('content_base64url' in d, false);
  }
  assert.equal(entries.size, uploaded.size + 1);
});

test('issue8_04_export_audited_and_scoped: the export is audited once, and another centre gets 404 without a byte of it', async () => {
  const c = await advisor();
  const { client } = await newClientWithCases(c, 1);
  const other = api(server.baseUrl);
  await other.loginOk(DEMO_USERS.advisorBayern);
  const refused = await other.get(`/api/v1/clients/${client.id}/export`);
  assert.equal(refused.status, 404);
  assert.equal(refused.headers.get('content-type'), 'application/problem+json');
  const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const response = await fetch(`${server.baseUrl}/api/v1/clients/${client.id}/export`, { headers: { Cookie: cookie } });
  const entries = readZip(Buffer.from(await response.arrayBuffer()));
  assert.deepEqual([...entries.keys()], ['manifest.json']);
  const lead = api(server.baseUrl);
  await lead.loginOk(DEMO_USERS.centreLead);
  const trail = await lead.get(`/api/v1/audit?record_id=${client.id}`);
  assert.equal(trail.status, 200);
  assert.equal(trail.body.items.filter((e) => e.action === 'export').length, 1);
});
