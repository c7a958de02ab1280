import { describe, expect, it } from 'vitest';
import {
  addMonths, applies, change, choosesState, latestMonth, periodLabel, previousYear, queryFromParams, shiftKey, unplacedErrors,
} from './model';

describe('statistics page model', () => {
  const today = new Date('2026-03-15T10:00:00Z');

  it('moves months across years', () => {
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2025-12', 1)).toBe('2026-01');
    expect(addMonths('2026-03', -14)).toBe('2025-01');
  });

  it('ends protected views before the running month', () => {
    expect(latestMonth(true, today)).toBe('2026-02');
    expect(latestMonth(false, today)).toBe('2026-03');
  });

  it('reads the table from the URL with defaults and ignores what it does not know', () => {
    const q = queryFromParams(new URLSearchParams(''), true, today);
    expect(q).toEqual({ measure: 'consultations', rows: 'month', cols: '', from: '2025-03', to: '2026-02' });
    const r = queryFromParams(
      new URLSearchParams('measure=persons&rows=topic&cols=gender&from=2025-01&to=2025-12&state=BE&centre=x;drop'),
      false,
      today,
    );
    expect(r).toEqual({ measure: 'persons', rows: 'topic', cols: 'gender', from: '2025-01', to: '2025-12', state: 'BE' });
    expect(queryFromParams(new URLSearchParams('measure=secret&rows=name&to=2026-13'), false, today).rows).toBe('month');
  });

  it('compares with the same period of the previous year', () => {
    expect(previousYear({ measure: 'consultations', rows: 'month', from: '2026-01', to: '2026-02' })).toMatchObject({
      from: '2025-01',
      to: '2025-02',
    });
    expect(shiftKey('quarter', '2026-Q1', -1)).toBe('2025-Q1');
    expect(shiftKey('topic', 'wages', -1)).toBe('wages');
    expect(change(110, 100)).toBe(10);
    expect(change(5, 0)).toBeNull();
    expect(change(null, 4)).toBeNull();
  });

  it('knows which dimensions apply to which measure', () => {
    expect(applies('cases_opened', 'channel')).toBe(false);
    expect(applies('persons', 'channel')).toBe(true);
  });

  it('names the period to close and keeps a revision of the URL out of the comparison', () => {
    expect(periodLabel('year', '2025-06')).toBe('2025');
    expect(periodLabel('quarter', '2025-06')).toBe('2025-Q2');
    expect(periodLabel('quarter', '2025-10')).toBe('2025-Q4');
    expect(periodLabel('month', '2025-06')).toBe('2025-06');
    const q = queryFromParams(new URLSearchParams('from=2025-01&to=2025-03&revision=2'), false, today);
    expect(q.revision).toBe('2');
    expect(previousYear(q).revision).toBeUndefined();
    expect(queryFromParams(new URLSearchParams('revision=x'), false, today).revision).toBeUndefined();
  });

  it('lists the server errors that no filter control shows, and only the national roles choose a state', () => {
    const errors = { to: 'a', state: 'b', centre: 'c' };
    expect(unplacedErrors(errors, ['measure', 'rows', 'cols', 'from', 'to'])).toEqual([['state', 'b'], ['centre', 'c']]);
    expect(unplacedErrors(errors, ['to', 'state'])).toEqual([['centre', 'c']]);
    expect(['advisor', 'centre_lead', 'state_coordinator', 'competence_centre', 'programme'].filter(choosesState))
      .toEqual(['competence_centre', 'programme']);
  });
});
