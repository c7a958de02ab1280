import type { TFunction } from 'i18next';
import { SelectField, TextField } from '../../../components/Field';
import { sortByName } from '../../../lib/format';
import { STATES, type FieldDef } from '../definitions';
import { fieldDomId } from '../errors';

interface FormFieldProps {
  field: FieldDef;
  /** The JSON path of the field (`notice_received`, `periods[2].hours`). */
  path: string;
  calculator: string;
  value: string;
  error: string | null;
  tc: TFunction;
  t: TFunction;
  language: string;
  /** A label that differs from the field's own (e.g. in repeated rows). */
  label?: string;
  hideHint?: boolean;
  onChange: (value: string) => void;
  onBlur: () => void;
}

const INPUT_TYPES: Partial<Record<FieldDef['kind'], string>> = {
  date: 'date',
  month: 'month',
  datetime: 'datetime-local',
};

/** One input of a calculator form, chosen by the kind of value it takes. */
export function FormField({ field, path, calculator, value, error, tc, t, language, label, hideHint, onChange, onBlur }: FormFieldProps) {
  const id = fieldDomId(path);
  const text = label ?? tc(`fields.${field.name}.label`);
  const hintKey = tc(`fieldHints.${calculator}.${field.name}`, { defaultValue: '__none__' });
  const hintText = hintKey !== '__none__' ? hintKey : tc(`fields.${field.name}.hint`, { defaultValue: '' });
  const hint = hideHint || !hintText ? undefined : hintText;
  const optional = field.required || field.kind === 'checkbox' ? undefined : tc('form.optional');

  if (field.kind === 'checkbox') {
    return (
      <div className="kern-form-check fd-calc-check">
        <input
          id={id}
          type="checkbox"
          className={`kern-form-check__checkbox${error ? ' kern-form-check__checkbox--error' : ''}`}
          checked={value === 'true'}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => onChange(e.target.checked ? 'true' : 'false')}
          onBlur={onBlur}
        />
        <label className="kern-label" htmlFor={id}>
          {text}
        </label>
        {error ? <FieldErrorText id={`${id}-error`} message={error} /> : null}
      </div>
    );
  }

  if (field.kind === 'yesno') {
    return (
      <fieldset
        className={`kern-fieldset${error ? ' kern-fieldset--error' : ''}`}
        id={id}
        tabIndex={-1}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        <legend className="kern-label">{text}</legend>
        <div className="kern-fieldset__body kern-fieldset__body--horizontal">
          {(['true', 'false'] as const).map((option) => (
            <div className="kern-form-check" key={option}>
              <input
                id={`${id}-${option}`}
                type="radio"
                name={path}
                value={option}
                className={`kern-form-check__radio${error ? ' kern-form-check__radio--error' : ''}`}
                checked={value === option}
                aria-invalid={error ? true : undefined}
                onChange={() => onChange(option)}
                onBlur={onBlur}
              />
              <label className="kern-label" htmlFor={`${id}-${option}`}>
                {tc(option === 'true' ? 'options.yes' : 'options.no')}
              </label>
            </div>
          ))}
        </div>
        {error ? <FieldErrorText id={`${id}-error`} message={error} /> : null}
      </fieldset>
    );
  }

  if (field.kind === 'state' || field.kind === 'select') {
    const options =
      field.kind === 'state'
        ? sortByName(STATES, (code) => t(`states.${code}`), language).map((code) => ({ value: code, label: t(`states.${code}`) }))
        : (field.options ?? []).map((option) => ({ value: option, label: tc(`options.${field.name}.${option}`) }));
    const hasEmpty = field.kind === 'state' || !field.initial;
    return (
      <SelectField
        id={id}
        name={path}
        label={text}
        hint={hint}
        error={error}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onBlur={onBlur}
        required={field.required}
      >
        {hasEmpty ? <option value="">{field.required ? tc('options.choose') : tc('options.none')}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </SelectField>
    );
  }

  const numeric = field.kind === 'money' || field.kind === 'decimal' || field.kind === 'integer';
  return (
    <TextField
      id={id}
      name={path}
      label={text}
      hint={hint}
      error={error}
      optional={optional}
      type={INPUT_TYPES[field.kind] ?? 'text'}
      inputMode={field.kind === 'integer' ? 'numeric' : numeric ? 'decimal' : undefined}
      autoComplete="off"
      className={numeric ? 'fd-calc-input--number' : undefined}
      value={value}
      required={field.required}
      onChange={(e) => onChange(e.target.value)}
      onBlur={onBlur}
    />
  );
}

export function FieldErrorText({ id, message }: { id: string; message: string }) {
  return (
    <p className="kern-error" id={id} role="alert">
      <span className="kern-icon kern-icon--danger kern-icon--default" aria-hidden="true" />
      <span className="kern-body">{message}</span>
    </p>
  );
}
