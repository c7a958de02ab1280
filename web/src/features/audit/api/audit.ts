/**
 * The audit trail (`GET /api/v1/audit`, centre leads: their centre, admins: all) and the user
 * directory the page names people from (`GET /api/v1/users`), with a small loading hook.
 */
import { api } from '../../../lib/api';
import type { Role } from '../../../lib/roles';
export { useLoad, type Loadable } from '../../../lib/useLoad';

/** The actions of the log (server/audit/audit.hpp). */
export const AUDIT_ACTIONS = ['read', 'create', 'update', 'delete', 'download', 'export', 'erase', 'transfer'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The record types the server writes today (the API accepts any lower-case type). */
export const RECORD_TYPES = [
  'case',
  'client',
  'client_personal',
  'consultation',
  'deadline',
  'referral',
  'escalation',
  'document',
  'case_documents',
  'user',
  'user_password',
  'user_totp',
  'knowledge_item',
  'knowledge_translation',
  'knowledge_attachment',
  'knowledge_image_checked',
  'knowledge_suggestion',
] as const;

export interface AuditEntry {
  seq: number;
  at: string;
  user_id: string;
  role: Role | 'system';
  centre_id: string | null;
  action: AuditAction;
  record_type: string;
  record_id: string;
  /** Every record the entry names: one, or all records a list showed (record_id is the first). */
  record_ids: string[];
  record_centre_id: string | null;
  /** The acting user's name, where the server knows it. */
  user_name?: string | null;
  /** What the record is called: case number, client code or user name (for consultations,
   * deadlines and documents the number of their case). */
  record_label?: string | null;
  hash: string;
}

/** A sign-in, failed sign-in or credential change (`GET /api/v1/security-events`). */
export interface SecurityEvent {
  id: string;
  at: number;
  event: string;
  user_id: string | null;
  user_name: string | null;
  centre_id: string | null;
  address: string;
  detail: string;
}

export const listSecurityEvents = (signal?: AbortSignal) =>
  api.get<Page<SecurityEvent>>('/api/v1/security-events', { query: { limit: '50' }, signal });

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface AuditQuery {
  record_type?: string;
  record_id?: string;
  user_id?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: string;
}

export const AUDIT_FILTERS = ['record_type', 'record_id', 'user_id', 'from', 'to'] as const;
export type AuditFilter = (typeof AUDIT_FILTERS)[number];

export const listAudit = (query: AuditQuery, signal?: AbortSignal) =>
  api.get<Page<AuditEntry>>('/api/v1/audit', { query: { ...query }, signal });

export interface UserSummary {
  id: string;
  email: string;
  display_name: string;
  role: Role;
  centre_id: string | null;
}

/** Every user the caller may see (admins: all; centre leads: their centre), all pages. */
export async function listAllUsers(signal?: AbortSignal): Promise<UserSummary[]> {
  const items: UserSummary[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<UserSummary> = await api.get<Page<UserSummary>>('/api/v1/users', { query: { limit: '200', cursor }, signal });
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

