/** The escalation API (server/cases/routes.cpp): list, one with its thread, reply, status. */
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../../lib/api';

export const ESCALATION_STATUSES = ['open', 'answered', 'closed'] as const;

export interface EscalationMessage {
  id: string;
  author_role: string;
  /** The author's display name, where the server sends it. */
  author_name?: string | null;
  body: string;
  created_at: string;
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
  created_at: string;
  updated_at: string;
}

const enc = encodeURIComponent;

export const listEscalations = (status: string, signal?: AbortSignal) =>
  api.get<{ items: Escalation[] }>('/api/v1/escalations', { query: { status }, signal }).then((p) => p.items);
export const getEscalation = (id: string, signal?: AbortSignal) => api.get<Escalation>(`/api/v1/escalations/${enc(id)}`, { signal });
export const addMessage = (id: string, body: string) => api.post<EscalationMessage>(`/api/v1/escalations/${enc(id)}/messages`, { body });
export const setStatus = (id: string, status: string) => api.patch<Escalation>(`/api/v1/escalations/${enc(id)}`, { status });

export type Loadable<T> = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'done'; data: T };

export function useLoad<T>(key: string, load: (signal: AbortSignal) => Promise<T>): Loadable<T> & { reload: () => void } {
  const [state, setState] = useState<Loadable<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => (previous.status === 'done' && attempt > 0 ? previous : { status: 'loading' }));
    load(controller.signal).then(
      (data) => !controller.signal.aborted && setState({ status: 'done', data }),
      (error: unknown) => !controller.signal.aborted && setState({ status: 'error', error }),
    );
    return () => controller.abort();
  }, [key, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, reload };
}

export function formatTimestamp(iso: string, language: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}
