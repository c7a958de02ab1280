/** Contact requests from the public portal (server/portal/routes.cpp): list, convert, close. */
import { api } from '../../lib/api';

export const CONTACT_STATUSES = ['new', 'converted', 'closed', 'suspected_spam'] as const;

export interface ContactRequest {
  id: string;
  reference: string;
  centre_id: string;
  postcode: string | null;
  language: string;
  topic: string;
  name: string;
  reach: string;
  message: string;
  status: string;
  verified: boolean;
  /** Unix seconds. */
  created_at: number;
  client_id: string | null;
  case_id: string | null;
}

const enc = encodeURIComponent;

export const listContactRequests = (status: string, signal?: AbortSignal) =>
  api
    .get<{ items: ContactRequest[] }>('/api/v1/contact-requests', { query: status ? { status } : {}, signal })
    .then((p) => p.items);
export const convertContactRequest = (id: string) =>
  api.post<{ client_id: string; case_id: string; case_number: string }>(`/api/v1/contact-requests/${enc(id)}/convert`);
export const closeContactRequest = (id: string) => api.post<ContactRequest>(`/api/v1/contact-requests/${enc(id)}/close`);

export function formatUnix(seconds: number, language: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', calendar: 'gregory' }).format(
    new Date(seconds * 1000),
  );
}
