/** The knowledge API (server/knowledge/routes.cpp). */
import { api, ApiError, setCsrfToken, type Problem } from '../../../lib/api';
import { useLoad, type Loadable } from '../../../lib/useLoad';

export { useLoad, type Loadable };

export const ITEM_TYPES = ['dossier', 'case_description', 'checklist', 'letter_template', 'faq', 'training_material'] as const;
export const AUDIENCES = ['internal', 'public'] as const;
/** The rights topics (the case taxonomy's) an item can belong to. */
export const TOPICS = ['wages', 'working_time', 'leave', 'dismissal', 'sick_pay', 'health_insurance', 'exploitation'] as const;
/** Languages the editors write and translate in (server: knowledge::kLanguages). */
export const LANGUAGES = ['de', 'en', 'ar', 'fa', 'prs', 'ps', 'uk', 'ru', 'tr', 'ti', 'fr', 'es', 'pl', 'ro', 'bg', 'ku', 'so', 'sq'] as const;
/** Languages written right to left. */
export const RTL = new Set(['ar', 'fa', 'prs', 'ps', 'ku']);

export interface SearchHit {
  id: string;
  language: string;
  title: string;
  /** HTML-escaped text with matches in <mark>…</mark>. */
  snippet: string;
  type: string;
  audience: string;
  topic: string | null;
}

export interface Item {
  id: string;
  type: string;
  topic: string | null;
  tags: string[];
  audience: string;
  source_language: string;
  review_date: string | null;
  version: number;
  updated_at: string;
  created_by?: string;
  case_ref?: string | null;
}

export interface ReaderView {
  item: Item;
  language: string;
  requested_language: string;
  title: string;
  /** Sanitised on the server (cmark-gfm, no raw HTML). */
  html: string;
  markdown: string;
  revision: number;
  valid_as_of: string | null;
  notices: string[];
  languages: string[];
}

export interface Summary {
  id: string;
  type: string;
  topic: string | null;
  audience: string;
  language: string;
  title: string;
  notices: string[];
  valid_as_of: string | null;
}

export interface Revision {
  number: number;
  title: string;
  note: string;
  major: boolean;
  author: string;
  /** the author's display name (null when unknown) */
  author_name?: string | null;
  created_at: string;
  source_revision: number | null;
  body?: string;
}

export interface Translation {
  language: string;
  status: 'draft' | 'in_review' | 'published' | 'archived';
  current_revision: number;
  published_revision: number | null;
  source_revision: number | null;
  outdated: boolean;
  submitted_by: string | null;
  reviewed_by: string | null;
  publish_on: string | null;
  archive_on: string | null;
  published_at: string | null;
  current: Revision | null;
  revisions: Revision[];
}

export interface EditorView {
  item: Item;
  translations: Translation[];
}

export interface QueueEntry {
  item_id: string;
  language: string;
  title: string;
  reason: 'in_review' | 'scheduled' | 'review_date';
  review_date: string | null;
  submitted_by: string | null;
}

export interface Suggestion {
  id: string;
  item_id: string;
  language: string | null;
  author: string;
  body: string;
  created_at: string;
}

export interface DiffView {
  from: number;
  to: number;
  title_from: string;
  title_to: string;
  lines: { op: 'same' | 'added' | 'removed'; text: string }[];
}

export interface SearchFilters {
  q: string;
  lang: string;
  type?: string;
  topic?: string;
  language?: string;
  audience?: string;
}

const enc = encodeURIComponent;
const KB = '/api/v1/knowledge';

export const search = (f: SearchFilters, signal?: AbortSignal) =>
  api.get<{ items: SearchHit[]; next_cursor: string | null }>(`${KB}/search`, { query: { ...f }, signal });
export const listItems = (lang: string, signal?: AbortSignal) =>
  api.get<{ items: Summary[] }>(`${KB}/items`, { query: { lang }, signal }).then((p) => p.items);
export const readItem = (id: string, lang: string, signal?: AbortSignal) =>
  api.get<ReaderView>(`${KB}/items/${enc(id)}`, { query: { lang }, signal });
export const editorList = (signal?: AbortSignal) =>
  api.get<{ items: Summary[] }>(`${KB}/editor/items`, { signal }).then((p) => p.items);
export const editorView = (id: string, signal?: AbortSignal) => api.get<EditorView>(`${KB}/items/${enc(id)}/editor`, { signal });
export const createItem = (body: {
  type: string;
  topic?: string;
  audience: string;
  tags: string[];
  review_date?: string;
  title: string;
  body: string;
  note: string;
}) => api.post<EditorView>(`${KB}/items`, body);
/** `PATCH /api/v1/knowledge/items/{id}`: type, topic, tags, audience, review date (`version` as read). */
export const updateItem = (id: string, body: Record<string, unknown> & { version: number }) =>
  api.patch<Item>(`${KB}/items/${enc(id)}`, body);
export const saveText = (
  id: string,
  lang: string,
  body: { base_revision?: number; title: string; body: string; note: string; major: boolean; source_revision?: number },
) => api.put<Translation>(`${KB}/items/${enc(id)}/translations/${enc(lang)}`, body);
export const step = (id: string, lang: string, action: 'submit' | 'publish' | 'reject', revision: number, extra: Record<string, unknown> = {}) =>
  api.post<Translation>(`${KB}/items/${enc(id)}/translations/${enc(lang)}/${action}`, { revision, ...extra });
export const restore = (id: string, lang: string, number: number, base_revision: number) =>
  api.post<Translation>(`${KB}/items/${enc(id)}/translations/${enc(lang)}/restore`, { number, base_revision });
export const archive = (id: string, language?: string, archive_on?: string) =>
  api.post<EditorView>(`${KB}/items/${enc(id)}/archive`, { ...(language ? { language } : {}), ...(archive_on ? { archive_on } : {}) });
export const diff = (id: string, lang: string, from: number, to: number, signal?: AbortSignal) =>
  api.get<DiffView>(`${KB}/items/${enc(id)}/translations/${enc(lang)}/diff`, { query: { from: String(from), to: String(to) }, signal });
export const reviewQueue = (signal?: AbortSignal) =>
  api.get<{ items: QueueEntry[] }>(`${KB}/review-queue`, { signal }).then((p) => p.items);
export const suggest = (id: string, body: string, language?: string) =>
  api.post<Suggestion>(`${KB}/items/${enc(id)}/suggestions`, { body, ...(language ? { language } : {}) });
export const suggestions = (signal?: AbortSignal) =>
  api.get<{ items: Suggestion[] }>(`${KB}/suggestions`, { signal }).then((p) => p.items);
export const resolveSuggestion = (id: string) => api.post<{ id: string }>(`${KB}/suggestions/${enc(id)}/resolve`);

/** A live legal figure a body may name (`GET /api/v1/knowledge/figures`), as of today. */
export interface Figure {
  name: string;
  placeholder: string;
  unit: 'eur_cents' | 'days';
  amount: number;
  valid_from: string;
  source: string;
  table: string;
  /** value and date, written for the language asked for: "13,90 € (seit 1. Januar 2026)" */
  text: string;
  value_text: string;
  since_text: string;
}
/** The parts of a figure placeholder: both, the value only, the date only. */
export const FIGURE_PARTS = ['', 'value', 'since'] as const;
export const figures = (lang: string, signal?: AbortSignal) =>
  api.get<{ items: Figure[]; date: string }>(`${KB}/figures`, { query: { lang }, signal }).then((p) => p.items);
/** A body rendered by the server as readers will see it today (live figures resolved); nothing stored. */
export const preview = (language: string, type: string, body: string) =>
  api.post<{ html: string }>(`${KB}/preview`, { language, type, body }).then((p) => p.html);
/** `{{name}}`, `{{name:value}}` or `{{name:since}}`. */
export function figurePlaceholder(name: string, part: (typeof FIGURE_PARTS)[number]): string {
  return `{{${name}${part ? `:${part}` : ''}}}`;
}
/** `text` with `insert` put in place of the selection `[start, end)`; answers the new text and the caret after it. */
export function insertAt(text: string, start: number, end: number, insert: string): { text: string; caret: number } {
  const a = Math.max(0, Math.min(start, text.length));
  const b = Math.max(a, Math.min(end, text.length));
  return { text: text.slice(0, a) + insert + text.slice(b), caret: a + insert.length };
}

/** Splits a server snippet into text and highlighted parts, without ever parsing HTML. */
export function snippetParts(snippet: string): { text: string; mark: boolean }[] {
  const parts: { text: string; mark: boolean }[] = [];
  const re = /<mark>([\s\S]*?)<\/mark>/g;
  let last = 0;
  for (let m = re.exec(snippet); m; m = re.exec(snippet)) {
    if (m.index > last) parts.push({ text: unescape(snippet.slice(last, m.index)), mark: false });
    parts.push({ text: unescape(m[1] ?? ''), mark: true });
    last = m.index + m[0].length;
  }
  if (last < snippet.length) parts.push({ text: unescape(snippet.slice(last)), mark: false });
  return parts;
}

function unescape(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Fills `{{field}}` placeholders of a letter template; unknown fields stay visible. */
export function fillTemplate(markdown: string, values: Record<string, string>): string {
  return markdown.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, key: string) => (values[key]?.trim() ? values[key]!.trim() : whole));
}

/** The placeholders of a letter template, in order of appearance. */
export function templateFields(markdown: string): string[] {
  const out: string[] = [];
  for (const m of markdown.matchAll(/\{\{\s*([a-z_]+)\s*\}\}/g)) if (!out.includes(m[1]!)) out.push(m[1]!);
  return out;
}

/** The caller's cases (for filling letter templates): number and client code only. */
export const myCases = (signal?: AbortSignal) =>
  api
    .get<{ items: { id: string; number: string; client_code: string | null }[] }>('/api/v1/cases', { query: { limit: '100' }, signal })
    .then((p) => p.items);

/** Answered escalations (the Competence Centre's inbox), to start case descriptions from. */
export const answeredEscalations = (signal?: AbortSignal) =>
  api
    .get<{ items: { id: string; summary: string; question: string; status: string }[] }>('/api/v1/escalations', {
      query: { status: 'answered' },
      signal,
    })
    .then((p) => p.items);
export const caseDescriptionFrom = (escalation_id: string) =>
  api.post<EditorView>(`${KB}/case-descriptions`, { escalation_id });

export interface Attachment {
  id: string;
  item_id: string;
  language: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  created_at: string;
}

/** `GET /api/v1/knowledge/items/{id}/attachments`: all of them for editors, those of published translations for readers. */
export function attachments(itemId: string, signal?: AbortSignal): Promise<Attachment[]> {
  return api.get<{ items: Attachment[] }>(`/api/v1/knowledge/items/${encodeURIComponent(itemId)}/attachments`, { signal }).then((p) => p.items);
}

/** The download address of an attachment (a plain link: the browser sends the session cookie). */
export function attachmentUrl(id: string): string {
  return `/api/v1/knowledge/attachments/${encodeURIComponent(id)}`;
}

/**
 * `POST …/translations/{lang}/attachments`: the file itself as the body, its name in X-Filename.
 * `imagesChecked`: the editor confirms that an image shows no personal data (X-Images-Checked;
 * required for images of public items and case descriptions).
 */
export async function uploadAttachment(itemId: string, language: string, file: File, imagesChecked = false): Promise<Attachment> {
  const me = await api.get<{ csrf_token: string }>('/api/v1/me');
  setCsrfToken(me.csrf_token);
  let response: Response;
  try {
    response = await fetch(`/api/v1/knowledge/items/${encodeURIComponent(itemId)}/translations/${encodeURIComponent(language)}/attachments`, {
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'Content-Type': file.type || 'application/octet-stream',
        'X-Filename': encodeURIComponent(file.name),
        'X-CSRF-Token': me.csrf_token,
        ...(imagesChecked ? { 'X-Images-Checked': 'true' } : {}),
      },
      body: file,
      credentials: 'same-origin',
    });
  } catch (error) {
    throw new ApiError('network', 0, null, String(error));
  }
  const payload: unknown = (response.headers.get('Content-Type') ?? '').includes('json') ? await response.json().catch(() => null) : null;
  if (response.ok) return payload as Attachment;
  if (response.status >= 500) throw new ApiError('server', response.status, null);
  throw new ApiError('problem', response.status, (payload as Problem | null) ?? { type: 'about:blank', title: `HTTP ${response.status}`, status: response.status });
}

/** `DELETE /api/v1/knowledge/attachments/{id}` (editors). */
export function removeAttachment(id: string): Promise<unknown> {
  return api.del<unknown>(`/api/v1/knowledge/attachments/${encodeURIComponent(id)}`);
}
