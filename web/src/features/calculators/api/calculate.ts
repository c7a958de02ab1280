import { api } from '../../../lib/api';
import type { CalculatorName } from '../definitions';

export interface Warning {
  code: string;
  /** English; the UI shows the translation of `code` with `params` and falls back to this. */
  message: string;
  params?: Record<string, string>;
}

/** What every calculator answers besides its own fields (API.md "Calculators"). */
export interface CalcResultBase {
  legal_basis: string[];
  warnings: Warning[];
}

export interface MinimumWagePeriod {
  month: string;
  applicable: boolean;
  exclusion: string | null;
  minimum_wage_cents: number;
  due_cents: number;
  shortfall_cents: number;
}

export interface MinimumWageResult extends CalcResultBase {
  periods: MinimumWagePeriod[];
  total_shortfall_cents: number;
}

export interface DismissalClaimResult extends CalcResultBase {
  applies: boolean;
  deadline: string | null;
  unadjusted_deadline: string | null;
}

export interface WorkingTimeResult extends CalcResultBase {
  total_hours: number;
  violations: { rule: string; date: string; detail: string; detail_code?: string; params?: Record<string, string> }[];
}

export interface Holiday {
  date: string;
  name: string;
  name_en?: string;
  scope: 'state' | 'partial';
}

export interface HolidaysResult extends CalcResultBase {
  holidays: Holiday[];
}

/** Any calculator's answer; the result views read the fields they know. */
export type CalcResult = CalcResultBase & Record<string, unknown>;

/** `POST /api/v1/calc/{name}`: public, no session needed. Invalid input rejects with a 422 ApiError. */
export function calculate(name: CalculatorName, input: Record<string, unknown>, signal?: AbortSignal): Promise<CalcResult> {
  return api.post<CalcResult>(`/api/v1/calc/${name}`, input, { signal });
}
