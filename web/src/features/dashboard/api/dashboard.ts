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

export async function getMyOpenCases(signal?: AbortSignal): Promise<CaseItem[]> {
  const page = await api.get<{ items: CaseItem[] }>('/api/v1/cases', { query: { assignee: 'me', limit: '200' }, signal });
  return page.items.filter((c) => c.status !== 'closed');
}

export const getDueDeadlines = (mine: boolean, signal?: AbortSignal) =>
  api
    .get<{ items: DueDeadline[] }>('/api/v1/deadlines', { query: { due_within_days: '7', mine: mine ? 'true' : 'false' }, signal })
    .then((p) => p.items);

export const getEscalations = (status: string, signal?: AbortSignal) =>
  api.get<{ items: EscalationItem[] }>('/api/v1/escalations', { query: { status }, signal }).then((p) => p.items);

