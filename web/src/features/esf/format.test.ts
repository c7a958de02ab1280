import { describe, expect, it } from 'vitest';
import { formatMonth, lastCompleteMonth, showFigure, startOfYear } from './format';

describe('esf format', () => {
  it('the latest protected month is the month before, also across a year', () => {
    expect(lastCompleteMonth(new Date(Date.UTC(2026, 0, 15)))).toBe('2025-12');
    expect(lastCompleteMonth(new Date(Date.UTC(2026, 6, 1)))).toBe('2026-06');
  });
  it('a month is shown in the UI language', () => {
    expect(formatMonth('2025-02', 'de')).toBe('Februar 2025');
    expect(formatMonth('2025-12', 'en')).toBe('December 2025');
    expect(formatMonth('2025-2', 'de')).toBe('2025-2');
  });
  it('a period starts in January of its year', () => {
    expect(startOfYear('2026-06')).toBe('2026-01');
  });
  it('a protected figure is a dot', () => {
    expect(showFigure({ value: null, suppressed: true }, 'de')).toBe('·');
    expect(showFigure({ value: 1234, suppressed: false }, 'de')).toBe('1.234');
  });
});
