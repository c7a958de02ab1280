/**
 * Euro amounts as people type them, to integer cents without floating point: "1.234,56" in
 * German, "1,234.56" in English (API.md: money is an integer number of cents).
 */

/** The largest amount a case keeps (server: kMaxWagesRecoveredCents, 10 million euro). */
export const MAX_CENTS = 1_000_000_000;

/**
 * Parses an amount in the conventions of `language` and answers cents, or null when the text is
 * not an amount. Grouping separators and spaces are ignored; at most two decimals.
 */
export function parseEuroToCents(text: string, language: string): number | null {
  const decimal = language.startsWith('de') ? ',' : '.';
  const group = decimal === ',' ? '.' : ',';
  let s = text.trim().replace(/\s|\u00a0|\u202f|€/g, '');
  if (!s) return null;
  // Grouping separators only between groups of three digits.
  const [whole = '', fraction, extra] = s.split(decimal);
  if (extra !== undefined) return null;
  if (whole.includes(group)) {
    if (!/^\d{1,3}(\.\d{3})*$/.test(whole.replaceAll(group, '.'))) return null;
  }
  s = whole.replaceAll(group, '');
  if (!/^\d+$/.test(s)) return null;
  if (fraction !== undefined && !/^\d{1,2}$/.test(fraction)) return null;
  const cents = Number(s) * 100 + (fraction ? Number(fraction.padEnd(2, '0')) : 0);
  return Number.isSafeInteger(cents) ? cents : null;
}

/** Cents as a euro amount in the UI language ("1.234,56 €"). */
export function formatCents(cents: number, language: string): string {
  return new Intl.NumberFormat(language, { style: 'currency', currency: 'EUR' }).format(cents / 100);
}
