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
/** The closed reporting period a table was answered from (docs/STATISTICS.md). */
export interface ClosedPeriodRef {
  id: string;
  period: string;
  from: string;
  to: string;
  centre: string | null;
  closed_at: string;
  revision: number;
  latest_revision: number;
  revision_at: string;
  revision_reason: string | null;
}

export interface ClosedPeriod {
  id: string;
  period: string;
  from: string;
  to: string;
  scope: 'centre' | 'nationwide';
  centre: string | null;
  state: string | null;
  closed_at: string;
  latest_revision: number;
  revisions: { number: number; created_at: string; reason: string | null }[];
  changed_since: boolean;
  can_revise: boolean;
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
  closed_period: ClosedPeriodRef | null;
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
  /** A revision of the closed period the table lies in (default: the latest). */
  revision?: string;
}

function params(q: TableQuery): Record<string, string> {
  const out: Record<string, string> = { measure: q.measure, rows: q.rows, from: q.from, to: q.to };
  if (q.cols) out.cols = q.cols;
  if (q.state) out.state = q.state;
  if (q.centre) out.centre = q.centre;
  if (q.revision) out.revision = q.revision;
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

export const listPeriods = (signal?: AbortSignal) =>
  api.get<{ items: ClosedPeriod[] }>('/api/v1/stats/periods', { signal }).then((r) => r.items);

/** Closes a year (2025), quarter (2025-Q2) or month (2025-05). */
export const closePeriod = (period: string) => api.post<ClosedPeriod>('/api/v1/stats/periods', { period });

export const revisePeriod = (id: string, reason: string) =>
  api.post<ClosedPeriod>(`/api/v1/stats/periods/${encodeURIComponent(id)}/revisions`, { reason });

/** Centre names by id (the public directory), for labelling closed periods of a centre. */
export async function getCentreNames(signal?: AbortSignal): Promise<Record<string, string>> {
  const names: Record<string, string> = {};
  let cursor: string | null = null;
  do {
    const page: { items: { id: string; name: string }[]; next_cursor: string | null } = await api.get(
      '/api/v1/centres', { query: { limit: '200', ...(cursor ? { cursor } : {}) }, signal });
    for (const c of page.items) names[c.id] = c.name;
    cursor = page.next_cursor;
  } while (cursor);
  return names;
}

/** The address of the annual report PDF (`GET /api/v1/stats/report`) of a year and scope. */
export function reportUrl(year: string, q: Pick<TableQuery, 'state' | 'centre'>, language: string): string {
  const p = new URLSearchParams({ year });
  if (q.state) p.set('state', q.state);
  if (q.centre) p.set('centre', q.centre);
  p.set('lang', language === 'de' ? 'de' : 'en');
  return `/api/v1/stats/report?${p.toString()}`;
}
