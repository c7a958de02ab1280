// Documents of a case (issue 3): upload type-checked by content, encrypted at rest, listed,
// downloaded with the right headers, deleted; access only for the case's centre; every download
// audited. Against the real binary, on SQLite or (FAIRDESK_TEST_DB_URL) PostgreSQL.
import { getZip } from '../lib/zip.mjs';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { deflateSync } from 'node:zlib';
import { startServer, fairdeskBinary, DEMO_USERS, signedIn, errorFields } from '../lib/server.mjs';

let server;

const as = (email) => signedIn(server.baseUrl, email);


// A real 1×1 PNG, built here so the test needs no binary fixtures.
function png() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  const idat = deflateSync(Buffer.from([0, 255, 0, 0]));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n' +
  '<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

function upload(client, caseId, body, contentType, filename) {
  const headers = { 'Content-Type': contentType };
  if (filename !== undefined) headers['X-Filename'] = encodeURIComponent(filename);
  return client.request('POST', `/api/v1/cases/${caseId}/documents`, { body, headers });
}

// Raw download: the harness client decodes bodies as text, binary needs the bytes.
async function download(client, id) {
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(new URL(`/api/v1/documents/${id}`, server.baseUrl), { headers: { Cookie: cookie } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function newCase(client) {
  const person = await client.post('/api/v1/clients', { nationality: 'SY' });
  assert.equal(person.status, 201, JSON.stringify(person.body));
  const k = await client.post('/api/v1/cases', { client_id: person.body.id, topics: ['wages'] });
  assert.equal(k.status, 201, JSON.stringify(k.body));
  return k.body;
}

before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

test('upload, list, download and delete a document', async () => {
  const c = await as(DEMO_USERS.advisor);
  const k = await newCase(c);
  const name = 'Lohnabrechnung März – Kündigung.pdf';
  let res = await upload(c, k.id, PDF, 'application/pdf', name);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const doc = res.body;
  assert.match(doc.id, /^doc_/);
  assert.equal(doc.filename, name);
  assert.equal(doc.content_type, 'application/pdf');
  assert.equal(doc.size_bytes, PDF.length);
  assert.equal(doc.case_id, k.id);
  assert.match(doc.uploaded_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(res.headers.get('location'), `/api/v1/documents/${doc.id}`);

  res = await upload(c, k.id, png(), 'image/png', 'scan.png');
  assert.equal(res.status, 201, JSON.stringify(res.body));
  res = await upload(c, k.id, 'Notiz: Lohn fehlt seit März.\n', 'text/plain; charset=utf-8', 'notiz.txt');
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.content_type, 'text/plain');

  res = await c.get(`/api/v1/cases/${k.id}/documents`);
  assert.equal(res.status, 200);
  assert.equal(res.body.items.length, 3);
  assert.equal(res.body.next_cursor, null);
  const listed = res.body.items.find((d) => d.id === doc.id);
  assert.deepEqual(Object.keys(listed).sort(),
    ['case_id', 'change_reason', 'content_type', 'filename', 'id', 'replaced_by_id', 'replaces_id', 'size_bytes',
      'uploaded_at', 'uploaded_by', 'uploaded_by_name', 'withdrawn', 'withdrawn_at', 'withdrawn_by', 'withdrawn_by_name']);
  assert.equal(listed.filename, name);

  res = await c.get(`/api/v1/cases/${k.id}/documents?limit=2`);
  assert.equal(res.body.items.length, 2);
  assert.ok(res.body.next_cursor);
  const rest = await c.get(`/api/v1/cases/${k.id}/documents?limit=2&cursor=${encodeURIComponent(res.body.next_cursor)}`);
  assert.equal(rest.body.items.length, 1);
  assert.equal(rest.body.next_cursor, null);

  const got = await download(c, doc.id);
  assert.equal(got.status, 200);
  assert.equal(got.headers.get('content-type'), 'application/pdf');
  assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(got.headers.get('content-disposition'),
    `attachment; filename="Lohnabrechnung M_rz _ K_ndigung.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`);
  assert.ok(got.bytes.equals(PDF));

  res = await c.del(`/api/v1/documents/${doc.id}`);
  assert.equal(res.status, 204);
  assert.equal((await download(c, doc.id)).status, 404);
  assert.equal((await c.del(`/api/v1/documents/${doc.id}`)).status, 404);
});

function correct(client, id, body, contentType, filename, reason) {
  const headers = { 'Content-Type': contentType, 'X-Filename': encodeURIComponent(filename) };
  if (reason !== undefined) headers['X-Reason'] = encodeURIComponent(reason);
  return client.request('POST', `/api/v1/documents/${id}/versions`, { body, headers });
}

test('issue 7: a document is corrected by a new version; the old one stays, withdrawn with the reason', async () => {
  const c = await as(DEMO_USERS.advisor);
  const lead = await as(DEMO_USERS.centreLead);
  const other = await as(DEMO_USERS.advisorBayern);
  const k = await newCase(c);
  const first = (await upload(c, k.id, 'Lohnabrechnung Februar\n', 'text/plain', 'lohn.txt')).body;

  // Without a reason, with a bad file, from another centre: refused, nothing changes.
  let res = await correct(c, first.id, 'Lohnabrechnung März\n', 'text/plain', 'lohn-maerz.txt');
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['reason']);
  res = await correct(c, first.id, 'kein PDF', 'application/pdf', 'lohn.pdf', 'falscher Monat');
  assert.equal(res.status, 422, JSON.stringify(res.body));
  res = await correct(other, first.id, 'Lohnabrechnung März\n', 'text/plain', 'lohn-maerz.txt', 'falscher Monat');
  assert.equal(res.status, 404);
  assert.equal((await c.get(`/api/v1/cases/${k.id}/documents`)).body.items.length, 1);

  // The uploader corrects it: a new version, the old one withdrawn with the reason.
  res = await correct(c, first.id, 'Lohnabrechnung März\n', 'text/plain', 'lohn-märz.txt', 'Falscher Monat hochgeladen');
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const second = res.body;
  assert.equal(second.replaces_id, first.id);
  assert.equal(second.filename, 'lohn-märz.txt');
  assert.equal(second.withdrawn, false);
  assert.equal(res.headers.get('location'), `/api/v1/documents/${second.id}`);
  const list = (await c.get(`/api/v1/cases/${k.id}/documents`)).body.items;
  assert.equal(list.length, 2);
  const old = list.find((d) => d.id === first.id);
  assert.equal(old.withdrawn, true);
  assert.equal(old.replaced_by_id, second.id);
  assert.equal(old.change_reason, 'Falscher Monat hochgeladen');
  assert.ok(old.withdrawn_by_name);
  // Both versions can still be downloaded.
  assert.equal((await download(c, first.id)).bytes.toString(), 'Lohnabrechnung Februar\n');
  assert.equal((await download(c, second.id)).bytes.toString(), 'Lohnabrechnung März\n');

  // The old version is kept as it was: it cannot be corrected again (409 naming the field).
  res = await correct(c, first.id, 'x\n', 'text/plain', 'x.txt', 'nochmal');
  assert.equal(res.status, 409);
  assert.deepEqual(errorFields(res), ['withdrawn']);
  // The centre lead may correct the current version too.
  res = await correct(lead, second.id, 'Lohnabrechnung März (vollständig)\n', 'text/plain', 'lohn-märz-2.txt', 'Seite 2 fehlte');
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.replaces_id, second.id);

  // The audit trail has the creation of each version and the change of the old ones.
  const audit = (await lead.get(`/api/v1/audit?record_type=document&limit=200`)).body.items;
  for (const id of [first.id, second.id]) {
    assert.ok(audit.some((e) => e.record_id === id && e.action === 'update'), `update of ${id}`);
  }
  assert.ok(audit.some((e) => e.record_id === res.body.id && e.action === 'create'));

  // A closed case takes no correction.
  const closed = await c.patch(`/api/v1/cases/${k.id}`, {
    status: 'closed', closing_reason: 'resolved',
    outcome: { wages_recovered_cents: 0, claim_filed: false, settled: false, referred: false, no_further_action: true },
  });
  assert.equal(closed.status, 200, JSON.stringify(closed.body));
  res = await correct(lead, res.body.id, 'y\n', 'text/plain', 'y.txt', 'zu spät');
  assert.equal(res.status, 409);
  assert.deepEqual(errorFields(res), ['case.status']);
});

test('the type is checked by content, not by name', async () => {
  const c = await as(DEMO_USERS.advisor);
  const k = await newCase(c);
  // A ".pdf" that is really a PNG.
  let res = await upload(c, k.id, png(), 'application/pdf', 'payslip.pdf');
  assert.equal(res.status, 422);
  assert.equal(res.headers.get('content-type'), 'application/problem+json');
  assert.deepEqual(errorFields(res), ['content_type']);
  // Declared PNG, content PNG, name claims PDF.
  res = await upload(c, k.id, png(), 'image/png', 'payslip.pdf');
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['filename']);
  // HTML passed off as text.
  res = await upload(c, k.id, '<html><body><script>alert(1)</script></body></html>\n', 'text/plain', 'x.txt');
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['content_type']);
  // Types that are not allowed at all.
  res = await upload(c, k.id, '<html></html>', 'text/html', 'x.html');
  assert.equal(res.status, 415);
  assert.deepEqual(errorFields(res), ['content_type']);
  res = await upload(c, k.id, Buffer.from('MZ\x90\x00', 'latin1'), 'application/octet-stream', 'x.exe');
  assert.equal(res.status, 415);
  // Empty, unnamed, badly named.
  res = await upload(c, k.id, '', 'text/plain', 'empty.txt');
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['content']);
  res = await upload(c, k.id, 'hello\n', 'text/plain', undefined);
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['filename']);
  for (const bad of ['../etc/passwd', 'a\u0000b.txt', 'x\ny.txt']) {
    res = await upload(c, k.id, 'hello\n', 'text/plain', bad);
    assert.equal(res.status, 422, bad);
    assert.deepEqual(errorFields(res), ['filename']);
  }
  res = await c.request('POST', `/api/v1/cases/${k.id}/documents`,
    { body: 'hello\n', headers: { 'Content-Type': 'text/plain', 'X-Filename': '%ff%fe.txt' } });
  assert.equal(res.status, 422);
  assert.deepEqual(errorFields(res), ['filename']);
  // Nothing of this was stored.
  res = await c.get(`/api/v1/cases/${k.id}/documents`);
  assert.equal(res.body.items.length, 0);
});

test('at most 20 MiB', async () => {
  const c = await as(DEMO_USERS.advisor);
  const k = await newCase(c);
  // One byte over: 413 as soon as the header announces it (the server does not read the body,
  // so a client still sending may see the connection close: ask on a raw socket).
  const status = await new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1', () => {
      socket.write(`POST /api/v1/cases/${k.id}/documents HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n` +
        `X-Filename: big.txt\r\nContent-Length: ${(20 << 20) + 1}\r\n\r\n`);
    });
    let text = '';
    socket.on('data', (d) => {
      text += d.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (m) {
        resolve(Number(m[1]));
        socket.destroy();
      }
    });
    socket.on('error', reject);
  });
  assert.equal(status, 413);
  const big = Buffer.alloc((20 << 20) + 1, 'a');
  const sent = await upload(c, k.id, big, 'text/plain', 'big.txt').catch(() => null);
  if (sent) assert.equal(sent.status, 413);
  let res;
  const exact = Buffer.alloc(20 << 20, 'a');
  exact.write('Lohn\n', 0);
  res = await upload(c, k.id, exact, 'text/plain', 'exact.txt');
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const got = await download(c, res.body.id);
  assert.equal(got.bytes.length, 20 << 20);
});

test('only the case\'s centre sees its documents; every download is audited', async () => {
  const c = await as(DEMO_USERS.advisor);
  const k = await newCase(c);
  const doc = (await upload(c, k.id, PDF, 'application/pdf', 'Vertrag.pdf')).body;

  const other = await as(DEMO_USERS.advisorBayern);
  assert.equal((await other.get(`/api/v1/cases/${k.id}/documents`)).status, 404);
  assert.equal((await download(other, doc.id)).status, 404);
  assert.equal((await other.del(`/api/v1/documents/${doc.id}`)).status, 404);
  assert.equal((await upload(other, k.id, PDF, 'application/pdf', 'x.pdf')).status, 404);
  assert.equal((await upload(c, 'cas_doesnotexist', PDF, 'application/pdf', 'x.pdf')).status, 404);
  assert.equal((await download(c, 'doc_doesnotexist')).status, 404);

  for (const email of [DEMO_USERS.admin, DEMO_USERS.stateCoordinator, DEMO_USERS.programme]) {
    const x = await as(email);
    const res = await download(x, doc.id);
    assert.ok([403, 404].includes(res.status), `${email}: ${res.status}`);
    assert.equal(res.bytes.includes(Buffer.from('%PDF')), false);
  }

  const lead = await as(DEMO_USERS.centreLead);
  assert.equal((await download(lead, doc.id)).status, 200);
  assert.equal((await download(c, doc.id)).status, 200);

  const trail = await lead.get(`/api/v1/audit?record_type=document&record_id=${doc.id}`);
  assert.equal(trail.status, 200, JSON.stringify(trail.body));
  const actions = trail.body.items.map((e) => e.action);
  assert.deepEqual(actions, ['download', 'download', 'create']);
  for (const e of trail.body.items) {
    assert.equal(e.record_centre_id, k.centre_id);
    assert.equal(JSON.stringify(e).includes('Vertrag'), false);
  }
});

test('stored encrypted: neither name nor content readable in the database', async (t) => {
  const c = await as(DEMO_USERS.advisor);
  const k = await newCase(c);
  const marker = `Geheimvermerk-${Date.now()}`;
  const doc = (await upload(c, k.id, `${marker}\n`, 'text/plain', `${marker}.txt`)).body;
  assert.ok(doc.id);
  if (server.db.startsWith('sqlite:')) {
    const file = server.db.slice('sqlite:'.length);
    // Checkpoint, so the write-ahead log is in the main file too, then look at the raw bytes.
    try {
      execFileSync('sqlite3', [file, 'PRAGMA wal_checkpoint(FULL);'], { stdio: 'pipe' });
    } catch {
      t.diagnostic('sqlite3 CLI not available; reading the database and WAL files as they are');
    }
    for (const f of [file, `${file}-wal`]) {
      let bytes;
      try {
        bytes = readFileSync(f);
      } catch {
        continue;
      }
      assert.equal(bytes.includes(Buffer.from(marker)), false, f);
    }
  } else {
    const out = execFileSync('psql', [server.db, '-At', '-c',
      `SELECT encode(filename_sealed, 'escape') || encode(content_sealed, 'escape') FROM documents WHERE id = '${doc.id}'`]).toString();
    assert.ok(out.length > 0);
    assert.equal(out.includes(marker), false);
  }
  // And the keys live in the state folder, readable by the owner only.
  const mode = execFileSync('stat', ['-c', '%a', `${server.stateDir}/keys/key-1`]).toString().trim();
  assert.equal(mode, '600');
  assert.ok(fairdeskBinary());
});

test('key rotation on a running server: rotate, re-encrypt, drop the old key, still readable', async () => {
  const c = await as(DEMO_USERS.advisor);
  const k = await newCase(c);
  const doc = (await upload(c, k.id, PDF, 'application/pdf', 'vor-rotation.pdf')).body;
  const keys = (...args) => execFileSync(fairdeskBinary(),
    ['--state-dir', server.stateDir, '--db', server.db, 'keys', ...args], { encoding: 'utf8', stdio: 'pipe' });
  const rotated = keys('rotate');
  const id = Number(/key (\d+) is now active/.exec(rotated)[1]);
  assert.ok(id >= 2);
  // The running server notices the new active key by itself; re-encryption moves the old values.
  const during = (await upload(c, k.id, png(), 'image/png', 'waehrend.png')).body;
  const out = keys('reencrypt');
  assert.match(out, new RegExp(`every value is now under key ${id}`));
  // Dropping the active key is refused, dropping the old one works now that nothing uses it.
  assert.throws(() => keys('drop', String(id)));
  keys('drop', String(id - 1));
  assert.match(keys('list'), new RegExp(`key ${id}  active`));
  // The server learns the new key from the folder and still reads everything.
  assert.ok((await download(c, doc.id)).bytes.equals(PDF));
  assert.equal((await download(c, during.id)).status, 200);
  assert.equal((await c.get(`/api/v1/cases/${k.id}`)).status, 200);
});

// Review finding 1: a case anonymised by erasure (or retention) takes no new documents.
test('review 1: no upload to an anonymised case (409, nothing stored)', async () => {
  const c = await as(DEMO_USERS.advisor);
  const k = await newCase(c);
  assert.equal((await c.del(`/api/v1/clients/${k.client_id}`)).status, 204);
  const res = await upload(c, k.id, PDF, 'application/pdf', 'Kündigung Nowak.pdf');
  assert.equal(res.status, 409, JSON.stringify(res.body));
  const list = await c.get(`/api/v1/cases/${k.id}/documents`);
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.items, []);
});

// Review finding 5: the data-subject export carries documents (name and content), escalations
// with their thread, and transfers.
test('review 5: the data-subject export includes documents, escalations and transfers', async () => {
  const c = await as(DEMO_USERS.advisor);
  const k = await newCase(c);
  let res = await upload(c, k.id, PDF, 'application/pdf', 'Kündigung Export.pdf');
  assert.equal(res.status, 201);
  res = await c.post(`/api/v1/cases/${k.id}/escalations`, { summary: 'Lohn fehlt', question: 'Klage?' });
  assert.equal(res.status, 201);
  assert.equal((await c.post(`/api/v1/escalations/${res.body.id}/messages`, { body: 'Nachfrage' })).status, 201);
  let zip = await getZip(c, `/api/v1/clients/${k.client_id}/export`);
  assert.equal(zip.status, 200);
  assert.equal(zip.headers.get('content-type'), 'application/zip');
  let manifest = JSON.parse(zip.entries.get('manifest.json'));
  const exported = manifest.cases.find((x) => x.id === k.id);
  assert.equal(exported.documents.length, 1);
  assert.equal(exported.documents[0].filename, 'Kündigung Export.pdf');
  assert.equal(exported.documents[0].content_type, 'application/pdf');
  assert.equal(exported.documents[0].file, `documents/${exported.documents[0].id}/Kündigung Export.pdf`);
  assert.deepEqual(zip.entries.get(exported.documents[0].file), PDF);
  assert.equal(exported.escalations.length, 1);
  assert.equal(exported.escalations[0].summary, 'Lohn fehlt');
  assert.equal(exported.escalations[0].messages[0].body, 'Nachfrage');
  assert.deepEqual(exported.transfers, []);
  const today = new Date().toISOString().slice(0, 10);
  const transfer = await c.post(`/api/v1/cases/${k.id}/transfer`, { centre_id: 'centre-by-1', consent_date: today });
  assert.equal(transfer.status, 202);
  assert.equal((await (await as(DEMO_USERS.advisorBayern)).post(`/api/v1/transfers/${transfer.body.id}/accept`)).status, 200);
  const by = await as(DEMO_USERS.advisorBayern);
  zip = await getZip(by, `/api/v1/clients/${k.client_id}/export`);
  assert.equal(zip.status, 200);
  manifest = JSON.parse(zip.entries.get('manifest.json'));
  const moved = manifest.cases.find((x) => x.id === k.id);
  assert.equal(moved.transfers.length, 1);
  assert.equal(moved.transfers[0].from_centre_id, 'centre-be-1');
  assert.equal(moved.transfers[0].to_centre_id, 'centre-by-1');
  assert.equal(moved.documents.length, 1);
});
