import { describe, expect, test } from 'vitest';
import { formatCents, parseEuroToCents } from './money';

describe('parseEuroToCents', () => {
  test.each([
    ['1.234,56', 'de', 123456],
    ['1234,56', 'de', 123456],
    ['1234,5', 'de', 123450],
    ['1 234,56 €', 'de', 123456],
    ['0,01', 'de', 1],
    ['1234', 'de', 123400],
    ['1,234.56', 'en', 123456],
    ['1234.56', 'en', 123456],
    ['10000000', 'de', 1_000_000_000],
  ])('%s (%s) → %d cents', (text, language, cents) => {
    expect(parseEuroToCents(text, language)).toBe(cents);
  });

  test.each([
    ['', 'de'],
    ['abc', 'de'],
    ['12,345', 'de'],
    ['1.23,4', 'de'],
    ['1,2,3', 'de'],
    ['-5', 'de'],
    ['1.2345', 'en'],
  ])('rejects %s (%s)', (text, language) => {
    // "12,345" in German would be three decimals.
    expect(parseEuroToCents(text, language)).toBeNull();
  });

  test('no floating-point drift on typical amounts', () => {
    for (let euros = 0; euros < 2000; euros += 7) {
      for (const c of [0, 1, 29, 57, 99]) {
        const text = `${euros},${String(c).padStart(2, '0')}`;
        expect(parseEuroToCents(text, 'de')).toBe(euros * 100 + c);
      }
    }
  });
});

test('formatCents', () => {
  expect(formatCents(123456, 'de').replace(/\s/g, ' ')).toBe('1.234,56 €');
  expect(formatCents(123456, 'en')).toBe('€1,234.56');
});
