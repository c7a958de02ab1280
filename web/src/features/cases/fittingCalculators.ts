/**
 * Which calculators a case page offers: those that fit the case's topics, and those that fit what
 * the case records about the employment, whatever the topics say (a dismissal noted on a case
 * about wages still gets the dismissal-claim deadline). Each calculator opens prefilled from the
 * case (../calculators/prefill.ts).
 */
import type { Employment } from './api/types';

/** Calculators by topic code (the topic taxonomy's codes). */
const BY_TOPIC: Record<string, readonly string[]> = {
  wages: ['minimum-wage', 'limitation', 'mini-job'],
  dismissal: ['dismissal-claim-deadline', 'notice-period'],
  contract: ['exclusion-clause', 'notice-period'],
  working_time: ['working-time'],
  leave: ['leave-entitlement'],
  sick_pay: ['sick-pay'],
};

/** Calculators by a recorded fact of the employment: the calculator needs it, and it suggests the question. */
const BY_FACT: readonly [keyof Employment, readonly string[]][] = [
  // A notice received or an end of the employment: the three weeks to sue (§ 4 KSchG, § 17 TzBfG)
  // and whether the notice period was kept; the leave still owed when it ends (§ 7 (4) BUrlG).
  ['notice_received', ['dismissal-claim-deadline', 'notice-period']],
  ['end', ['dismissal-claim-deadline', 'notice-period', 'leave-entitlement']],
  // Wage data: the minimum wage, and with the hours the monthly pay (mini-job or not).
  ['hourly_wage_cents', ['minimum-wage', 'mini-job']],
  // Working hours recorded: the working-time check.
  ['weekly_hours', ['working-time']],
  // A claim falling due: limitation and the contract's exclusion period.
  ['claim_due', ['limitation', 'exclusion-clause']],
  ['contract_date', ['exclusion-clause']],
];

export function fittingCalculators(topics: readonly string[], employment: Partial<Employment> | null | undefined): string[] {
  const names = topics.flatMap((t) => BY_TOPIC[t] ?? []);
  for (const [fact, calculators] of BY_FACT) {
    const value = employment?.[fact];
    if (value !== null && value !== undefined && value !== '') names.push(...calculators);
  }
  return [...new Set(names)];
}
