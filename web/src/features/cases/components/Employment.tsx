import { useState } from 'react';
import { Button } from '../../../components/Button';
import { SelectField, TextField } from '../../../components/Field';
import { ApiError } from '../../../lib/api';
import { getCaseWithEtag, updateCase } from '../api/cases';
import { EMPLOYMENT_KEYS, NOTICE_FORMS, NOTICE_GIVEN_BY, WORK_STATES, type Employment } from '../api/types';
import { useForm, type Errors } from '../form';
import type { CasesTranslation } from '../i18n';
import { formatCents, parseEuroToCents } from '../money';
import { formatDate } from '../reference';
import { ConflictNotice, type CaseFormProps, type Conflict } from './CaseForms';
import { FormProblems } from './fields';

type Values = Record<(typeof EMPLOYMENT_KEYS)[number], string>;

const DATE_KEYS = ['start', 'end', 'notice_received', 'contract_date', 'claim_due'] as const;
const isDate = (k: string) => (DATE_KEYS as readonly string[]).includes(k);

/** A decimal typed in the UI language ("38,5") as a number, or null. */
function parseDecimal(text: string, language: string): number | null {
  const hundredths = parseEuroToCents(text, language);
  return hundredths === null ? null : hundredths / 100;
}
const formatDecimal = (n: number, language: string) => new Intl.NumberFormat(language, { maximumFractionDigits: 2 }).format(n);

function toValues(e: Employment | null | undefined, language: string): Values {
  const v = {} as Values;
  for (const k of EMPLOYMENT_KEYS) {
    const x = e?.[k];
    if (x === null || x === undefined) v[k] = '';
    else if (k === 'hourly_wage_cents') v[k] = formatDecimal(Number(x) / 100, language);
    else if (typeof x === 'number') v[k] = formatDecimal(x, language);
    else v[k] = String(x);
  }
  return v;
}

/** What a value of the employment says, in words (facts panel and conflict table). */
export function describeEmployment(key: string, value: unknown, tr: CasesTranslation): string {
  const { tc, language } = tr;
  if (value === null || value === undefined || value === '') return tc('job.none');
  if (isDate(key)) return formatDate(String(value), language);
  if (key === 'hourly_wage_cents') return tc('job.perHour', { amount: formatCents(Number(value), language) });
  if (key === 'weekly_hours') return tc('job.hoursPerWeek', { hours: formatDecimal(Number(value), language) });
  if (key === 'workdays_per_week') return tc('job.daysPerWeek', { days: formatDecimal(Number(value), language) });
  if (key === 'work_state') return tc(`job.state.${String(value)}`);
  if (key === 'notice_given_by') return tc(`job.givenBy.${String(value)}`);
  if (key === 'notice_form') return tc(`job.form.${String(value)}`);
  return String(value);
}

/**
 * The employment facts recorded on the case (shown in the case header), or a note that there are
 * none (on an open case with the way to record them; a closed case has no "Arbeitsverhältnis" button).
 */
export function EmploymentFacts({ employment, closed, tr }: { employment: Employment | null | undefined; closed: boolean; tr: CasesTranslation }) {
  const { tc } = tr;
  const keys = EMPLOYMENT_KEYS.filter((k) => employment?.[k] !== null && employment?.[k] !== undefined);
  return (
    <section className="fd-employment" aria-labelledby="employment-facts-title" data-testid="case-employment">
      <h2 className="kern-heading-small" id="employment-facts-title">
        {tc('job.title')}
      </h2>
      {keys.length ? (
        <dl className="kern-description-list fd-case-facts">
          {keys.map((k) => (
            <div className="kern-description-list-item" key={k}>
              <dt className="kern-description-list-item__key">{tc(`job.field.${k}`)}</dt>
              <dd className="kern-description-list-item__value" data-testid={`employment-${k}`}>
                {describeEmployment(k, employment?.[k], tr)}
              </dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="kern-body">{tc(closed ? 'job.emptyClosed' : 'job.empty')}</p>
      )}
    </section>
  );
}

/**
 * The employment a case is about: the dates, the employer, hours and the agreed wage, which the
 * calculators opened from the case are filled in with. Saved with If-Match; a 412 shows what
 * someone else saved meanwhile.
 */
export function EmploymentForm({ detail, tr, onDone, onCancel }: CaseFormProps) {
  const { tc, language } = tr;
  const id = (field: string) => `employment-${field}`;
  const initial = toValues(detail.employment, language);
  const form = useForm<Values>({
    initial,
    idOf: id,
    // The server names `employment.<key>`.
    fieldOf: (f) => f.replace(/^employment\./, ''),
    validate: (v): Errors => {
      const e: Errors = {};
      if (v.employer.length > 200) e.employer = tc('validation.maxLength', { max: 200 });
      if (v.weekly_hours && parseDecimal(v.weekly_hours, language) === null) e.weekly_hours = tc('job.invalidNumber');
      else if (v.weekly_hours && parseDecimal(v.weekly_hours, language)! > 80) e.weekly_hours = tc('job.tooManyHours');
      if (v.workdays_per_week && parseDecimal(v.workdays_per_week, language) === null) e.workdays_per_week = tc('job.invalidNumber');
      else if (v.workdays_per_week && (parseDecimal(v.workdays_per_week, language)! > 7 || parseDecimal(v.workdays_per_week, language)! < 0.5)) {
        e.workdays_per_week = tc('job.daysRange');
      }
      if (v.hourly_wage_cents && parseEuroToCents(v.hourly_wage_cents, language) === null) e.hourly_wage_cents = tc('job.invalidAmount');
      if (v.start && v.end && v.end < v.start) e.end = tc('job.endBeforeStart');
      if (v.start && v.notice_received && v.notice_received < v.start) e.notice_received = tc('job.noticeBeforeStart');
      return e;
    },
    draft: `case-employment.${detail.id}`,
  });
  const { values: v, set, error } = form;
  const [conflict, setConflict] = useState<Conflict | null>(null);

  function body(values: Values): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of EMPLOYMENT_KEYS) {
      if (values[k] === initial[k]) continue;
      const text = values[k].trim();
      if (!text) out[k] = null;
      else if (k === 'hourly_wage_cents') out[k] = parseEuroToCents(text, language);
      else if (k === 'weekly_hours' || k === 'workdays_per_week') out[k] = parseDecimal(text, language);
      else out[k] = text;
    }
    return out;
  }

  async function save(values: Values, etag: string | null) {
    const changed = body(values);
    if (Object.keys(changed).length === 0) {
      onDone(tc('edit.unchanged'));
      return;
    }
    try {
      await updateCase(detail.id, { employment: changed }, etag);
      setConflict(null);
      onDone(tc('job.saved'));
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 412) {
        const current = await getCaseWithEtag(detail.id);
        setConflict({
          mine: changed,
          theirs: (current.data.employment ?? {}) as Record<string, unknown>,
          etag: current.etag,
          opened: (detail.employment ?? {}) as Record<string, unknown>,
          compare: EMPLOYMENT_KEYS,
        });
        return false;
      }
      throw caught;
    }
  }

  const text = (k: (typeof EMPLOYMENT_KEYS)[number], extra: Record<string, unknown> = {}) => (
    <TextField
      id={id(k)}
      label={tc(`job.field.${k}`)}
      hint={tc(`job.hint.${k}`, { defaultValue: '' }) || undefined}
      optional={tc('form.optional')}
      value={v[k]}
      error={error(k)}
      onChange={(e) => set(k, e.target.value)}
      {...extra}
    />
  );

  return (
    <form className="fd-form" noValidate aria-labelledby="employment-title" data-testid="employment-form" onSubmit={form.onSubmit((values) => save(values, detail.etag ?? null))}>
      <h3 className="kern-heading-small" id="employment-title">
        {tc('job.title')}
      </h3>
      <p className="kern-body">{tc('job.lead')}</p>
      {text('employer', { autoComplete: 'off', maxLength: 200 })}
      <div className="fd-form-grid">
        <SelectField id={id('work_state')} label={tc('job.field.work_state')} hint={tc('job.hint.work_state')} value={v.work_state} error={error('work_state')} onChange={(e) => set('work_state', e.target.value)}>
          <option value="">{tc('job.notRecorded')}</option>
          {WORK_STATES.map((s) => (
            <option key={s} value={s}>
              {tc(`job.state.${s}`)}
            </option>
          ))}
        </SelectField>
        {text('start', { type: 'date' })}
        {text('end', { type: 'date' })}
        {text('contract_date', { type: 'date' })}
      </div>
      <fieldset className="kern-fieldset">
        <legend className="kern-label">{tc('job.noticeLegend')}</legend>
        <div className="kern-fieldset__body fd-form-grid">
          {text('notice_received', { type: 'date' })}
          <SelectField id={id('notice_given_by')} label={tc('job.field.notice_given_by')} value={v.notice_given_by} error={error('notice_given_by')} onChange={(e) => set('notice_given_by', e.target.value)}>
            <option value="">{tc('job.notRecorded')}</option>
            {NOTICE_GIVEN_BY.map((s) => (
              <option key={s} value={s}>
                {tc(`job.givenBy.${s}`)}
              </option>
            ))}
          </SelectField>
          <SelectField id={id('notice_form')} label={tc('job.field.notice_form')} value={v.notice_form} error={error('notice_form')} onChange={(e) => set('notice_form', e.target.value)}>
            <option value="">{tc('job.notRecorded')}</option>
            {NOTICE_FORMS.map((s) => (
              <option key={s} value={s}>
                {tc(`job.form.${s}`)}
              </option>
            ))}
          </SelectField>
        </div>
      </fieldset>
      <div className="fd-form-grid">
        {text('claim_due', { type: 'date' })}
        {text('weekly_hours', { inputMode: 'decimal' })}
        {text('workdays_per_week', { inputMode: 'decimal' })}
        {text('hourly_wage_cents', { inputMode: 'decimal' })}
      </div>
      {conflict ? (
        <ConflictNotice
          conflict={conflict}
          tr={tr}
          describe={(field, value) => describeEmployment(field, value, tr)}
          onReapply={() => save(form.values, conflict.etag).then((saved) => saved !== false && form.discardDraft())}
          onDiscard={() => {
            form.discardDraft();
            onDone(tc('conflict.discarded'));
          }}
        />
      ) : null}
      <FormProblems failure={form.failure} otherErrors={form.otherErrors} tr={tr} />
      <div className="fd-actions">
        <Button type="submit" icon="check" busy={form.busy}>
          {tc('job.submit')}
        </Button>
        <Button type="button" variant="tertiary" onClick={onCancel}>
          {tc('form.cancel')}
        </Button>
      </div>
    </form>
  );
}
