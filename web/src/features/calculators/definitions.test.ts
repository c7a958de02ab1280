import { describe, expect, it } from 'vitest';
import { buildInput, CALCULATORS, checkPath, convertField, DEFINITIONS, initialState, knownPaths } from './definitions';

describe('buildInput', () => {
  const def = DEFINITIONS['minimum-wage'];

  it('builds the minimum-wage input with cents and hours as numbers', () => {
    const state = initialState(def);
    state.rows = [
      { month: '2026-01', hours: '160', gross_pay_cents: '2.224,00' },
      { month: '2026-02', hours: '150,5', gross_pay_cents: '1800' },
    ];
    const built = buildInput(def, state);
    expect(built).toEqual({
      ok: true,
      input: {
        employment_type: 'employee',
        vocational_qualification: false,
        long_term_unemployed_before: false,
        periods: [
          { month: '2026-01', hours: 160, gross_pay_cents: 222400 },
          { month: '2026-02', hours: 150.5, gross_pay_cents: 180000 },
        ],
      },
    });
    expect(JSON.stringify(built.ok && built.input.periods)).toContain('"hours":150.5');
  });

  it('names the row and field of each problem', () => {
    const state = initialState(def);
    state.rows = [
      { month: '2026-01', hours: '160', gross_pay_cents: '2224' },
      { month: '2026-13', hours: '1.5.', gross_pay_cents: '-3' },
    ];
    const built = buildInput(def, state);
    expect(built.ok).toBe(false);
    if (!built.ok) {
      expect(Object.keys(built.problems).sort()).toEqual(['periods[1].gross_pay_cents', 'periods[1].hours', 'periods[1].month']);
      expect(built.problems['periods[1].gross_pay_cents']).toEqual({ code: 'money_negative' });
    }
    expect(checkPath(def, state, 'periods[1].month')).toEqual({ code: 'month' });
    expect(checkPath(def, state, 'periods[0].month')).toBeNull();
  });

  it('leaves out empty optional fields and shows internship months only for internships', () => {
    const state = initialState(def);
    expect(knownPaths(def, state).has('internship_months')).toBe(false);
    state.values.employment_type = 'orientation_internship';
    expect(knownPaths(def, state).has('internship_months')).toBe(true);
    state.rows = [{ month: '2026-01', hours: '10', gross_pay_cents: '0' }];
    const built = buildInput(def, state);
    expect(built.ok && 'internship_months' in built.input).toBe(false);
    expect(built.ok && 'birth_date' in built.input).toBe(false);
  });

  it('every calculator has a definition with a fresh form that builds once filled', () => {
    for (const name of CALCULATORS) {
      expect(DEFINITIONS[name].name).toBe(name);
      expect(initialState(DEFINITIONS[name])).toBeTruthy();
    }
  });

  it('checks required dates, states, yes/no and ranges', () => {
    expect(convertField({ name: 'd', kind: 'date', required: true }, '2026-02-30')).toEqual({ ok: false, problem: { code: 'date' } });
    expect(convertField({ name: 'd', kind: 'date', required: true }, '')).toEqual({ ok: false, problem: { code: 'required' } });
    expect(convertField({ name: 's', kind: 'state', required: true }, 'BE')).toEqual({ ok: true, value: 'BE' });
    expect(convertField({ name: 's', kind: 'state', required: true }, 'XX').ok).toBe(false);
    expect(convertField({ name: 'y', kind: 'yesno', required: true }, 'false')).toEqual({ ok: true, value: false });
    expect(convertField({ name: 'w', kind: 'decimal', min: 100, max: 600 }, '6,5')).toEqual({
      ok: false,
      problem: { code: 'range', values: { min: 1, max: 6 } },
    });
    expect(convertField({ name: 'w', kind: 'decimal', min: 100, max: 600 }, '4,5')).toEqual({ ok: true, value: 4.5 });
    expect(convertField({ name: 't', kind: 'datetime', required: true }, '2026-03-06T08:00')).toEqual({ ok: true, value: '2026-03-06T08:00' });
  });
});
