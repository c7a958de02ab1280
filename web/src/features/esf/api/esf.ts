/** ESF Plus participant data: `/api/v1/cases/{id}/esf` and `/api/v1/esf/indicators` (docs/STATISTICS.md "ESF Plus"). */
import { api } from '../../../lib/api';
import type { ClosedPeriodRef } from '../../stats/api/stats';

export const GENDERS = ['women', 'men', 'non_binary', 'not_stated'] as const;
export const EMPLOYMENT = ['unemployed', 'long_term_unemployed', 'inactive', 'employed', 'self_employed'] as const;
export const EDUCATION = ['isced_0_2', 'isced_3_4', 'isced_5_8'] as const;
export const YES_NO = ['yes', 'no'] as const;
export const SPECIAL = ['yes', 'no', 'refused'] as const;
export const EXIT_STATUS = ['employed', 'self_employed', 'job_searching', 'education_training', 'inactive', 'unknown'] as const;
export const LONG_TERM = ['employed', 'self_employed', 'not_employed', 'unknown'] as const;

/** The items recorded at entry, in the order of the form. */
export const ENTRY_CHOICES = {
  gender: GENDERS,
  employment_status: EMPLOYMENT,
  education: EDUCATION,
  third_country_national: YES_NO,
  foreign_background: YES_NO,
  homeless: YES_NO,
  rural: YES_NO,
  disability: SPECIAL,
  minority: SPECIAL,
} as const;
export type EntryChoice = keyof typeof ENTRY_CHOICES;

export const EXIT_CHOICES = {
  exit_status: EXIT_STATUS,
  qualification: YES_NO,
  long_term_status: LONG_TERM,
} as const;
export type ExitChoice = keyof typeof EXIT_CHOICES;

export interface Participant {
  id: string;
  case_id: string;
  version: number;
  entry_date: string;
  birth_year: number;
  age_band: string;
  gender: string;
  employment_status: string;
  education: string;
  third_country_national: string;
  foreign_background: string;
  homeless: string;
  rural: string;
  disability: string;
  minority: string;
  special_asked_at: string | null;
  exit_date: string | null;
  exit_status: string | null;
  qualification: string | null;
  long_term_status: string | null;
  created_at: string;
  updated_at: string;
}

export interface CaseEsf {
  case_id: string;
  consultations: number;
  min_consultations: number;
  eligible: boolean;
  participant: Participant | null;
}

export async function getCaseEsf(caseId: string, signal?: AbortSignal): Promise<{ data: CaseEsf; etag: string | null }> {
  return api.read<CaseEsf>(`/api/v1/cases/${encodeURIComponent(caseId)}/esf`, { signal });
}

export async function createEntry(caseId: string, body: Record<string, unknown>): Promise<Participant> {
  return api.post<Participant>(`/api/v1/cases/${encodeURIComponent(caseId)}/esf`, body);
}

export async function updateParticipant(caseId: string, body: Record<string, unknown>, etag: string | null) {
  return api.update<Participant>(`/api/v1/cases/${encodeURIComponent(caseId)}/esf`, body, etag);
}

export interface Figure {
  value: number | null;
  suppressed: boolean;
}

export interface IndicatorRow {
  code: string;
  label_de: string;
  label_en: string;
  by_gender: Record<(typeof GENDERS)[number], Figure>;
  total: Figure;
}

export interface IndicatorTable {
  from: string;
  to: string;
  protected: boolean;
  state: string | null;
  centre: string | null;
  /** The closed statistics period the figures were frozen with (null: live figures). */
  closed_period: ClosedPeriodRef | null;
  rows: IndicatorRow[];
}

/** Which table: one centre (the Competence Centre's own, exact) and a revision of a closed period. */
export interface IndicatorScope {
  centre?: string;
  revision?: string;
}

export function indicatorsPath(from: string, to: string, extra: Record<string, string> = {}): string {
  return `/api/v1/esf/indicators?${new URLSearchParams({ from, to, ...extra })}`;
}

export async function getIndicators(from: string, to: string, scope: IndicatorScope, signal?: AbortSignal): Promise<IndicatorTable> {
  return api.get<IndicatorTable>(indicatorsPath(from, to, scopeParams(scope)), { signal });
}

export function scopeParams(scope: IndicatorScope): Record<string, string> {
  const out: Record<string, string> = {};
  if (scope.centre) out.centre = scope.centre;
  if (scope.revision) out.revision = scope.revision;
  return out;
}

/** The pseudonymised record export of the centre lead's centre (CSV). */
export function recordsPath(from: string, to: string, extra: Record<string, string> = {}): string {
  return `/api/v1/esf/records?${new URLSearchParams({ from, to, ...extra })}`;
}

/** A result still to be recorded for a participant who left. */
export interface DueItem {
  case_id: string;
  case_number: string;
  kind: 'exit_status' | 'long_term_status';
  exit_date: string;
  due_from: string;
  due: boolean;
}

export async function getDue(signal?: AbortSignal): Promise<DueItem[]> {
  return (await api.get<{ items: DueItem[] }>('/api/v1/esf/due', { signal })).items;
}
