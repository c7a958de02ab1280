import { describe, expect, it } from 'vitest';
import { formatDate, formatDays, groupSecret, isPostcode, languageName, sortByName, splitDuration, svgDataUrl } from './format';

describe('formatDays', () => {
  it('keeps German abbreviations and uses an en dash', () => {
    expect(formatDays('Mo-Do', 'de')).toBe('Mo–Do');
  });
  it('translates to English', () => {
    expect(formatDays('Mo-Do', 'en')).toBe('Mon–Thu');
    expect(formatDays('Fr', 'en')).toBe('Fri');
    expect(formatDays('Mo, Mi, Fr', 'en')).toBe('Mon, Wed, Fri');
    expect(formatDays('Mo,Mi', 'de')).toBe('Mo, Mi');
  });
  it('leaves unknown text alone', () => {
    expect(formatDays('nach Vereinbarung', 'en')).toBe('nach Vereinbarung');
  });
});

describe('languageName', () => {
  it('names languages in the UI language', () => {
    expect(languageName('ar', 'de')).toBe('Arabisch');
    expect(languageName('ar', 'en')).toBe('Arabic');
    expect(languageName('uk', 'en')).toBe('Ukrainian');
  });
});

describe('sortByName', () => {
  it('sorts umlauts in place', () => {
    expect(sortByName(['Thüringen', 'Baden-Württemberg', 'Bayern'], (s) => s, 'de')).toEqual([
      'Baden-Württemberg',
      'Bayern',
      'Thüringen',
    ]);
  });
});

describe('small helpers', () => {
  it('groups secrets', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP');
    expect(groupSecret('ABCDE')).toBe('ABCD E');
  });
  it('checks postcodes', () => {
    expect(isPostcode('10115')).toBe(true);
    expect(isPostcode('1011')).toBe(false);
    expect(isPostcode('10115a')).toBe(false);
  });
  it('splits durations', () => {
    expect(splitDuration(125)).toEqual({ minutes: 2, seconds: 5 });
    expect(splitDuration(0.2)).toEqual({ minutes: 0, seconds: 1 });
  });
  it('encodes UTF-8 SVG as base64', () => {
    const url = svgDataUrl('<svg>ä</svg>');
    expect(url.startsWith('data:image/svg+xml;base64,')).toBe(true);
    expect(Buffer.from(url.split(',')[1]!, 'base64').toString('utf8')).toBe('<svg>ä</svg>');
  });
});

describe('formatDate', () => {
  it('shows a date or the date part of a timestamp in the UI language', () => {
    expect(formatDate('2026-03-06', 'de')).toBe('06.03.2026');
    expect(formatDate('2026-03-06T10:00:00Z', 'en')).toBe('Mar 6, 2026');
  });
  it('shows a dash for no date and leaves anything else as it is', () => {
    expect(formatDate(null, 'de')).toBe('–');
    expect(formatDate('', 'de')).toBe('–');
    expect(formatDate('März', 'de')).toBe('März');
  });
});
