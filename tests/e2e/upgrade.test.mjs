// An upgrade while a tab is open (issue 7 walk-through). The server reads the built web app once at
// start-up (docs/DECISIONS.md, "The web app is read once at start-up"), so an upgrade is a restart
// with the new files. A tab opened before it still runs the old build; the first page of a feature
// it had not opened yet asks for that feature's texts under their old content-hashed name, which
// the new server does not have (404). The tab notices that index.html now names another build and
// loads the page again, from the new build: the advisor sees the page, not an error.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_USERS, freshDatabaseUrl, REPO_ROOT, startServer } from '../lib/server.mjs';
import { waitUntil } from '../lib/wait.mjs';
import { openBrowser, signIn } from '../lib/browser.mjs';

const DIST = join(REPO_ROOT, 'web', 'dist');

/**
 * "The next release": a copy of web/dist in which every translation chunk and the main script have
 * new content-hashed names (as a build after a change of the texts gives), the references rewritten.
 * Precompressed copies of changed files are dropped (the server then sends the plain file).
 */
async function nextRelease(dir) {
  await cp(DIST, dir, { recursive: true });
  const assets = join(dir, 'assets');
  const names = await readdir(assets);
  const renamed = new Map();
  for (const name of names) {
    const m = /^((?:de|en)-[\w-]+)\.(js|json)$/.exec(name);
    if (m) renamed.set(name, `${m[1]}v2.${m[2]}`);
  }
  const main = names.find((n) => /^index-[\w-]+\.js$/.test(n));
  assert.ok(main && renamed.size > 0, `web/dist has a main script and translation chunks (${names.length} files)`);
  let code = await readFile(join(assets, main), 'utf8');
  for (const [from, to] of renamed) {
    await rename(join(assets, from), join(assets, to));
    code = code.split(from).join(to);
  }
  const newMain = main.replace(/\.js$/, 'v2.js');
  await writeFile(join(assets, newMain), code);
  let html = await readFile(join(dir, 'index.html'), 'utf8');
  assert.ok(html.includes(`/assets/${main}`));
  html = html.replace(`/assets/${main}`, `/assets/${newMain}`);
  await writeFile(join(dir, 'index.html'), html);
  for (const name of [...renamed.keys(), main, 'index.html'].flatMap((n) => [`${n}.br`, `${n}.gz`])) {
    await rm(join(assets, name), { force: true });
    await rm(join(dir, name), { force: true });
  }
  return { oldMain: `/assets/${main}`, newMain: `/assets/${newMain}` };
}

describe('an upgrade while a tab is open', () => {
  let dir;
  let server;
  let browser;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fairdesk-upgrade-'));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('the first page of a feature after the restart loads from the new build, not an error', async () => {
    const db = freshDatabaseUrl(dir);
    const release = await nextRelease(join(dir, 'web-next'));
    server = await startServer({ db, stateDir: dir });
    browser = await openBrowser();
    const { page } = browser;
    await signIn(page, server.baseUrl, DEMO_USERS.advisor);
    const running = () => page.evaluate(() => document.querySelector('script[type="module"][src]')?.getAttribute('src'));
    assert.equal(await running(), release.oldMain);

    // The upgrade: the server stops and starts again on the same address with the new files.
    const { port } = server;
    await server.stop();
    server = await startServer({ db, stateDir: dir, port, webRoot: join(dir, 'web-next') });
    const missing = [];
    page.on('response', (r) => {
      if (r.status() === 404 && new URL(r.url()).pathname.startsWith('/assets/')) missing.push(new URL(r.url()).pathname);
    });

    // The calculators were not opened before: their texts are fetched now, under the old name.
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Rechner' }).click();
    await waitUntil(async () => (await running().catch(() => null)) === release.newMain, { timeoutMs: 15_000, what: 'the page loaded from the new build' });
    await page.getByRole('heading', { level: 1, name: 'Rechner' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/calculators');
    assert.ok(missing.length > 0, 'the old tab asked for a chunk the new server does not have');
    assert.equal(await page.getByRole('alert').count(), 0, 'no error shown');
    // Still signed in (the session is in the database), and the new build works on.
    await page.getByRole('link', { name: 'Arbeitszeit' }).click();
    await page.getByRole('heading', { level: 1, name: 'Arbeitszeit' }).waitFor();
  });
});
