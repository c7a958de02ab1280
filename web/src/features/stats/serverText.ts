/** The statistics API's field messages in the page's language (see lib/serverText.ts). */
import { i18next } from '../../lib/i18n';
import { localServerText, type ServerMessages } from '../../lib/serverText';
import { formatMonth } from '../esf/format';
import { NAMESPACE } from './i18n';

/** Pattern → key under `server.` in the stats locales; captured groups become {{a}} and {{b}}. */
const MESSAGES: ServerMessages = [
  [/^is required$/, 'required'],
  [/^is not a known dimension$/, 'unknownDimension'],
  [/^has an invalid value$|^must be one of /, 'oneOf'],
  [/^must differ from rows$/, 'colsSameAsRows'],
  [/^applies to consultations and persons only$/, 'consultationsOnly'],
  [/^must be a month YYYY-MM$/, 'month'],
  [/^must be 2000-01 or later$/, 'earliestMonth'],
  [/^must not be in the future$/, 'notFuture'],
  [/^must not be before from$/, 'toBeforeFrom'],
  [/^a table covers at most (\d+) months$/, 'maxMonths'],
  [/^the running month is not shown in protected views; the latest is (\d{4}-\d{2})$/, 'runningMonth'],
  [/^is not a federal state code/, 'stateCode'],
  [/^is not a centre you can report on$|^is outside what you can report on$/, 'notYours'],
  [/^exact figures are shown only for the cases you can open$/, 'exact'],
  [/^must be a revision number|^the table does not lie within a closed period$|^the closed period .* has revisions/, 'revision'],
  [/^unknown query parameter$/, 'unknownParameter'],
];

/** The text to show for a field message of the server, in the page's language. */
export function statsServerText(message: string): string {
  return localServerText(message, MESSAGES, NAMESPACE, (value) =>
    /^\d{4}-\d{2}$/.test(value) ? formatMonth(value, i18next.language) : value);
}
