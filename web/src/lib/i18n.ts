/**
 * i18next set-up. German is the default; every locale is a JSON file under `src/locales/` that
 * the build copies as a hashed asset and the app fetches only when that language is used.
 */
import i18next, { type BackendModule, type ReadCallback } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { reloadIfUpgraded } from './appVersion';

export const LANGUAGES = ['de', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'de';

/** Languages written right to left; none yet, Arabic and Farsi follow with the public portal. */
const RTL = new Set(['ar', 'fa', 'he', 'ur']);

const STORAGE_KEY = 'fairdesk.language';

// Each locale becomes a hashed JSON asset; only its URL is in the bundle.
const localeUrls = import.meta.glob<string>('../locales/*.json', { query: '?url', import: 'default', eager: true });

async function loadLocale(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) {
    // A tab from before an upgrade asks for a locale name the server no longer has.
    if (response.status === 404 && (await reloadIfUpgraded())) return new Promise(() => {});
    throw new Error(`locale ${url}: HTTP ${response.status}`);
  }
  return (await response.json()) as Record<string, unknown>;
}

const lazyJsonBackend: BackendModule = {
  type: 'backend',
  init() {},
  read(language: string, _namespace: string, callback: ReadCallback) {
    const url = localeUrls[`../locales/${language}.json`];
    if (!url) {
      callback(new Error(`no locale ${language}`), false);
      return;
    }
    loadLocale(url).then(
      (resources) => callback(null, resources),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), false),
    );
  },
};

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

function storedLanguage(): Language | null {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : null;
  } catch {
    return null;
  }
}

/** A language picked on a page without a session (the sign-in page); kept after signing in. */
let pickedSignedOut: Language | null = null;

export function notePickedSignedOut(language: Language): void {
  pickedSignedOut = language;
}

/** The language picked before signing in, once (then forgotten). */
export function takePickedSignedOut(): Language | null {
  const picked = pickedSignedOut;
  pickedSignedOut = null;
  return picked;
}

export function rememberLanguage(language: Language): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Storage may be disabled; the choice then lasts for this page only.
  }
}

function applyToDocument(language: string): void {
  document.documentElement.lang = language;
  document.documentElement.dir = RTL.has(language) ? 'rtl' : 'ltr';
}

export async function initI18n(): Promise<typeof i18next> {
  i18next.on('languageChanged', applyToDocument);
  await i18next
    .use(lazyJsonBackend)
    .use(initReactI18next)
    .init({
      lng: storedLanguage() ?? DEFAULT_LANGUAGE,
      fallbackLng: DEFAULT_LANGUAGE,
      supportedLngs: [...LANGUAGES],
      load: 'languageOnly',
      ns: ['translation'],
      defaultNS: 'translation',
      interpolation: { escapeValue: false },
      returnNull: false,
      react: { useSuspense: false },
    });
  applyToDocument(i18next.language);
  return i18next;
}

/** Switches the UI language (loading its locale first) and remembers it on this device. */
export async function changeLanguage(language: Language): Promise<void> {
  rememberLanguage(language);
  if (i18next.language !== language) await i18next.changeLanguage(language);
}

export { i18next };
