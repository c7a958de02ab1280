/**
 * Money and decimal numbers typed by people, converted exactly. The API counts money in integer
 * euro cents and hours with at most two decimals (API.md), so nothing here goes through a
 * binary floating-point multiplication: text is split into digits and put together as integers.
 */

export type ParseFailure = 'empty' | 'format' | 'negative' | 'precision' | 'too_large';
export type Parsed = { ok: true; value: number } | { ok: false; reason: ParseFailure };

/** Whole euros above this are surely a typing error (and stay far below 2^53 cents). */
const MAX_EURO_DIGITS = 12;

const fail = (reason: ParseFailure): Parsed => ({ ok: false, reason });

/**
 * Splits a number written the German way ("1.234,56") or the English way ("1,234.56", "1234.56")
 * into its integer digits and its fraction digits. A single separator followed by exactly three
 * digits after one to three leading digits ("1.234", "12,500") groups thousands; otherwise a
 * single separator is the decimal mark. Spaces (also non-breaking) may group thousands.
 */
function splitDecimal(raw: string): { int: string; frac: string } | ParseFailure {
  const text = raw.replace(/[\s\u00a0\u202f]/g, '');
  if (!/^[\d.,]+$/.test(text)) return 'format';
  const dots = (text.match(/\./g) ?? []).length;
  const commas = (text.match(/,/g) ?? []).length;

  let group: string | null = null;
  let decimal: string | null = null;
  if (dots && commas) {
    decimal = text.lastIndexOf('.') > text.lastIndexOf(',') ? '.' : ',';
    group = decimal === '.' ? ',' : '.';
    if ((decimal === '.' ? dots : commas) !== 1) return 'format';
  } else if (dots || commas) {
    const sep = dots ? '.' : ',';
    const count = dots || commas;
    const [before = '', after = ''] = text.split(sep);
    if (count > 1 || (after.length === 3 && /^[1-9]\d{0,2}$/.test(before))) group = sep;
    else decimal = sep;
  }

  let int = text;
  let frac = '';
  if (decimal) {
    const at = text.lastIndexOf(decimal);
    int = text.slice(0, at);
    frac = text.slice(at + 1);
    if (!/^\d+$/.test(frac)) return 'format';
  }
  if (group) {
    const escaped = group === '.' ? '\\.' : ',';
    if (!new RegExp(`^[1-9]\\d{0,2}(${escaped}\\d{3})+$`).test(int)) return 'format';
    int = int.split(group).join('');
  }
  if (int === '') int = '0';
  if (!/^\d+$/.test(int)) return 'format';
  return { int: int.replace(/^0+(?=\d)/, ''), frac };
}

function stripSign(input: string): { text: string; negative: boolean } {
  const text = input.trim();
  if (/^[-−–]/.test(text)) return { text: text.slice(1).trim(), negative: true };
  if (text.startsWith('+')) return { text: text.slice(1).trim(), negative: false };
  return { text, negative: false };
}

/**
 * Euros as typed ("1.234,56", "1234.56", "1 234,5 €", "EUR 12") → integer cents.
 * Negative amounts, more than two decimals and malformed grouping are refused, never rounded.
 */
export function parseEuroToCents(input: string): Parsed {
  const { text, negative } = stripSign(input.replace(/€|\bEUR\b|\bEuro\b/gi, ''));
  if (text === '') return negative ? fail('format') : fail('empty');
  if (negative) return fail('negative');
  const parts = splitDecimal(text);
  if (typeof parts === 'string') return fail(parts);
  if (parts.frac.length > 2) return fail('precision');
  if (parts.int.length > MAX_EURO_DIGITS) return fail('too_large');
  return { ok: true, value: Number(parts.int) * 100 + Number(parts.frac.padEnd(2, '0')) };
}

/**
 * A non-negative decimal with at most two decimals ("38,5", "38.25", "40") → hundredths.
 * `max` is in hundredths too.
 */
export function parseHundredths(input: string, max?: number): Parsed {
  const { text, negative } = stripSign(input);
  if (text === '') return negative ? fail('format') : fail('empty');
  if (negative) return fail('negative');
  // Hours and days never need thousands grouping: one separator is always the decimal mark.
  if (!/^\d*([.,]\d*)?$/.test(text) || !/\d/.test(text)) return fail('format');
  const [int = '', frac = ''] = text.split(/[.,]/);
  if (frac.length > 2) return fail('precision');
  if (int.length > 9) return fail('too_large');
  const value = Number(int || '0') * 100 + Number(frac.padEnd(2, '0'));
  if (max !== undefined && value > max) return fail('too_large');
  return { ok: true, value };
}

/** Hundredths → the JSON number the API expects (3850 → 38.5). Division by 100 yields the
 * double nearest to the decimal, which JSON.stringify prints as the short decimal. */
export function hundredthsToNumber(hundredths: number): number {
  return hundredths / 100;
}

/** A JSON number with at most two decimals (from the server) → hundredths. */
export function numberToHundredths(value: number): number {
  return Math.round(value * 100);
}

/** The `Intl` locale for formatting in a UI language: German as in Germany, English as in the UK. */
export function formatLocale(language: string): string {
  return language.startsWith('en') ? 'en-GB' : 'de-DE';
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/**
 * Cents → "1.234,56 €" (de-DE) or "€1,234.56" (en-GB). The euros are formatted as a BigInt
 * and the cents are put into the fraction part as digits, so no float is involved.
 */
export function formatCents(cents: number, language: string): string {
  const locale = formatLocale(language);
  let format = moneyFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR', minimumFractionDigits: 2 });
    moneyFormats.set(locale, format);
  }
  // Amounts from the calculators are never negative; should one be, it keeps its sign in front.
  const sign = cents < 0 ? '-' : '';
  const abs = BigInt(Math.abs(Math.trunc(cents)));
  const rest = (abs % 100n).toString().padStart(2, '0');
  const text = format
    .formatToParts(abs / 100n)
    .map((part) => (part.type === 'fraction' ? rest : part.value))
    .join('');
  return `${sign}${text}`;
}

/** Hundredths → "38,5" / "38.5": a plain decimal in the UI language, up to two decimals. */
export function formatHundredths(hundredths: number, language: string): string {
  const int = Math.trunc(Math.abs(hundredths) / 100);
  const frac = (Math.abs(hundredths) % 100).toString().padStart(2, '0').replace(/0+$/, '');
  const sign = hundredths < 0 ? '-' : '';
  const grouped = new Intl.NumberFormat(formatLocale(language), { maximumFractionDigits: 0 }).format(int);
  if (!frac) return `${sign}${grouped}`;
  return `${sign}${grouped}${language.startsWith('en') ? '.' : ','}${frac}`;
}
