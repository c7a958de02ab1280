// The administration page of the portal's sign-language (DGS) videos (issue 12, BITV 2.0 § 4) in
// Debian's Chromium at 390 px: an admin uploads a real WebM video (recorded in the test by
// Chromium's own MediaRecorder from a canvas), the portal shows it with and without JavaScript and
// the browser plays it from byte ranges (206); an edit meets another admin's change (412, shown,
// nothing overwritten); the video is removed. Another role gets no page and 403 on the API. axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, DEMO_USERS } from '../lib/server.mjs';
import { assertAccessible, assertFitsWidth, openBrowser, signIn } from '../lib/browser.mjs';

const PHONE = { width: 390, height: 844 };
let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

/**
 * A small real WebM (VP8, 320×240): Chromium's MediaRecorder records 30 frames drawn on a canvas.
 * Resolves to its bytes.
 */
async function recordWebm(page) {
  const base64 = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 240;
    const context = canvas.getContext('2d');
    const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: 'video/webm;codecs=vp8' });
    const chunks = [];
    recorder.ondataavailable = (event) => {
      if (event.data.size) chunks.push(event.data);
    };
    const stopped = new Promise((resolve) => {
      recorder.onstop = resolve;
    });
    recorder.start();
    await new Promise((resolve) => {
      let frame = 0;
      const draw = () => {
        context.fillStyle = `hsl(${frame * 12}, 70%, 50%)`;
        context.fillRect(0, 0, 320, 240);
        context.fillStyle = '#fff';
        context.fillText(`DGS ${frame}`, 20, 120);
        frame += 1;
        if (frame >= 30) resolve();
        else requestAnimationFrame(draw);
      };
      requestAnimationFrame(draw);
    });
    recorder.stop();
    await stopped;
    const bytes = new Uint8Array(await new Blob(chunks, { type: 'video/webm' }).arrayBuffer());
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    return btoa(binary);
  });
  return Buffer.from(base64, 'base64');
}


test('an admin uploads a DGS video, edits it against a concurrent change and removes it; the portal shows and plays it', async () => {
  const staff = await openBrowser({ viewport: PHONE });
  const visitor = await openBrowser({ viewport: PHONE });
  const noScript = await openBrowser({ viewport: PHONE, javaScriptEnabled: false });
  const otherAdmin = api(server.baseUrl);
  await otherAdmin.loginOk(DEMO_USERS.admin);
  const title = `Willkommen in DGS ${Date.now().toString(36)}`;
  try {
    const { page } = staff;
    await signIn(page, server.baseUrl, DEMO_USERS.admin);
    const webm = await recordWebm(page);
    assert.equal(webm.subarray(0, 4).toString('hex'), '1a45dfa3', 'an EBML (WebM) file');

    await page.goto(`${server.baseUrl}/admin/users`);
    await page.getByRole('navigation', { name: 'Bereiche der Verwaltung' }).getByRole('link', { name: 'Gebärdensprachvideos' }).click();
    await page.getByRole('heading', { level: 1, name: 'Gebärdensprachvideos (DGS) im Portal' }).waitFor();
    await page.getByRole('button', { name: 'Video hinzufügen' }).click();
    const form = page.getByTestId('sign-video-form');
    await form.getByRole('heading', { name: 'Neues Gebärdensprachvideo' }).waitFor();

    // Checked before sending: BITV's minimum frame size, a title; shown at the fields (axe too).
    await form.getByLabel('Titel (Deutsch)').fill(title);
    await form.getByLabel('Länge in Sekunden').fill('2');
    await form.getByLabel('Breite in Pixeln').fill('100');
    await form.getByLabel('Höhe in Pixeln').fill('240');
    await form.getByRole('button', { name: 'Speichern' }).click();
    await form.getByText('Bitte eine ganze Zahl von 320 bis 7680.').waitFor();
    await assertAccessible(page, 'admin-sign-videos (new, with an error)', { fitsWidth: true });

    await form.getByLabel('Breite in Pixeln').fill('320');
    await form.getByLabel('Videodatei (MP4 oder WebM)').setInputFiles({ name: 'dgs.webm', mimeType: 'video/webm', buffer: webm });
    await form.getByLabel('Untertitel (WebVTT)').fill('WEBVTT\n\n00:00.000 --> 00:01.000\nWillkommen.\n');
    await form.getByLabel('Transkript (Deutsch)').fill('Willkommen bei Faire Integration.');
    await form.getByRole('button', { name: 'Speichern' }).click();
    await page.getByRole('status').filter({ hasText: `Hinzugefügt: ${title}.` }).waitFor();
    const table = page.getByTestId('sign-videos-home-table');
    const row = table.getByRole('row').filter({ hasText: title });
    await row.getByText('im Portal zu sehen').waitFor();
    await row.getByText(/^WebM, /).waitFor();
    const id = (await row.getAttribute('data-testid')).replace(/^sign-video-/, '');
    await assertAccessible(page, 'admin-sign-videos (with a video)', { fitsWidth: true });

    // The portal with JavaScript: Chromium loads the video from byte ranges (206) and can play it.
    const ranges = [];
    visitor.page.on('response', (response) => {
      if (response.url().endsWith(`/portal/sign-videos/${id}`)) ranges.push(response.status());
    });
    await visitor.page.goto(`${server.baseUrl}/de/`);
    const video = visitor.page.locator(`video[src="/portal/sign-videos/${id}"]`);
    await video.waitFor();
    await video.evaluate((v) => {
      v.preload = 'auto';
      v.load();
    });
    await visitor.page.waitForFunction((selector) => {
      const v = document.querySelector(selector);
      return v && v.readyState >= 1 && v.videoWidth === 320 && !v.error;
    }, `video[src="/portal/sign-videos/${id}"]`);
    assert.ok(ranges.includes(206), `Chromium read the video in ranges: ${ranges}`);
    await visitor.page.locator('.sign-video').filter({ hasText: title }).getByText(/WebM, 0,1 MB, 0:02 min, 320×240, 25 fps/).waitFor();
    assert.deepEqual(visitor.cspViolations(), []);

    // Without JavaScript: the same video element, download link and transcript.
    await noScript.page.goto(`${server.baseUrl}/de/`);
    const article = noScript.page.locator('.sign-video').filter({ hasText: title });
    await article.locator(`video[src="/portal/sign-videos/${id}"] track[kind="captions"]`).waitFor({ state: 'attached' });
    await article.getByRole('link', { name: 'Video herunterladen' }).waitFor();
    await article.locator('summary').click();
    await article.getByText('Willkommen bei Faire Integration.').waitFor();
    await assertFitsWidth(noScript.page, '/de/ without JavaScript, with a video');

    // An edit while another admin changed the video: 412, shown, nothing of it saved; reload, then save.
    await row.getByRole('button', { name: /Bearbeiten/ }).click();
    await form.getByRole('heading', { name: `„${title}“ bearbeiten` }).waitFor();
    const current = await otherAdmin.get(`/api/v1/portal/sign-videos/${id}`);
    const theirs = await otherAdmin.patch(`/api/v1/portal/sign-videos/${id}`, { transcript: 'Von der Kollegin geändert.' },
      { headers: { 'If-Match': current.headers.get('etag') } });
    assert.equal(theirs.status, 200);
    await form.getByLabel('Transkript (Deutsch)').fill('Meine Änderung.');
    await form.getByRole('button', { name: 'Speichern' }).click();
    await page.getByTestId('sign-video-conflict').waitFor();
    await assertAccessible(page, 'admin-sign-videos (conflict)', { fitsWidth: true });
    assert.equal((await otherAdmin.get(`/api/v1/portal/sign-videos/${id}`)).body.transcript, 'Von der Kollegin geändert.');
    await page.getByRole('button', { name: 'Neu laden' }).click();
    await page.getByLabel('Transkript (Deutsch)').filter({ hasText: 'Von der Kollegin geändert.' }).waitFor();
    await form.getByLabel('Transkript (Deutsch)').fill('Willkommen. Hier finden Sie Beratung.');
    await form.getByRole('button', { name: 'Speichern' }).click();
    await page.getByRole('status').filter({ hasText: `Gespeichert: ${title}.` }).waitFor();
    assert.equal((await otherAdmin.get(`/api/v1/portal/sign-videos/${id}`)).body.transcript, 'Willkommen. Hier finden Sie Beratung.');

    // Removed: gone from the page and the portal; every change is in the audit log.
    await table.getByRole('row').filter({ hasText: title }).getByRole('button', { name: /Bearbeiten/ }).click();
    await form.getByRole('button', { name: 'Video entfernen' }).click();
    await page.getByRole('button', { name: 'Ja, entfernen' }).click();
    await page.getByRole('status').filter({ hasText: `Entfernt: ${title}.` }).waitFor();
    assert.equal(await page.getByRole('row').filter({ hasText: title }).count(), 0);
    // (The browser may keep the page for its five cacheable minutes: asked afresh here.)
    const home = await (await fetch(`${server.baseUrl}/de/`)).text();
    assert.doesNotMatch(home, new RegExp(`/portal/sign-videos/${id}`));
    assert.equal((await fetch(`${server.baseUrl}/portal/sign-videos/${id}`)).status, 404);
    const audit = await otherAdmin.get('/api/v1/audit?record_type=sign_video&limit=50');
    assert.deepEqual(audit.body.items.filter((e) => e.record_id === id).map((e) => e.action).sort(),
      ['create', 'delete', 'update', 'update', 'update']);
  } finally {
    await staff.close();
    await visitor.close();
    await noScript.close();
  }
});

test('another role gets no sign-language video page and 403 on the API', async () => {
  const browser = await openBrowser({ viewport: PHONE });
  try {
    const { page } = browser;
    await signIn(page, server.baseUrl, DEMO_USERS.centreLead);
    await page.goto(`${server.baseUrl}/admin/sign-videos`);
    await page.getByRole('heading', { level: 1, name: 'Für Ihre Rolle nicht verfügbar' }).waitFor();
    assert.equal(await page.getByTestId('page-admin-sign-videos').count(), 0);
    const status = await page.evaluate(async () => (await fetch('/api/v1/portal/sign-videos')).status);
    assert.equal(status, 403);
  } finally {
    await browser.close();
  }
  for (const who of [DEMO_USERS.advisor, DEMO_USERS.centreLead]) {
    const client = api(server.baseUrl);
    await client.loginOk(who);
    assert.equal((await client.get('/api/v1/portal/sign-videos')).status, 403, who);
  }
});
