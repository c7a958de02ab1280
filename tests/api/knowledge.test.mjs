// Knowledge base (issue 9) over HTTP against the real binary (SQLite, or PostgreSQL with
// FAIRDESK_TEST_DB_URL): the editorial workflow with four eyes, translations flagged outdated,
// stale edits, bad input as problem+json naming the field, search for advisors and the public
// (paths of API.md), and what the public must never see.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { execFileSync } from 'node:child_process';
import { deflateRawSync } from 'node:zlib';
import { startServer, api, fairdeskBinary, DEMO_USERS } from '../lib/server.mjs';
import { pdfShowing, TINY_PNG } from '../lib/files.mjs';

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

const upload = (client, id, lang, filename, type, bytes, imagesChecked = false) => client.request('POST', `/api/v1/knowledge/items/${id}/translations/${lang}/attachments`, {
  body: typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes,
  headers: { 'Content-Type': type, 'X-Filename': encodeURIComponent(filename), ...(imagesChecked ? { 'X-Images-Checked': 'true' } : {}) },
});

// A ZIP archive of deflated parts, as word processors write DOCX files.
const crc32 = (buf) => {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xEDB88320 & -(c & 1));
  }
  return ~c >>> 0;
};
const zipOf = (files) => {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, text] of files) {
    const data = Buffer.from(text, 'utf8');
    const packed = deflateRawSync(data);
    const n = Buffer.from(name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14); local.writeUInt32LE(packed.length, 18); local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16); central.writeUInt32LE(packed.length, 20); central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28); central.writeUInt32LE(offset, 42);
    locals.push(local, n, packed);
    centrals.push(central, n);
    offset += 30 + n.length + packed.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(files.length, 8); end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(dir.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
};
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const docxSaying = (paragraph) => zipOf([
  ['[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"></Types>'],
  ['_rels/.rels', '<Relationships/>'],
  ['word/document.xml', `<?xml version="1.0"?><w:document><w:body><w:p><w:r><w:t>${paragraph}</w:t></w:r></w:p></w:body></w:document>`]]);

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
  // Revisions name their author by display name for the editors (the id stays in author).
  assert.equal(de.revisions[0].author_name, 'Amina Haddad');
  assert.match(de.revisions[0].author, /^usr_/);
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
  // The text inside a PDF (its pages) and a DOCX (its paragraphs) is checked the same way.
  const scan = await upload(A, id, 'de', 'Bescheid.pdf', 'application/pdf', pdfShowing('Bescheid an Samira Haddad, Lindenstrasse 12'));
  assert.equal(scan.status, 201, JSON.stringify(scan.body));
  const blockedPdf = await A.post(`${KB}/items/${id}/translations/de/submit`, { revision: 3 });
  assert.equal(blockedPdf.status, 422);
  assert.deepEqual(fields(blockedPdf), ['attachments[0].text']);
  assert.match(blockedPdf.body.errors[0].message, new RegExp(`name.*\\(${scan.body.id}\\)`));
  assert.ok(!JSON.stringify(blockedPdf.body).includes('Haddad'));
  assert.equal((await A.del(`/api/v1/knowledge/attachments/${scan.body.id}`)).status, 204);
  // A DOCX is refused for a case description at upload (its properties cannot be removed).
  const docx = await upload(A, id, 'de', 'Vermerk.docx', DOCX, docxSaying('Rückruf unter 0151 2345 6789'));
  assert.equal(docx.status, 422);
  assert.deepEqual(fields(docx), ['content']);
  const cleanPdf = await upload(A, id, 'de', 'Ablauf.pdf', 'application/pdf', pdfShowing('Lohn drei Monate nur teilweise gezahlt'));
  assert.equal(cleanPdf.status, 201);
  // Images cannot be read: the editor confirms that the picture shows no personal data (audited).
  const unconfirmed = await upload(A, id, 'de', 'Stundenzettel.png', 'image/png', TINY_PNG);
  assert.equal(unconfirmed.status, 422);
  assert.deepEqual(fields(unconfirmed), ['images_checked']);
  assert.equal(unconfirmed.body.type.endsWith('image-confirmation'), true, JSON.stringify(unconfirmed.body));
  const image = await A.request('POST', `${KB}/items/${id}/translations/de/attachments`, {
    body: TINY_PNG, headers: { 'Content-Type': 'image/png', 'X-Filename': 'Stundenzettel.png', 'X-Images-Checked': 'true' },
  });
  assert.equal(image.status, 201, JSON.stringify(image.body));
  const admin = api(server.baseUrl);
  await admin.loginOk(DEMO_USERS.admin);
  const confirmed = await admin.get(`/api/v1/audit?record_id=${image.body.id}`);
  assert.deepEqual(confirmed.body.items.map((e) => `${e.action} ${e.record_type}`).sort(),
    ['create knowledge_attachment', 'update knowledge_image_checked']);
  assert.equal((await A.get(`${KB}/items/${id}/attachments`)).body.items.length, 2);
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
  const png = await upload(A, id, 'de', 'Stundenzettel.png', 'image/png', TINY_PNG, true);
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
  const sig = TINY_PNG.subarray(0, 8);
  let rest = TINY_PNG.subarray(8);
  const chunks = [];
  while (rest.length) {
    const len = rest.readUInt32BE(0);
    chunks.push(rest.subarray(0, 12 + len));
    rest = rest.subarray(12 + len);
  }
  const tagged = Buffer.concat([sig, chunks[0], pngChunk('tEXt', Buffer.from('Author\0Maria Beispiel', 'latin1')),
    pngChunk('tIME', Buffer.alloc(7)), ...chunks.slice(1)]);
  const png = await upload(A, pub, 'de', 'Folie.png', 'image/png', tagged, true);
  assert.equal(png.status, 201, JSON.stringify(png.body));
  assert.equal(png.body.size_bytes, TINY_PNG.length);
  const got = await downloadBytes(A, `/api/v1/knowledge/attachments/${png.body.id}`);
  assert.deepEqual(got.bytes, TINY_PNG);

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
  const kept = await upload(A, internal, 'de', 'Export.pdf', 'application/pdf', compressed);
  assert.equal(kept.status, 201);
  const picture = await upload(A, internal, 'de', 'Folie intern.png', 'image/png', tagged);
  assert.equal(picture.status, 201, JSON.stringify(picture.body));

  // The internal item becomes public: refused while it keeps a file whose properties cannot be
  // removed (named), nothing changes; then the images need the editor's confirmation.
  const version = (await A.get(`${KB}/items/${internal}/editor`)).body.item.version;
  const blocked = await A.patch(`${KB}/items/${internal}`, { version, audience: 'public' });
  assert.equal(blocked.status, 422, JSON.stringify(blocked.body));
  // Attachments are numbered by language and time of upload (same second: by id), so only the one
  // refused is named, by its id.
  assert.equal(blocked.body.errors.length, 1);
  assert.match(blocked.body.errors[0].field, /^attachments\[[01]\]$/);
  assert.match(blocked.body.errors[0].message, new RegExp(kept.body.id));
  assert.equal((await A.get(`${KB}/items/${internal}/editor`)).body.item.audience, 'internal');
  assert.equal((await A.del(`/api/v1/knowledge/attachments/${kept.body.id}`)).status, 204);
  const unconfirmed = await A.patch(`${KB}/items/${internal}`, { version, audience: 'public' });
  assert.equal(unconfirmed.status, 422);
  assert.deepEqual(fields(unconfirmed), ['images_checked']);
  const switched = await A.patch(`${KB}/items/${internal}`, { version, audience: 'public', images_checked: true });
  assert.equal(switched.status, 200, JSON.stringify(switched.body));
  assert.equal(switched.body.item?.audience ?? switched.body.audience, 'public');
  assert.deepEqual((await downloadBytes(A, `/api/v1/knowledge/attachments/${picture.body.id}`)).bytes, TINY_PNG);
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
  const during = await upload(A, id, 'de', 'Urlaub nach Rotation.png', 'image/png', TINY_PNG, true);
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
  assert.deepEqual(image.bytes, TINY_PNG);
});

test('a passed review date puts the item in the review queue and a notice before readers until it is reviewed', async () => {
  const A = c.competenceCentre;
  const B = c.competenceCentre2;
  // A review date years in the past (the check compares with the server's date).
  const created = await A.post(`${KB}/items`, {
    type: 'dossier', topic: 'working_time', audience: 'public', review_date: '2021-03-01',
    title: 'Ruhezeiten nach der Schicht', body: 'Zwischen zwei Schichten liegen **elf Stunden** Ruhezeit.', note: 'Entwurf',
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.item.id;
  assert.equal((await A.post(`${KB}/items/${id}/translations/de/submit`, { revision: 1 })).status, 200);
  assert.equal((await B.post(`${KB}/items/${id}/translations/de/publish`, { revision: 1 })).status, 200);

  const reader = await c.public.get(`/api/v1/public/knowledge/items/${id}?lang=de`);
  assert.equal(reader.status, 200);
  assert.ok(reader.body.notices.includes('review_due'), JSON.stringify(reader.body.notices));
  const queued = (await A.get(`${KB}/review-queue`)).body.items.filter((q) => q.item_id === id);
  assert.deepEqual(queued.map((q) => [q.reason, q.review_date, q.title]),
    [['review_date', '2021-03-01', 'Ruhezeiten nach der Schicht']]);

  // Reviewed: the editor sets the next review date; the notice and the queue entry are gone.
  const version = (await A.get(`${KB}/items/${id}/editor`)).body.item.version;
  const reviewed = await A.patch(`${KB}/items/${id}`, { version, review_date: '2099-03-01' });
  assert.equal(reviewed.status, 200, JSON.stringify(reviewed.body));
  assert.deepEqual((await c.public.get(`/api/v1/public/knowledge/items/${id}?lang=de`)).body.notices, []);
  assert.ok(!(await A.get(`${KB}/review-queue`)).body.items.some((q) => q.item_id === id));
});
