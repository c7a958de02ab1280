import type { TFunction } from 'i18next';
import type { FormEvent } from 'react';
import { Button } from '../../../components/Button';
import type { CalculatorDef, FieldDef, FormState } from '../definitions';
import { visibleFields } from '../definitions';
import { fieldDomId } from '../errors';
import { FieldErrorText, FormField } from './FormField';

interface CalculatorFormProps {
  def: CalculatorDef;
  state: FormState;
  /** The message to show per field path (already translated), or none. */
  errorFor: (path: string) => string | null;
  /** Errors in order of the form, for the summary shown after a failed submit. */
  summary: { path: string; message: string }[];
  general: string[];
  busy: boolean;
  tc: TFunction;
  t: TFunction;
  language: string;
  onValue: (name: string, value: string) => void;
  onRowValue: (row: number, name: string, value: string) => void;
  onBlur: (path: string) => void;
  onAddRow: () => void;
  onRemoveRow: (row: number) => void;
  onSubmit: () => void;
  onReset: () => void;
}

/** The inputs of one calculator, its repeatable rows, the error summary and the actions. */
export function CalculatorForm(props: CalculatorFormProps) {
  const { def, state, errorFor, summary, general, busy, tc, t, language } = props;
  const extra = new Set((def.extra ?? []).map((f) => f.name));
  const shown = visibleFields(def, state.values);
  const main = shown.filter((f) => !extra.has(f.name));
  const more = shown.filter((f) => extra.has(f.name));

  function submit(event: FormEvent) {
    event.preventDefault();
    props.onSubmit();
  }

  const field = (f: FieldDef) => (
    <FormField
      key={f.name}
      field={f}
      path={f.name}
      calculator={def.name}
      value={state.values[f.name] ?? ''}
      error={errorFor(f.name)}
      tc={tc}
      t={t}
      language={language}
      onChange={(value) => props.onValue(f.name, value)}
      onBlur={() => props.onBlur(f.name)}
    />
  );

  return (
    <form className="fd-calc-form" noValidate onSubmit={submit} aria-labelledby="calc-form-title" data-testid="calc-form">
      <h2 className="kern-heading-medium kern-sr-only" id="calc-form-title">
        {tc('form.legend')}
      </h2>
      {summary.length || general.length ? (
        <div className="kern-alert kern-alert--danger fd-alert" role="alert" id="calc-error-summary" tabIndex={-1} data-testid="error-summary">
          <div className="kern-alert__header">
            <span className="kern-icon kern-icon--danger" aria-hidden="true" />
            <h3 className="kern-title">{tc('form.errorSummary')}</h3>
          </div>
          <div className="kern-alert__body">
            {summary.length ? <p className="kern-body">{tc('form.errorCount', { count: summary.length })}</p> : null}
            <ul className="kern-list kern-list--bullet fd-calc-error-list">
              {summary.map((e) => (
                <li key={e.path}>
                  <a
                    className="kern-link"
                    href={`#${fieldDomId(e.path)}`}
                    onClick={(event) => {
                      event.preventDefault();
                      const target = document.getElementById(fieldDomId(e.path));
                      target?.scrollIntoView({ block: 'center' });
                      (target?.matches('fieldset') ? target.querySelector('input') : target)?.focus();
                    }}
                  >
                    {labelForPath(e.path, def, tc)}: {e.message}
                  </a>
                </li>
              ))}
              {general.map((message) => (
                <li key={message} lang={language === 'de' ? 'en' : undefined}>
                  {message}
                </li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}

      {main.length ? <div className="fd-calc-fields">{main.map(field)}</div> : null}

      {def.group ? <RowsFieldset {...props} /> : null}

      {more.length ? (
        <fieldset className="kern-fieldset fd-calc-more">
          <legend className="kern-label kern-label--large">{tc('form.more')}</legend>
          <div className="kern-hint">{tc('form.moreHint')}</div>
          <div className="kern-fieldset__body fd-calc-fields">{more.map(field)}</div>
        </fieldset>
      ) : null}

      <div className="fd-actions">
        <Button type="submit" busy={busy} icon="check">
          {busy ? tc('form.calculating') : tc('form.submit')}
        </Button>
        <Button type="button" variant="tertiary" onClick={props.onReset}>
          {tc('form.reset')}
        </Button>
      </div>
    </form>
  );
}

function RowsFieldset(props: CalculatorFormProps) {
  const { def, state, errorFor, tc, t, language } = props;
  const group = def.group!;
  const groupError = errorFor(group.name);
  const groupId = fieldDomId(group.name);
  return (
    <fieldset
      className={`kern-fieldset fd-calc-rows${groupError ? ' kern-fieldset--error' : ''}`}
      id={groupId}
      tabIndex={-1}
      aria-describedby={`${groupId}-hint${groupError ? ` ${groupId}-error` : ''}`}
    >
      <legend className="kern-label kern-label--large">{tc(`groups.${group.name}.legend`)}</legend>
      <div className="kern-hint" id={`${groupId}-hint`}>
        {tc(`groups.${group.name}.hint`)}
      </div>
      {groupError ? <FieldErrorText id={`${groupId}-error`} message={groupError} /> : null}
      <ol className="fd-calc-rows__list">
        {state.rows.map((row, index) => {
          const n = index + 1;
          return (
            <li key={index} className="fd-calc-row" data-testid={`row-${group.name}`}>
              <fieldset className="kern-fieldset fd-calc-row__fieldset">
                <legend className="kern-label fd-calc-row__legend">{tc(`groups.${group.name}.row`, { n })}</legend>
                <div className="fd-calc-row__fields">
                  {group.fields.map((f) => {
                    const path = `${group.name}[${index}].${f.name}`;
                    return (
                      <FormField
                        key={f.name}
                        field={f}
                        path={path}
                        calculator={def.name}
                        value={row[f.name] ?? ''}
                        error={errorFor(path)}
                        tc={tc}
                        t={t}
                        language={language}
                        hideHint
                        onChange={(value) => props.onRowValue(index, f.name, value)}
                        onBlur={() => props.onBlur(path)}
                      />
                    );
                  })}
                  <div className="fd-calc-row__remove">
                    <button
                      type="button"
                      className="kern-btn kern-btn--tertiary kern-btn--x-small"
                      disabled={state.rows.length <= group.min}
                      aria-label={tc(`groups.${group.name}.removeLabel`, { n })}
                      onClick={() => props.onRemoveRow(index)}
                    >
                      <span className="kern-icon kern-icon--delete" aria-hidden="true" />
                      <span className="kern-label">{tc(`groups.${group.name}.remove`)}</span>
                    </button>
                  </div>
                </div>
              </fieldset>
            </li>
          );
        })}
      </ol>
      {state.rows.length < group.max ? (
        <Button type="button" variant="secondary" icon="add" onClick={props.onAddRow}>
          {tc(`groups.${group.name}.add`)}
        </Button>
      ) : (
        <p className="kern-body">{tc(`groups.${group.name}.full`)}</p>
      )}
    </fieldset>
  );
}

/** The label a person sees for a path, with the row: "Monat 2 – Gearbeitete Stunden". */
export function labelForPath(path: string, def: CalculatorDef, tc: TFunction): string {
  const m = /^(\w+)\[(\d+)\](?:\.(\w+))?$/.exec(path);
  if (m && def.group && m[1] === def.group.name) {
    const row = tc(`groups.${def.group.name}.row`, { n: Number(m[2]) + 1 });
    return m[3] ? `${row} – ${tc(`fields.${m[3]}.label`)}` : row;
  }
  if (def.group && path === def.group.name) return tc(`groups.${def.group.name}.legend`);
  return tc(`fields.${path}.label`);
}
