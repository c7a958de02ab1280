/**
 * The server's messages are English (problem+json). On a German page the knowledge editor shows
 * them in German: the known field messages and problem details of the knowledge API by pattern
 * (the redaction check's kinds of personal data too), anything else as a general German sentence.
 * English pages show the server's own text.
 */
import { i18next } from '../../lib/i18n';
import { NAMESPACE } from './i18n';

/** Pattern → key under `server.` in the knowledge locales; captured groups become {{a}}. */
const FIELD_MESSAGES: [RegExp, string][] = [
  [/^contains personal data of the source case \(([a-z_, ]+)\); anonymise it$/, 'personalData'],
  [/^must not contain HTML \(line (\d+)\)/, 'html'],
  [/^is required: plain text of 1 to (\d+) characters$/, 'plainRequired'],
  [/^may have at most (\d+) KiB$/, 'tooLong'],
  [/^must not contain control characters$/, 'controlCharacters'],
  [/^must be plain text of 1 to (\d+) characters$/, 'plainRequired'],
  [/^must be a date YYYY-MM-DD$/, 'date'],
  [/^was written by you$/, 'ownChange'],
  [/^has not been submitted for review$/, 'notSubmitted'],
  [/^is not a supported language$/, 'language'],
  [/^is not a revision of this text$/, 'revision'],
  [/^at most (\d+) (characters|tags)$/, 'atMost'],
  [/^the PDF keeps its document properties/, 'metadataPdf'],
  [/^the document keeps its properties/, 'metadataOffice'],
  [/^the file's text contains personal data of the source case \(([a-z_, ]+)\)/, 'attachmentPersonalData'],
  [/^the text of this file cannot be read/, 'attachmentUnreadable'],
  [/^its metadata \(author, document properties\) cannot be removed/, 'attachmentNotPublic'],
  [/attached image\(s\) cannot be checked for personal data/, 'imagesChecked'],
  [/^has an unknown placeholder (.+); the figures are /, 'unknownPlaceholder'],
  [/^placeholders \(\{\{…\}\}\) work in the body only$/, 'placeholderInTitle'],
];

const DETAILS: [RegExp, string][] = [
  [/^The case description still contains personal data of the client/, 'redaction'],
  [/^Four eyes:/, 'fourEyes'],
  [/^Someone saved revision|^The text was saved by someone else meanwhile|^Changed meanwhile|^The item was changed meanwhile/, 'stale'],
  [/^A newer revision exists/, 'newer'],
  [/^Only a draft can be submitted/, 'onlyDraft'],
  [/^Only a text submitted for review can be published/, 'onlySubmitted'],
  [/^Only an answered escalation/, 'unanswered'],
  [/^The client has not consented/, 'noConsent'],
  [/^Only the Competence Centre/, 'onlyEditors'],
];

const KINDS = ['name', 'phone', 'email', 'address', 'employer', 'birth_date', 'client_code'];

function isEnglish(): boolean {
  return i18next.language === 'en';
}

/** A field message of the server in the page's language. */
export function serverFieldText(message: string): string {
  if (isEnglish()) return message;
  const tc = i18next.getFixedT(null, NAMESPACE);
  for (const [pattern, key] of FIELD_MESSAGES) {
    const match = pattern.exec(message);
    if (!match) continue;
    if (key === 'personalData' || key === 'attachmentPersonalData') {
      const kinds = (match[1] ?? '')
        .split(', ')
        .map((k) => (KINDS.includes(k) ? tc(`server.kinds.${k}`) : k))
        .join(', ');
      return tc(`server.${key}`, { a: kinds });
    }
    return tc(`server.${key}`, { a: match[1] ?? '' });
  }
  return tc('server.rejected');
}

/** A problem's detail (conflicts, refusals) in the page's language. */
export function serverDetailText(detail: string | undefined): string {
  if (!detail) return '';
  if (isEnglish()) return detail;
  const tc = i18next.getFixedT(null, NAMESPACE);
  for (const [pattern, key] of DETAILS) {
    if (pattern.test(detail)) return tc(`server.detail.${key}`);
  }
  return tc('server.detail.other');
}
