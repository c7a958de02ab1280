/** What the dashboard of case workers reads: own open cases, due deadlines, escalation answers. */
import { api } from '../../../lib/api';
export { useLoad, type Loadable } from '../../../lib/useLoad';

export interface CaseItem {
  id: string;
  number: string;
  /** The client's pseudonymous code. */
  client_code: string | null;
  status: string;
  priority: string;
  opened_on: string;
  updated_at: string;
}

export interface DueDeadline {
  id: string;
  case_id: string;
  case_number: string;
  kind: string;
  due_date: string;
  note: string | null;
  overdue: boolean;
}

export interface EscalationItem {
  id: string;
  case_id?: string;
  question: string;
  status: string;
  messages: unknown[];
  updated_at: string;
  message_count?: number;
  /** Answers of the Fachstelle the asking centre has not marked read. */
  unread_answers?: number;
}

/** How many of one's open cases the dashboard lists (the case list has them all). */
export const DASHBOARD_CASES = 10;
/** Up to how many open cases it counts exactly ("more than 50" beyond). */
export const DASHBOARD_COUNTED = 50;

/** The caller's open cases, most recently changed first (up to DASHBOARD_COUNTED), and whether there are more. */
export interface MyOpenCases {
  items: CaseItem[];
  more: boolean;
}

/**
 * Asks the server for not-closed cases only (`status=active`). Fetching 200 of one's cases of any
 * status and dropping the closed ones in the browser showed "no open cases" to an advisor whose
 * 200 most recently changed cases were closed, and audited reads of 200 cases.
 */
export async function getMyOpenCases(signal?: AbortSignal): Promise<MyOpenCases> {
  const page = await api.get<{ items: CaseItem[]; next_cursor: string | null }>('/api/v1/cases', {
    query: { assignee: 'me', status: 'active', limit: String(DASHBOARD_COUNTED) },
    signal,
  });
  return { items: page.items, more: page.next_cursor != null };
}

export const getDueDeadlines = (mine: boolean, signal?: AbortSignal) =>
  api
    .get<{ items: DueDeadline[] }>('/api/v1/deadlines', { query: { due_within_days: '7', mine: mine ? 'true' : 'false' }, signal })
    .then((p) => p.items);

export const getEscalations = (status: string, signal?: AbortSignal) =>
  api.get<{ items: EscalationItem[] }>('/api/v1/escalations', { query: { status }, signal }).then((p) => p.items);

