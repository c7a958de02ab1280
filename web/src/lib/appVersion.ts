/**
 * A tab opened before an upgrade keeps running the old build. Its main script is loaded, but the
 * parts it fetches later — a feature's translations the first time one of its pages is opened, the
 * other language's texts — have content-hashed names that the upgraded server no longer has
 * (it serves the build it read at start-up: docs/DECISIONS.md, "The web app is read once at
 * start-up"). Such a fetch fails with 404; this module tells whether the cause is a newer build,
 * and then loads the page again, from the new build. That is safe: it happens right after a
 * navigation or a language switch, and long texts are kept as drafts in the browser.
 */

/** The main script of an index.html (`<script type="module" … src="/assets/index-….js">`), or null. */
export function mainScript(html: string): string | null {
  for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) {
    if (!/\btype\s*=\s*["']?module\b/i.test(tag)) continue;
    const src = /\bsrc\s*=\s*["']([^"']+)["']/i.exec(tag);
    if (src) return src[1]!;
  }
  return null;
}

/** The main script this page runs. */
function runningScript(): string | null {
  return mainScript(document.head.innerHTML);
}

const RELOADED_KEY = 'fairdesk.reloadedFor';

/**
 * Whether the server now serves another build than the one running in this tab: index.html is
 * fetched again (the server sends it with `Cache-Control: no-cache`; `no-store` here in case a
 * proxy ignores that) and its main script compared with ours.
 */
export async function newerBuildServed(): Promise<string | null> {
  const running = runningScript();
  if (!running) return null;
  try {
    const response = await fetch(window.location.pathname, { cache: 'no-store', credentials: 'same-origin', headers: { Accept: 'text/html' } });
    if (!response.ok) return null;
    const served = mainScript(await response.text());
    return served && served !== running ? served : null;
  } catch {
    return null;
  }
}

/**
 * After a part of the app failed to load: when a newer build is served, loads the page again
 * (once per build, so a broken deployment cannot make it loop) and resolves to true; otherwise
 * resolves to false and the caller shows its error.
 */
export async function reloadIfUpgraded(): Promise<boolean> {
  const served = await newerBuildServed();
  if (!served) return false;
  try {
    if (window.sessionStorage.getItem(RELOADED_KEY) === served) return false;
    window.sessionStorage.setItem(RELOADED_KEY, served);
  } catch {
    // Without session storage the build comparison alone prevents a loop: after the reload the
    // running script is the served one.
  }
  window.location.reload();
  return true;
}
