import { describe, expect, it } from 'vitest';
import { arrearsRows } from './arrears';
import type { MinimumWageResult } from './api/calculate';
import { claimRows, letterRowCells, letterTexts, lines, PLACEHOLDERS } from './letterTemplate';

const result: MinimumWageResult = {
  periods: [
    { month: '2026-01', applicable: true, exclusion: null, minimum_wage_cents: 1390, due_cents: 222400, shortfall_cents: 0 },
    { month: '2026-02', applicable: true, exclusion: null, minimum_wage_cents: 1390, due_cents: 209195, shortfall_cents: 29195 },
    { month: '2026-03', applicable: true, exclusion: null, minimum_wage_cents: 1390, due_cents: 222400, shortfall_cents: 22400 },
  ],
  total_shortfall_cents: 51595,
  legal_basis: [],
  warnings: [],
};
const snapshot = {
  values: {},
  rows: [
    { month: '2026-01', hours: '160', gross_pay_cents: '2.224,00' },
    { month: '2026-02', hours: '150,5', gross_pay_cents: '1800' },
    { month: '2026-03', hours: '160', gross_pay_cents: '2000' },
  ],
};
const parties = {
  senderName: '',
  senderAddress: '',
  employerName: 'Beispiel GmbH',
  employerAddress: 'Hafenweg 5\n12345 Berlin',
  place: 'Berlin',
  letterDate: '2026-04-01',
  deadline: '2026-04-15',
};

describe('wage claim letter', () => {
  it('joins the result with the hours and pay entered and claims only months with arrears', () => {
    const rows = claimRows(arrearsRows(result, snapshot));
    expect(rows.map((r) => r.month)).toEqual(['2026-02', '2026-03']);
    expect(rows[0]).toMatchObject({ hours: 15050, paidCents: 180000, dueCents: 209195, shortfallCents: 29195 });
    expect(letterRowCells(rows[0]!)).toEqual(['Februar 2026', '150,5', '13,90\u00a0€', '2.091,95\u00a0€', '1.800,00\u00a0€', '291,95\u00a0€']);
  });

  it('names the period, the total, the deadline and the statute', () => {
    const text = letterTexts(claimRows(arrearsRows(result, snapshot)), result.total_shortfall_cents, parties);
    expect(text.subject).toBe('Geltendmachung des gesetzlichen Mindestlohns für Februar 2026 bis März 2026');
    expect(text.dateLine).toBe('Berlin, 01.04.2026');
    expect(text.total).toBe('515,95\u00a0€');
    expect(text.demand).toContain('515,95\u00a0€ brutto');
    expect(text.demand).toContain('bis zum 15. April 2026');
    expect(text.paragraphs.join(' ')).toMatch(/§\s1 Abs\. 1 und 2 Mindestlohngesetz/);
    expect(text.paragraphs.join(' ')).toMatch(/§\s2 Abs\. 1 Satz 1 Nr\. 2 MiLoG/);
    expect(text.law).toMatch(/§\s3 Satz 1 MiLoG/);
  });

  it('prints placeholders for what the advisor left empty', () => {
    expect(lines('', PLACEHOLDERS.senderAddress)).toEqual(['[Straße Hausnummer]', '[PLZ Ort]']);
    expect(lines(' Musterstraße 1 \n\n10115 Berlin', PLACEHOLDERS.senderAddress)).toEqual(['Musterstraße 1', '10115 Berlin']);
  });
});
