import type { TFunction } from 'i18next';
import { Button } from '../../../components/Button';
import type { CalcResult } from '../api/calculate';
import { formatDate, formatDateTime, formatMonth, today } from '../dates';
import type { CalculatorDef, FieldDef, FormState } from '../definitions';
import { visibleFields } from '../definitions';
import { formatCents, formatHundredths, parseEuroToCents, parseHundredths } from '../money';
import { headline, ResultDetails, translated } from './ResultDetails';
import type { ReactNode } from 'react';

export interface Computation {
  result: CalcResult;
  /** The form as it was when this result was computed. */
  snapshot: FormState;
  input: Record<string, unknown>;
  /** `YYYY-MM-DD` of the computation, for the printout. */
  on: string;
}

interface ResultViewProps {
  def: CalculatorDef;
  computation: Computation;
  stale: boolean;
  tc: TFunction;
  t: TFunction;
  language: string;
  /** Actions shown under the result (claim letter, attach to case). */
  children?: ReactNode;
}

/** The result of a calculation: the answer, its details, legal basis and warnings, printable. */
export function ResultView({ def, computation, stale, tc, t, language, children }: ResultViewProps) {
  const { result, snapshot, on } = computation;
  const title = tc(`calc.${def.name}.title`);
  const answer = headline({ name: def.name, result, snapshot, tc, language });
  const warnings = result.warnings ?? [];

  return (
    <section className="fd-calc-result" aria-labelledby="calc-result-title" data-testid="calc-result" data-print="result">
      <div className="fd-calc-print-header">
        <p className="kern-preline">fairdesk · {t('app.tagline')}</p>
        <p className="kern-heading-medium">{tc('result.printTitle', { title, date: formatDate(on, language) })}</p>
      </div>

      <h2 className="kern-heading-medium" id="calc-result-title" tabIndex={-1}>
        {tc('result.title')}
      </h2>
      {stale ? (
        <div className="kern-alert kern-alert--info fd-alert fd-calc-screen-only" role="status">
          <div className="kern-alert__header">
            <span className="kern-icon kern-icon--info" aria-hidden="true" />
            <p className="kern-title">{tc('result.stale')}</p>
          </div>
        </div>
      ) : null}

      <p className="fd-calc-answer" data-testid="calc-answer">
        {answer}
      </p>

      <ResultDetails name={def.name} result={result} snapshot={snapshot} tc={tc} language={language} />

      <InputSummary def={def} snapshot={snapshot} tc={tc} t={t} language={language} />

      <h3 className="kern-heading-small">{tc('result.legalBasis')}</h3>
      <ul className="kern-list kern-list--bullet fd-calc-basis" data-testid="legal-basis">
        {result.legal_basis.map((basis) => (
          <li key={basis}>{basis}</li>
        ))}
      </ul>

      {warnings.length ? (
        <div className="kern-alert kern-alert--warning fd-alert" data-testid="calc-warnings">
          <div className="kern-alert__header">
            <span className="kern-icon kern-icon--warning" aria-hidden="true" />
            <h3 className="kern-title">{tc('result.warnings')}</h3>
          </div>
          <div className="kern-alert__body">
            <ul className="kern-list kern-list--bullet fd-calc-warnings">
              {warnings.map((w, i) => {
                // Every language from the locale (no raw markers, dates as the UI writes them); the
                // server's English text only for a code the locale does not know yet.
                const text = translated(tc, `warnings.${w.code}`, w.params, language);
                return (
                  <li key={`${w.code}-${i}`} data-code={w.code} lang={text || language === 'en' ? undefined : 'en'}>
                    {text || w.message}
                  </li>
                );
              })}
            </ul>
          </div>
        </div>
      ) : null}

      <p className="kern-body kern-body--small fd-calc-print-only">{tc('result.printNote', { date: formatDate(today(), language) })}</p>

      <div className="fd-actions fd-calc-screen-only">
        <Button type="button" variant="secondary" icon="download" onClick={() => window.print()}>
          {tc('result.print')}
        </Button>
      </div>
      {children}
    </section>
  );
}

/** A value as typed, shown the way the result shows values. */
function shownValue(field: FieldDef, raw: string, tc: TFunction, t: TFunction, language: string): string {
  const none = tc('result.none');
  if (field.kind === 'checkbox') return tc(raw === 'true' ? 'result.yes' : 'result.no');
  if (raw.trim() === '') return none;
  switch (field.kind) {
    case 'date':
      return formatDate(raw, language);
    case 'month':
      return formatMonth(raw, language);
    case 'datetime':
      return formatDateTime(raw, language);
    case 'state':
      return t(`states.${raw}`);
    case 'select':
      return tc(`options.${field.name}.${raw}`);
    case 'yesno':
      return tc(raw === 'true' ? 'result.yes' : 'result.no');
    case 'money': {
      const parsed = parseEuroToCents(raw);
      return parsed.ok ? formatCents(parsed.value, language) : raw;
    }
    case 'decimal': {
      const parsed = parseHundredths(raw);
      return parsed.ok ? formatHundredths(parsed.value, language) : raw;
    }
    default:
      return raw;
  }
}

/** "Your entries": what the result was computed from (shown in the printout). */
function InputSummary({ def, snapshot, tc, t, language }: { def: CalculatorDef; snapshot: FormState; tc: TFunction; t: TFunction; language: string }) {
  const fields = visibleFields(def, snapshot.values);
  // The minimum-wage table already shows every month's hours and pay.
  const showRows = def.group && def.name !== 'minimum-wage';
  return (
    <div className="fd-calc-inputs fd-calc-print-only">
      <h3 className="kern-heading-small">{tc('result.inputs')}</h3>
      {fields.length ? (
        <dl className="kern-description-list fd-calc-dl">
          {fields.map((f) => (
            <div className="kern-description-list-item" key={f.name}>
              <dt className="kern-description-list-item__key">{tc(`fields.${f.name}.label`)}</dt>
              <dd className="kern-description-list-item__value">{shownValue(f, snapshot.values[f.name] ?? '', tc, t, language)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {showRows ? (
        <div className="kern-table-responsive">
          <table className="kern-table kern-table--small">
            <caption className="kern-title">{tc(`groups.${def.group!.name}.legend`)}</caption>
            <thead className="kern-table__head">
              <tr className="kern-table__row">
                {def.group!.fields.map((f) => (
                  <th key={f.name} scope="col" className="kern-table__header">
                    {tc(`fields.${f.name}.label`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="kern-table__body">
              {snapshot.rows.map((row, i) => (
                <tr key={i} className="kern-table__row">
                  {def.group!.fields.map((f) => (
                    <td key={f.name} className="kern-table__cell">
                      {shownValue(f, row[f.name] ?? '', tc, t, language)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
