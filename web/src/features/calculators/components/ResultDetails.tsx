import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import type { CalcResult, Holiday, MinimumWageResult, WorkingTimeResult } from '../api/calculate';
import { formatDate, formatMonth } from '../dates';
import type { CalculatorName, FormState } from '../definitions';
import { arrearsRows } from '../arrears';
import { formatCents, formatHundredths, numberToHundredths } from '../money';

interface DetailsProps {
  name: CalculatorName;
  result: CalcResult;
  snapshot: FormState;
  tc: TFunction;
  language: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);
const num = (v: unknown) => (typeof v === 'number' ? v : 0);

/** The one sentence that answers the question the calculator was opened for. */
export function headline({ name, result, tc, language }: DetailsProps): string {
  const k = (key: string, values?: Record<string, unknown>) => tc(`results.${name}.${key}`, values);
  const date = (v: unknown) => (str(v) ? formatDate(str(v)!, language, 'weekday') : '');
  const money = (v: unknown) => formatCents(num(v), language);
  switch (name) {
    case 'minimum-wage':
      return num(result.total_shortfall_cents) > 0 ? k('headlineShortfall', { amount: money(result.total_shortfall_cents) }) : k('headlineOk');
    case 'training-allowance':
      if (!result.applicable) return k('headlineNotApplicable');
      return num(result.shortfall_cents) > 0 ? k('headlineShortfall', { amount: money(result.shortfall_cents) }) : k('headlineOk');
    case 'notice-period':
      return result.valid && str(result.earliest_end) ? k('headlineValid', { date: date(result.earliest_end) }) : k('headlineInvalid');
    case 'dismissal-claim-deadline':
      return result.applies && str(result.deadline) ? k('headlineDeadline', { date: date(result.deadline) }) : k('headlineNoDeadline');
    case 'leave-entitlement':
      return k('headline', { days: formatHundredths(numberToHundredths(num(result.entitlement_days)), language) });
    case 'limitation':
      return k('headline', { date: date(result.limitation_ends) });
    case 'sick-pay':
      return str(result.paid_from) && str(result.paid_until)
        ? k('headlinePaid', { from: formatDate(str(result.paid_from)!, language), until: formatDate(str(result.paid_until)!, language) })
        : k('headlineNone');
    case 'working-time': {
      const count = (result as unknown as WorkingTimeResult).violations.length;
      return count ? k('headline', { count }) : k('headlineNone');
    }
    case 'mini-job':
      return k('headline', { category: k(`category_${str(result.category)}`) });
    case 'exclusion-clause': {
      const by = str(result.assert_by) ? date(result.assert_by) : null;
      if (result.valid) return by ? k('headlineValidAssertBy', { date: by }) : k('headlineValid');
      return by ? k('headlineInvalidAssertBy', { date: by }) : k('headlineInvalid');
    }
    case 'holidays':
      return k('headline', { count: (result as unknown as { holidays: Holiday[] }).holidays.length });
  }
}

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="kern-description-list-item" data-testid={testId}>
      <dt className="kern-description-list-item__key">{label}</dt>
      <dd className="kern-description-list-item__value">{children}</dd>
    </div>
  );
}

/** Every field of a result, formatted for people. */
export function ResultDetails(props: DetailsProps) {
  const { name, result, snapshot, tc, language } = props;
  const k = (key: string, values?: Record<string, unknown>) => tc(`results.${name}.${key}`, values);
  const yesNo = (v: unknown) => tc(v ? 'result.yes' : 'result.no');
  const date = (v: unknown) => (str(v) ? formatDate(str(v)!, language, 'weekday') : tc('result.none'));
  const money = (v: unknown) => formatCents(num(v), language);
  const days = (v: unknown) => k('days', { days: formatHundredths(numberToHundredths(num(v)), language) });

  switch (name) {
    case 'minimum-wage':
      return <MinimumWageTable result={result as unknown as MinimumWageResult} snapshot={snapshot} tc={tc} language={language} />;
    case 'training-allowance':
      return (
        <dl className="kern-description-list fd-calc-dl">
          <Row label={k('applicable')}>{yesNo(result.applicable)}</Row>
          <Row label={k('training_year')}>{String(result.training_year)}</Row>
          <Row label={k('minimum_cents')}>{money(result.minimum_cents)}</Row>
          <Row label={k('shortfall_cents')}>{money(result.shortfall_cents)}</Row>
        </dl>
      );
    case 'notice-period': {
      const period = (result.period ?? {}) as { unit?: string; count?: number; to?: string };
      const length = k(`unit_${period.unit}`, { count: period.count ?? 0 });
      return (
        <dl className="kern-description-list fd-calc-dl">
          <Row label={k('valid')}>{yesNo(result.valid)}</Row>
          <Row label={k('earliest_end')}>{date(result.earliest_end)}</Row>
          <Row label={k('period')}>{k(`to_${period.to}`, { length })}</Row>
          <Row label={k('tenure_years')}>{String(result.tenure_years)}</Row>
        </dl>
      );
    }
    case 'dismissal-claim-deadline':
      return (
        <dl className="kern-description-list fd-calc-dl">
          <Row label={k('applies')}>{yesNo(result.applies)}</Row>
          <Row label={k('deadline')} testId="result-deadline">
            {date(result.deadline)}
          </Row>
          <Row label={k('unadjusted_deadline')}>{date(result.unadjusted_deadline)}</Row>
        </dl>
      );
    case 'leave-entitlement':
      return (
        <dl className="kern-description-list fd-calc-dl">
          <Row label={k('entitlement_days')}>{days(result.entitlement_days)}</Row>
          <Row label={k('full_year_days')}>{days(result.full_year_days)}</Row>
          <Row label={k('full_months')}>{String(result.full_months)}</Row>
          <Row label={k('rule')}>{k(`rule_${str(result.rule)}`)}</Row>
        </dl>
      );
    case 'limitation':
      return (
        <dl className="kern-description-list fd-calc-dl">
          <Row label={k('limitation_ends')}>{date(result.limitation_ends)}</Row>
        </dl>
      );
    case 'sick-pay':
      return (
        <dl className="kern-description-list fd-calc-dl">
          <Row label={k('waiting_period_ends')}>{date(result.waiting_period_ends)}</Row>
          <Row label={k('paid_from')}>{date(result.paid_from)}</Row>
          <Row label={k('paid_until')}>{date(result.paid_until)}</Row>
        </dl>
      );
    case 'working-time': {
      const wt = result as unknown as WorkingTimeResult;
      return (
        <>
          <dl className="kern-description-list fd-calc-dl">
            <Row label={k('total_hours')}>{k('hoursValue', { hours: formatHundredths(numberToHundredths(wt.total_hours), language) })}</Row>
          </dl>
          {wt.violations.length ? (
            <div className="kern-table-responsive">
              <table className="kern-table kern-table--small kern-table--striped">
                <caption className="kern-title">{k('violations')}</caption>
                <thead className="kern-table__head">
                  <tr className="kern-table__row">
                    <th scope="col" className="kern-table__header">{k('date')}</th>
                    <th scope="col" className="kern-table__header">{k('rule')}</th>
                    <th scope="col" className="kern-table__header">{k('detail')}</th>
                  </tr>
                </thead>
                <tbody className="kern-table__body">
                  {wt.violations.map((v, i) => (
                    <tr className="kern-table__row" key={i}>
                      <td className="kern-table__cell fd-calc-nowrap">{formatDate(v.date, language, 'short')}</td>
                      <td className="kern-table__cell">{k(`rule_${v.rule}`, { defaultValue: v.rule })}</td>
                      <TranslatedCell
                        text={translated(tc, `violations.${v.detail_code ?? v.rule}`, v.params, language)}
                        fallback={v.detail}
                        language={language}
                      />
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </>
      );
    }
    case 'mini-job':
      return (
        <dl className="kern-description-list fd-calc-dl">
          <Row label={k('category')}>{k(`category_${str(result.category)}`)}</Row>
          <Row label={k('minijob_limit_cents')}>{money(result.minijob_limit_cents)}</Row>
          <Row label={k('midijob_upper_cents')}>{money(result.midijob_upper_cents)}</Row>
        </dl>
      );
    case 'exclusion-clause': {
      const reasons = Array.isArray(result.reasons) ? (result.reasons as string[]) : [];
      return (
        <dl className="kern-description-list fd-calc-dl">
          <Row label={k('valid')}>{yesNo(result.valid)}</Row>
          {str(result.assert_by) ? (
            <Row label={k('assert_by')} testId="calc-assert-by">
              {date(result.assert_by)}
              {str(result.assert_by_unadjusted) && result.assert_by_unadjusted !== result.assert_by
                ? ` ${k('moved_from', { date: date(result.assert_by_unadjusted) })}`
                : ''}
            </Row>
          ) : null}
          <Row label={k('reasons')}>
            {reasons.length ? (
              <ul className="kern-list kern-list--bullet fd-calc-tight-list">
                {reasons.map((r) => (
                  <li key={r}>{k(`reason_${r}`, { defaultValue: r })}</li>
                ))}
              </ul>
            ) : (
              tc('result.none')
            )}
          </Row>
        </dl>
      );
    }
    case 'holidays': {
      const holidays = (result as unknown as { holidays: Holiday[] }).holidays;
      return (
        <div className="kern-table-responsive">
          <table className="kern-table kern-table--small kern-table--striped">
            <caption className="kern-title">{k('table')}</caption>
            <thead className="kern-table__head">
              <tr className="kern-table__row">
                <th scope="col" className="kern-table__header">{k('date')}</th>
                <th scope="col" className="kern-table__header">{k('name')}</th>
                <th scope="col" className="kern-table__header">{k('scope')}</th>
              </tr>
            </thead>
            <tbody className="kern-table__body">
              {holidays.map((h) => (
                <tr className="kern-table__row" key={`${h.date}-${h.name}`}>
                  <td className="kern-table__cell">{formatDate(h.date, language, 'weekday')}</td>
                  <td className="kern-table__cell" lang={language === 'en' && h.name_en ? 'en' : 'de'}>
                    {language === 'en' && h.name_en ? h.name_en : h.name}
                  </td>
                  <td className="kern-table__cell">{k(`scope_${h.scope}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    }
  }
}

function MinimumWageTable({ result, snapshot, tc, language }: { result: MinimumWageResult; snapshot: FormState; tc: TFunction; language: string }) {
  const k = (key: string) => tc(`results.minimum-wage.${key}`);
  const money = (c: number | null) => (c === null ? tc('result.none') : formatCents(c, language));
  const rows = arrearsRows(result, snapshot);
  return (
    <div className="kern-table-responsive">
      <table className="kern-table kern-table--small kern-table--striped" data-testid="minimum-wage-table">
        <caption className="kern-title">{k('table')}</caption>
        <thead className="kern-table__head">
          <tr className="kern-table__row">
            <th scope="col" className="kern-table__header">{k('month')}</th>
            <th scope="col" className="kern-table__header kern-table__header--numeric">{k('hours')}</th>
            <th scope="col" className="kern-table__header kern-table__header--numeric">{k('minimum_wage_cents')}</th>
            <th scope="col" className="kern-table__header kern-table__header--numeric">{k('due_cents')}</th>
            <th scope="col" className="kern-table__header kern-table__header--numeric">{k('paid_cents')}</th>
            <th scope="col" className="kern-table__header kern-table__header--numeric">{k('shortfall_cents')}</th>
          </tr>
        </thead>
        <tbody className="kern-table__body">
          {rows.map((r, i) => (
            <tr className="kern-table__row" key={i}>
              <th scope="row" className="kern-table__header">
                {formatMonth(r.month, language)}
                {!r.applicable && r.exclusion ? (
                  <span className="fd-calc-exclusion">
                    {tc(`results.exclusion.${r.exclusion}`, { defaultValue: r.exclusion })}
                  </span>
                ) : null}
              </th>
              <td className="kern-table__cell kern-table__cell--numeric">{r.hours === null ? tc('result.none') : formatHundredths(r.hours, language)}</td>
              <td className="kern-table__cell kern-table__cell--numeric">{r.applicable ? money(r.rateCents) : tc('result.none')}</td>
              <td className="kern-table__cell kern-table__cell--numeric">{money(r.dueCents)}</td>
              <td className="kern-table__cell kern-table__cell--numeric">{money(r.paidCents)}</td>
              <td className="kern-table__cell kern-table__cell--numeric">{money(r.shortfallCents)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot className="kern-table__footer">
          <tr className="kern-table__row">
            <th scope="row" className="kern-table__header" colSpan={5}>
              {k('total')}
            </th>
            <td className="kern-table__cell kern-table__cell--numeric fd-calc-strong" data-testid="total-shortfall">
              {money(result.total_shortfall_cents)}
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** Dates among a server text's values, written the way the UI writes dates. */
export function textValues(params: Record<string, string> | undefined, language: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    out[name] = /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDate(value, language) : value;
  }
  return out;
}

/** The translation of a server text by its code, or '' where the locale has none. */
export function translated(tc: TFunction, key: string, params: Record<string, string> | undefined, language: string): string {
  return tc(key, { ...textValues(params, language), defaultValue: '', interpolation: { escapeValue: false } });
}

function TranslatedCell({ text, fallback, language }: { text: string; fallback: string; language: string }) {
  return (
    <td className="kern-table__cell" lang={text || language === 'en' ? undefined : 'en'}>
      {text || fallback}
    </td>
  );
}
