/** The client API (server/cases): record, audited "show" of the personal fields, cases, search, merge. */
import { api } from '../../../lib/api';
import type { Case, Client, Page, Personal } from './types';

const enc = encodeURIComponent;

/** The record without the encrypted personal fields (which fields hold something is in `recorded`). */
export const getClient = (id: string, signal?: AbortSignal) =>
  api.read<Client>(`/api/v1/clients/${enc(id)}`, { signal }).then(({ data, etag }) => ({ ...data, etag: etag ?? data.etag ?? null }));
/** The decrypted personal fields; every call is written to the audit trail. */
export const showPersonal = (id: string) => api.get<Personal>(`/api/v1/clients/${enc(id)}/personal`);
export const updateClient = (id: string, body: Record<string, unknown>, etag: string | null) =>
  api.update<Client>(`/api/v1/clients/${enc(id)}`, body, etag);
export const clientCases = (id: string, signal?: AbortSignal) =>
  api.get<Page<Case>>(`/api/v1/clients/${enc(id)}/cases`, { query: { limit: '200' }, signal }).then((p) => p.items);
export const eraseClient = (id: string) => api.del<void>(`/api/v1/clients/${enc(id)}`);
export const mergeClient = (id: string, sourceId: string) => api.post<Client>(`/api/v1/clients/${enc(id)}/merge`, { source_id: sourceId });
export const exportUrl = (id: string) => `/api/v1/clients/${enc(id)}/export`;

export interface ClientSearch {
  q?: string;
  /** A year; what is not a number is sent as typed, for the server to name the field. */
  birth_year?: number | string;
  nationality?: string;
}

/**
 * Returning clients of the centre: by code, name, phone or e-mail (q), or birth year + nationality.
 * Sent in the body (POST …/search), so that no name or phone number ends up in a URL.
 */
export const searchClients = (query: ClientSearch, signal?: AbortSignal) =>
  api.post<Page<Client>>('/api/v1/clients/search', { ...query, limit: 20 }, { signal }).then((p) => p.items);
