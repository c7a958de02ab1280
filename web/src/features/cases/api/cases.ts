/**
 * Fetchers of the case API and a small loading hook. Every state-changing call goes through
 * lib/api (CSRF token); the document upload sends the raw file and fetches the token itself.
 */
import { api, ApiError, setCsrfToken, type Problem } from '../../../lib/api';
import type {
  Case,
  CaseDetail,
  Centre,
  Client,
  Consultation,
  Deadline,
  Document,
  Escalation,
  Page,
  Partner,
  Referral,
  Suggestion,
  Topic,
} from './types';
import { useLoad, type Loadable } from '../../../lib/useLoad';

export { useLoad, type Loadable };

const enc = encodeURIComponent;

export type CaseQuery = Record<string, string | undefined>;

export interface SavedFilter {
  id: string;
  name: string;
  query: string;
}
export const listSavedFilters = (signal?: AbortSignal) =>
  api.get<{ items: SavedFilter[] }>('/api/v1/saved-filters', { signal }).then((p) => p.items);
export const saveFilter = (name: string, query: string) => api.post<SavedFilter>('/api/v1/saved-filters', { name, query });
export const deleteFilter = (id: string) => api.del<void>(`/api/v1/saved-filters/${enc(id)}`);

export const getTopics = (signal?: AbortSignal) => api.get<Page<Topic>>('/api/v1/topics', { signal }).then((p) => p.items);
export const listCases = (query: CaseQuery, signal?: AbortSignal) =>
  api.get<Page<Case>>('/api/v1/cases', { query: { ...query }, signal });
/** The case with its `ETag` (kept on the detail as `etag`, sent back as `If-Match` on changes). */
export const getCase = (id: string, signal?: AbortSignal) =>
  api.read<CaseDetail>(`/api/v1/cases/${enc(id)}`, { signal }).then(({ data, etag }) => ({ ...data, etag: etag ?? data.etag ?? null }));
export const getCaseWithEtag = (id: string) => api.read<CaseDetail>(`/api/v1/cases/${enc(id)}`);
/** PATCH with If-Match: a stale ETag answers 412 and changes nothing. */
export const updateCase = (id: string, body: Record<string, unknown>, etag: string | null) =>
  api.update<Case>(`/api/v1/cases/${enc(id)}`, body, etag);
export const patchCase = (id: string, body: Record<string, unknown>) => api.patch<Case>(`/api/v1/cases/${enc(id)}`, body);
export const createClient = (body: Record<string, unknown>) => api.post<Client>('/api/v1/clients', body);
export const createCase = (body: { client_id: string; topics: string[] }) => api.post<Case>('/api/v1/cases', body);
export const routeIntake = (body: { nationality: string; topics: string[]; postcode?: string }, signal?: AbortSignal) =>
  api.post<{ suggestions: Suggestion[] }>('/api/v1/intake/route', body, { signal }).then((a) => a.suggestions);
export const addConsultation = (id: string, body: Record<string, unknown>) =>
  api.post<Consultation>(`/api/v1/cases/${enc(id)}/consultations`, body);
export const addDeadline = (id: string, body: Record<string, unknown>) => api.post<Deadline>(`/api/v1/cases/${enc(id)}/deadlines`, body);
export const patchDeadline = (id: string, body: Record<string, unknown>) => api.patch<Deadline>(`/api/v1/deadlines/${enc(id)}`, body);
/** Corrections and progress of an entry (with `reason` where the server asks for one), If-Match as read. */
export const patchConsultation = (id: string, body: Record<string, unknown>, etag: string | null) =>
  api.update<Consultation>(`/api/v1/consultations/${enc(id)}`, body, etag);
export const updateDeadline = (id: string, body: Record<string, unknown>, etag: string | null) =>
  api.update<Deadline>(`/api/v1/deadlines/${enc(id)}`, body, etag);
export const patchReferralById = (id: string, body: Record<string, unknown>, etag: string | null) =>
  api.update<Referral>(`/api/v1/referrals/${enc(id)}`, body, etag);
/** One consultation, deadline or referral as stored now, with its `ETag` (after a 412). */
export const getEntry = (kind: 'consultation' | 'deadline' | 'referral', id: string) =>
  api.read<Consultation | Deadline | Referral>(`/api/v1/${kind}s/${enc(id)}`);
/** A document is withdrawn (never changed) with a reason; it stays listed, marked. */
export const withdrawDocument = (id: string, reason: string) =>
  api.patch<Document>(`/api/v1/documents/${enc(id)}`, { withdrawn: true, reason });
export const addReferral = (id: string, body: Record<string, unknown>) => api.post<Referral>(`/api/v1/cases/${enc(id)}/referrals`, body);
export const patchReferral = (caseId: string, id: string, body: Record<string, unknown>) =>
  api.patch<Referral>(`/api/v1/cases/${enc(caseId)}/referrals/${enc(id)}`, body);
export const addEscalation = (id: string, body: Record<string, unknown>) =>
  api.post<Escalation>(`/api/v1/cases/${enc(id)}/escalations`, body);
export const transferCase = (id: string, body: { centre_id: string; consent_date: string }) =>
  api.post<{ transferred: boolean }>(`/api/v1/cases/${enc(id)}/transfer`, body);
export const listDocuments = (id: string, signal?: AbortSignal) =>
  api.get<Page<Document>>(`/api/v1/cases/${enc(id)}/documents`, { query: { limit: '200' }, signal }).then((p) => p.items);
export interface CaseloadRow {
  user_id: string;
  display_name: string;
  role: string;
  open_cases: number;
  overdue_deadlines: number;
}
/** Each member's open caseload (centre leads). */
export const getCaseload = (signal?: AbortSignal) =>
  api.get<{ items: CaseloadRow[] }>('/api/v1/caseload', { signal }).then((p) => p.items);
/** Assign several cases at once (centre leads): all or nothing. */
export const assignCases = (caseIds: string[], assigneeId: string | null) =>
  api.post<Page<Case>>('/api/v1/cases/assign', { case_ids: caseIds, assignee_id: assigneeId });
export const getPartners = (signal?: AbortSignal) => api.get<Page<Partner>>('/api/v1/partners', { signal }).then((p) => p.items);

export async function getCentres(signal?: AbortSignal): Promise<Centre[]> {
  const items: Centre[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<Centre> = await api.get<Page<Centre>>('/api/v1/centres', { query: { limit: '200', cursor }, signal });
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

/**
 * The advice centres a case can be referred or transferred to: every one but the case's own, by
 * name. The Fachstelle Faire Integration is no advice centre (it is asked through an escalation;
 * the server refuses a transfer to it).
 */
export function otherAdviceCentres(centres: Centre[], ownCentreId: string, language: string): Centre[] {
  return centres
    .filter((c) => c.id !== ownCentreId && (c.kind ?? 'advice_centre') === 'advice_centre')
    .sort((a, b) => a.name.localeCompare(b.name, language));
}

export const documentUrl = (id: string) => `/api/v1/documents/${enc(id)}`;

/** The largest document the server accepts (server/documents/model.hpp). */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

/**
 * Uploads a file as the raw request body (not multipart): Content-Type is the file's type,
 * X-Filename its percent-encoded name. lib/api only speaks JSON and keeps its CSRF token to
 * itself, so this asks `/me` for a fresh token and hands it back to lib/api as well.
 */
export function uploadDocument(caseId: string, file: File): Promise<Document> {
  return sendFile(`/api/v1/cases/${enc(caseId)}/documents`, file, {});
}

/**
 * Corrects a document by a new version (issue 7): the old one stays in the case, withdrawn with
 * the reason (X-Reason, percent-encoded) and linked to the new one.
 */
export function correctDocument(id: string, file: File, reason: string): Promise<Document> {
  return sendFile(`/api/v1/documents/${enc(id)}/versions`, file, { 'X-Reason': enc(reason) });
}

async function sendFile(path: string, file: File, extra: Record<string, string>): Promise<Document> {
  const me = await api.get<{ csrf_token: string }>('/api/v1/me');
  setCsrfToken(me.csrf_token);
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'Content-Type': file.type || 'application/octet-stream',
        'X-Filename': enc(file.name),
        'X-CSRF-Token': me.csrf_token,
        ...extra,
      },
      body: file,
      credentials: 'same-origin',
    });
  } catch (error) {
    throw new ApiError('network', 0, null, String(error));
  }
  let payload: unknown = null;
  if ((response.headers.get('Content-Type') ?? '').includes('json')) payload = await response.json().catch(() => null);
  if (response.ok) return payload as Document;
  if (response.status === 413) {
    throw new ApiError('problem', 413, (payload as Problem | null) ?? { type: 'too-large', title: 'Payload too large', status: 413 });
  }
  if (response.status >= 500 || !payload) throw new ApiError('server', response.status, null);
  throw new ApiError('problem', response.status, payload as Problem);
}

/** Topics in the order of the taxonomy, loaded once per page. */
export function useTopics() {
  return useLoad('topics', getTopics);
}

export function topicLabel(topics: Topic[] | undefined, code: string, language: string): string {
  const topic = topics?.find((t) => t.code === code);
  if (!topic) return code;
  return language === 'en' ? topic.labels.en : topic.labels.de;
}
