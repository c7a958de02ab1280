/** Pure helpers of the statistics page: periods, defaults from the URL, comparison. */
import { CONSULTATION_ONLY, DIMENSIONS, MEASURES, type Dimension, type Measure, type TableQuery } from './api/stats';

/** YYYY-MM of a date (UTC). */
export function monthOf(d: Date): string {
  return d.toISOString().slice(0, 7);
}

/** `month` moved by `n` months (negative: back). */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const index = y * 12 + (m - 1) + n;
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The latest month a view may show: protected views end before the running month. */
export function latestMonth(protectedView: boolean, today = new Date()): string {
  const current = monthOf(today);
  return protectedView ? addMonths(current, -1) : current;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The table query of the URL, with defaults: consultations by month over the last 12 months. */
export function queryFromParams(params: URLSearchParams, protectedView: boolean, today = new Date()): TableQuery {
  const latest = latestMonth(protectedView, today);
  const measure = (MEASURES as readonly string[]).includes(params.get('measure') ?? '')
    ? (params.get('measure') as Measure)
    : 'consultations';
  const pick = (name: string, fallback: Dimension | '') => {
    const v = params.get(name) ?? '';
    return (DIMENSIONS as readonly string[]).includes(v) ? (v as Dimension) : fallback;
  };
  const to = MONTH.test(params.get('to') ?? '') ? (params.get('to') as string) : latest;
  const from = MONTH.test(params.get('from') ?? '') ? (params.get('from') as string) : addMonths(to, -11);
  const q: TableQuery = { measure, rows: pick('rows', 'month') as Dimension, cols: pick('cols', ''), from, to };
  const state = params.get('state');
  if (state && /^[A-Z]{2}$/.test(state)) q.state = state;
  const centre = params.get('centre');
  if (centre && /^[a-z0-9-]{1,64}$/.test(centre)) q.centre = centre;
  const revision = params.get('revision');
  if (revision && /^\d{1,4}$/.test(revision)) q.revision = revision;
  return q;
}

/** Whether a dimension applies to a measure (the server answers 422 otherwise). */
export function applies(measure: Measure, dim: Dimension): boolean {
  return measure === 'consultations' || measure === 'persons' || !CONSULTATION_ONLY.includes(dim);
}

/** The same period one year earlier (for "same period last year", also year to date). */
export function previousYear(q: TableQuery): TableQuery {
  const p: TableQuery = { ...q, from: addMonths(q.from, -12), to: addMonths(q.to, -12) };
  delete p.revision;
  return p;
}

/** Keys of period dimensions move with the comparison: 2026-03 ↔ 2025-03, 2026-Q1 ↔ 2025-Q1. */
export function shiftKey(dim: Dimension, key: string, years: number): string {
  if (dim !== 'month' && dim !== 'quarter' && dim !== 'year') return key;
  const year = Number(key.slice(0, 4));
  if (!Number.isFinite(year)) return key;
  return `${year + years}${key.slice(4)}`;
}

/** Change in percent, or null when either side is unknown or the base is 0. */
export function change(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return Math.round(((current - previous) / previous) * 1000) / 10;
}

/** The label of a period to close: a year, a quarter or a month, from the kind and a month in it. */
export function periodLabel(kind: 'year' | 'quarter' | 'month', month: string): string {
  if (kind === 'year') return month.slice(0, 4);
  if (kind === 'quarter') return `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
  return month;
}

/**
 * The server's field errors that no control of the filter form shows (e.g. `state` for a role
 * without the state choice, `centre`, `revision`): they are listed by the field's name instead,
 * so that the person learns what is wrong.
 */
export function unplacedErrors(errors: Record<string, string>, placed: readonly string[]): [string, string][] {
  return Object.entries(errors).filter(([field]) => !placed.includes(field));
}

/** Whether the role chooses a state in the filters (the others report on their own scope). */
export function choosesState(role: string): boolean {
  return role === 'competence_centre' || role === 'programme';
}

/** Whether rows by this dimension are periods (shown as a trend line rather than bars). */
export function isPeriod(dim: Dimension): boolean {
  return dim === 'month' || dim === 'quarter' || dim === 'year';
}
