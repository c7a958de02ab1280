/**
 * Drafts of long texts (consultation notes, narratives, escalation questions and answers) kept in
 * the browser until they are saved, so that a crash, a closed tab or an expired session loses
 * nothing. Stored in `localStorage` under the signed-in person's id (another account on the same
 * browser never sees them), removed when the form is saved or discarded, when the person signs
 * out, and after DRAFT_MAX_AGE_DAYS. See docs/DECISIONS.md ("Drafts in the browser").
 */

const PREFIX = 'fairdesk.draft.';
export const DRAFT_MAX_AGE_DAYS = 14;

let currentUser: string | null = null;

/** Set by the session: whose drafts are read and written. */
export function setDraftUser(userId: string | null): void {
  currentUser = userId;
  if (userId) dropStaleDrafts();
}

interface Stored<T> {
  saved_at: string;
  values: T;
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function storageKey(key: string): string | null {
  return currentUser ? `${PREFIX}${currentUser}.${key}` : null;
}

export function loadDraft<T>(key: string): { values: T; savedAt: string } | null {
  const k = storageKey(key);
  const s = storage();
  if (!k || !s) return null;
  try {
    const raw = s.getItem(k);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Stored<T>;
    return { values: parsed.values, savedAt: parsed.saved_at };
  } catch {
    return null;
  }
}

export function saveDraft<T>(key: string, values: T): void {
  const k = storageKey(key);
  const s = storage();
  if (!k || !s) return;
  try {
    s.setItem(k, JSON.stringify({ saved_at: new Date().toISOString(), values } satisfies Stored<T>));
  } catch {
    // Storage full or disabled: the form still works, only without a draft.
  }
}

export function clearDraft(key: string): void {
  const k = storageKey(key);
  if (k) storage()?.removeItem(k);
}

/** Removes every draft of the given person (on sign-out), or of everyone when null. */
export function clearDraftsOf(userId: string | null): void {
  const s = storage();
  if (!s) return;
  const prefix = userId ? `${PREFIX}${userId}.` : PREFIX;
  for (const key of Object.keys(s)) if (key.startsWith(prefix)) s.removeItem(key);
}

function dropStaleDrafts(): void {
  const s = storage();
  if (!s) return;
  const limit = Date.now() - DRAFT_MAX_AGE_DAYS * 24 * 3600 * 1000;
  for (const key of Object.keys(s)) {
    if (!key.startsWith(PREFIX)) continue;
    try {
      const parsed = JSON.parse(s.getItem(key) ?? '') as Stored<unknown>;
      if (!(Date.parse(parsed.saved_at) >= limit)) s.removeItem(key);
    } catch {
      s.removeItem(key);
    }
  }
}
