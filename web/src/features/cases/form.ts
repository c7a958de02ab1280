/**
 * A small form state for the case forms: values, validation as the person types (a field shows
 * its error once it has been changed or the form submitted), and the server's field errors
 * (422 `errors[].field`) shown at the matching field until that field changes.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { ApiError } from '../../lib/api';
import { clearDraft, loadDraft, saveDraft } from '../../lib/drafts';
import { serverFieldText } from './serverText';

export type Errors = Record<string, string | undefined>;

export interface FormOptions<V> {
  initial: V;
  /** Client-side rules; answers translated messages by field name. */
  validate: (values: V) => Errors;
  /** The form field a server error path belongs to (default: the path without `[n]` indexes). */
  fieldOf?: (serverField: string) => string;
  /** Element ids by field name, to focus the first invalid field. */
  idOf: (field: string) => string;
  /**
   * Keep what is typed as a draft in the browser under this key (lib/drafts.ts) until the form is
   * saved or the draft discarded; a draft found on opening is restored.
   */
  draft?: string;
}

export interface Form<V> {
  values: V;
  set: <K extends keyof V>(name: K, value: V[K]) => void;
  error: (name: keyof V & string) => string | undefined;
  /** Server errors that belong to no field of the form. */
  otherErrors: { field: string; message: string }[];
  failure: unknown;
  busy: boolean;
  /** `run` answering `false` means "not saved" (e.g. a conflict shown): the draft is kept. */
  onSubmit: (run: (values: V) => Promise<void | boolean>) => (event: FormEvent) => void;
  reset: () => void;
  touch: (name: keyof V & string) => void;
  /** When a draft was restored on opening: when it was last saved. */
  draftSavedAt: string | null;
  /** Forgets the draft and goes back to the initial values. */
  discardDraft: () => void;
}

const stripIndexes = (field: string) => field.replace(/\[\d+\].*$/, '');

export function useForm<V extends Record<string, unknown>>({ initial, validate, fieldOf = stripIndexes, idOf, draft }: FormOptions<V>): Form<V> {
  const initialRef = useRef(initial);
  const [restored] = useState(() => (draft ? loadDraft<Partial<V>>(draft) : null));
  const [draftSavedAt, setDraftSavedAt] = useState<string | null>(restored?.savedAt ?? null);
  const [values, setValues] = useState<V>(() => (restored ? { ...initial, ...restored.values } : initial));
  const savedRef = useRef(false);

  useEffect(() => {
    if (!draft || savedRef.current) return;
    if (JSON.stringify(values) === JSON.stringify(initialRef.current)) clearDraft(draft);
    else saveDraft(draft, values);
  }, [draft, values]);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState<Record<string, string>>({});
  const [otherErrors, setOtherErrors] = useState<{ field: string; message: string }[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const clientErrors = useMemo(() => validate(values), [validate, values]);

  const set = useCallback(<K extends keyof V>(name: K, value: V[K]) => {
    setValues((v) => ({ ...v, [name]: value }));
    setTouched((t) => ({ ...t, [name as string]: true }));
    setServer((s) => {
      if (!(name in s)) return s;
      const next = { ...s };
      delete next[name as string];
      return next;
    });
  }, []);

  const error = (name: keyof V & string) => server[name] ?? (touched[name] || submitted ? clientErrors[name] : undefined);

  const focus = (field: string) => {
    const element = document.getElementById(idOf(field));
    element?.focus();
  };

  const onSubmit = (run: (values: V) => Promise<void | boolean>) => (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setSubmitted(true);
    setFailure(null);
    setOtherErrors([]);
    const invalid = Object.keys(values).find((k) => clientErrors[k]) ?? Object.keys(clientErrors).find((k) => clientErrors[k]);
    if (invalid) {
      focus(invalid);
      return;
    }
    setBusy(true);
    run(values).then(
      (result) => {
        setBusy(false);
        if (draft && result !== false) {
          savedRef.current = true;
          clearDraft(draft);
        }
      },
      (caught: unknown) => {
        setBusy(false);
        if (caught instanceof ApiError && caught.kind === 'problem' && caught.problem?.errors?.length) {
          const byField: Record<string, string> = {};
          const rest: { field: string; message: string }[] = [];
          for (const e of caught.problem.errors) {
            const field = fieldOf(e.field);
            if (field in values) {
              byField[field] ??= serverFieldText(e.message);
            } else {
              rest.push({ field: e.field, message: serverFieldText(e.message) });
            }
          }
          setServer(byField);
          setOtherErrors(rest);
          if (rest.length) setFailure(caught);
          const first = Object.keys(byField)[0];
          if (first) focus(first);
        } else {
          setFailure(caught);
        }
      },
    );
  };

  const reset = useCallback(() => {
    setValues(initialRef.current);
    setTouched({});
    setSubmitted(false);
    setServer({});
    setOtherErrors([]);
    setFailure(null);
  }, []);

  const touch = useCallback((name: string) => setTouched((t) => ({ ...t, [name]: true })), []);

  const discardDraft = useCallback(() => {
    if (draft) clearDraft(draft);
    setDraftSavedAt(null);
    reset();
  }, [draft, reset]);

  return { values, set, error, otherErrors, failure, busy, onSubmit, reset, touch, draftSavedAt, discardDraft };
}

/** Today in the browser's time zone, as YYYY-MM-DD. */
export function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Common rules, with messages from the feature's `validation.*` keys. */
export function rules(tc: TFunction) {
  return {
    required: (value: unknown) =>
      value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)
        ? tc('validation.required')
        : undefined,
    date: (value: string) => (value && !/^\d{4}-\d{2}-\d{2}$/.test(value) ? tc('validation.date') : undefined),
    notFuture: (value: string) => (value && value > today() ? tc('validation.notFuture') : undefined),
    intRange: (value: string, min: number, max: number) =>
      value !== '' && (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)
        ? tc('validation.range', { min, max })
        : undefined,
    maxLength: (value: string, max: number) => (value.length > max ? tc('validation.maxLength', { max }) : undefined),
  };
}

/** The first defined message. */
export function first(...messages: (string | undefined)[]): string | undefined {
  return messages.find(Boolean);
}
