/**
 * The case-work API's field messages in the page's language (see lib/serverText.ts): the known
 * ones by pattern, anything else as a general German sentence.
 */
import { localServerText, type ServerMessages } from '../../lib/serverText';
import { NAMESPACE } from './i18n';

/** Pattern → key under `server.` in the cases locales; captured groups become {{a}} and {{b}}. */
const MESSAGES: ServerMessages = [
  [/^is required (to correct or withdraw|to reopen|when closing)/, 'reasonRequired'],
  [/^is required (with the client's consent|when a consent is given)|^the client's consent/, 'consent'],
  [/^is required|^must not be empty$/, 'required'],
  [/^must be at most (\d+) characters$/, 'maxLength'],
  [/^must be at least (\d+) characters$/, 'minLength'],
  [/^must have at most (\d+) items$/, 'maxItems'],
  [/^must be a date YYYY-MM-DD$/, 'date'],
  [/^must be a year YYYY$/, 'year'],
  [/^must not be in the future$/, 'notFuture'],
  [/^must not be in the past$/, 'notPast'],
  [/^is in the past: send confirm_past/, 'confirmPast'],
  [/^must be a number from (\d+) to (\d+)$/, 'range'],
  [/^must be (an integer|a number)$/, 'number'],
  [/^must be true or false$/, 'boolean'],
  [/^must be one of|^must be (low|open)[a-z_, ]* or /, 'oneOf'],
  [/^is listed twice$/, 'twice'],
  [/^must name at least one topic$/, 'topicRequired'],
  [/^is not a topic code/, 'topic'],
  [/^is not a risk flag$/, 'oneOf'],
  [/^must be an ISO 3166-1/, 'country'],
  [/^must be an ISO 639/, 'language'],
  [/^must be an e-mail address$/, 'email'],
  [/^must be five digits$/, 'postcode'],
  [/control characters|^must be a single line/, 'controlCharacters'],
  [/^unknown field$/, 'unknownField'],
  [/^cannot be changed while the case is closed|^is closed: reopen/, 'closed'],
  [/^does not match the current version of the record$/, 'stale'],
  [/^must be anonymised: it contains the client's|^the server refuses texts that contain/, 'identifies'],
  [/^is not an active user of this centre$/, 'assignee'],
  [/^is not an active member of the competence centre$/, 'assignee'],
  [/^is not a client of your centre: clients of two centres are not merged$/, 'mergeCentres'],
  [/^is the same client as the target$/, 'mergeSame'],
  [/^is not a (client|case) of your centre$/, 'notYours'],
  [/^the case has been transferred/, 'transferred'],
  [/^a transfer of this case is already waiting/, 'transferWaiting'],
  [/^has been anonymised$/, 'anonymised'],
  [/^is recorded only when closing a case/, 'onlyWhenClosing'],
  [/^can only be true: a withdrawal is not undone$/, 'withdrawalFinal'],
  [/^is not (a partner or centre|an advice centre|a centre) of the directory$|^is not an advice centre/, 'organisation'],
  [/^this (document|entry) has been withdrawn/, 'withdrawn'],
];

/** The text to show for a field message of the server, in the page's language. */
export function serverFieldText(message: string): string {
  return localServerText(message, MESSAGES, NAMESPACE);
}
