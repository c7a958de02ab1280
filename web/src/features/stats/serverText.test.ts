import { beforeAll, describe, expect, it } from 'vitest';
import { i18next } from '../../lib/i18n';
import de from './locales/de.json';
import en from './locales/en.json';
import { statsServerText } from './serverText';

beforeAll(async () => {
  await i18next.init({ lng: 'de', resources: { de: { stats: de }, en: { stats: en } }, interpolation: { escapeValue: false } });
});

describe('statistics field messages in the page language', () => {
  it('translates what the table endpoint answers into German, months too; unknown ones into a general sentence', async () => {
    await i18next.changeLanguage('de');
    const german: [string, string | RegExp][] = [
      ['the running month is not shown in protected views; the latest is 2026-11',
        'Geschützte Ansichten zeigen den laufenden Monat nicht; der letzte ist November 2026.'],
      ['is outside what you can report on', 'Darüber können Sie nicht berichten.'],
      ['is not a centre you can report on', 'Darüber können Sie nicht berichten.'],
      ['applies to consultations and persons only', 'Gilt nur für Beratungen und Ratsuchende.'],
      ['must be 2000-01 or later', 'Frühestens Januar 2000.'],
      ['must not be before from', 'Darf nicht vor dem Anfangsmonat liegen.'],
      ['is not a known dimension', 'Diese Gliederung gibt es nicht.'],
      ['exact figures are shown only for the cases you can open', /^Exakte Zahlen gibt es nur/],
      ['the closed period 2025 has revisions 0 to 1', 'Diese Revision gibt es für diese Tabelle nicht.'],
      ['something new', 'Der Server nimmt diese Angabe nicht an. Bitte prüfen Sie sie.'],
    ];
    for (const [message, text] of german) expect(statsServerText(message)).toMatch(text);
    await i18next.changeLanguage('en');
    expect(statsServerText('must not be in the future')).toBe('must not be in the future');
  });
});
