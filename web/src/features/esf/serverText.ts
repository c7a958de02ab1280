/** The ESF Plus API's field messages in the page's language (see lib/serverText.ts). */
import { formatDate } from '../../lib/format';
import { i18next } from '../../lib/i18n';
import { localServerText, type ServerMessages } from '../../lib/serverText';
import { formatMonth } from './format';
import { NAMESPACE } from './i18n';

/** Pattern → key under `server.` in the esf locales; captured groups become {{a}} and {{b}}. */
const MESSAGES: ServerMessages = [
  [/^is required|^must not be empty$/, 'required'],
  [/^is not one of the allowed values$/, 'oneOf'],
  [/^must be a date YYYY-MM-DD$/, 'date'],
  [/^must be (an integer|a number|a whole number)/, 'number'],
  [/^must be 2021-01-01 or later/, 'earliestEntry'],
  [/^must be 2021-01 or later$/, 'earliestMonth'],
  [/^must not be in the future$/, 'notFuture'],
  [/^must be a year from 1900 to the year of entry$/, 'birthYear'],
  [/^must not be before the entry date$/, 'exitBeforeEntry'],
  [/^can be recorded six months after leaving, from (\d{4}-\d{2}-\d{2})$/, 'longTermFrom'],
  [/^needs an exit_date$/, 'needsExit'],
  [/counselled more than once.*at least (\d+) consultations/, 'oneOff'],
  [/^must not be before from$/, 'toBeforeFrom'],
  [/^a table covers at most (\d+) months$/, 'maxMonths'],
  [/^the running month is not shown in protected views; the latest is (\d{4}-\d{2})$/, 'runningMonth'],
  [/^is not a centre you can report on$|^is outside what you can report on$/, 'notYours'],
];

function formatCapture(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value, i18next.language);
  if (/^\d{4}-\d{2}$/.test(value)) return formatMonth(value, i18next.language);
  return value;
}

/** The text to show for a field message of the server, in the page's language. */
export function esfServerText(message: string): string {
  return localServerText(message, MESSAGES, NAMESPACE, formatCapture);
}
