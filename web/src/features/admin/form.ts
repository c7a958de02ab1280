/**
 * Form state for the administration forms: values, checks as the person types (a field shows its
 * error once it has been changed or the form submitted), and the server's 422 field errors shown
 * at the matching field (`opening_hours[1].to` → key `opening_hours.1.to`) until it changes.
 */
import { useMemo, useState, type FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { ApiError } from '../../lib/api';

export type Errors = Record<string, string | undefined>;

/** An http(s) address, as the server requires for websites. */
export const HTTP_URL = /^https?:\/\/[^\s/$.?#][^\s]*$/i;
/**
 * An optional text field of a PATCH: nothing when unchanged, null when cleared (the server then
 * removes the value), else the new text. An empty string would not do: the server checks it like
 * any other value, and an empty website is not an http(s) address.
 */
export function optionalText<K extends string>(
  key: K,
  before: string | null,
  text: string,
): Partial<Record<K, string | null>> {
  const value = text.trim();
  if (value === (before ?? '')) return {};
  return { [key]: value || null } as Partial<Record<K, string | null>>;
}

export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** `address.postcode` stays, `languages[2]` → `languages`, `opening_hours[1].to` → `opening_hours.1.to`. */
export function formKey(serverField: string): string {
  if (/^opening_hours\[\d+\]/.test(serverField)) return serverField.replace(/\[(\d+)\]/, '.$1');
  return serverField.replace(/\[\d+\].*$/, '');
}

/** The server's English messages for the fields these forms send, in the UI language. */
const SERVER_MESSAGES: [RegExp, string][] = [
  [/^is required( for this role)?$/, 'required'],
  [/^must not be empty$/, 'required'],
  [/^must be at most (\d+) characters$/, 'tooLong'],
  [/http\(s\) URL/, 'url'],
  [/^must be five digits$/, 'postcode'],
  [/^is not a German postcode$/, 'postcodeUnknown'],
  [/^must be a time HH:MM$/, 'time'],
  [/^must be after from$/, 'timeOrder'],
  [/ISO 639/, 'languageCode'],
  [/^is not a known code$/, 'unknownCode'],
  [/^is not a valid e-mail address$/, 'email'],
  [/^is not a known centre$/, 'centreUnknown'],
  [/^must be empty for this role$/, 'centreNotForRole'],
  [/^is required for state coordinators$/, 'stateRequired'],
  [/federal state code/, 'state'],
  [/cannot disable your own account/, 'selfDisable'],
  [/cannot change your own role/, 'selfRole'],
  [/control characters/, 'controlCharacters'],
];

export function serverMessage(message: string, tc: TFunction): string {
  for (const [pattern, key] of SERVER_MESSAGES) {
    const match = pattern.exec(message);
    if (match) return tc(`validation.${key}`, { max: match[1] ?? '' });
  }
  return message;
}

export interface Form<V> {
  values: V;
  set: <K extends keyof V>(name: K, value: V[K]) => void;
  setValues: (update: (values: V) => V, touchedKeys?: string[]) => void;
  /** The error to show at a field (or at a nested key such as `opening_hours.0.from`). */
  error: (key: string) => string | undefined;
  /** Server errors that belong to no field of the form. */
  otherErrors: string[];
  failure: unknown;
  busy: boolean;
  onSubmit: (run: (values: V) => Promise<void>) => (event: FormEvent) => void;
}

export function useForm<V extends Record<string, unknown>>({
  initial,
  validate,
  fields,
  idOf,
  tc,
  conflictField,
}: {
  initial: V;
  validate: (values: V) => Errors;
  /** Keys the form shows errors at; server errors elsewhere become `otherErrors`. */
  fields: (key: string) => boolean;
  idOf: (key: string) => string;
  tc: TFunction;
  /** The field a 409 conflict belongs to (the e-mail address of a new user). */
  conflictField?: { key: string; message: string };
}): Form<V> {
  const [values, setValuesState] = useState<V>(initial);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState<Record<string, string>>({});
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const clientErrors = useMemo(() => validate(values), [validate, values]);

  const forget = (keys: string[]) =>
    setServer((s) => {
      const next = { ...s };
      for (const key of Object.keys(next)) if (keys.some((k) => key === k || key.startsWith(`${k}.`))) delete next[key];
      return next;
    });

  const set = <K extends keyof V>(name: K, value: V[K]) => {
    setValuesState((v) => ({ ...v, [name]: value }));
    setTouched((t) => ({ ...t, [name as string]: true }));
    forget([name as string]);
  };

  const setValues = (update: (values: V) => V, touchedKeys: string[] = []) => {
    setValuesState(update);
    setTouched((t) => ({ ...t, ...Object.fromEntries(touchedKeys.map((k) => [k, true])) }));
    forget(touchedKeys);
  };

  const isTouched = (key: string) => submitted || Object.keys(touched).some((k) => key === k || key.startsWith(`${k}.`));
  const error = (key: string) => server[key] ?? (isTouched(key) ? clientErrors[key] : undefined);

  const onSubmit = (run: (values: V) => Promise<void>) => (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setSubmitted(true);
    setFailure(null);
    setOtherErrors([]);
    const invalid = Object.keys(clientErrors).find((k) => clientErrors[k]);
    if (invalid) {
      document.getElementById(idOf(invalid))?.focus();
      return;
    }
    setBusy(true);
    run(values).then(
      () => setBusy(false),
      (error: unknown) => {
        setBusy(false);
        if (error instanceof ApiError && error.status === 409 && conflictField) {
          setServer({ [conflictField.key]: conflictField.message });
          document.getElementById(idOf(conflictField.key))?.focus();
          return;
        }
        if (error instanceof ApiError && error.status === 422 && error.problem?.errors?.length) {
          const mine: Record<string, string> = {};
          const others: string[] = [];
          for (const e of error.problem.errors) {
            const key = formKey(e.field);
            const text = serverMessage(e.message, tc);
            if (fields(key)) mine[key] ??= text;
            else others.push(`${e.field}: ${text}`);
          }
          setServer(mine);
          setOtherErrors(others);
          const first = Object.keys(mine)[0];
          if (first) document.getElementById(idOf(first))?.focus();
          if (others.length) setFailure(error);
          return;
        }
        setFailure(error);
      },
    );
  };

  return { values, set, setValues, error, otherErrors, failure, busy, onSubmit };
}
