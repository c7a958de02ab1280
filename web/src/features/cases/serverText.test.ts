import { beforeAll, describe, expect, it } from 'vitest';
import { i18next } from '../../lib/i18n';
import de from './locales/de.json';
import en from './locales/en.json';
import { serverFieldText } from './serverText';

beforeAll(async () => {
  await i18next.init({ lng: 'de', resources: { de: { cases: de }, en: { cases: en } }, interpolation: { escapeValue: false } });
});

describe('server field messages in the page language', () => {
  it('translates the known messages into German, with their numbers', async () => {
    await i18next.changeLanguage('de');
    expect(serverFieldText('is required')).toBe('Bitte ausfüllen.');
    expect(serverFieldText('must be at most 2000 characters')).toBe('Höchstens 2000 Zeichen.');
    expect(serverFieldText('must be a number from 1 to 600')).toBe('Bitte eine Zahl von 1 bis 600 angeben.');
    expect(serverFieldText('is required to correct or withdraw an entry')).toBe('Bitte einen Grund angeben.');
    expect(serverFieldText('cannot be changed while the case is closed: reopen the case first')).toMatch(/^Der Fall ist abgeschlossen/);
    expect(serverFieldText('is in the past: send confirm_past: true to record it anyway')).toMatch(/bestätigen/);
    expect(serverFieldText("must be anonymised: it contains the client's phone number")).toMatch(/anonymisieren/);
  });
  it('never shows an unknown English sentence on a German page', async () => {
    await i18next.changeLanguage('de');
    expect(serverFieldText('is something new the server says')).toBe('Der Server nimmt diese Angabe nicht an. Bitte prüfen Sie sie.');
  });
  it('keeps the server text on an English page', async () => {
    await i18next.changeLanguage('en');
    expect(serverFieldText('must be at most 2000 characters')).toBe('must be at most 2000 characters');
  });
});
