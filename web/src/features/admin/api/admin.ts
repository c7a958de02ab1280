/**
 * The administration API: user accounts (`/api/v1/users`, admin) and the directory
 * (`/api/v1/organisations`, `/api/v1/centres`; reading is public, changing is for admins), with
 * a small loading hook. State-changing calls go through lib/api (CSRF token).
 */
import { api, requestWithEtag } from '../../../lib/api';
import type { Role } from '../../../lib/roles';
import { useLoad, type Loadable } from '../../../lib/useLoad';

export { useLoad, type Loadable };

const enc = encodeURIComponent;

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface AdminUser {
  id: string;
  email: string;
  display_name: string;
  role: Role;
  centre_id: string | null;
  centre_name: string | null;
  state: string | null;
  language: string;
  totp_enabled: boolean;
  disabled: boolean;
}

export interface NewUser {
  email: string;
  display_name: string;
  role: Role;
  centre_id?: string;
  state?: string;
  language: string;
}

export interface UserPatch {
  display_name?: string;
  role?: Role;
  centre_id?: string | null;
  state?: string | null;
  disabled?: boolean;
}

/** Roles whose accounts belong to a centre (server/auth/service.cpp NeedsCentre). */
export const CENTRE_ROLES: readonly Role[] = ['advisor', 'centre_lead', 'competence_centre'];

export const FEDERAL_STATES = ['BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH'] as const;

export const listUsers = (cursor: string, signal?: AbortSignal) =>
  api.get<Page<AdminUser>>('/api/v1/users', { query: { limit: '50', cursor }, signal });
export const getUser = (id: string, signal?: AbortSignal) =>
  api.get<{ user: AdminUser }>(`/api/v1/users/${enc(id)}`, { signal }).then((a) => a.user);
export const createUser = (body: NewUser) =>
  api.post<{ user: AdminUser; initial_password?: string }>('/api/v1/users', body);
/** A new one-time password for a user (shown once); the user must choose their own at sign-in. */
export const resetUserPassword = (id: string) =>
  api.post<{ initial_password: string }>(`/api/v1/users/${enc(id)}/password-reset`).then((a) => a.initial_password);
/** Removes a user's second factor (a lost phone); they set it up again at the next sign-in. */
export const resetUserTotp = (id: string) => api.del<void>(`/api/v1/users/${enc(id)}/totp`);

export const patchUser = (id: string, body: UserPatch) =>
  api.patch<{ user: AdminUser }>(`/api/v1/users/${enc(id)}`, body).then((a) => a.user);

export const CHANNELS = ['in_person', 'phone', 'video', 'messenger', 'email', 'outreach'] as const;

export interface OpeningHours {
  days: string;
  from: string;
  to: string;
}

export interface Centre {
  id: string;
  kind: string;
  name: string;
  state: string;
  provider: string;
  demo: boolean;
  network_id: string | null;
  address: { street: string; postcode: string; city: string };
  phone: string | null;
  email: string | null;
  website: string | null;
  languages: string[];
  channels: string[];
  opening_hours: OpeningHours[];
  postcode_ranges: { from: string; to: string }[];
  /** Where the centre counsels: the public finder and the employer sheet list these (at least one). */
  locations: CentreLocation[];
}

/** A location of an advice centre (`/api/v1/centres/{id}/locations`); its coordinates are its postcode's. */
export interface CentreLocation {
  id: string;
  centre_id: string;
  name: string;
  address: { street: string; postcode: string; city: string };
  phone: string | null;
  email: string | null;
  languages: string[];
  channels: string[];
  opening_hours: OpeningHours[];
  coordinates: { lat: number; lon: number } | null;
}

export interface CentrePatch {
  address?: { street: string; postcode: string; city: string };
  phone?: string | null;
  email?: string | null;
  website?: string | null;
  languages?: string[];
  channels?: string[];
  opening_hours?: OpeningHours[];
}

/** A new location, or a change of one (a location has a name and no website of its own). */
export type LocationBody = Omit<CentrePatch, 'website'> & { name?: string };

const locationsPath = (centreId: string) => `/api/v1/centres/${enc(centreId)}/locations`;
export const createLocation = (centreId: string, body: LocationBody) => api.post<CentreLocation>(locationsPath(centreId), body);
export const patchLocation = (centreId: string, id: string, body: LocationBody) =>
  api.patch<CentreLocation>(`${locationsPath(centreId)}/${enc(id)}`, body);
/** Removes a location; the server refuses (409) to remove a centre's last one. */
export const deleteLocation = (centreId: string, id: string) => api.del<void>(`${locationsPath(centreId)}/${enc(id)}`);

export const ORGANISATION_KINDS = [
  'programme',
  'funder',
  'administrator',
  'partner',
  'network_project',
  'specialist_unit',
  'regional_network',
  'provider',
] as const;

export interface Organisation {
  id: string;
  kind: string;
  name: string;
  short_name: string;
  parent_id: string | null;
  state: string | null;
  description: string | null;
  website: string | null;
  demo: boolean;
}

export interface OrganisationPatch {
  name?: string;
  short_name?: string;
  website?: string | null;
  description?: string | null;
}

export async function listCentres(signal?: AbortSignal): Promise<Centre[]> {
  const items: Centre[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<Centre> = await api.get<Page<Centre>>('/api/v1/centres', { query: { limit: '200', cursor }, signal });
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}
export const getCentre = (id: string, signal?: AbortSignal) => api.get<Centre>(`/api/v1/centres/${enc(id)}`, { signal });
export const patchCentre = (id: string, body: CentrePatch) => api.patch<Centre>(`/api/v1/centres/${enc(id)}`, body);

export const listOrganisations = (signal?: AbortSignal) =>
  api.get<Page<Organisation>>('/api/v1/organisations', { signal }).then((p) => p.items);
export const getOrganisation = (id: string, signal?: AbortSignal) =>
  api.get<Organisation>(`/api/v1/organisations/${enc(id)}`, { signal });
export const patchOrganisation = (id: string, body: OrganisationPatch) =>
  api.patch<Organisation>(`/api/v1/organisations/${enc(id)}`, body);

// ---- Settings (issue 7): topics, routing rules, retention, and the history of their changes ----

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
export const NATIONALITY_GROUPS = ['any', 'eu_eea_ch', 'third_country'] as const;

export interface Labels {
  de: string;
  en: string;
}

export interface Topic {
  code: string;
  labels: Labels;
  in_scope: boolean;
  position?: number;
}

export interface RoutingRule {
  id: string;
  nationality: string;
  topics: string[];
  in_scope_topics: boolean;
  flags: string[];
  target: string;
  organisation_id: string | null;
  stop: boolean;
  enabled: boolean;
  reason: Labels;
}

export interface RetentionSettings {
  retention_years: number;
  default_years: number;
  from_setting: boolean;
  updated_at: string | null;
  updated_by_name: string | null;
}

export type SettingsKind = 'routing_rules' | 'topics' | 'retention';

export interface SettingsChange {
  id: string;
  kind: SettingsKind;
  before: unknown;
  after: unknown;
  changed_by: string | null;
  changed_by_name: string | null;
  changed_at: string;
}

export const getTopics = (signal?: AbortSignal) => api.get<Page<Topic>>('/api/v1/topics', { signal }).then((p) => p.items);
/** A settings list as read, with its `ETag` (sent back as `If-Match`: a stale one is 412, nothing saved). */
export interface Versioned<T> {
  data: T;
  etag: string | null;
}
const items = <T,>(r: { data: Page<T>; etag: string | null }): Versioned<T[]> => ({ data: r.data.items, etag: r.etag });
export const readTopics = (signal?: AbortSignal) => api.read<Page<Topic>>('/api/v1/topics', { signal }).then(items);
export const putTopics = (topics: Topic[], etag: string | null) =>
  api
    .replace<Page<Topic>>('/api/v1/topics', { topics: topics.map((t) => ({ code: t.code, labels: t.labels, in_scope: t.in_scope })) }, etag)
    .then(items);
export const getRoutingRules = (signal?: AbortSignal) =>
  api.read<Page<RoutingRule>>('/api/v1/routing-rules', { signal }).then(items);
export const putRoutingRules = (rules: RoutingRule[], etag: string | null) =>
  api.replace<Page<RoutingRule>>('/api/v1/routing-rules', { rules }, etag).then(items);
export const getRetention = (signal?: AbortSignal) => api.read<RetentionSettings>('/api/v1/settings/retention', { signal });
export const putRetention = (years: number, etag: string | null) =>
  api.replace<RetentionSettings>('/api/v1/settings/retention', { retention_years: years }, etag);
export const getSettingsHistory = (signal?: AbortSignal) =>
  api.get<Page<SettingsChange>>('/api/v1/settings/history', { query: { limit: '100' }, signal }).then((p) => p.items);

// ---- Sign-in through the organisation's identity provider (issue 13) ----

export interface OidcRule {
  claim: string;
  value: string;
  role: Role;
  centre_id: string | null;
  state: string | null;
}

export interface OidcSettings {
  enabled: boolean;
  label: string;
  issuer: string;
  client_id: string;
  client_secret_set: boolean;
  auth_method: 'client_secret_basic' | 'client_secret_post';
  scopes: string;
  rules: OidcRule[];
  session_minutes: number;
  redirect_uri: string;
}

export type OidcSettingsInput = Omit<OidcSettings, 'client_secret_set' | 'redirect_uri'> & { client_secret?: string };

export const getOidcSettings = (signal?: AbortSignal) => api.get<OidcSettings>('/api/v1/settings/oidc', { signal });
export const putOidcSettings = (body: OidcSettingsInput) => api.put<OidcSettings>('/api/v1/settings/oidc', body);

// ---- The portal's legal pages (issue 12): imprint, privacy notice, accessibility statement ----

export const LEGAL_PAGES = ['imprint', 'privacy', 'accessibility'] as const;
export type LegalPageName = (typeof LEGAL_PAGES)[number];
/** The portal's languages (server/portal/i18n.hpp kLanguages), each named in itself. */
export const PORTAL_LANGUAGES = [
  ['de', 'Deutsch'],
  ['en', 'English'],
  ['ar', 'العربية'],
  ['fa', 'فارسی'],
  ['prs', 'دری'],
  ['ps', 'پښتو'],
  ['uk', 'Українська'],
  ['ru', 'Русский'],
  ['tr', 'Türkçe'],
  ['ti', 'ትግርኛ'],
] as const;
export const RTL_LANGUAGES: readonly string[] = ['ar', 'fa', 'prs', 'ps'];

export interface LegalText {
  page: LegalPageName;
  lang: string;
  /** An admin edited this page in this language; otherwise the text is the default. */
  custom: boolean;
  title: string;
  body: string;
  /** The language of the text shown (German where the language has no default). */
  shown_lang: string;
  updated_at: string | null;
}

export interface LegalEntry {
  page: LegalPageName;
  lang: string;
  custom: boolean;
  updated_at: string | null;
}

export const listLegal = (signal?: AbortSignal) =>
  api.get<{ items: LegalEntry[] }>('/api/v1/portal/legal', { signal }).then((p) => p.items);
export const getLegal = (page: string, lang: string, signal?: AbortSignal) =>
  api.get<LegalText>(`/api/v1/portal/legal/${enc(page)}/${enc(lang)}`, { signal });
export const putLegal = (page: string, lang: string, body: { title: string; body: string }) =>
  api.put<unknown>(`/api/v1/portal/legal/${enc(page)}/${enc(lang)}`, body);
export const resetLegal = (page: string, lang: string) =>
  api.del<LegalText>(`/api/v1/portal/legal/${enc(page)}/${enc(lang)}`);

// ---- The portal's sign-language (DGS) videos (issue 12, BITV 2.0 § 4) ----

/** The portal pages with a slot for DGS videos (server/portal/sign_videos.hpp kSignVideoPages). */
export const SIGN_VIDEO_PAGES = ['home', 'accessibility'] as const;
export type SignVideoPage = (typeof SIGN_VIDEO_PAGES)[number];
/** The file types the server accepts (checked by content there). */
export const SIGN_VIDEO_TYPES = ['video/mp4', 'video/webm'] as const;

export interface SignVideo {
  id: string;
  page: SignVideoPage;
  title: string;
  /** A video published elsewhere (shown as a link); null: a file uploaded here. */
  url: string | null;
  content_type: string | null;
  size_bytes: number;
  duration_seconds: number;
  width: number;
  height: number;
  fps: number;
  has_captions: boolean;
  captions: string;
  transcript: string;
  /** On the portal: a link, or an entry whose file is uploaded. */
  shown: boolean;
  etag: string;
  created_at: string;
}

export type SignVideoBody = Pick<SignVideo, 'page' | 'title' | 'duration_seconds' | 'width' | 'height' | 'fps' | 'captions' | 'transcript'> & {
  url?: string;
};

const signVideos = '/api/v1/portal/sign-videos';
export const listSignVideos = (signal?: AbortSignal) => api.get<{ items: SignVideo[] }>(signVideos, { signal }).then((p) => p.items);
export const readSignVideo = (id: string, signal?: AbortSignal) => api.read<SignVideo>(`${signVideos}/${enc(id)}`, { signal });
export const createSignVideo = (body: SignVideoBody) => requestWithEtag<SignVideo>('POST', signVideos, { body });
/** Changes an entry (If-Match: its ETag; 412 when another admin changed it since). */
export const updateSignVideo = (id: string, body: Partial<SignVideoBody>, etag: string | null) =>
  api.update<SignVideo>(`${signVideos}/${enc(id)}`, body, etag);
/** Uploads or replaces the file (the raw MP4 or WebM; If-Match as above). */
export const putSignVideoFile = (id: string, file: File, etag: string | null) =>
  api.replace<SignVideo>(`${signVideos}/${enc(id)}/file`, file, etag);
export const deleteSignVideo = (id: string, etag: string | null) =>
  requestWithEtag<void>('DELETE', `${signVideos}/${enc(id)}`, { ifMatch: etag });
