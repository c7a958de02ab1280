import { describe, expect, it } from 'vitest';
import { formatCents, formatHundredths, hundredthsToNumber, parseEuroToCents, parseHundredths } from './money';

const cents = (text: string) => {
  const r = parseEuroToCents(text);
  return r.ok ? r.value : r.reason;
};

describe('parseEuroToCents', () => {
  it.each([
    ['1.234,56', 123456],
    ['1234,56', 123456],
    ['1234.56', 123456],
    ['1,234.56', 123456],
    ['1 234,56', 123456],
    ['1\u00a0234,56 €', 123456],
    ['€1,234.56', 123456],
    ['EUR 12', 1200],
    ['12 Euro', 1200],
    ['0,01', 1],
    ['0.1', 10],
    ['12,5', 1250],
    ['12,', 'format'],
    [',5', 50],
    ['1.234', 123400],
    ['1,234', 123400],
    ['12.345.678,90', 1234567890],
    ['1.234.567', 123456700],
    ['0', 0],
    ['007', 700],
    ['+5', 500],
    // Values that expose binary floating point: 0.29 * 100 = 28.999999999999996, 1.005 etc.
    ['0,29', 29],
    ['4,35', 435],
    ['1.139,99', 113999],
    ['8589934,59', 858993459],
    ['999999999999,99', 99999999999999],
  ])('%s → %s', (text, expected) => {
    expect(cents(text)).toBe(expected);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['-5', 'negative'],
    ['−5,00', 'negative'],
    ['1,234,5', 'format'],
    ['12.34.56', 'format'],
    ['1.23,45', 'format'],
    ['12,345,67', 'format'],
    ['1,2.3', 'format'],
    ['abc', 'format'],
    ['1e3', 'format'],
    ['0,123', 'precision'],
    ['12,345', 12345 * 100],
    ['1.234,567', 'precision'],
    ['1234567890123', 'too_large'],
  ])('%s → %s', (text, expected) => {
    expect(cents(text)).toBe(expected);
  });

  it('agrees with integer arithmetic for every cent value up to 1000 euros', () => {
    for (let value = 0; value <= 100_000; value += 37) {
      const euros = Math.floor(value / 100);
      const rest = String(value % 100).padStart(2, '0');
      expect(cents(`${euros},${rest}`)).toBe(value);
      expect(cents(`${euros}.${rest}`)).toBe(value);
    }
  });
});

describe('parseHundredths', () => {
  it.each([
    ['38,5', 3850],
    ['38.5', 3850],
    ['40', 4000],
    ['0,07', 7],
    ['.5', 50],
    ['744', 74400],
  ])('%s → %s', (text, expected) => {
    const r = parseHundredths(text);
    expect(r.ok && r.value).toBe(expected);
  });

  it('refuses what is not a non-negative number with two decimals', () => {
    expect(parseHundredths('38,555')).toEqual({ ok: false, reason: 'precision' });
    expect(parseHundredths('-1')).toEqual({ ok: false, reason: 'negative' });
    expect(parseHundredths('1.000,5')).toEqual({ ok: false, reason: 'format' });
    expect(parseHundredths('.')).toEqual({ ok: false, reason: 'format' });
    expect(parseHundredths('745', 74400)).toEqual({ ok: false, reason: 'too_large' });
  });

  it('sends numbers that print as the typed decimal', () => {
    for (let h = 0; h <= 74400; h += 1) {
      const text = JSON.stringify(hundredthsToNumber(h));
      const expected = h % 100 === 0 ? String(h / 100) : `${Math.floor(h / 100)}.${String(h % 100).padStart(2, '0').replace(/0$/, '')}`;
      if (text !== expected) throw new Error(`${h}: ${text} ≠ ${expected}`);
    }
  });
});

describe('formatCents', () => {
  it('formats German and British money exactly', () => {
    expect(formatCents(123456, 'de')).toBe('1.234,56\u00a0€');
    expect(formatCents(123456, 'en')).toBe('€1,234.56');
    expect(formatCents(5, 'de')).toBe('0,05\u00a0€');
    expect(formatCents(99999999999999, 'de')).toBe('999.999.999.999,99\u00a0€');
    expect(formatCents(0, 'en')).toBe('€0.00');
  });

  it('formats hundredths as a plain decimal', () => {
    expect(formatHundredths(3850, 'de')).toBe('38,5');
    expect(formatHundredths(3850, 'en')).toBe('38.5');
    expect(formatHundredths(123407, 'de')).toBe('1.234,07');
    expect(formatHundredths(2000, 'de')).toBe('20');
  });
});
