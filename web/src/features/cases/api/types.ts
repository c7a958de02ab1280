/** The case API's JSON (server/cases/json.cpp, server/documents/routes.cpp). */

export const CASE_STATUSES = ['open', 'waiting_client', 'waiting_third_party', 'referred', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const RISK_FLAGS = ['exploitation_indicators', 'employer_tied_housing', 'threats', 'undeclared_work'] as const;
export const CLOSING_REASONS = ['resolved', 'referred', 'client_withdrew', 'no_contact', 'out_of_scope', 'transferred', 'other'] as const;
export const CHANNELS = ['in_person', 'phone', 'video', 'messenger', 'email', 'outreach'] as const;
export const CONSULTATION_KINDS = ['acute', 'preventive'] as const;
export const DEADLINE_KINDS = ['dismissal_claim', 'exclusion_period', 'limitation', 'notice_period', 'appeal', 'court_date', 'other'] as const;
export const REFERRAL_STATUSES = ['suggested', 'made', 'confirmed', 'completed', 'declined'] as const;
/** The next steps a referral may take from each status (a step back is a correction with a reason). */
export const REFERRAL_NEXT: Record<string, readonly string[]> = {
  suggested: ['made', 'declined'],
  made: ['confirmed', 'declined'],
  confirmed: ['completed', 'declined'],
  completed: [],
  declined: [],
};
export const ROUTING_TARGETS = [
  'centre',
  'fair_mobility',
  'migration_counselling',
  'employment_agency',
  'recognition_counselling',
  'trade_union',
  'anti_discrimination',
  'anti_trafficking',
  'labour_court',
  'customs_fks',
  'health_insurance',
] as const;
export const GENDERS = ['unspecified', 'female', 'male', 'diverse'] as const;
export const EMPLOYMENT_STATUSES = [
  'employed',
  'marginal_employment',
  'self_employed',
  'in_training',
  'internship',
  'unemployed',
  'not_employed',
  'unknown',
] as const;
/** Residence status categories of STATISTICS.md (reporting field, optional). */
export const RESIDENCE_STATUSES = [
  'asylum_seeker',
  'tolerated',
  'humanitarian',
  'temporary_protection',
  'employment',
  'study_training',
  'family',
  'settlement',
  'visa_abroad',
  'none',
  'unknown',
] as const;
/** Where the person lives, as the form offers it ('' = not stated). */
export const RESIDENCE_PLACES = ['germany', 'abroad'] as const;
export const abroadToPlace = (abroad: boolean | null | undefined): string => (abroad === true ? 'abroad' : abroad === false ? 'germany' : '');
export const placeToAbroad = (place: string): boolean | null => (place === 'abroad' ? true : place === 'germany' ? false : null);
/** WZ 2008 (NACE Rev. 2) sections. */
export const SECTORS = 'ABCDEFGHIJKLMNOPQRSTU'.split('');
export const OUTCOME_FLAGS = ['claim_filed', 'settled', 'referred', 'no_further_action'] as const;

/** The employment a case is about (what the calculators opened from the case are filled in with). */
export const WORK_STATES = ['BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH'] as const;
export const NOTICE_GIVEN_BY = ['employer', 'employee'] as const;
export const NOTICE_FORMS = ['written', 'electronic', 'oral'] as const;
/** The employment's fields, once (the server's list is kEmploymentTexts/-Numbers in server/cases/json.cpp). */
const EMPLOYMENT_TEXT_KEYS = ['employer', 'work_state', 'start', 'end', 'contract_date', 'notice_received', 'notice_given_by', 'notice_form', 'claim_due'] as const;
const EMPLOYMENT_NUMBER_KEYS = ['weekly_hours', 'workdays_per_week', 'hourly_wage_cents'] as const;
export const EMPLOYMENT_KEYS = [...EMPLOYMENT_TEXT_KEYS, ...EMPLOYMENT_NUMBER_KEYS] as const;
export type Employment = { [K in (typeof EMPLOYMENT_TEXT_KEYS)[number]]: string | null } & {
  [K in (typeof EMPLOYMENT_NUMBER_KEYS)[number]]: number | null;
};

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Topic {
  code: string;
  labels: { de: string; en: string };
  in_scope: boolean;
  position: number;
}

export interface Consents {
  storage: boolean;
  contact: boolean;
  anonymised_use: boolean;
  date: string | null;
}

export interface Client {
  id: string;
  centre_id: string;
  code: string;
  nationality: string | null;
  birth_year: number | null;
  gender: string;
  languages: string[];
  employment_status: string | null;
  sector: string | null;
  employer: string | null;
  residence_status?: string | null;
  abroad?: boolean | null;
  consents: Consents;
  anonymised: boolean;
  /** Which encrypted personal fields hold something (the values only from `/personal`). */
  recorded?: Partial<Record<PersonalField, boolean>>;
  etag?: string | null;
  created_at?: string;
  name?: string | null;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
  safe_contact?: string | null;
}

export const PERSONAL_FIELDS = ['name', 'phone', 'email', 'address', 'birth_date', 'safe_contact'] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];
export type Personal = Partial<Record<PersonalField, string | null>>;

/** Who made an entry and whether it was corrected or withdrawn since (consultations, deadlines, referrals). */
export interface Authored {
  created_by?: string;
  created_by_name?: string | null;
  created_at: string;
  corrected?: boolean;
  corrected_by_name?: string | null;
  corrected_at?: string | null;
  withdrawn?: boolean;
  withdrawn_by_name?: string | null;
  withdrawn_at?: string | null;
  etag?: string | null;
}

export interface Outcome {
  wages_recovered_cents: number;
  claim_filed: boolean;
  settled: boolean;
  referred: boolean;
  no_further_action: boolean;
}

export interface Case {
  id: string;
  number: string;
  centre_id: string;
  client_id: string | null;
  /** The client's pseudonymous code; null once the client has been erased. */
  client_code: string | null;
  topics: string[];
  status: CaseStatus;
  priority: string;
  assignee_id: string | null;
  /** The assignee's display name. */
  assignee_name: string | null;
  risk_flags: string[];
  opened_on: string;
  closed_on: string | null;
  outcome: Outcome | null;
  closing_reason: string | null;
  anonymised: boolean;
  created_at: string;
  updated_at: string;
  /** The earliest open deadline (list and detail). */
  next_deadline?: string | null;
  overdue?: boolean;
  /** The intake narrative ("Anliegen"), encrypted; only on the case itself. */
  narrative?: string | null;
  /** The employment (only on the case itself; encrypted at rest). */
  employment?: Employment | null;
  /** After closing: what is still open. */
  warnings?: { code: string; count: number }[];
}

export interface Consultation extends Authored {
  id: string;
  case_id: string;
  date: string;
  duration_minutes: number;
  channel: string;
  language: string;
  interpreter: boolean;
  topics: string[];
  kind: string;
  notes: string | null;
  created_by: string;
  created_at: string;
}

export interface Deadline extends Authored {
  id: string;
  case_id: string;
  case_number: string;
  assignee_id: string | null;
  kind: string;
  due_date: string;
  note: string | null;
  done: boolean;
  source: unknown;
  created_at: string;
  overdue?: boolean;
}

export interface Referral extends Authored {
  id: string;
  case_id: string;
  target: string;
  organisation_id: string | null;
  status: string;
  client_consent: boolean;
  consent_date: string | null;
  note: string | null;
  created_at: string;
  updated_at: string;
  organisation_name?: string | null;
  status_dates?: Partial<Record<string, string>>;
}

export interface EscalationMessage {
  id: string;
  author_role: string;
  author_name?: string | null;
  read_at?: string | null;
  body: string;
  created_at: string;
}

export interface Escalation {
  id: string;
  centre_id: string;
  case_id?: string;
  summary: string;
  question: string;
  status: string;
  messages: EscalationMessage[];
  /** Who asked (null once the account is gone). */
  created_by_name?: string | null;
  created_at: string;
  updated_at: string;
  unread_answers?: number;
  message_count?: number;
  assignee_name?: string | null;
}

export interface CaseDetail extends Case {
  /** The `ETag` of the case as read (not part of the JSON). */
  etag?: string | null;
  client?: Client;
  consultations: Consultation[];
  deadlines: Deadline[];
  referrals: Referral[];
  escalations: Escalation[];
}

export interface Suggestion {
  target: string;
  organisation_id: string | null;
  organisation_name: string | null;
  languages: string[];
  topics: string[];
  rule_id: string;
  reason: string;
  reasons: { de: string; en: string };
}

export interface Document {
  id: string;
  case_id: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  uploaded_at: string;
  uploaded_by: string;
  uploaded_by_name?: string | null;
  withdrawn?: boolean;
  withdrawn_at?: string | null;
  withdrawn_by_name?: string | null;
  change_reason?: string | null;
  /** A correction: the version this one replaces, or the one that replaced it. */
  replaces_id?: string | null;
  replaced_by_id?: string | null;
}

export interface Partner {
  id: string;
  kind: string;
  name: string;
  state?: string | null;
}

export interface Centre {
  id: string;
  /** `advice_centre`, or `competence_centre` for the Fachstelle Faire Integration. */
  kind?: string;
  name: string;
  state: string;
  address?: { city: string };
}
