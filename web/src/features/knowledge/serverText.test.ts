import { beforeAll, describe, expect, it } from 'vitest';
import { i18next } from '../../lib/i18n';
import { NAMESPACE } from './i18n';
import de from './locales/de.json';
import en from './locales/en.json';
import { serverFieldText } from './serverText';

beforeAll(async () => {
  await i18next.init({
    lng: 'de',
    resources: { de: { [NAMESPACE]: de }, en: { [NAMESPACE]: en } },
    interpolation: { escapeValue: false },
  });
});

describe('placeholder messages of the knowledge API in the page language', () => {
  const unknown =
    'has an unknown placeholder {{mindestlohn}}, {{minimum_wage:amount}}; the figures are minimum_wage, minijob_limit (optionally with :value or :since)';
  it('names the unknown placeholders in German, braces kept', async () => {
    await i18next.changeLanguage('de');
    expect(serverFieldText(unknown)).toBe(
      'enthält einen unbekannten Platzhalter: {{mindestlohn}}, {{minimum_wage:amount}}. Bitte eine Zahl aus der Liste „Aktuelle Zahl einfügen“ verwenden.',
    );
    expect(serverFieldText('placeholders ({{…}}) work in the body only')).toBe(
      'darf keine Platzhalter enthalten; Platzhalter wirken nur im Text',
    );
  });
  it('keeps the server text on an English page', async () => {
    await i18next.changeLanguage('en');
    expect(serverFieldText(unknown)).toBe(unknown);
  });
});
