// Knowledge base (issue 9) over HTTP against the real binary (SQLite, or PostgreSQL with
// FAIRDESK_TEST_DB_URL): the editorial workflow with four eyes, translations flagged outdated,
// stale edits, bad input as problem+json naming the field, search for advisors and the public
// (paths of API.md), and what the public must never see.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { execFileSync } from 'node:child_process';
import { startServer, api, fairdeskBinary, DEMO_USERS } from '../lib/server.mjs';

let server;
const c = {};

before(async () => {
  server = await startServer();
  for (const key of ['competenceCentre', 'competenceCentre2', 'advisor', 'programme', 'stateCoordinator']) {
    c[key] = api(server.baseUrl);
    await c[key].loginOk(DEMO_USERS[key]);
  }
  c.public = api(server.baseUrl);
});
after(async () => { await server?.stop(); });

const upload = (client, id, lang, filename, type, bytes) => client.request('POST', `/api/v1/knowledge/items/${id}/translations/${lang}/attachments`, {
  body: typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes,
  headers: { 'Content-Type': type, 'X-Filename': encodeURIComponent(filename) },
});
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

const fields = (res) => (res.body?.errors ?? []).map((e) => e.field);
const titles = (res) => res.body.items.map((i) => `${i.language}:${i.title}`);
const KB = '/api/v1/knowledge';

test('a dossier is written, translated, reviewed by a second editor and published; the source changes and flags the translations', async () => {
  const A = c.competenceCentre, B = c.competenceCentre2;
  const created = await A.post(`${KB}/items`, {
    type: 'dossier', topic: 'wages', audience: 'public', tags: ['Probe'],
    title: 'Probezeit und Lohnabrechnung', body: 'Die **Lohnabrechnung** muss jeden Monat kommen.', note: 'Entwurf',
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.item.id;
  assert.equal(created.body.translations[0].status, 'draft');

  // Only editors write; advisors get 403.
  assert.equal((await c.advisor.post(`${KB}/items`, { type: 'faq', title: 't', body: 'b' })).status, 403);

  // Publishing without review: 409 naming the revision.
  const unreviewed = await B.post(`${KB}/items/${id}/translations/de/publish`, { revision: 1 });
  assert.equal(unreviewed.status, 409);
  assert.deepEqual(fields(unreviewed), ['revision']);
  assert.equal((await A.post(`${KB}/items/${id}/translations/de/submit`, { revision: 1 })).status, 200);
  // The author cannot publish their own change.
  const own = await A.post(`${KB}/items/${id}/translations/de/publish`, { revision: 1 });
  assert.equal(own.status, 403);
  assert.equal(own.headers.get('content-type'), 'application/problem+json');
  const published = await B.post(`${KB}/items/${id}/translations/de/publish`, { revision: 1 });
  assert.equal(published.status, 200, JSON.stringify(published.body));
  assert.equal(published.body.status, 'published');

  // Arabic and Ukrainian translations, reviewed by the other editor.
  for (const [lang, title, body] of [
    ['ar', 'فترة التجربة وكشف الراتب', 'يجب أن يصلك **كشف الراتب** كل شهر.'],
    ['uk', 'Випробувальний термін і розрахунковий лист', 'Розрахунковий лист має надходити щомісяця.'],
  ]) {
    const saved = await B.put(`${KB}/items/${id}/translations/${lang}`, { title, body, note: 'Übersetzung' });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.equal(saved.body.source_revision, 1);
    assert.equal((await B.post(`${KB}/items/${id}/translations/${lang}/submit`, { revision: 1 })).status, 200);
    assert.equal((await A.post(`${KB}/items/${id}/translations/${lang}/publish`, { revision: 1 })).status, 200);
  }
  const ar = await c.public.get(`/api/v1/public/knowledge/items/${id}?lang=ar`);
  assert.equal(ar.status, 200);
  assert.equal(ar.body.language, 'ar');
  assert.match(ar.body.html, /<strong>كشف الراتب<\/strong>/);
  assert.deepEqual(ar.body.notices, []);
  const en = await c.public.get(`/api/v1/public/knowledge/items/${id}?lang=en`);
  assert.equal(en.body.language, 'de');
  assert.deepEqual(en.body.notices, ['fallback']);

  // Two editors save on the same revision: the second gets 409 and nothing is lost.
  const first = await A.put(`${KB}/items/${id}/translations/de`, { base_revision: 1, title: 'Probezeit und Lohnabrechnung', body: 'Die Lohnabrechnung muss spätestens am Monatsende kommen.', note: 'Frist ergänzt' });
  assert.equal(first.status, 200);
  const second = await B.put(`${KB}/items/${id}/translations/de`, { base_revision: 1, title: 'X', body: 'Y' });
  assert.equal(second.status, 409);
  const editor = await A.get(`${KB}/items/${id}/editor`);
  const de = editor.body.translations.find((t) => t.language === 'de');
  assert.equal(de.current.body, 'Die Lohnabrechnung muss spätestens am Monatsende kommen.');
  // The major change flags both translations outdated; the published German text stays live.
  for (const t of editor.body.translations) assert.equal(t.outdated, t.language !== 'de', t.language);
  assert.equal((await c.public.get(`/api/v1/public/knowledge/items/${id}?lang=de`)).body.revision, 1);
  assert.deepEqual((await c.public.get(`/api/v1/public/knowledge/items/${id}?lang=uk`)).body.notices, ['outdated']);

  // Diff and restore.
  const diff = await A.get(`${KB}/items/${id}/translations/de/diff?from=1&to=2`);
  assert.equal(diff.status, 200);
  assert.deepEqual(diff.body.lines.map((l) => l.op), ['removed', 'added']);
  const restored = await B.post(`${KB}/items/${id}/translations/de/restore`, { number: 1, base_revision: 2 });
  assert.equal(restored.status, 200);
  assert.equal(restored.body.current_revision, 3);

  // The review queue shows what waits; every change is in the audit trail (ids only).
  assert.equal((await B.post(`${KB}/items/${id}/translations/de/submit`, { revision: 3 })).status, 200);
  const queue = await A.get(`${KB}/review-queue`);
  assert.ok(queue.body.items.some((q) => q.item_id === id && q.language === 'de' && q.reason === 'in_review'));
  assert.equal((await c.advisor.get(`${KB}/review-queue`)).status, 403);
});

test('bad input is a 4xx problem naming the field, and nothing changes', async () => {
  const A = c.competenceCentre;
  const before = (await A.get(`${KB}/editor/items`)).body.items.length;
  const cases = [
    [{ type: 'dossier', title: 'T', body: '<script>alert(1)</script>' }, 'body', 422],
    [{ type: 'dossier', title: 'T', body: 'Text <b>fett</b>' }, 'body', 422],
    [{ type: 'dossier', title: 'T', body: '[x](javascript:alert(1))' }, 'body', 422],
    [{ type: 'dossier', title: 'T', body: 'ok', source_language: 'xx' }, 'source_language', 422],
    [{ type: 'poem', title: 'T', body: 'ok' }, 'type', 422],
    [{ type: 'dossier', title: '', body: 'ok' }, 'title', 422],
    [{ type: 'dossier', title: 'T', body: 'ok', topic: 'no_such_topic' }, 'topic', 422],
    [{ type: 'dossier', title: 'T', body: 'ok', extra: 1 }, 'extra', 422],
  ];
  for (const [body, field, status] of cases) {
    const res = await A.post(`${KB}/items`, body);
    assert.equal(res.status, status, JSON.stringify(body));
    assert.ok(fields(res).includes(field), `${field}: ${JSON.stringify(res.body)}`);
  }
  const huge = await A.post(`${KB}/items`, { type: 'dossier', title: 'T', body: 'a'.repeat(600 * 1024) });
  assert.equal(huge.status, 413);
  const tooLongBody = await A.post(`${KB}/items`, { type: 'dossier', title: 'T', body: 'a'.repeat(210 * 1024) });
  assert.equal(tooLongBody.status, 422);
  assert.ok(fields(tooLongBody).includes('body'));
  const lang = await A.put(`${KB}/items/kni_nothing/translations/xx`, { title: 'T', body: 'b' });
  assert.equal(lang.status, 422);
  assert.deepEqual(fields(lang), ['language']);
  assert.equal((await c.public.get('/api/v1/public/knowledge/search?q=Lohn&lang=xx')).status, 422);
  assert.equal((await A.get(`${KB}/editor/items`)).body.items.length, before);
});

test('advisors find the demo items in German and Arabic, with and without vowel marks; the public only published public ones', async () => {
  const search = (client, path) => client.get(path);
  const de = await search(c.advisor, `${KB}/search?q=${encodeURIComponent('Kündigungsschutzklage')}&lang=de`);
  assert.equal(de.status, 200);
  assert.ok(titles(de).includes('de:Kündigung: Fristen und Kündigungsschutzklage'), JSON.stringify(titles(de)));
  for (const hit of de.body.items) {
    assert.deepEqual(Object.keys(hit).sort(), ['audience', 'id', 'language', 'snippet', 'title', 'topic', 'type']);
  }
  assert.ok(de.body.items.some((i) => i.snippet.includes('<mark>')));
  const plain = await search(c.advisor, `${KB}/search?q=${encodeURIComponent('الأجور')}&lang=ar`);
  const marked = await search(c.advisor, `${KB}/search?q=${encodeURIComponent('الْأُجُورِ')}&lang=ar`);
  assert.ok(titles(plain).includes('ar:الحد الأدنى للأجور: ما يحق لك'), JSON.stringify(titles(plain)));
  assert.deepEqual(titles(marked), titles(plain));
  // Compound from its parts.
  const part = await search(c.advisor, `${KB}/search?q=schutzklage&lang=de`);
  assert.ok(titles(part).includes('de:Kündigung: Fristen und Kündigungsschutzklage'));

  // Internal items: advisors and programme see them, the public never — not in results, not by id.
  const internal = await search(c.advisor, `${KB}/search?q=Ausschlussfristen&lang=de`);
  assert.ok(internal.body.items.some((i) => i.audience === 'internal'));
  const programme = await search(c.programme, `${KB}/search?q=Ausschlussfristen&lang=de`);
  assert.deepEqual(titles(programme), titles(internal));
  const pub = await search(c.public, `/api/v1/public/knowledge/search?q=Ausschlussfristen&lang=de`);
  assert.equal(pub.status, 200);
  assert.deepEqual(pub.body.items, []);
  const audience = await search(c.public, `/api/v1/public/knowledge/search?q=Lohn&lang=de&audience=internal`);
  assert.deepEqual(audience.body.items, []);
  const internalId = internal.body.items.find((i) => i.audience === 'internal').id;
  assert.equal((await c.public.get(`/api/v1/public/knowledge/items/${internalId}?lang=de`)).status, 404);
  assert.equal((await c.public.get(`${KB}/search?q=Lohn`)).status, 401);
  const everything = await search(c.public, `/api/v1/public/knowledge/search?q=Lohn&lang=de&limit=200`);
  assert.ok(everything.body.items.length > 0);
  assert.ok(everything.body.items.every((i) => i.audience === 'public'));

  // The public list in Ukrainian: every demo rights topic, one of them outdated.
  const uk = await c.public.get('/api/v1/public/knowledge/items?lang=uk');
  assert.equal(uk.status, 200);
  assert.ok(uk.body.items.filter((i) => i.language === 'uk').length >= 7);
  const byTitle = Object.fromEntries(uk.body.items.map((i) => [i.title, i.notices]));
  assert.deepEqual(byTitle['Відпустка: ваше право'], ['outdated']);
  assert.deepEqual(byTitle['Мінімальна зарплата: що вам належить'], []);
});

test('advisors suggest changes; editors read and resolve them', async () => {
  const list = await c.advisor.get(`${KB}/items?lang=de`);
  const item = list.body.items[0];
  const s = await c.advisor.post(`${KB}/items/${item.id}/suggestions`, { body: 'Bitte ein Beispiel ergänzen.', language: 'de' });
  assert.equal(s.status, 201);
  assert.equal((await c.programme.post(`${KB}/items/${item.id}/suggestions`, { body: 'x' })).status, 403);
  const open = await c.competenceCentre.get(`${KB}/suggestions`);
  assert.ok(open.body.items.some((x) => x.id === s.body.id));
  assert.equal((await c.competenceCentre.post(`${KB}/suggestions/${s.body.id}/resolve`)).status, 200);
  assert.ok(!(await c.competenceCentre.get(`${KB}/suggestions`)).body.items.some((x) => x.id === s.body.id));
});

test('a case description from an answered escalation: consent required, personal data blocks submit and publish', async () => {
  const today = new Date().toISOString().slice(0, 10);
  const adv = c.advisor, A = c.competenceCentre, B = c.competenceCentre2;
  const escalate = async (consent) => {
    const client = (await adv.post('/api/v1/clients', {
      nationality: 'SY', employer: 'Blitzblank Gebäudereinigung GmbH',
      consents: { storage: true, contact: true, anonymised_use: consent, date: today },
      name: 'Samira Haddad', phone: '+49 151 2345 6789', email: 'samira.h@example.org', address: 'Lindenstraße 12, 10969 Berlin',
    })).body;
    assert.ok(client.id, JSON.stringify(client));
    const k = (await adv.post('/api/v1/cases', { client_id: client.id, topics: ['wages'] })).body;
    const esc = (await adv.post(`/api/v1/cases/${k.id}/escalations`, {
      summary: 'Reinigungskraft, Lohn seit drei Monaten nur teilweise gezahlt', question: 'Gilt die Ausschlussfrist von einem Monat?',
    })).body;
    assert.ok(esc.id, JSON.stringify(esc));
    return esc;
  };
  const noConsent = await escalate(false);
  const withConsent = await escalate(true);
  // Not answered yet: refused.
  const early = await A.post(`${KB}/case-descriptions`, { escalation_id: withConsent.id });
  assert.equal(early.status, 409);
  assert.deepEqual(fields(early), ['escalation_id']);
  for (const esc of [noConsent, withConsent]) {
    assert.equal((await A.post(`/api/v1/escalations/${esc.id}/messages`, { body: 'Nein, soweit es um den Mindestlohn geht.' })).status, 201);
  }
  const refused = await A.post(`${KB}/case-descriptions`, { escalation_id: noConsent.id });
  assert.equal(refused.status, 409);
  assert.match(refused.body.errors[0].message, /consented/);
  assert.equal((await c.advisor.post(`${KB}/case-descriptions`, { escalation_id: withConsent.id })).status, 403);

  const draft = await A.post(`${KB}/case-descriptions`, { escalation_id: withConsent.id });
  assert.equal(draft.status, 201, JSON.stringify(draft.body));
  assert.equal(draft.body.item.type, 'case_description');
  assert.equal(draft.body.item.audience, 'internal');
  assert.equal(draft.body.item.case_ref, withConsent.id);
  const id = draft.body.item.id;
  assert.match(draft.body.translations[0].current.body, /Ausschlussfrist/);

  // Personal data in the text: submit is refused naming the field and the kind, never the data.
  const saved = await A.put(`${KB}/items/${id}/translations/de`, {
    base_revision: 1, title: 'Fallbeschreibung Reinigung',
    body: 'Frau S. Haddad, erreichbar unter 0151 / 2345-6789, wohnt Lindenstraße 12.',
  });
  assert.equal(saved.status, 200);
  const blocked = await A.post(`${KB}/items/${id}/translations/de/submit`, { revision: 2 });
  assert.equal(blocked.status, 422);
  assert.deepEqual(blocked.body.errors.map((e) => e.field), ['translations.de.body']);
  assert.match(blocked.body.errors[0].message, /name, phone, address/);
  assert.ok(!JSON.stringify(blocked.body).includes('2345'));
  assert.ok(!JSON.stringify(blocked.body).includes('Lindenstra'));
  assert.equal((await A.get(`${KB}/items/${id}/editor`)).body.translations[0].status, 'draft');

  assert.equal((await A.put(`${KB}/items/${id}/translations/de`, {
    base_revision: 2, title: 'Fallbeschreibung Reinigung', body: 'Eine Reinigungskraft erhielt drei Monate nur einen Teil des Lohns.',
  })).status, 200);
  // An attachment whose name and text carry the client's data blocks submit too.
  const note = await upload(A, id, 'de', 'Notiz Haddad.txt', 'text/plain', 'Rückruf unter +49 151 2345 6789');
  assert.equal(note.status, 201, JSON.stringify(note.body));
  const blockedFile = await A.post(`${KB}/items/${id}/translations/de/submit`, { revision: 3 });
  assert.equal(blockedFile.status, 422);
  assert.deepEqual(fields(blockedFile), ['attachments[0].filename', 'attachments[0].text']);
  assert.ok(!JSON.stringify(blockedFile.body).includes('Haddad'));
  assert.equal((await A.del(`/api/v1/knowledge/attachments/${note.body.id}`)).status, 204);
  assert.equal((await A.post(`${KB}/items/${id}/translations/de/submit`, { revision: 3 })).status, 200);
  const published = await B.post(`${KB}/items/${id}/translations/de/publish`, { revision: 3 });
  assert.equal(published.status, 200, JSON.stringify(published.body));
  // Readers never see the link to the case.
  const read = await c.advisor.get(`${KB}/items/${id}?lang=de`);
  assert.equal(read.status, 200);
  assert.equal(read.body.item.case_ref, undefined);
});

test('attachments of a translation: type checked by content, encrypted, shown once the translation is published, removed by editors', async () => {
  const A = c.competenceCentre, B = c.competenceCentre2;
  const make = async (audience) => {
    const created = await A.post(`${KB}/items`, {
      type: 'checklist', topic: 'wages', audience, title: `Unterlagen zum Lohn (${audience})`, body: 'Was Sie mitbringen.',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body.item.id;
  };
  const id = await make('public');
  const internalId = await make('internal');

  const text = await upload(A, id, 'de', 'Merkblatt Lohn.txt', 'text/plain', 'Lohnabrechnungen, Arbeitsvertrag, Stundenzettel.');
  assert.equal(text.status, 201, JSON.stringify(text.body));
  assert.equal(text.body.content_type, 'text/plain');
  assert.equal(text.body.filename, 'Merkblatt Lohn.txt');
  const png = await upload(A, id, 'de', 'Stundenzettel.png', 'image/png', PNG);
  assert.equal(png.status, 201, JSON.stringify(png.body));
  const hidden = await upload(A, internalId, 'de', 'Intern.txt', 'text/plain', 'Nur für die Beratung.');
  assert.equal(hidden.status, 201);

  // Bad input: nothing is stored.
  const fakePdf = await upload(A, id, 'de', 'Formular.pdf', 'application/pdf', 'kein PDF');
  assert.equal(fakePdf.status, 422);
  assert.deepEqual(fields(fakePdf), ['content_type']);
  const noTranslation = await upload(A, id, 'ar', 'x.txt', 'text/plain', 'نص');
  assert.equal(noTranslation.status, 422);
  assert.deepEqual(fields(noTranslation), ['language']);
  const unknownLanguage = await upload(A, id, 'xx', 'x.txt', 'text/plain', 'x');
  assert.equal(unknownLanguage.status, 422);
  assert.deepEqual(fields(unknownLanguage), ['language']);
  const noName = await A.request('POST', `${KB}/items/${id}/translations/de/attachments`, {
    body: Buffer.from('x'), headers: { 'Content-Type': 'text/plain' },
  });
  assert.equal(noName.status, 422);
  assert.deepEqual(fields(noName), ['filename']);
  // One byte over 10 MiB: 413 as soon as the header announces it (asked on a raw socket, since the
  // server does not read the body and a client still sending may see the connection close).
  const big = await new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1', () => {
      socket.write(`POST ${KB}/items/${id}/translations/de/attachments HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n` +
        `X-Filename: big.txt\r\nContent-Length: ${(10 << 20) + 1}\r\n\r\n`);
    });
    let answer = '';
    socket.on('data', (d) => {
      answer += d.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (m) {
        resolve(Number(m[1]));
        socket.destroy();
      }
    });
    socket.on('error', reject);
  });
  assert.equal(big, 413);
  assert.equal((await upload(c.advisor, id, 'de', 'x.txt', 'text/plain', 'x')).status, 403);
  assert.equal((await A.get(`${KB}/items/${id}/attachments`)).body.items.length, 2);

  // Readers see nothing before the translation is published.
  assert.equal((await c.advisor.get(`${KB}/items/${id}/attachments`)).status, 404);
  assert.equal((await c.advisor.get(`/api/v1/knowledge/attachments/${text.body.id}`)).status, 404);
  for (const item of [id, internalId]) {
    assert.equal((await A.post(`${KB}/items/${item}/translations/de/submit`, { revision: 1 })).status, 200);
    assert.equal((await B.post(`${KB}/items/${item}/translations/de/publish`, { revision: 1 })).status, 200);
  }
  const listed = await c.advisor.get(`${KB}/items/${id}/attachments`);
  assert.equal(listed.status, 200);
  assert.deepEqual(listed.body.items.map((a) => a.filename).sort(), ['Merkblatt Lohn.txt', 'Stundenzettel.png']);
  const download = await c.programme.get(`/api/v1/knowledge/attachments/${text.body.id}`);
  assert.equal(download.status, 200);
  assert.equal(download.body, 'Lohnabrechnungen, Arbeitsvertrag, Stundenzettel.');
  assert.match(download.headers.get('content-disposition'), /attachment/);
  assert.match(download.headers.get('content-type'), /^text\/plain/);
  // The public: public items only.
  assert.equal((await c.public.get(`/api/v1/public/knowledge/items/${id}/attachments`)).body.items.length, 2);
  assert.equal((await c.public.get(`/api/v1/public/knowledge/attachments/${png.body.id}`)).status, 200);
  assert.equal((await c.public.get(`/api/v1/public/knowledge/items/${internalId}/attachments`)).status, 404);
  assert.equal((await c.public.get(`/api/v1/public/knowledge/attachments/${hidden.body.id}`)).status, 404);
  assert.equal((await c.advisor.get(`/api/v1/knowledge/attachments/${hidden.body.id}`)).status, 200);

  // Removing: editors only, audited, then gone.
  assert.equal((await c.advisor.del(`/api/v1/knowledge/attachments/${png.body.id}`)).status, 403);
  assert.equal((await A.del(`/api/v1/knowledge/attachments/${png.body.id}`)).status, 204);
  assert.equal((await c.public.get(`/api/v1/public/knowledge/attachments/${png.body.id}`)).status, 404);
  assert.equal((await A.del(`/api/v1/knowledge/attachments/${png.body.id}`)).status, 404);
});

// Metadata of attachments (issue 9, redaction): images lose EXIF, XMP, comments and text chunks
// on upload; a PDF's document properties are blanked in place; a PDF whose properties are
// compressed out of reach is refused for a public item (and kept for an internal one).
const pngChunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.from('CRC!', 'latin1')]);
};
const pdfWith = (trailerExtra, objects) => Buffer.from(`%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n` +
  `2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n${objects}trailer\n<< /Root 1 0 R ${trailerExtra}>>\n%%EOF\n`, 'latin1');

async function downloadBytes(client, path) {
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(new URL(path, server.baseUrl), { headers: { Cookie: cookie } });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
}

test('attachment metadata is removed on upload; a PDF with unreachable properties is refused for public items', async () => {
  const A = c.competenceCentre;
  const make = async (audience) => (await A.post(`${KB}/items`, {
    type: 'training_material', topic: 'wages', audience, title: `Schulung Lohn (${audience})`, body: 'Folien.',
  })).body.item.id;
  const pub = await make('public');
  const internal = await make('internal');
  // A PNG with the author in a text chunk and a modification time.
  const sig = PNG.subarray(0, 8);
  let rest = PNG.subarray(8);
  const chunks = [];
  while (rest.length) {
    const len = rest.readUInt32BE(0);
    chunks.push(rest.subarray(0, 12 + len));
    rest = rest.subarray(12 + len);
  }
  const tagged = Buffer.concat([sig, chunks[0], pngChunk('tEXt', Buffer.from('Author\0Maria Beispiel', 'latin1')),
    pngChunk('tIME', Buffer.alloc(7)), ...chunks.slice(1)]);
  const png = await upload(A, pub, 'de', 'Folie.png', 'image/png', tagged);
  assert.equal(png.status, 201, JSON.stringify(png.body));
  assert.equal(png.body.size_bytes, PNG.length);
  const got = await downloadBytes(A, `/api/v1/knowledge/attachments/${png.body.id}`);
  assert.deepEqual(got.bytes, PNG);

  // A PDF with its properties in plain objects: blanked, same length.
  const pdf = pdfWith('/Info 3 0 R ', '3 0 obj\n<< /Author (Maria Beispiel) /Title (Lohn) >>\nendobj\n');
  const cleaned = await upload(A, pub, 'de', 'Folien.pdf', 'application/pdf', pdf);
  assert.equal(cleaned.status, 201, JSON.stringify(cleaned.body));
  const pdfBack = (await downloadBytes(A, `/api/v1/knowledge/attachments/${cleaned.body.id}`)).bytes;
  assert.equal(pdfBack.length, pdf.length);
  assert.equal(pdfBack.includes(Buffer.from('Maria')), false);
  assert.ok(pdfBack.includes(Buffer.from('/Author (              )')));

  // Properties in a compressed object stream: refused for the public item, nothing stored; the
  // internal item keeps the file.
  const compressed = pdfWith('/Info 9 0 R ', '');
  const refused = await upload(A, pub, 'de', 'Export.pdf', 'application/pdf', compressed);
  assert.equal(refused.status, 422, JSON.stringify(refused.body));
  assert.deepEqual(fields(refused), ['content']);
  assert.match(refused.body.errors[0].message, /document properties/);
  assert.equal((await A.get(`${KB}/items/${pub}/attachments`)).body.items.length, 2);
  assert.equal((await upload(A, internal, 'de', 'Export.pdf', 'application/pdf', compressed)).status, 201);
});

// Key rotation (ops/security `fairdesk keys`) covers knowledge attachments: after rotate,
// re-encrypt and dropping the old key, readers and the public still download them.
test('key rotation re-encrypts knowledge attachments; they stay readable after the old key is dropped', async () => {
  const A = c.competenceCentre, B = c.competenceCentre2;
  const created = await A.post(`${KB}/items`, {
    type: 'checklist', topic: 'leave', audience: 'public', title: 'Urlaubsantrag: was hinein gehört', body: 'Zeitraum, Datum.',
  });
  assert.equal(created.status, 201);
  const id = created.body.item.id;
  const before = await upload(A, id, 'de', 'Urlaub vor Rotation.txt', 'text/plain', 'Antrag schriftlich stellen.');
  assert.equal(before.status, 201);
  assert.equal((await A.post(`${KB}/items/${id}/translations/de/submit`, { revision: 1 })).status, 200);
  assert.equal((await B.post(`${KB}/items/${id}/translations/de/publish`, { revision: 1 })).status, 200);

  const keys = (...args) => execFileSync(fairdeskBinary(),
    ['--state-dir', server.stateDir, '--db', server.db, 'keys', ...args], { encoding: 'utf8', stdio: 'pipe' });
  const keyId = Number(/key (\d+) is now active/.exec(keys('rotate'))[1]);
  const during = await upload(A, id, 'de', 'Urlaub nach Rotation.png', 'image/png', PNG);
  assert.equal(during.status, 201);
  assert.match(keys('reencrypt'), new RegExp(`every value is now under key ${keyId}`));
  keys('drop', String(keyId - 1));

  const listed = await c.advisor.get(`${KB}/items/${id}/attachments`);
  assert.equal(listed.status, 200);
  assert.deepEqual(listed.body.items.map((a) => a.filename).sort(), ['Urlaub nach Rotation.png', 'Urlaub vor Rotation.txt']);
  const text = await c.advisor.get(`/api/v1/knowledge/attachments/${before.body.id}`);
  assert.equal(text.status, 200);
  assert.equal(text.body, 'Antrag schriftlich stellen.');
  const image = await downloadBytes(c.public, `/api/v1/public/knowledge/attachments/${during.body.id}`);
  assert.equal(image.status, 200);
  assert.deepEqual(image.bytes, PNG);
});
