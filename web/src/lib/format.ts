/** Pure formatting helpers shared by pages. No React, no I/O: unit-tested in format.test.ts. */

const displayNameCache = new Map<string, Intl.DisplayNames>();

function displayNames(uiLanguage: string, type: 'language' | 'region'): Intl.DisplayNames {
  const key = `${uiLanguage}:${type}`;
  let names = displayNameCache.get(key);
  if (!names) {
    names = new Intl.DisplayNames([uiLanguage], { type, fallback: 'code' });
    displayNameCache.set(key, names);
  }
  return names;
}

/** The name of a language (ISO 639-1 code) in the UI language, e.g. `ar` → "Arabisch". */
export function languageName(code: string, uiLanguage: string): string {
  try {
    return displayNames(uiLanguage, 'language').of(code) ?? code;
  } catch {
    return code;
  }
}

/** Sorts strings the way people of the UI language expect (umlauts in place, not at the end). */
export function sortByName<T>(items: readonly T[], name: (item: T) => string, uiLanguage: string): T[] {
  const collator = new Intl.Collator(uiLanguage, { sensitivity: 'base' });
  return [...items].sort((a, b) => collator.compare(name(a), name(b)));
}

/** The server writes weekdays as German abbreviations ("Mo-Do", "Mo, Mi, Fr"). */
const WEEKDAYS = ['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'] as const;

/**
 * Renders a day range such as "Mo-Do" in the UI language with the short weekday names of
 * `Intl.DateTimeFormat` and an en dash: "Mo–Do" in German, "Mon–Thu" in English. Text it does not
 * recognise is returned unchanged.
 */
export function formatDays(days: string, uiLanguage: string): string {
  const format = new Intl.DateTimeFormat(uiLanguage, { weekday: 'short', timeZone: 'UTC' });
  // 2024-01-01 was a Monday.
  const names = WEEKDAYS.map((_, index) =>
    format.format(new Date(Date.UTC(2024, 0, 1 + index))).replace(/\.$/, ''),
  );
  return days.replace(/\b(Mo|Di|Mi|Do|Fr|Sa|So)\b/g, (token) => names[WEEKDAYS.indexOf(token as (typeof WEEKDAYS)[number])] ?? token)
    .replace(/\s*-\s*/g, '–')
    .replace(/\s*,\s*/g, ', ');
}

/** Groups a secret (base32) into blocks of four so it can be read out and typed. */
export function groupSecret(secret: string): string {
  return secret.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

/** An SVG document as a data: URL for `<img src>`, which the Content-Security-Policy allows. */
export function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/** Seconds to a rounded, human duration split into minutes and seconds. */
export function splitDuration(totalSeconds: number): { minutes: number; seconds: number } {
  const s = Math.max(0, Math.ceil(totalSeconds));
  return { minutes: Math.floor(s / 60), seconds: s % 60 };
}

/** A German postcode: exactly five digits. */
export function isPostcode(value: string): boolean {
  return /^\d{5}$/.test(value);
}

/** A date `YYYY-MM-DD` (or the date part of a timestamp) in the UI language ("06.03.2026"); "–" for none. */
export function formatDate(iso: string | null | undefined, language: string): string {
  if (!iso) return '–';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}
