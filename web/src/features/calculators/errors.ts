/**
 * Where a validation error belongs on the page. The server names fields by JSON path
 * (`periods[2].hours`); the form gives every input an id derived from the same path, so an
 * error can be shown at its input, and errors for paths without an input move up to the
 * nearest enclosing group (`periods`) or, failing that, to the form as a whole.
 */
import type { FieldError } from '../../lib/api';

/** The DOM id of the input for a field path: `periods[2].hours` → `calc-periods-2-hours`. */
export function fieldDomId(path: string): string {
  return `calc-${path.replace(/\[(\d+)\]/g, '-$1').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/-+$/, '')}`;
}

/** The enclosing path: `periods[2].hours` → `periods[2]` → `periods` → null. */
export function parentPath(path: string): string | null {
  const m = /^(.*)(\.[^.[\]]+|\[\d+\])$/.exec(path);
  return m && m[1] ? m[1] : null;
}

export interface PlacedErrors {
  /** Error message per field path that has an input or group on the page (first one wins). */
  fields: Record<string, string>;
  /** Messages that belong to no input (`$`, unknown fields). */
  general: string[];
}

/** Places server field errors on the known paths (inputs and groups). */
export function placeErrors(errors: readonly FieldError[], known: ReadonlySet<string>): PlacedErrors {
  const fields: Record<string, string> = {};
  const general: string[] = [];
  for (const error of errors) {
    let path: string | null = error.field;
    while (path && !known.has(path)) path = parentPath(path);
    if (path) {
      if (!(path in fields)) fields[path] = error.message;
    } else {
      general.push(error.field && error.field !== '$' ? `${error.field}: ${error.message}` : error.message);
    }
  }
  return { fields, general };
}

/** Known server messages (API errors are English) → a translation key and its values. */
const SERVER_MESSAGES: [RegExp, string][] = [
  [/^is required$/, 'required'],
  [/^must be an existing date in the form YYYY-MM-DD$/, 'date'],
  [/^must be a month in the form YYYY-MM$/, 'month'],
  [/^must be a local time in the form YYYY-MM-DDTHH:MM$/, 'datetime'],
  [/^must not be negative$/, 'negative'],
  [/^must not be before 2015-01\b/, 'monthBefore2015'],
  [/^must be after start$/, 'endBeforeStart'],
  [/^is before employment_start$/, 'beforeEmploymentStart'],
  [/^is before the month of training_start$/, 'beforeTrainingStart'],
  [/^overlaps another shift$/, 'overlap'],
  [/^must be shorter than the shift$/, 'breakTooLong'],
  [/^exceeds the hours the month has \((\d+)/, 'hoursExceedMonth'],
  [/^must be between (\d+) and (\d+)$/, 'between'],
  [/^must be a federal state code/, 'state'],
  [/^is after the first month worked$/, 'birthAfterWork'],
];

/** `{ key, values }` for a server message we can say in the UI language, else null. */
export function serverMessageKey(message: string): { key: string; values: Record<string, string> } | null {
  for (const [pattern, key] of SERVER_MESSAGES) {
    const m = pattern.exec(message);
    if (m) return { key, values: { a: m[1] ?? '', b: m[2] ?? '' } };
  }
  return null;
}
