/**
 * The one HTTP client of the web app. It speaks the fairdesk API conventions (API.md):
 * JSON bodies, RFC 9457 problem+json errors, and the CSRF token that every state-changing
 * request must echo in `X-CSRF-Token`.
 */

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  retry_after_seconds?: number;
  /** 429 `proof-of-work-required`: the challenge to solve and its difficulty (leading zero bits). */
  challenge?: string;
  difficulty?: number;
}

/** Why a request failed, in the terms the UI explains to people. */
export type FailureKind =
  /** fetch itself failed: the server is down or the network is gone */
  | 'network'
  /** the server answered 5xx (or something that is not our JSON) */
  | 'server'
  /** the server answered a 4xx problem */
  | 'problem';

export class ApiError extends Error {
  readonly kind: FailureKind;
  readonly status: number;
  readonly problem: Problem | null;

  constructor(kind: FailureKind, status: number, problem: Problem | null, message?: string) {
    super(message ?? problem?.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.kind = kind;
    this.status = status;
    this.problem = problem;
  }

  /** True when the problem `type` names the given problem, e.g. `is('totp-required')`. */
  is(name: string): boolean {
    const type = this.problem?.type ?? '';
    return type === name || type.endsWith(`/problems/${name}`);
  }

  /** Field errors of a 422 answer, keyed by field name. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem?.errors ?? []) {
      if (!(e.field in out)) out[e.field] = e.message;
    }
    return out;
  }

  /** Seconds to wait after a 429, from the body or the Retry-After header. */
  get retryAfterSeconds(): number | null {
    return this.problem?.retry_after_seconds ?? null;
  }
}

let csrfToken: string | null = null;

/** Remembers the CSRF token from the last session or /me answer. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type UnauthorizedListener = (reason: 'expired' | 'unauthenticated') => void;
let unauthorizedListener: UnauthorizedListener | null = null;

/**
 * Called when an ordinary request finds that the session is gone, so that the app can send the
 * person back to the sign-in page with a notice.
 */
export function onUnauthorized(listener: UnauthorizedListener | null): void {
  unauthorizedListener = listener;
}

type TotpEnrolmentListener = () => void;
let totpEnrolmentListener: TotpEnrolmentListener | null = null;

/**
 * Called when a request is refused with 403 `totp-enrolment-required` (the organisation requires a
 * second factor and this account has none yet, e.g. in a tab opened before the rule applied), so
 * that the app can send the person to the set-up page instead of showing a generic error.
 */
export function onTotpEnrolmentRequired(listener: TotpEnrolmentListener | null): void {
  totpEnrolmentListener = listener;
}

type ReauthHandler = () => Promise<boolean>;
let reauthHandler: ReauthHandler | null = null;
let reauthPending: Promise<boolean> | null = null;

/**
 * Called when a request of a signed-in person finds the session gone (401). The handler asks for
 * the password again (a dialog over the open page, so nothing typed is lost) and resolves to true
 * once a new session exists; the request is then sent again with the new CSRF token. Requests that
 * fail while the dialog is open wait for the same answer.
 */
export function onReauthenticate(handler: ReauthHandler | null): void {
  reauthHandler = handler;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as `If-Match` (the record's `ETag` as last read): a stale one gets 412. */
  ifMatch?: string | null;
  query?: Record<string, string | undefined | null>;
  signal?: AbortSignal;
  /** Do not report a 401 to the session (used by sign-in and the initial /me). */
  quietUnauthorized?: boolean;
}

const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** An answer with its `ETag` (editable records carry one). */
export interface WithEtag<T> {
  data: T;
  etag: string | null;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  return (await requestWithEtag<T>(method, path, options)).data;
}

export async function requestWithEtag<T>(method: string, path: string, options: RequestOptions = {}): Promise<WithEtag<T>> {
  try {
    return await send<T>(method, path, options);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401 || options.quietUnauthorized || !reauthHandler) {
      if (error instanceof ApiError && error.status === 401 && !options.quietUnauthorized && unauthorizedListener) {
        unauthorizedListener(error.is('session-expired') ? 'expired' : 'unauthenticated');
      }
      throw error;
    }
    reauthPending ??= reauthHandler().finally(() => {
      reauthPending = null;
    });
    const renewed = await reauthPending;
    if (!renewed) {
      unauthorizedListener?.(error.is('session-expired') ? 'expired' : 'unauthenticated');
      throw error;
    }
    return send<T>(method, path, options);
  }
}

async function send<T>(method: string, path: string, options: RequestOptions): Promise<WithEtag<T>> {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, value);
  }
  const headers: Record<string, string> = { Accept: 'application/json' };
  // A file (Blob) is sent as it is, with its own type; anything else as JSON.
  const file = options.body instanceof Blob ? options.body : null;
  if (options.body !== undefined) headers['Content-Type'] = file ? file.type || 'application/octet-stream' : 'application/json';
  if (stateChanging.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (options.ifMatch) headers['If-Match'] = options.ifMatch;

  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: file ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError('network', 0, null, String(error));
  }

  const etag = response.headers.get('ETag');
  if (response.status === 204) return { data: undefined as T, etag };

  const contentType = response.headers.get('Content-Type') ?? '';
  const isJson = contentType.includes('json');
  let payload: unknown = null;
  if (isJson) {
    try {
      payload = await response.json();
    } catch {
      payload = null;
    }
  }

  if (response.ok) {
    if (!isJson) throw new ApiError('server', response.status, null, 'unexpected response');
    return { data: payload as T, etag };
  }

  if (response.status === 412 && (payload === null || typeof payload !== 'object')) {
    throw new ApiError('problem', 412, { type: 'precondition-failed', title: 'Precondition Failed', status: 412 });
  }
  if (response.status >= 500 || !isJson || payload === null || typeof payload !== 'object') {
    throw new ApiError('server', response.status, null);
  }
  const problem = payload as Problem;
  if (problem.retry_after_seconds === undefined) {
    const header = Number(response.headers.get('Retry-After'));
    if (Number.isFinite(header) && header > 0) problem.retry_after_seconds = header;
  }
  const error = new ApiError('problem', response.status, problem);
  if (response.status === 403 && error.is('totp-enrolment-required') && totpEnrolmentListener) {
    totpEnrolmentListener();
  }
  throw error;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('POST', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('PATCH', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('PUT', path, { ...options, body }),
  del: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('DELETE', path, { ...options, body }),
  /** GET with the record's `ETag`. */
  read: <T>(path: string, options?: RequestOptions) => requestWithEtag<T>('GET', path, options),
  /** PATCH with `If-Match`, answering the new `ETag`. */
  update: <T>(path: string, body: unknown, ifMatch: string | null, options?: RequestOptions) =>
    requestWithEtag<T>('PATCH', path, { ...options, body, ifMatch }),
  /** PUT (a whole replacement; a Blob is sent as the raw body) with `If-Match`, answering the new `ETag`. */
  replace: <T>(path: string, body: unknown, ifMatch: string | null, options?: RequestOptions) =>
    requestWithEtag<T>('PUT', path, { ...options, body, ifMatch }),
};
