import { beforeAll, describe, expect, it } from 'vitest';
import { i18next } from '../../lib/i18n';
import de from './locales/de.json';
import en from './locales/en.json';
import { esfServerText } from './serverText';

beforeAll(async () => {
  await i18next.init({ lng: 'de', resources: { de: { esf: de }, en: { esf: en } }, interpolation: { escapeValue: false } });
});

describe('ESF Plus field messages in the page language', () => {
  it('translates the known messages into German, dates and months too', async () => {
    await i18next.changeLanguage('de');
    expect(esfServerText('is required')).toBe('Bitte ausfüllen.');
    expect(esfServerText('is not one of the allowed values')).toBe('Bitte einen der angebotenen Werte wählen.');
    expect(esfServerText('must be 2021-01-01 or later (ESF Plus 2021-2027)')).toMatch(/^Frühestens am 01\.01\.2021/);
    expect(esfServerText('can be recorded six months after leaving, from 2025-09-20')).toBe(
      'Erst sechs Monate nach dem Austritt zu erfassen, ab 20.09.2025.',
    );
    expect(esfServerText('the running month is not shown in protected views; the latest is 2026-11')).toBe(
      'Geschützte Ansichten zeigen den laufenden Monat nicht; der letzte ist November 2026.',
    );
    expect(
      esfServerText('ESF Plus participant data is recorded only for clients counselled more than once: short one-off advice ' +
        'is not a participation (the case needs at least 2 consultations)'),
    ).toBe('Einmalige Kurzberatungen zählen nicht als Teilnahme: Der Fall braucht mindestens 2 Beratungskontakte.');
  });
  it('never shows an unknown English sentence on a German page', async () => {
    await i18next.changeLanguage('de');
    expect(esfServerText('is something new the server says')).toBe('Der Server nimmt diese Angabe nicht an. Bitte prüfen Sie sie.');
  });
  it('keeps the server text on an English page', async () => {
    await i18next.changeLanguage('en');
    expect(esfServerText('must not be in the future')).toBe('must not be in the future');
  });
});
