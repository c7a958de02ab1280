/**
 * Browser helpers for tests/e2e: Debian's Chromium driven by playwright-core (no browser
 * download), axe-core accessibility checks, and sign-in through the real UI.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { DEMO_PASSWORD } from './server.mjs';

const require = createRequire(import.meta.url);

export const CHROMIUM = process.env.FAIRDESK_CHROMIUM || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * A fresh Chromium with its own temporary profile (so nothing leaks between tests: cookies,
 * localStorage). Resolves to `{ context, page, errors, close() }`; `errors` collects console
 * errors and page errors, including Content-Security-Policy violations.
 *
 * @param {object} [options]
 * @param {string} [options.locale='de-DE'] the browser's language
 * @param {{width: number, height: number}} [options.viewport] the window (default 1280×900)
 * @param {boolean} [options.javaScriptEnabled=true] false: pages run without script
 */
export async function openBrowser({ locale = 'de-DE', viewport = { width: 1280, height: 900 }, javaScriptEnabled = true } = {}) {
  const profile = await mkdtemp(join(tmpdir(), 'fairdesk-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    locale,
    viewport,
    javaScriptEnabled,
    timeout: 30_000,
  });
  context.setDefaultTimeout(10_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return {
    context,
    page,
    errors,
    /** Console errors that are CSP violations. */
    cspViolations: () => errors.filter((e) => /Content Security Policy/i.test(e)),
    async close() {
      await context.close().catch(() => {});
      await rm(profile, { recursive: true, force: true }).catch(() => {});
    },
  };
}

let axeSource;

/**
 * Runs axe-core in the page and resolves to the violations of impact `serious` or `critical`.
 * The script is evaluated through the DevTools protocol, which the page's CSP does not restrict,
 * so the check sees the page exactly as the server sends it.
 */
export async function seriousAxeViolations(page, { exclude = [] } = {}) {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.evaluate(axeSource);
  const result = await page.evaluate(
    async (excluded) =>
      window.axe.run(excluded.length ? { exclude: excluded.map((s) => [s]) } : document, {
        resultTypes: ['violations'],
      }),
    exclude,
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
    }));
}

/** Formats axe violations for an assertion message. */
export function describeViolations(violations) {
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.join('\n    ')}`).join('\n');
}

/**
 * Saves a full-page screenshot when FAIRDESK_E2E_SCREENSHOTS names a folder (the file named after
 * `name`, with anything but letters, digits, dots and dashes as "-").
 */
export async function screenshot(page, name) {
  const dir = process.env.FAIRDESK_E2E_SCREENSHOTS;
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name.replace(/[^\w.-]+/g, '-')}.png`), fullPage: true });
}

/**
 * Waits until nothing is loading, saves a screenshot (see `screenshot`) and fails the test on any
 * serious or critical axe violation, listing them under `name`. Options: `heading`, first wait
 * for the page's h1 (right after a navigation); `fitsWidth`, also fail on horizontal scrolling
 * (see `assertFitsWidth`).
 */
export async function assertAccessible(page, name, { heading = false, fitsWidth = false } = {}) {
  if (heading) await page.getByRole('heading', { level: 1 }).waitFor();
  await page.waitForFunction(() => !document.querySelector('.fd-loading'));
  const violations = await seriousAxeViolations(page);
  await screenshot(page, name);
  assert.deepEqual(violations, [], `${name}:\n${describeViolations(violations)}`);
  if (fitsWidth) await assertFitsWidth(page, name);
}

/** Fails the test when the page scrolls sideways (content wider than the window). */
export async function assertFitsWidth(page, name) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${name}: ${overflow}px of horizontal scrolling`);
}

/** Fills the first sign-in step. Labels are looked up in both languages. */
export async function fillCredentials(page, email, password = DEMO_PASSWORD) {
  await page.getByLabel(/^(E-Mail-Adresse|Email address)$/).fill(email);
  await page.getByLabel(/^(Passwort|Password)$/).fill(password);
  await page.getByRole('button', { name: /^(Anmelden|Sign in)$/ }).click();
}

/**
 * Signs in through the UI and waits for the dashboard. With `totp`, a function returning the
 * code (sync or async), it also completes the second step.
 */
export async function signIn(page, baseUrl, email, { password = DEMO_PASSWORD, totp } = {}) {
  await page.goto(`${baseUrl}/login`);
  await fillCredentials(page, email, password);
  if (totp) {
    const codeField = page.getByLabel(/^(Sicherheitscode|Security code)$/);
    await codeField.waitFor();
    await codeField.fill(await totp());
    await page.getByRole('button', { name: /^(Code bestätigen|Confirm code)$/ }).click();
  }
  await page.getByRole('navigation', { name: /^(Hauptnavigation|Main navigation)$/ }).waitFor();
}

/** Signs out with the header button and waits for the sign-in page. */
export async function signOut(page) {
  await page.getByRole('button', { name: /^(Abmelden|Sign out)$/ }).click();
  await page.waitForURL(/\/login/);
}

/** The visible link texts of the main navigation. */
export async function navigationLabels(page) {
  const nav = page.getByRole('navigation', { name: /^(Hauptnavigation|Main navigation)$/ });
  return (await nav.getByRole('link').allTextContents()).map((t) => t.trim());
}
