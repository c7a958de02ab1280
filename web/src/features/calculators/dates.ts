/** Calendar dates as the API writes them (`YYYY-MM-DD`, `YYYY-MM`, `YYYY-MM-DDTHH:MM`), without time zones. */
import { formatLocale } from './money';

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** True for an existing date `YYYY-MM-DD` (2026-02-30 is not). */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** True for a month `YYYY-MM`. */
export function isIsoMonth(value: string): boolean {
  const m = /^(\d{4})-(\d{2})$/.exec(value);
  return Boolean(m) && Number(m![2]) >= 1 && Number(m![2]) <= 12 && Number(m![1]) >= 1;
}

/** True for a local date and time `YYYY-MM-DDTHH:MM`. */
export function isLocalDateTime(value: string): boolean {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(value);
  return Boolean(m) && isIsoDate(m![1]!) && Number(m![2]) <= 23 && Number(m![3]) <= 59;
}

function toUtc(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y!, (m ?? 1) - 1, d ?? 1));
}

function fromUtc(date: Date): string {
  const y = String(date.getUTCFullYear()).padStart(4, '0');
  const m = String(date.getUTCMonth() + 1).padStart(2, '0');
  const d = String(date.getUTCDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** `YYYY-MM-DD` plus `days` calendar days. */
export function addDays(iso: string, days: number): string {
  const date = toUtc(iso);
  date.setUTCDate(date.getUTCDate() + days);
  return fromUtc(date);
}

/** The month after `YYYY-MM` (2026-12 → 2027-01). */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${String(y! + 1).padStart(4, '0')}-01` : `${String(y).padStart(4, '0')}-${String(m! + 1).padStart(2, '0')}`;
}

/** Today in the browser's time zone as `YYYY-MM-DD`. */
export function today(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

export type DateStyle = 'long' | 'short' | 'weekday';

/**
 * `YYYY-MM-DD` for people: "27. März 2026" / "27 March 2026" (long), "27.03.2026" / "27/03/2026"
 * (short), "Freitag, 27. März 2026" (weekday).
 */
export function formatDate(iso: string, language: string, style: DateStyle = 'long'): string {
  if (!isIsoDate(iso)) return iso;
  const options: Intl.DateTimeFormatOptions =
    style === 'short'
      ? { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }
      : { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC', ...(style === 'weekday' ? { weekday: 'long' } : {}) };
  return new Intl.DateTimeFormat(formatLocale(language), options).format(toUtc(iso));
}

/** `YYYY-MM` → "März 2026" / "March 2026". */
export function formatMonth(month: string, language: string): string {
  if (!isIsoMonth(month)) return month;
  return new Intl.DateTimeFormat(formatLocale(language), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    toUtc(`${month}-01`),
  );
}

/** `YYYY-MM-DDTHH:MM` → "06.03.2026, 08:00". */
export function formatDateTime(value: string, language: string): string {
  if (!isLocalDateTime(value)) return value;
  const [date, time] = value.split('T');
  return `${formatDate(date!, language, 'short')}, ${time}`;
}
