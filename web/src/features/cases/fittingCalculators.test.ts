import { describe, expect, test } from 'vitest';
import { fittingCalculators } from './fittingCalculators';

describe('the calculators a case offers', () => {
  test('by topic, as before, each once', () => {
    expect(fittingCalculators(['wages'], null)).toEqual(['minimum-wage', 'limitation', 'mini-job']);
    expect(fittingCalculators(['dismissal', 'contract'], null)).toEqual(['dismissal-claim-deadline', 'notice-period', 'exclusion-clause']);
    expect(fittingCalculators(['other'], undefined)).toEqual([]);
  });

  test('a dismissal recorded on a case about wages offers the dismissal-claim deadline', () => {
    const names = fittingCalculators(['wages'], { notice_received: '2026-11-30' });
    expect(names).toContain('dismissal-claim-deadline');
    expect(names).toContain('notice-period');
    expect(names.slice(0, 3)).toEqual(['minimum-wage', 'limitation', 'mini-job']);
  });

  test('an end date, wage data, working hours and a due claim each bring their calculators', () => {
    expect(fittingCalculators([], { end: '2026-10-31' })).toEqual(['dismissal-claim-deadline', 'notice-period', 'leave-entitlement']);
    expect(fittingCalculators([], { hourly_wage_cents: 1100 })).toEqual(['minimum-wage', 'mini-job']);
    expect(fittingCalculators([], { weekly_hours: 48 })).toEqual(['working-time']);
    expect(fittingCalculators([], { claim_due: '2026-09-15', contract_date: '2025-01-01' })).toEqual(['limitation', 'exclusion-clause']);
  });

  test('empty facts bring nothing; zero is a recorded value', () => {
    expect(fittingCalculators([], { employer: 'X', end: null, notice_received: '', weekly_hours: null })).toEqual([]);
    expect(fittingCalculators([], { hourly_wage_cents: 0 })).toEqual(['minimum-wage', 'mini-job']);
  });
});
