/** The escalation API (server/cases/routes.cpp): list, one with its thread, reply, status. */
import { api } from '../../../lib/api';
export { useLoad, type Loadable } from '../../../lib/useLoad';

export const ESCALATION_STATUSES = ['open', 'answered', 'closed'] as const;

export interface EscalationMessage {
  id: string;
  author_role: string;
  /** The author's display name, where the server sends it. */
  author_name?: string | null;
  body: string;
  created_at: string;
  read_at?: string | null;
}

export interface Escalation {
  id: string;
  centre_id: string;
  /** Only for the escalating centre; the competence centre never sees the case. */
  case_id?: string;
  summary: string;
  question: string;
  status: string;
  messages: EscalationMessage[];
  /** Who asked (null once the account is gone). */
  created_by_name?: string | null;
  created_at: string;
  updated_at: string;
  centre_name?: string | null;
  centre_state?: string | null;
  topics?: string[];
  assignee_id?: string | null;
  assignee_name?: string | null;
  message_count?: number;
  unread_answers?: number;
  /** While open: since when it waits for the Fachstelle. */
  waiting_since?: string | null;
}

const enc = encodeURIComponent;

export const listEscalations = (status: string, signal?: AbortSignal) =>
  api.get<{ items: Escalation[] }>('/api/v1/escalations', { query: { status }, signal }).then((p) => p.items);
export const getEscalation = (id: string, signal?: AbortSignal) => api.get<Escalation>(`/api/v1/escalations/${enc(id)}`, { signal });
export const addMessage = (id: string, body: string) => api.post<EscalationMessage>(`/api/v1/escalations/${enc(id)}/messages`, { body });
export const setStatus = (id: string, status: string) => api.patch<Escalation>(`/api/v1/escalations/${enc(id)}`, { status });
export const setAssignee = (id: string, assigneeId: string | null) => api.patch<Escalation>(`/api/v1/escalations/${enc(id)}`, { assignee_id: assigneeId });
/** The asking centre marks the Fachstelle's answers as read (all, or up to one message). */
export const markRead = (id: string) => api.post<Escalation>(`/api/v1/escalations/${enc(id)}/read`);
export const getTopicLabels = (signal?: AbortSignal) =>
  api.get<{ items: { code: string; labels: { de: string; en: string } }[] }>('/api/v1/topics', { signal }).then((p) => p.items);

/** How long since a timestamp ("3 Tage", "5 Stunden"), in the UI language. */
export function waitingFor(iso: string, language: string, now = Date.now()): string {
  const hours = Math.max(0, (now - new Date(iso).getTime()) / 3_600_000);
  const unit = hours >= 48 ? 'day' : hours >= 1 ? 'hour' : 'minute';
  const value = unit === 'day' ? Math.floor(hours / 24) : unit === 'hour' ? Math.floor(hours) : Math.floor(hours * 60);
  return new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

export function formatTimestamp(iso: string, language: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}
