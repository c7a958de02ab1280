/** `GET /api/v1/stats/table` (shared/API.md): one measure by one or two dimensions over months. */
import { api } from '../../../lib/api';

export const MEASURES = ['consultations', 'persons', 'cases_opened', 'cases_closed', 'wages_recovered_cents'] as const;
export type Measure = (typeof MEASURES)[number];

export const DIMENSIONS = [
  'month', 'quarter', 'year', 'state', 'centre', 'topic', 'sector_group', 'sector', 'nationality',
  'nationality_group', 'channel', 'language', 'gender', 'age_band', 'employment_status', 'residence_status',
  'abroad', 'kind', 'contact', 'referral_target', 'outcome',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Dimensions of single consultations: not for the case measures. */
export const CONSULTATION_ONLY: readonly Dimension[] = ['channel', 'language', 'kind', 'contact'];

export interface Figure {
  value: number | null;
  suppressed: boolean;
}
export interface StatsTable {
  measure: Measure;
  rows: Dimension;
  cols: Dimension | null;
  from: string;
  to: string;
  state: string | null;
  centre: string | null;
  protected: boolean;
  cells: (Figure & { row: string; col: string | null })[];
  row_totals: (Figure & { row: string })[];
  col_totals: (Figure & { col: string })[];
  total: Figure;
}

export interface TableQuery {
  measure: Measure;
  rows: Dimension;
  cols?: Dimension | '';
  from: string;
  to: string;
  state?: string;
  centre?: string;
}

function params(q: TableQuery): Record<string, string> {
  const out: Record<string, string> = { measure: q.measure, rows: q.rows, from: q.from, to: q.to };
  if (q.cols) out.cols = q.cols;
  if (q.state) out.state = q.state;
  if (q.centre) out.centre = q.centre;
  return out;
}

export const getTable = (q: TableQuery, signal?: AbortSignal) =>
  api.get<StatsTable>('/api/v1/stats/table', { query: params(q), signal });

/** The download address of the same table as CSV (`,` or `;`), XLSX or PDF. */
export function exportUrl(q: TableQuery, format: 'csv' | 'csv-semicolon' | 'xlsx' | 'pdf', language: string): string {
  const p = new URLSearchParams(params(q));
  p.set('format', format === 'csv-semicolon' ? 'csv' : format);
  if (format === 'csv-semicolon') p.set('delimiter', 'semicolon');
  if (format === 'xlsx' || format === 'pdf') p.set('lang', language === 'de' ? 'de' : 'en');
  return `/api/v1/stats/table?${p.toString()}`;
}
