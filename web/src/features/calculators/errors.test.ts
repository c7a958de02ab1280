import { describe, expect, it } from 'vitest';
import { fieldDomId, parentPath, placeErrors, serverMessageKey } from './errors';

describe('fieldDomId', () => {
  it('turns a JSON path into an element id', () => {
    expect(fieldDomId('periods[2].hours')).toBe('calc-periods-2-hours');
    expect(fieldDomId('notice_received')).toBe('calc-notice_received');
    expect(fieldDomId('shifts[10].break_minutes')).toBe('calc-shifts-10-break_minutes');
  });
});

describe('parentPath', () => {
  it('walks up a path', () => {
    expect(parentPath('periods[2].hours')).toBe('periods[2]');
    expect(parentPath('periods[2]')).toBe('periods');
    expect(parentPath('periods')).toBeNull();
    expect(parentPath('$')).toBeNull();
  });
});

describe('placeErrors', () => {
  const known = new Set(['periods', 'periods[0].month', 'periods[1].month', 'periods[1].hours', 'birth_date']);

  it('puts each error at its input, the first one winning', () => {
    const placed = placeErrors(
      [
        { field: 'periods[1].month', message: 'must not be before 2015-01' },
        { field: 'periods[1].month', message: 'second' },
        { field: 'birth_date', message: 'is after the first month worked' },
      ],
      known,
    );
    expect(placed.fields).toEqual({ 'periods[1].month': 'must not be before 2015-01', birth_date: 'is after the first month worked' });
    expect(placed.general).toEqual([]);
  });

  it('moves errors without an input up to their group, or to the form', () => {
    const placed = placeErrors(
      [
        { field: 'periods[0]', message: 'must be an object' },
        { field: 'periods[3].gross_pay_cents', message: 'must not be negative' },
        { field: '$', message: 'must be a JSON object' },
        { field: 'colour', message: 'unknown field' },
      ],
      known,
    );
    expect(placed.fields).toEqual({ periods: 'must be an object' });
    expect(placed.general).toEqual(['must be a JSON object', 'colour: unknown field']);
  });
});

describe('serverMessageKey', () => {
  it('recognises the server messages it can translate', () => {
    expect(serverMessageKey('must not be before 2015-01 (the MiLoG took effect on 1.1.2015)')?.key).toBe('monthBefore2015');
    expect(serverMessageKey('is required')?.key).toBe('required');
    expect(serverMessageKey('exceeds the hours the month has (672)')).toEqual({ key: 'hoursExceedMonth', values: { a: '672', b: '' } });
    expect(serverMessageKey('something new')).toBeNull();
  });
});
