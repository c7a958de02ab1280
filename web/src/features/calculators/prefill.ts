/**
 * A calculator opened from a case (`?case=`) starts with what the case records about the
 * employment: the federal state (of the workplace, else the centre's), the dates, the notice, the
 * working days. Only fields still at their initial value are filled, so nothing typed is lost when
 * the case arrives after the person started typing.
 */
import type { Employment } from '../cases/api/types';
import { initialState, type CalculatorDef, type FormState } from './definitions';

/** The employment of a case as the case API sends it (its fields are listed once, in the cases feature). */
export type CaseEmployment = Partial<Employment>;

/** The form fields each piece of the case fills (calculator field → value), for this calculator. */
export function caseValues(def: CalculatorDef, employment: CaseEmployment | null | undefined, centreState: string | null, language: string): Record<string, string> {
  const e = employment ?? {};
  const number = (n: number) => new Intl.NumberFormat(language, { maximumFractionDigits: 2, useGrouping: false }).format(n);
  const out: Record<string, string> = {};
  const put = (name: string, value: string | null | undefined) => {
    if (value) out[name] = value;
  };
  put('state', e.work_state ?? centreState);
  put('employment_start', e.start);
  put('employment_end', e.end);
  put('training_start', e.start);
  put('notice_received', e.notice_received);
  put('claim_due', e.claim_due);
  put('contract_date', e.contract_date);
  if (def.name === 'notice-period' || def.name === 'dismissal-claim-deadline') {
    put('given_by', e.notice_given_by);
    put('form', e.notice_form);
  }
  if (typeof e.workdays_per_week === 'number') put('workdays_per_week', number(e.workdays_per_week));
  // The leave of the year the employment ended (else the current year, the form's default).
  if (def.name === 'leave-entitlement' && e.end) put('year', e.end.slice(0, 4));
  const names = new Set([...def.fields, ...(def.extra ?? [])].map((f) => f.name));
  return Object.fromEntries(Object.entries(out).filter(([name]) => names.has(name)));
}

/** The form with the case's values in every field not changed yet; and which fields were filled. */
export function prefill(def: CalculatorDef, state: FormState, values: Record<string, string>): { state: FormState; filled: string[] } {
  const initial = initialState(def).values;
  const filled: string[] = [];
  const next = { ...state.values };
  for (const [name, value] of Object.entries(values)) {
    if (next[name] === initial[name] && next[name] !== value) {
      next[name] = value;
      filled.push(name);
    } else if (next[name] === value) {
      filled.push(name);
    }
  }
  return { state: { ...state, values: next }, filled };
}
