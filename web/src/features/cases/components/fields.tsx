/** Form controls the shared components do not have yet: text area, check boxes, a check-box group. */
import { useState, type ReactNode, type TextareaHTMLAttributes } from 'react';
import { Alert } from '../../../components/Alert';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { TextField } from '../../../components/Field';
import type { CasesTranslation } from '../i18n';
import { today } from '../form';

function ErrorText({ id, message }: { id: string; message: string }) {
  return (
    <p className="kern-error" id={id} role="alert">
      <span className="kern-icon kern-icon--danger kern-icon--default" aria-hidden="true" />
      <span className="kern-body">{message}</span>
    </p>
  );
}

const describedBy = (...ids: (string | false | undefined | null)[]) => ids.filter(Boolean).join(' ') || undefined;

interface TextAreaProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  optional?: ReactNode;
}

export function TextArea({ id, label, hint, error, optional, ...rest }: TextAreaProps) {
  return (
    <div className={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
      <label className="kern-label" htmlFor={id}>
        {label}
        {optional ? <span className="kern-label__optional"> {optional}</span> : null}
      </label>
      {hint ? (
        <div className="kern-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      <textarea
        id={id}
        className={`kern-form-input__input fd-textarea${error ? ' kern-form-input__input--error' : ''}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint ? `${id}-hint` : null, error ? `${id}-error` : null)}
        rows={4}
        {...rest}
      />
      {error ? <ErrorText id={`${id}-error`} message={error} /> : null}
    </div>
  );
}

interface CheckboxProps {
  id: string;
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  error?: string;
}

export function Checkbox({ id, label, checked, onChange, error }: CheckboxProps) {
  return (
    <div className="kern-form-check">
      <input
        id={id}
        type="checkbox"
        className={`kern-form-check__checkbox${error ? ' kern-form-check__checkbox--error' : ''}`}
        checked={checked}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(e.target.checked)}
      />
      <label className="kern-label" htmlFor={id}>
        {label}
      </label>
      {error ? <ErrorText id={`${id}-error`} message={error} /> : null}
    </div>
  );
}

interface CheckboxGroupProps {
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  options: { value: string; label: string }[];
  value: string[];
  onChange: (value: string[]) => void;
  error?: string;
  optional?: ReactNode;
  columns?: boolean;
}

/** Several check boxes under one legend; the fieldset takes the focus for its error. */
export function CheckboxGroup({ id, legend, hint, options, value, onChange, error, optional, columns = true }: CheckboxGroupProps) {
  return (
    <fieldset
      className={`kern-fieldset fd-check-group${error ? ' kern-fieldset--error' : ''}`}
      id={id}
      tabIndex={-1}
      aria-invalid={error ? true : undefined}
      aria-describedby={describedBy(hint ? `${id}-hint` : null, error ? `${id}-error` : null)}
    >
      <legend className="kern-label">
        {legend}
        {optional ? <span className="kern-label__optional"> {optional}</span> : null}
      </legend>
      {hint ? (
        <div className="kern-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      <div className={`kern-fieldset__body${columns ? ' fd-check-grid' : ''}`}>
        {options.map((option) => (
          <div className="kern-form-check" key={option.value}>
            <input
              id={`${id}-${option.value}`}
              type="checkbox"
              className={`kern-form-check__checkbox${error ? ' kern-form-check__checkbox--error' : ''}`}
              checked={value.includes(option.value)}
              onChange={(e) =>
                onChange(e.target.checked ? [...value, option.value] : value.filter((v) => v !== option.value))
              }
            />
            <label className="kern-label" htmlFor={`${id}-${option.value}`}>
              {option.label}
            </label>
          </div>
        ))}
      </div>
      {error ? <ErrorText id={`${id}-error`} message={error} /> : null}
    </fieldset>
  );
}

interface RadioGroupProps {
  id: string;
  legend: ReactNode;
  options: { value: string; label: string }[];
  value: string;
  onChange: (value: string) => void;
  error?: string;
}

export function RadioGroup({ id, legend, options, value, onChange, error }: RadioGroupProps) {
  return (
    <fieldset
      className={`kern-fieldset${error ? ' kern-fieldset--error' : ''}`}
      id={id}
      tabIndex={-1}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend className="kern-label">{legend}</legend>
      <div className="kern-fieldset__body kern-fieldset__body--horizontal">
        {options.map((option) => (
          <div className="kern-form-check" key={option.value}>
            <input
              id={`${id}-${option.value}`}
              type="radio"
              name={id}
              value={option.value}
              className={`kern-form-check__radio${error ? ' kern-form-check__radio--error' : ''}`}
              checked={value === option.value}
              onChange={() => onChange(option.value)}
            />
            <label className="kern-label" htmlFor={`${id}-${option.value}`}>
              {option.label}
            </label>
          </div>
        ))}
      </div>
      {error ? <ErrorText id={`${id}-error`} message={error} /> : null}
    </fieldset>
  );
}

/** What went wrong with a submission beyond single fields. */
export function FormProblems({
  failure,
  otherErrors,
  tr,
}: {
  failure: unknown;
  otherErrors: { field: string; message: string }[];
  tr: CasesTranslation;
}) {
  if (!failure) return null;
  if (otherErrors.length) {
    return (
      <Alert tone="danger" role="alert" headingLevel={3} title={tr.tc('form.serverErrors')}>
        <ul className="kern-list">
          {otherErrors.map((e) => (
            <li key={`${e.field}:${e.message}`}>
              <code>{e.field}</code>: {e.message}
            </li>
          ))}
        </ul>
      </Alert>
    );
  }
  return <ErrorMessage error={failure} headingLevel={3} />;
}

/** Says that a draft kept in the browser was put back into the form, and offers to discard it. */
export function DraftNotice({ savedAt, onDiscard, tr }: { savedAt: string | null; onDiscard: () => void; tr: CasesTranslation }) {
  if (!savedAt) return null;
  const when = new Intl.DateTimeFormat(tr.language, { dateStyle: 'short', timeStyle: 'short' }).format(new Date(savedAt));
  return (
    <div className="fd-draft-notice" data-testid="draft-notice">
      <p className="kern-body">{tr.tc('draft.restored', { when })}</p>
      <button type="button" className="kern-btn kern-btn--tertiary kern-btn--x-small" onClick={onDiscard}>
        <span className="kern-icon kern-icon--delete" aria-hidden="true" />
        <span className="kern-label">{tr.tc('draft.discard')}</span>
      </button>
    </div>
  );
}

/** The texts a SearchableMultiSelect needs, in the case feature's language. */
export function multiSelectTexts(tc: CasesTranslation['tc']): Pick<SearchableMultiSelectProps, 'selectedLabel' | 'removeLabel' | 'noMatch'> {
  return {
    selectedLabel: (count: number) => tc('multi.selected', { count }),
    removeLabel: (label: string) => tc('multi.remove', { label }),
    noMatch: tc('multi.noMatch'),
  };
}

interface SearchableMultiSelectProps {
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  options: { value: string; label: string }[];
  value: string[];
  onChange: (value: string[]) => void;
  error?: string;
  optional?: ReactNode;
  filterLabel: string;
  selectedLabel: (count: number) => string;
  removeLabel: (label: string) => string;
  noMatch: string;
}

/**
 * A long list of check boxes with a filter box above it (languages, topics): the chosen entries
 * stay listed as removable chips, the list shows only what matches the filter and scrolls within
 * its own box, so the form stays short on a phone.
 */
export function SearchableMultiSelect({ id, legend, hint, options, value, onChange, error, optional, filterLabel, selectedLabel, removeLabel, noMatch }: SearchableMultiSelectProps) {
  const [filter, setFilter] = useState('');
  const needle = filter.trim().toLocaleLowerCase();
  const shown = needle ? options.filter((o) => o.label.toLocaleLowerCase().includes(needle) || o.value.toLowerCase() === needle) : options;
  const chosen = options.filter((o) => value.includes(o.value));
  return (
    <fieldset
      className={`kern-fieldset fd-multi${error ? ' kern-fieldset--error' : ''}`}
      id={id}
      tabIndex={-1}
      aria-invalid={error ? true : undefined}
      aria-describedby={describedBy(hint ? `${id}-hint` : null, error ? `${id}-error` : null)}
      data-testid={`multi-${id}`}
    >
      <legend className="kern-label">
        {legend}
        {optional ? <span className="kern-label__optional"> {optional}</span> : null}
      </legend>
      {hint ? (
        <div className="kern-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      {chosen.length ? (
        <ul className="fd-chips" aria-label={selectedLabel(chosen.length)}>
          {chosen.map((o) => (
            <li key={o.value}>
              <button type="button" className="fd-chip" aria-label={removeLabel(o.label)} onClick={() => onChange(value.filter((v) => v !== o.value))}>
                {o.label} <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="kern-form-input">
        <label className="kern-label kern-label--small" htmlFor={`${id}-filter`}>
          {filterLabel}
        </label>
        <input id={`${id}-filter`} type="search" className="kern-form-input__input" autoComplete="off" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </div>
      <div className="fd-multi__list">
        {shown.length === 0 ? <p className="kern-body kern-body--small">{noMatch}</p> : null}
        {shown.map((option) => (
          <div className="kern-form-check" key={option.value}>
            <input
              id={`${id}-${option.value}`}
              type="checkbox"
              className={`kern-form-check__checkbox${error ? ' kern-form-check__checkbox--error' : ''}`}
              checked={value.includes(option.value)}
              onChange={(e) => onChange(e.target.checked ? [...value, option.value] : value.filter((v) => v !== option.value))}
            />
            <label className="kern-label" htmlFor={`${id}-${option.value}`}>
              {option.label}
            </label>
          </div>
        ))}
      </div>
      {error ? <ErrorText id={`${id}-error`} message={error} /> : null}
    </fieldset>
  );
}

/** The consents of a client record and the date they were given. */
export interface ConsentValues {
  storage: boolean;
  contact: boolean;
  anonymised_use: boolean;
  consent_date: string;
}

/**
 * The three consents and their date. Ticking a consent while no date is entered fills in today,
 * the usual case (the person agrees during the conversation); the date can still be changed.
 */
export function ConsentFields({
  id,
  tr,
  values,
  set,
  error,
}: {
  id: (field: string) => string;
  tr: CasesTranslation;
  values: ConsentValues;
  set: (name: keyof ConsentValues, value: ConsentValues[keyof ConsentValues]) => void;
  error: (field: keyof ConsentValues) => string | undefined;
}) {
  const { tc } = tr;
  const tick = (name: 'storage' | 'contact' | 'anonymised_use', on: boolean) => {
    set(name, on);
    if (on && !values.consent_date) set('consent_date', today());
  };
  return (
    <>
      <fieldset className="kern-fieldset">
        <legend className="kern-label">{tc('client.consents')}</legend>
        <div className="kern-fieldset__body">
          <Checkbox id={id('storage')} label={tc('client.consentStorage')} checked={values.storage} error={error('storage')} onChange={(c) => tick('storage', c)} />
          <Checkbox id={id('contact')} label={tc('client.consentContact')} checked={values.contact} onChange={(c) => tick('contact', c)} />
          <Checkbox id={id('anonymised_use')} label={tc('client.consentAnonymised')} checked={values.anonymised_use} onChange={(c) => tick('anonymised_use', c)} />
        </div>
      </fieldset>
      <TextField id={id('consent_date')} type="date" max={today()} label={tc('client.consentDate')} value={values.consent_date} error={error('consent_date')} onChange={(e) => set('consent_date', e.target.value)} />
    </>
  );
}
