// Sign-language (DGS) videos on the portal (issue 12, BITV 2.0 § 4) against the real binary, on
// SQLite and (with FAIRDESK_TEST_DB_URL) PostgreSQL: an admin adds a video for the home page (file
// checked by content like any upload: MP4 or WebM) and a link for the accessibility statement;
// the portal shows them in every language with size, duration, download, captions and transcript;
// bad input is a problem naming the field; only admins may change them; every change is audited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, DEMO_USERS } from '../lib/server.mjs';
import { page } from '../lib/portal.mjs';
import { TINY_PNG } from '../lib/files.mjs';

let server;
let admin;
before(async () => {
  server = await startServer();
  admin = api(server.baseUrl);
  await admin.loginOk(DEMO_USERS.admin);
});
after(async () => { await server?.stop(); });

// The start of an MP4 file (ftyp box), as libmagic recognises it.
const MP4 = Buffer.concat([Buffer.from('000000206674797069736f6d0000020069736f6d69736f3261766331', 'hex'), Buffer.from('mp41'),
  Buffer.from('0000001066726565', 'hex'), Buffer.alloc(8 + 300_000, 7)]);
const VTT = 'WEBVTT\n\n00:00.000 --> 00:04.000\nWillkommen bei Faire Integration.\n';
const home = { page: 'home', title: 'Willkommen: was Sie hier finden', duration_seconds: 125, width: 640, height: 480, fps: 25,
  captions: VTT, transcript: 'Willkommen bei Faire Integration.\n\nHier finden Sie Beratung in Ihrer Sprache.' };
const uploadFile = (client, id, type, bytes) => client.request('PUT', `/api/v1/portal/sign-videos/${id}/file`, {
  body: bytes, headers: { 'Content-Type': type },
});
const fields = (res) => (res.body.errors ?? []).map((e) => e.field);

test('an admin adds a DGS video for the home page: shown in every language with download, size, duration, captions and transcript', async () => {
  const before = await page(server.baseUrl, '/de/');
  assert.match(before.text, /Gebärdensprache/);
  assert.doesNotMatch(before.text, /<video/);

  const created = await admin.post('/api/v1/portal/sign-videos', home);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const { id } = created.body;
  assert.equal(created.body.shown, false, 'not shown before its file is there');
  assert.doesNotMatch((await page(server.baseUrl, '/de/')).text, /<video/);

  // The file: its type is checked by content, as every upload.
  const wrongType = await uploadFile(admin, id, 'text/plain', Buffer.from('kein Video'));
  assert.equal(wrongType.status, 415);
  const notAVideo = await uploadFile(admin, id, 'video/mp4', TINY_PNG);
  assert.equal(notAVideo.status, 422);
  assert.deepEqual(fields(notAVideo), ['content_type']);
  const uploaded = await uploadFile(admin, id, 'video/mp4', MP4);
  assert.equal(uploaded.status, 200, JSON.stringify(uploaded.body));
  assert.deepEqual([uploaded.body.shown, uploaded.body.content_type, uploaded.body.size_bytes], [true, 'video/mp4', MP4.length]);

  for (const lang of ['de', 'ar', 'ti']) {
    const res = await page(server.baseUrl, `/${lang}/`);
    assert.equal(res.status, 200);
    assert.ok(res.text.includes(`<video controls preload="none" width="640" height="480" src="/portal/sign-videos/${id}"`), lang);
    assert.ok(res.text.includes(`<track kind="captions" srclang="de" label="Deutsch" src="/portal/sign-videos/${id}/captions.vtt" default>`), lang);
    assert.ok(res.text.includes(`href="/portal/sign-videos/${id}?download=1" download>`), lang);
    assert.match(res.text, /\(MP4, 0,3 MB, 2:05 min, 640×480, 25 fps\)/, lang);
    assert.match(res.text, /<details><summary>[^<]+<\/summary><div lang="de" class="transcript"><p>Willkommen bei Faire Integration\.<\/p><p>Hier finden/, lang);
    assert.doesNotMatch(res.text, /noch nicht aufgenommen|not been recorded/, lang);
  }
  assert.match((await page(server.baseUrl, '/de/leichte-sprache/')).text, new RegExp(`src="/portal/sign-videos/${id}"`));

  // The file and its captions, public and without a cookie; downloadable.
  const file = await fetch(`${server.baseUrl}/portal/sign-videos/${id}`);
  assert.equal(file.status, 200);
  assert.equal(file.headers.get('content-type'), 'video/mp4');
  assert.equal(file.headers.get('set-cookie'), null);
  assert.deepEqual(Buffer.from(await file.arrayBuffer()), MP4);
  const download = await fetch(`${server.baseUrl}/portal/sign-videos/${id}?download=1`);
  assert.match(download.headers.get('content-disposition'), /^attachment; filename="gebaerdensprache\.mp4"$/);
  await download.arrayBuffer();
  const captions = await page(server.baseUrl, `/portal/sign-videos/${id}/captions.vtt`);
  assert.equal(captions.status, 200);
  assert.match(captions.headers.get('content-type'), /^text\/vtt/);
  assert.equal(captions.text, VTT);

  // Removed: gone from the portal, the file too.
  assert.equal((await admin.del(`/api/v1/portal/sign-videos/${id}`)).status, 204);
  assert.doesNotMatch((await page(server.baseUrl, '/de/')).text, /<video/);
  assert.equal((await fetch(`${server.baseUrl}/portal/sign-videos/${id}`)).status, 404);
  assert.equal((await admin.del(`/api/v1/portal/sign-videos/${id}`)).status, 404);
  const audit = await admin.get('/api/v1/audit?record_type=sign_video&limit=50');
  assert.equal(audit.status, 200);
  assert.deepEqual(audit.body.items.filter((e) => e.record_id === id).map((e) => e.action).sort(), ['create', 'delete', 'update']);
});

test('a link to a DGS video published elsewhere, on the accessibility statement', async () => {
  const link = await admin.post('/api/v1/portal/sign-videos', { page: 'accessibility', title: 'Erklärung zur Barrierefreiheit in DGS',
    url: 'https://videos.example.org/dgs/barrierefreiheit', duration_seconds: 61, width: 1280, height: 720, fps: 50 });
  assert.equal(link.status, 201, JSON.stringify(link.body));
  assert.equal(link.body.shown, true);
  const res = await page(server.baseUrl, '/uk/accessibility');
  assert.match(res.text, /<a href="https:\/\/videos\.example\.org\/dgs\/barrierefreiheit" rel="external">/);
  assert.match(res.text, /\(1:01 min, 1280×720, 50 fps\)/);
  assert.doesNotMatch(res.text, /<video/, 'a link is not embedded (no third-party request)');
  assert.equal((await uploadFile(admin, link.body.id, 'video/mp4', MP4)).status, 422, 'a link has no file');
  const list = await admin.get('/api/v1/portal/sign-videos');
  assert.ok(list.body.items.some((v) => v.id === link.body.id && v.url && v.page === 'accessibility'));
  assert.equal((await admin.del(`/api/v1/portal/sign-videos/${link.body.id}`)).status, 204);
});

test('bad input names the field and changes nothing; only admins', async () => {
  const count = async () => (await admin.get('/api/v1/portal/sign-videos')).body.items.length;
  const n = await count();
  for (const [change, field] of [[{ width: 319 }, 'width'], [{ height: 200 }, 'height'], [{ fps: 24 }, 'fps'],
    [{ duration_seconds: 0 }, 'duration_seconds'], [{ page: 'contact' }, 'page'], [{ title: '' }, 'title'],
    [{ url: 'http://videos.example.org/x' }, 'url'], [{ url: 'javascript:alert(1)' }, 'url'], [{ captions: '1\n00:00 --> 00:01\nx' }, 'captions'],
    [{ extra: 1 }, 'extra']]) {
    const res = await admin.post('/api/v1/portal/sign-videos', { ...home, ...change });
    assert.equal(res.status, 422, `${field}: ${JSON.stringify(res.body)}`);
    assert.deepEqual(fields(res), [field]);
  }
  assert.equal(await count(), n);
  const advisor = api(server.baseUrl);
  await advisor.loginOk(DEMO_USERS.advisor);
  assert.equal((await advisor.get('/api/v1/portal/sign-videos')).status, 403);
  assert.equal((await advisor.post('/api/v1/portal/sign-videos', home)).status, 403);
  const mine = await admin.post('/api/v1/portal/sign-videos', home);
  assert.equal((await uploadFile(advisor, mine.body.id, 'video/mp4', MP4)).status, 403);
  assert.equal((await advisor.del(`/api/v1/portal/sign-videos/${mine.body.id}`)).status, 403);
  assert.equal((await api(server.baseUrl).get('/api/v1/portal/sign-videos')).status, 401);
  assert.equal((await admin.del(`/api/v1/portal/sign-videos/${mine.body.id}`)).status, 204);
});

// Seeking on a phone: one range is 206 with Content-Range, past the end 416, several ranges are
// answered with the whole file (200), HEAD describes the whole file without a body; If-Range
// with an old ETag gets the whole file. Public, and no session is read (no cookie set or refreshed).
test('the video file is served in byte ranges: 200, 206, 416, several ranges whole, HEAD, If-Range; no session read', async () => {
  const created = await admin.post('/api/v1/portal/sign-videos', { ...home, title: 'Ranges' });
  const { id } = created.body;
  const bytes = Buffer.concat([MP4, Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251))]);
  const uploaded = await uploadFile(admin, id, 'video/mp4', bytes);
  assert.equal(uploaded.status, 200, JSON.stringify(uploaded.body));
  const etag = uploaded.headers.get('etag');
  assert.match(etag, /^"dgs_[^"]+"$/);
  const size = bytes.length;
  const url = `${server.baseUrl}/portal/sign-videos/${id}`;
  const signedIn = [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const get = async (headers = {}, method = 'GET') => {
    const res = await fetch(url, { method, headers: { cookie: signedIn, ...headers } });
    const body = Buffer.from(await res.arrayBuffer());
    assert.equal(res.headers.get('set-cookie'), null, 'no session is read or refreshed');
    return { res, body, h: (name) => res.headers.get(name) };
  };

  const whole = await get();
  assert.equal(whole.res.status, 200);
  assert.deepEqual([whole.h('accept-ranges'), whole.h('content-type'), whole.h('content-length'), whole.h('etag')],
    ['bytes', 'video/mp4', String(size), etag]);
  assert.equal(whole.h('content-range'), null);
  assert.deepEqual(whole.body, bytes);

  for (const [range, first, last] of [['bytes=0-99', 0, 99], ['bytes=1000-', 1000, size - 1], ['bytes=-500', size - 500, size - 1],
    [`bytes=${size - 10}-${size + 5000}`, size - 10, size - 1], [`bytes=${size - 1}-${size - 1}`, size - 1, size - 1]]) {
    const part = await get({ range });
    assert.equal(part.res.status, 206, range);
    assert.equal(part.h('content-range'), `bytes ${first}-${last}/${size}`, range);
    assert.equal(part.h('content-length'), String(last - first + 1), range);
    assert.equal(part.h('accept-ranges'), 'bytes');
    assert.equal(part.h('content-type'), 'video/mp4');
    assert.deepEqual(part.body, bytes.subarray(first, last + 1), range);
  }
  // The range of the download link as well.
  const download = await fetch(`${url}?download=1`, { headers: { range: 'bytes=4-11' } });
  assert.equal(download.status, 206);
  assert.match(download.headers.get('content-disposition'), /^attachment;/);
  assert.deepEqual(Buffer.from(await download.arrayBuffer()), bytes.subarray(4, 12));

  for (const range of [`bytes=${size}-`, `bytes=${size + 10}-${size + 20}`, 'bytes=-0']) {
    const unsatisfiable = await get({ range });
    assert.equal(unsatisfiable.res.status, 416, range);
    assert.equal(unsatisfiable.h('content-range'), `bytes */${size}`, range);
    assert.equal(unsatisfiable.body.length, 0);
  }
  // Several ranges: fairdesk answers them with the whole file (RFC 9110 allows ignoring Range).
  for (const range of ['bytes=0-9,20-29', 'bytes=0-0,-1']) {
    const several = await get({ range });
    assert.equal(several.res.status, 200, range);
    assert.equal(several.h('content-range'), null);
    assert.deepEqual(several.body, bytes, range);
  }
  // Other units and unreadable ranges are ignored (200 whole).
  for (const range of ['items=0-9', 'bytes=9-3', 'bytes=abc']) assert.equal((await get({ range })).res.status, 200, range);

  // If-Range: the range only while the file is that version.
  assert.equal((await get({ range: 'bytes=0-9', 'if-range': etag })).res.status, 206);
  const stale = await get({ range: 'bytes=0-9', 'if-range': '"dgs_old.1"' });
  assert.equal(stale.res.status, 200);
  assert.equal(stale.body.length, size);

  // HEAD: the whole file's headers, no body (Range is defined for GET only), and no byte of the
  // file read from the database (the named query that reads a file's bytes does not run).
  const fileReads = async () => Number((await server.metrics())
    .match(/fairdesk_db_query_duration_seconds_count\{query="portal\.sign_video_file_part"\} (\d+)/)?.[1] ?? 0);
  const readsBeforeHead = await fileReads();
  assert.ok(readsBeforeHead >= 1, 'the GETs above read the file through the named query');
  for (const headers of [{}, { range: 'bytes=0-9' }]) {
    const head = await get(headers, 'HEAD');
    assert.equal(head.res.status, 200);
    assert.deepEqual([head.h('accept-ranges'), head.h('content-length'), head.h('content-type'), head.h('etag')],
      ['bytes', String(size), 'video/mp4', etag]);
    assert.equal(head.body.length, 0);
  }
  assert.equal(await fileReads(), readsBeforeHead, 'HEAD reads no bytes of the file');
  // Without any cookie, and with a cookie that names no session: the same answer.
  assert.equal((await fetch(url, { headers: { range: 'bytes=0-9' } })).status, 206);
  assert.equal((await get({ cookie: 'fd_session=forged; fd_csrf=x', range: 'bytes=0-9' })).res.status, 206);

  // Revalidation: the current ETag in If-None-Match is a 304 without a body (with or without Range).
  for (const headers of [{ 'if-none-match': etag }, { 'if-none-match': `"x", ${etag}`, range: 'bytes=0-9' }]) {
    const current = await get(headers);
    assert.equal(current.res.status, 304);
    assert.equal(current.h('etag'), etag);
    assert.equal(current.body.length, 0);
  }
  assert.equal((await get({ 'if-none-match': '"dgs_old.1"' })).res.status, 200);

  // A replaced file has a new ETag; an old If-Range then gets the whole new file.
  const replaced = await uploadFile(admin, id, 'video/mp4', MP4);
  assert.notEqual(replaced.headers.get('etag'), etag);
  const after = await get({ range: 'bytes=0-9', 'if-range': etag });
  assert.equal(after.res.status, 200);
  assert.deepEqual(after.body, MP4);
  assert.equal((await fetch(`${server.baseUrl}/portal/sign-videos/dgs_none`, { headers: { range: 'bytes=0-9' } })).status, 404);
  assert.equal((await admin.del(`/api/v1/portal/sign-videos/${id}`)).status, 204);
});

test('an admin changes a video\'s texts with If-Match: a stale version is 412 and changes nothing; audited', async () => {
  const created = await admin.post('/api/v1/portal/sign-videos', { ...home, title: 'Zum Bearbeiten' });
  const { id } = created.body;
  const etag = created.headers.get('etag');
  assert.equal(created.body.etag, etag);
  const one = await admin.get(`/api/v1/portal/sign-videos/${id}`);
  assert.equal(one.status, 200);
  assert.equal(one.headers.get('etag'), etag);

  const VTT2 = 'WEBVTT\n\n00:00.000 --> 00:03.000\nNeu untertitelt.\n';
  const changed = await admin.patch(`/api/v1/portal/sign-videos/${id}`, { title: 'Bearbeitet', captions: VTT2, transcript: 'Neu.' },
    { headers: { 'If-Match': etag } });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  assert.deepEqual([changed.body.title, changed.body.captions, changed.body.transcript, changed.body.fps], ['Bearbeitet', VTT2, 'Neu.', 25]);
  const fresh = changed.headers.get('etag');
  assert.notEqual(fresh, etag);

  // Another admin's tab still holds the old ETag: 412, nothing changed (a PATCH, a new file, a removal).
  const stalePatch = await admin.patch(`/api/v1/portal/sign-videos/${id}`, { title: 'Überschrieben' }, { headers: { 'If-Match': etag } });
  assert.equal(stalePatch.status, 412);
  assert.equal(stalePatch.body.type.endsWith('precondition-failed'), true, JSON.stringify(stalePatch.body));
  assert.deepEqual(fields(stalePatch), ['If-Match']);
  assert.equal((await admin.request('PUT', `/api/v1/portal/sign-videos/${id}/file`, {
    body: MP4, headers: { 'Content-Type': 'video/mp4', 'If-Match': etag } })).status, 412);
  assert.equal((await admin.del(`/api/v1/portal/sign-videos/${id}`, undefined, { headers: { 'If-Match': etag } })).status, 412);
  assert.equal((await admin.get(`/api/v1/portal/sign-videos/${id}`)).body.title, 'Bearbeitet');

  // Bad input names the field and changes nothing; clearing the captions is allowed.
  for (const [change, field] of [[{ width: 100 }, 'width'], [{ captions: 'no vtt' }, 'captions'], [{ title: '' }, 'title'], [{ bogus: 1 }, 'bogus']]) {
    const res = await admin.patch(`/api/v1/portal/sign-videos/${id}`, change, { headers: { 'If-Match': fresh } });
    assert.equal(res.status, 422, field);
    assert.deepEqual(fields(res), [field]);
  }
  const cleared = await admin.patch(`/api/v1/portal/sign-videos/${id}`, { captions: '' }, { headers: { 'If-Match': fresh } });
  assert.equal(cleared.status, 200);
  assert.equal(cleared.body.has_captions, false);
  const withFile = await uploadFile(admin, id, 'video/mp4', MP4);
  assert.equal(withFile.status, 200);
  const toLink = await admin.patch(`/api/v1/portal/sign-videos/${id}`, { url: 'https://videos.example.org/x' });
  assert.equal(toLink.status, 422);
  assert.deepEqual(fields(toLink), ['url']);

  const advisor = api(server.baseUrl);
  await advisor.loginOk(DEMO_USERS.advisor);
  assert.equal((await advisor.get(`/api/v1/portal/sign-videos/${id}`)).status, 403);
  assert.equal((await advisor.patch(`/api/v1/portal/sign-videos/${id}`, { title: 'x' })).status, 403);

  assert.equal((await admin.del(`/api/v1/portal/sign-videos/${id}`, undefined, { headers: { 'If-Match': withFile.headers.get('etag') } })).status, 204);
  const audit = await admin.get('/api/v1/audit?record_type=sign_video&limit=50');
  assert.deepEqual(audit.body.items.filter((e) => e.record_id === id).map((e) => e.action).sort(),
    ['create', 'delete', 'update', 'update', 'update']);
});
