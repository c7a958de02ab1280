/**
 * The server's field messages are English (problem+json, see docs/API). In a German page they are
 * shown in German (issue 7: no English sentences in German results): a feature names its known
 * messages by pattern, each with a key under `server.` in its locales (captured groups become
 * {{a}} and {{b}}); anything else becomes the feature's general `server.rejected` sentence.
 * English pages show the server's own text.
 */
import { i18next } from './i18n';

export type ServerMessages = readonly (readonly [RegExp, string])[];

/**
 * The text to show for the server's field message `message`, in the page's language;
 * `formatCapture` shows a captured value (e.g. a date) in the page's language.
 */
export function localServerText(
  message: string,
  messages: ServerMessages,
  namespace: string,
  formatCapture: (value: string) => string = (value) => value,
): string {
  if (i18next.language === 'en') return message;
  const tc = i18next.getFixedT(null, namespace);
  for (const [pattern, key] of messages) {
    const match = pattern.exec(message);
    if (match) return tc(`server.${key}`, { a: formatCapture(match[1] ?? ''), b: formatCapture(match[2] ?? '') });
  }
  return tc('server.rejected');
}
