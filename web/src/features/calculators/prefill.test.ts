import { describe, expect, it } from 'vitest';
import { DEFINITIONS, initialState } from './definitions';
import { caseValues, prefill } from './prefill';

const employment = {
  employer: 'Blank GmbH',
  work_state: 'BY',
  start: '2023-04-01',
  end: '2025-10-31',
  notice_received: '2025-10-02',
  notice_given_by: 'employer',
  notice_form: 'electronic',
  contract_date: '2023-03-20',
  claim_due: '2025-09-15',
  weekly_hours: 38.5,
  workdays_per_week: 4.5,
  hourly_wage_cents: 1390,
};

describe('calculators opened from a case', () => {
  it('fill the dates, the notice and the state of the workplace', () => {
    const def = DEFINITIONS['dismissal-claim-deadline'];
    const { state, filled } = prefill(def, initialState(def), caseValues(def, employment, 'BE', 'de'));
    expect(state.values).toMatchObject({ notice_received: '2025-10-02', state: 'BY', form: 'electronic' });
    expect(filled.sort()).toEqual(['form', 'notice_received', 'state']);
  });

  it('use the centre state when the case names none, and German decimals', () => {
    const def = DEFINITIONS['leave-entitlement'];
    const values = caseValues(def, { ...employment, work_state: null }, 'BE', 'de');
    expect(values).toEqual({ employment_start: '2023-04-01', employment_end: '2025-10-31', workdays_per_week: '4,5', year: '2025' });
    expect(caseValues(DEFINITIONS.holidays, { work_state: null }, 'BE', 'de')).toEqual({ state: 'BE' });
  });

  it('fill each date calculator from its own field', () => {
    expect(caseValues(DEFINITIONS.limitation, employment, 'BE', 'de')).toEqual({ claim_due: '2025-09-15' });
    expect(caseValues(DEFINITIONS['exclusion-clause'], employment, 'BE', 'de')).toEqual({ contract_date: '2023-03-20', claim_due: '2025-09-15', state: 'BY' });
    expect(caseValues(DEFINITIONS['notice-period'], employment, 'BE', 'de')).toEqual({
      employment_start: '2023-04-01',
      notice_received: '2025-10-02',
      given_by: 'employer',
      form: 'electronic',
    });
    expect(caseValues(DEFINITIONS['training-allowance'], employment, 'BE', 'de')).toEqual({ training_start: '2023-04-01' });
    expect(caseValues(DEFINITIONS['sick-pay'], employment, 'BE', 'de')).toEqual({ employment_start: '2023-04-01' });
  });

  it('never overwrite what was typed before the case arrived', () => {
    const def = DEFINITIONS['notice-period'];
    const typed = initialState(def);
    typed.values.notice_received = '2025-10-06';
    const { state, filled } = prefill(def, typed, caseValues(def, employment, 'BE', 'de'));
    expect(state.values.notice_received).toBe('2025-10-06');
    expect(state.values.employment_start).toBe('2023-04-01');
    expect(filled).not.toContain('notice_received');
  });
});
