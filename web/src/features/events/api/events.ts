/** The events API (server/events/routes.cpp). */
import { api, request } from '../../../lib/api';
export { useLoad, type Loadable } from '../../../lib/useLoad';

export const KINDS = ['training', 'networking_meeting', 'information_event', 'workshop', 'group_offer'] as const;
export const ADVISOR_KINDS = ['training', 'networking_meeting'];
export const AUDIENCES = ['advisors', 'state', 'public'] as const;
export const SCOPES = ['upcoming', 'mine', 'organised', 'past'] as const;
export const LANGUAGES = ['de', 'en', 'ar', 'fa', 'prs', 'ps', 'uk', 'ru', 'tr', 'ti', 'fr', 'es', 'pl', 'ro', 'ku', 'so'] as const;
export const GENDERS = ['female', 'male', 'diverse', 'unknown'] as const;

export interface Session {
  id: string;
  start: string;
  end: string;
  start_utc: string;
  end_utc: string;
  place: string;
  online_url: string;
}

export interface Registration {
  id: string;
  event_id: string;
  participant: 'user' | 'client';
  status: string;
  user_id: string | null;
  name: string | null;
  client_code: string | null;
  centre_id: string;
  position: number | null;
  offer_expires_at: string | null;
  from_waitlist: boolean;
  cancel_reason: string | null;
  certificate_number: string | null;
}

export interface EventItem {
  id: string;
  kind: string;
  title: string;
  description: string;
  organiser_centre_id: string;
  organiser_name: string;
  status: string;
  languages: string[];
  topics: string[];
  knowledge_ids: string[];
  capacity: number;
  registration_deadline: string;
  audience: string;
  audience_state: string | null;
  partner: string;
  sequence: number;
  cancel_reason: string;
  sessions: Session[];
  confirmed: number;
  offered: number;
  waitlisted: number;
  head_count: number;
  seats_left: number;
  can_manage?: boolean;
  can_register_self?: boolean;
  can_register_clients?: boolean;
  my_registration?: Registration | null;
}

export interface EventInput {
  kind: string;
  title: string;
  description: string;
  languages: string[];
  topics: string[];
  capacity: number;
  registration_deadline: string;
  audience: string;
  audience_state?: string;
  partner: string;
  knowledge_ids: string[];
  sessions: { start: string; end: string; place: string; online_url: string }[];
}

export interface HeadCount {
  session_id?: string | null;
  language: string;
  gender: string;
  count: number;
}

export interface Notification {
  id: string;
  event_id: string;
  event_title: string;
  kind: string;
  created_at: string;
  read: boolean;
}

const enc = encodeURIComponent;
const base = (id: string) => `/api/v1/events/${enc(id)}`;

export const listEvents = (scope: string, signal?: AbortSignal) =>
  api.get<{ items: EventItem[] }>('/api/v1/events', { query: { scope, limit: '200' }, signal }).then((p) => p.items);
export const getEvent = (id: string, signal?: AbortSignal) => api.get<EventItem>(base(id), { signal });
export const createEvent = (input: EventInput) => api.post<EventItem>('/api/v1/events', input);
export const updateEvent = (id: string, input: Partial<EventInput>) => api.patch<EventItem>(base(id), input);
export const publishEvent = (id: string) => api.post<EventItem>(`${base(id)}/publish`);
export const cancelEvent = (id: string, reason: string) => api.post<EventItem>(`${base(id)}/cancel`, { reason });
export const completeEvent = (id: string) => api.post<EventItem>(`${base(id)}/complete`);
export const register = (id: string, clientCode?: string) =>
  api.post<Registration>(`${base(id)}/registrations`, clientCode ? { client_code: clientCode } : undefined);
export const cancelRegistration = (id: string, rid: string) => api.del<Registration>(`${base(id)}/registrations/${enc(rid)}`);
export const acceptOffer = (id: string, rid: string) => api.post<Registration>(`${base(id)}/registrations/${enc(rid)}/accept`);
export const declineOffer = (id: string, rid: string) => api.post<Registration>(`${base(id)}/registrations/${enc(rid)}/decline`);
export const listRegistrations = (id: string, signal?: AbortSignal) =>
  api.get<{ items: Registration[] }>(`${base(id)}/registrations`, { signal }).then((p) => p.items);
export const listAttendance = (id: string, signal?: AbortSignal) =>
  api
    .get<{ items: { registration_id: string; session_id: string; status: string }[] }>(`${base(id)}/attendance`, { signal })
    .then((p) => p.items);
export const recordAttendance = (id: string, sid: string, marks: { registration_id: string; status: string }[]) =>
  request<void>('PUT', `${base(id)}/sessions/${enc(sid)}/attendance`, { body: { marks } });
export const getHeadCounts = (id: string, signal?: AbortSignal) =>
  api.get<{ items: HeadCount[] }>(`${base(id)}/head-counts`, { signal }).then((p) => p.items);
export const setHeadCounts = (id: string, counts: HeadCount[]) => request<void>('PUT', `${base(id)}/head-counts`, { body: { counts } });
export const certificateUrl = (id: string, rid: string) => `${base(id)}/registrations/${enc(rid)}/certificate.pdf`;
export const calendarUrl = (id: string) => `${base(id)}/calendar.ics`;
export const listNotifications = (signal?: AbortSignal) =>
  api.get<{ items: Notification[] }>('/api/v1/events/notifications', { signal }).then((p) => p.items);
export const feedStatus = (signal?: AbortSignal) => api.get<{ active: boolean }>('/api/v1/events/calendar-feed', { signal });
export const createFeed = () =>
  api.post<{ token: string; registrations_path: string; events_path: string }>('/api/v1/events/calendar-feed');
export interface Verification {
  valid: boolean;
  number: string;
  name: string;
  event_title: string;
  organiser: string;
  dates: string[];
  issued_at: string;
}
export const verifyCertificate = (code: string, signal?: AbortSignal) =>
  api.get<Verification>(`/api/v1/public/certificates/${enc(code)}`, { signal, quietUnauthorized: true });
export interface MaterialHit {
  id: string;
  language: string;
  title: string;
}
/** Knowledge-base items the caller may see, to link to an event. */
export const searchMaterial = (q: string, lang: string) =>
  api.get<{ items: MaterialHit[] }>('/api/v1/knowledge/search', { query: { q, lang } }).then((p) => p.items);
/** The title of a linked item in `lang` (or its fallback language). */
export const materialTitle = (id: string, lang: string, signal?: AbortSignal) =>
  api.get<{ title: string }>(`/api/v1/knowledge/items/${enc(id)}`, { query: { lang }, signal, quietUnauthorized: true }).then((v) => v.title);
export const revokeFeed = () => api.del<void>('/api/v1/events/calendar-feed');

/** "Mo., 6. März 2026, 09:30–16:00" from local session times (they are Berlin times already). */
export function formatSession(s: Session, language: string): string {
  const [date, from] = s.start.split('T');
  const to = s.end.split('T')[1];
  const [y, m, d] = date!.split('-').map(Number);
  const day = new Intl.DateTimeFormat(language, { weekday: 'short', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y!, m! - 1, d!)),
  );
  const endDate = s.end.split('T')[0];
  return endDate === date ? `${day}, ${from}–${to}` : `${day}, ${from} – ${s.end.replace('T', ' ')}`;
}

export function formatDate(iso: string, language: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return new Intl.DateTimeFormat(language, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y!, m! - 1, d!)),
  );
}

export function formatTimestamp(iso: string, language: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' }).format(date);
}

/** A topic of the case-work taxonomy (`GET /api/v1/topics`, readable by everyone): events share its codes. */
export interface EventTopic {
  code: string;
  labels: { de: string; en: string };
  in_scope: boolean;
  position: number;
}

export const getTopics = () => api.get<{ items: EventTopic[] }>('/api/v1/topics').then((p) => p.items);

export function topicName(topics: EventTopic[], code: string, language: string): string {
  const topic = topics.find((t) => t.code === code);
  if (!topic) return code;
  return language === 'en' ? topic.labels.en : topic.labels.de;
}
