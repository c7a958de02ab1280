/** The minimum-wage result joined with what was entered, month by month (for the table and the letter). */
import type { MinimumWageResult } from './api/calculate';
import type { FormState } from './definitions';
import { parseEuroToCents, parseHundredths } from './money';

export interface ArrearsRow {
  month: string;
  hours: number | null;
  rateCents: number;
  dueCents: number;
  paidCents: number | null;
  shortfallCents: number;
  applicable: boolean;
  exclusion: string | null;
}

/** The result periods joined with the hours and pay that were entered for them (same order). */
export function arrearsRows(result: MinimumWageResult, snapshot: FormState): ArrearsRow[] {
  return result.periods.map((p, i) => {
    const row = snapshot.rows[i];
    const hours = row ? parseHundredths(row.hours ?? '') : null;
    const paid = row ? parseEuroToCents(row.gross_pay_cents ?? '') : null;
    return {
      month: p.month,
      hours: hours?.ok ? hours.value : null,
      rateCents: p.minimum_wage_cents,
      dueCents: p.due_cents,
      paidCents: paid?.ok ? paid.value : null,
      shortfallCents: p.shortfall_cents,
      applicable: p.applicable,
      exclusion: p.exclusion,
    };
  });
}
