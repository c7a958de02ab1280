import { useState } from 'react';
import { ApiError } from '../../../lib/api';
import { calculate } from '../../calculators/api/calculate';
import { formatMonth } from '../../calculators/dates';
import { formatCents, hundredthsToNumber, parseEuroToCents, parseHundredths } from '../../calculators/money';
import { useKnowledgeTranslation } from '../i18n';

interface Row {
  month: string;
  hours: string;
  paid: string;
}

/** What the calculation gives a letter template: the amount (German figures, no currency sign,
 * since templates write "… Euro brutto") and the period of the months with a shortfall. */
export interface CalculatedAmount {
  amount: string;
  period: string;
}

/** The amount owed under the minimum wage, from the labour-law calculator (`POST /api/v1/calc/minimum-wage`),
 * for the `{{amount}}` and `{{period}}` fields of a letter template. */
export function CalculatorAmount({ onResult }: { onResult: (r: CalculatedAmount) => void }) {
  const { tc, language } = useKnowledgeTranslation();
  const [rows, setRows] = useState<Row[]>([{ month: '', hours: '', paid: '' }]);
  const [error, setError] = useState('');
  const [summary, setSummary] = useState('');
  const [busy, setBusy] = useState(false);

  const update = (i: number, patch: Partial<Row>) => setRows(rows.map((r, k) => (k === i ? { ...r, ...patch } : r)));

  async function run() {
    setError('');
    setSummary('');
    const periods = [];
    for (const [i, r] of rows.entries()) {
      const hours = parseHundredths(r.hours);
      const paid = parseEuroToCents(r.paid);
      if (!/^\d{4}-\d{2}$/.test(r.month) || !hours.ok || !paid.ok) {
        setError(tc('calc.rowInvalid', { row: i + 1 }));
        return;
      }
      periods.push({ month: r.month, hours: hundredthsToNumber(hours.value), gross_pay_cents: paid.value });
    }
    setBusy(true);
    try {
      const result = await calculate('minimum-wage', { periods });
      const total = Number(result.total_shortfall_cents ?? 0);
      const owed = ((result.periods as { month: string; shortfall_cents: number }[] | undefined) ?? []).filter(
        (p) => p.shortfall_cents > 0,
      );
      const first = owed[0]?.month;
      const last = owed[owed.length - 1]?.month;
      // The letter is German whatever the UI language: its figures are formatted for Germany.
      const period = !first ? '' : first === last ? formatMonth(first, 'de') : `${formatMonth(first, 'de')} bis ${formatMonth(last!, 'de')}`;
      const amount = formatCents(total, 'de').replace(/\s*€$/u, '');
      setSummary(tc('calc.result', { amount: formatCents(total, language) }));
      onResult({ amount, period });
    } catch (e) {
      const fields = e instanceof ApiError ? Object.values(e.fieldErrors()) : [];
      setError(fields.length ? fields.join(' ') : tc('calc.failed'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <fieldset className="fd-kb-calc">
      <legend className="kern-label">{tc('calc.title')}</legend>
      <p className="kern-body kern-body--small">{tc('calc.hint')}</p>
      {rows.map((r, i) => (
        <div className="fd-kb-calc-row" key={i}>
          <div className="kern-form-input">
            <label className="kern-label" htmlFor={`kb-calc-month-${i}`}>
              {tc('calc.month')}
            </label>
            <input id={`kb-calc-month-${i}`} className="kern-form-input__input" type="month" value={r.month}
              onChange={(e) => update(i, { month: e.target.value })} />
          </div>
          <div className="kern-form-input">
            <label className="kern-label" htmlFor={`kb-calc-hours-${i}`}>
              {tc('calc.hours')}
            </label>
            <input id={`kb-calc-hours-${i}`} className="kern-form-input__input" inputMode="decimal" value={r.hours}
              onChange={(e) => update(i, { hours: e.target.value })} />
          </div>
          <div className="kern-form-input">
            <label className="kern-label" htmlFor={`kb-calc-paid-${i}`}>
              {tc('calc.paid')}
            </label>
            <input id={`kb-calc-paid-${i}`} className="kern-form-input__input" inputMode="decimal" value={r.paid}
              onChange={(e) => update(i, { paid: e.target.value })} />
          </div>
        </div>
      ))}
      <div className="fd-kb-calc-actions">
        <button type="button" className="kern-btn kern-btn--tertiary" disabled={rows.length >= 120}
          onClick={() => setRows([...rows, { month: '', hours: '', paid: '' }])}>
          <span className="kern-label">{tc('calc.addMonth')}</span>
        </button>
        <button type="button" className="kern-btn kern-btn--secondary" disabled={busy} onClick={() => void run()}>
          <span className="kern-label">{tc('calc.run')}</span>
        </button>
      </div>
      {error ? (
        <p className="kern-body fd-kb-calc-error" role="alert">
          {error}
        </p>
      ) : null}
      {summary ? (
        <p className="kern-body" role="status" data-testid="kb-calc-result">
          {summary}
        </p>
      ) : null}
    </fieldset>
  );
}
