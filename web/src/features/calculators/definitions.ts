/**
 * The eleven calculators of API.md as form descriptions: which inputs each takes, of what kind,
 * and how typed text becomes the JSON the server expects. Labels and hints live in the feature's
 * locales under `fields.<name>`; this file holds no UI text.
 */
import { addDays, isIsoDate, isIsoMonth, isLocalDateTime, nextMonth } from './dates';
import { hundredthsToNumber, parseEuroToCents, parseHundredths } from './money';

export const CALCULATORS = [
  'minimum-wage',
  'training-allowance',
  'notice-period',
  'dismissal-claim-deadline',
  'leave-entitlement',
  'limitation',
  'sick-pay',
  'working-time',
  'mini-job',
  'exclusion-clause',
  'holidays',
] as const;
export type CalculatorName = (typeof CALCULATORS)[number];

export function isCalculatorName(value: unknown): value is CalculatorName {
  return typeof value === 'string' && (CALCULATORS as readonly string[]).includes(value);
}

export const STATES = ['BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH'] as const;

export type FieldKind =
  | 'date'
  | 'month'
  | 'datetime'
  | 'state'
  | 'money'
  | 'decimal'
  | 'integer'
  | 'select'
  | 'checkbox'
  | 'yesno';

export type Values = Record<string, string>;

export interface FieldDef {
  /** The API field name (money fields end in `_cents`; people type euros). */
  name: string;
  kind: FieldKind;
  required?: boolean;
  /** Values of a select. */
  options?: readonly string[];
  /** Bounds: for `decimal` in hundredths, for `integer` as is. */
  min?: number;
  max?: number;
  /** Shown (and sent) only when this holds for the form's values. */
  showIf?: (values: Values) => boolean;
  /** The value a new form starts with. */
  initial?: () => string;
}

export interface GroupDef {
  name: string;
  min: number;
  max: number;
  fields: FieldDef[];
  /** A new row, given the previous last row (e.g. the next month). */
  newRow: (last: Values | undefined) => Values;
}

export interface CalculatorDef {
  name: CalculatorName;
  fields: FieldDef[];
  group?: GroupDef;
  /** Inputs listed after the group under "more details" (optional ones). */
  extra?: FieldDef[];
}

const FORMS = ['written', 'electronic', 'oral'] as const;
const thisYear = () => String(new Date().getFullYear());
const INTERNSHIPS = new Set(['compulsory_internship', 'orientation_internship', 'accompanying_internship']);

function previousMonth(): string {
  const now = new Date();
  const d = new Date(now.getFullYear(), now.getMonth() - 1, 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

function shiftAfter(last: Values | undefined): Values {
  // The next shift starts a day after the last one, at the same time.
  const shift = (value: string | undefined) => {
    if (!value || !isLocalDateTime(value)) return '';
    const [date, time] = value.split('T');
    return `${addDays(date!, 1)}T${time}`;
  };
  return { start: shift(last?.start), end: shift(last?.end), break_minutes: last?.break_minutes ?? '30' };
}

function monthAfter(last: Values | undefined): Values {
  const month = last?.month && isIsoMonth(last.month) ? nextMonth(last.month) : '';
  return { month, hours: last?.hours ?? '', gross_pay_cents: last?.gross_pay_cents ?? '' };
}

export const DEFINITIONS: Record<CalculatorName, CalculatorDef> = {
  'minimum-wage': {
    name: 'minimum-wage',
    fields: [],
    group: {
      name: 'periods',
      min: 1,
      max: 120,
      fields: [
        { name: 'month', kind: 'month', required: true },
        { name: 'hours', kind: 'decimal', required: true, max: 744 * 100 },
        { name: 'gross_pay_cents', kind: 'money', required: true },
      ],
      newRow: monthAfter,
    },
    extra: [
      {
        name: 'employment_type',
        kind: 'select',
        options: ['employee', 'compulsory_internship', 'orientation_internship', 'accompanying_internship', 'entry_qualification', 'volunteer'],
        initial: () => 'employee',
      },
      { name: 'internship_months', kind: 'decimal', max: 120 * 100, showIf: (v) => INTERNSHIPS.has(v.employment_type ?? '') },
      { name: 'birth_date', kind: 'date' },
      { name: 'vocational_qualification', kind: 'checkbox' },
      { name: 'long_term_unemployed_before', kind: 'checkbox' },
      { name: 'employment_start', kind: 'date' },
    ],
  },
  'training-allowance': {
    name: 'training-allowance',
    fields: [
      { name: 'training_start', kind: 'date', required: true },
      { name: 'month', kind: 'month', required: true, initial: previousMonth },
      { name: 'gross_pay_cents', kind: 'money', required: true },
      { name: 'collective_agreement', kind: 'checkbox' },
    ],
  },
  'notice-period': {
    name: 'notice-period',
    fields: [
      { name: 'notice_received', kind: 'date', required: true },
      { name: 'given_by', kind: 'select', required: true, options: ['employer', 'employee'], initial: () => 'employer' },
      { name: 'employment_start', kind: 'date', required: true },
      { name: 'form', kind: 'select', options: FORMS, initial: () => 'written' },
      { name: 'probation', kind: 'checkbox' },
    ],
  },
  'dismissal-claim-deadline': {
    name: 'dismissal-claim-deadline',
    fields: [
      { name: 'notice_received', kind: 'date', required: true },
      { name: 'state', kind: 'state', required: true },
      { name: 'form', kind: 'select', options: FORMS, initial: () => 'written' },
    ],
  },
  'leave-entitlement': {
    name: 'leave-entitlement',
    fields: [
      { name: 'year', kind: 'integer', required: true, min: 1995, max: 2100, initial: thisYear },
      { name: 'workdays_per_week', kind: 'decimal', required: true, min: 100, max: 600, initial: () => '5' },
      { name: 'employment_start', kind: 'date', required: true },
      { name: 'employment_end', kind: 'date' },
    ],
  },
  limitation: {
    name: 'limitation',
    fields: [{ name: 'claim_due', kind: 'date', required: true }],
  },
  'sick-pay': {
    name: 'sick-pay',
    fields: [
      { name: 'employment_start', kind: 'date', required: true },
      { name: 'sick_from', kind: 'date', required: true },
      { name: 'sick_until', kind: 'date' },
    ],
  },
  'working-time': {
    name: 'working-time',
    fields: [
      {
        name: 'sector',
        kind: 'select',
        options: ['general', 'hospitality', 'care', 'transport', 'agriculture', 'broadcasting'],
        initial: () => 'general',
      },
      { name: 'state', kind: 'state' },
    ],
    group: {
      name: 'shifts',
      min: 1,
      max: 400,
      fields: [
        { name: 'start', kind: 'datetime', required: true },
        { name: 'end', kind: 'datetime', required: true },
        { name: 'break_minutes', kind: 'integer', required: true, min: 0, max: 24 * 60 },
      ],
      newRow: shiftAfter,
    },
  },
  'mini-job': {
    name: 'mini-job',
    fields: [
      { name: 'month', kind: 'month', required: true, initial: previousMonth },
      { name: 'gross_pay_cents', kind: 'money', required: true },
    ],
  },
  'exclusion-clause': {
    name: 'exclusion-clause',
    fields: [
      { name: 'contract_date', kind: 'date', required: true },
      { name: 'standard_form', kind: 'yesno', required: true },
      { name: 'first_stage_months', kind: 'decimal', required: true, max: 1200 * 100 },
      { name: 'second_stage_months', kind: 'decimal', max: 1200 * 100 },
      { name: 'exempts_minimum_wage', kind: 'yesno', required: true },
      { name: 'form_required', kind: 'select', options: ['written', 'text'] },
      // With the due date, the result names the last day of the first stage (a case deadline).
      { name: 'claim_due', kind: 'date' },
      { name: 'state', kind: 'state' },
    ],
  },
  holidays: {
    name: 'holidays',
    fields: [
      { name: 'state', kind: 'state', required: true },
      { name: 'year', kind: 'integer', required: true, min: 1990, max: 2100, initial: thisYear },
    ],
  },
};

/** What is wrong with one typed value: a key under `validation.` and its values. */
export interface Problem {
  code: string;
  values?: Record<string, string | number>;
}

export type Converted = { ok: true; value: unknown } | { ok: false; problem: Problem };

const OMIT: Converted = { ok: true, value: undefined };

/**
 * Checks one typed value and converts it to its JSON value (`undefined`: leave the field out).
 * Only the form of the value is checked here; the legal limits (a month before 2015, say) are the
 * server's business and come back as its field errors.
 */
export function convertField(field: FieldDef, raw: string | undefined): Converted {
  const text = (raw ?? '').trim();
  if (field.kind === 'checkbox') return { ok: true, value: text === 'true' };
  if (text === '') return field.required ? { ok: false, problem: { code: 'required' } } : OMIT;
  switch (field.kind) {
    case 'date':
      return isIsoDate(text) ? { ok: true, value: text } : { ok: false, problem: { code: 'date' } };
    case 'month':
      return isIsoMonth(text) ? { ok: true, value: text } : { ok: false, problem: { code: 'month' } };
    case 'datetime':
      return isLocalDateTime(text) ? { ok: true, value: text } : { ok: false, problem: { code: 'datetime' } };
    case 'state':
      return (STATES as readonly string[]).includes(text) ? { ok: true, value: text } : { ok: false, problem: { code: 'state' } };
    case 'select':
      return field.options?.includes(text) ? { ok: true, value: text } : { ok: false, problem: { code: 'option' } };
    case 'yesno':
      return text === 'true' || text === 'false' ? { ok: true, value: text === 'true' } : { ok: false, problem: { code: 'required' } };
    case 'money': {
      const parsed = parseEuroToCents(text);
      return parsed.ok ? { ok: true, value: parsed.value } : { ok: false, problem: { code: `money_${parsed.reason}` } };
    }
    case 'decimal': {
      const parsed = parseHundredths(text);
      if (!parsed.ok) return { ok: false, problem: { code: `number_${parsed.reason}` } };
      if ((field.min !== undefined && parsed.value < field.min) || (field.max !== undefined && parsed.value > field.max)) {
        return {
          ok: false,
          problem: { code: 'range', values: { min: (field.min ?? 0) / 100, max: (field.max ?? 0) / 100 } },
        };
      }
      return { ok: true, value: hundredthsToNumber(parsed.value) };
    }
    case 'integer': {
      if (!/^-?\d+$/.test(text)) return { ok: false, problem: { code: 'integer' } };
      const value = Number(text);
      if ((field.min !== undefined && value < field.min) || (field.max !== undefined && value > field.max)) {
        return { ok: false, problem: { code: 'range', values: { min: field.min ?? 0, max: field.max ?? 0 } } };
      }
      return { ok: true, value };
    }
  }
}

export interface FormState {
  values: Values;
  rows: Values[];
}

/** A fresh form for a calculator with its initial values (and one empty row). */
export function initialState(def: CalculatorDef): FormState {
  const values: Values = {};
  for (const field of [...def.fields, ...(def.extra ?? [])]) {
    values[field.name] = field.initial?.() ?? (field.kind === 'checkbox' ? 'false' : '');
  }
  return { values, rows: def.group ? [def.group.newRow(undefined)] : [] };
}

/** The inputs of a calculator that are visible for these values. */
export function visibleFields(def: CalculatorDef, values: Values): FieldDef[] {
  return [...def.fields, ...(def.extra ?? [])].filter((f) => !f.showIf || f.showIf(values));
}

/** Every field path the form shows (inputs, group, rows), to place server errors on. */
export function knownPaths(def: CalculatorDef, state: FormState): Set<string> {
  const paths = new Set(visibleFields(def, state.values).map((f) => f.name));
  if (def.group) {
    paths.add(def.group.name);
    state.rows.forEach((_, i) => {
      for (const f of def.group!.fields) paths.add(`${def.group!.name}[${i}].${f.name}`);
    });
  }
  return paths;
}

/** The problem with one field path of the form, or null. */
export function checkPath(def: CalculatorDef, state: FormState, path: string): Problem | null {
  const m = /^(\w+)\[(\d+)\]\.(\w+)$/.exec(path);
  if (m && def.group && m[1] === def.group.name) {
    const field = def.group.fields.find((f) => f.name === m[3]);
    const converted = field ? convertField(field, state.rows[Number(m[2])]?.[field.name]) : OMIT;
    return converted.ok ? null : converted.problem;
  }
  const field = visibleFields(def, state.values).find((f) => f.name === path);
  if (!field) return null;
  const converted = convertField(field, state.values[path]);
  return converted.ok ? null : converted.problem;
}

/**
 * The JSON input for the server, or the problems per field path when the form is not ready.
 * Optional fields left empty are left out, so that the server applies its documented defaults.
 */
export function buildInput(
  def: CalculatorDef,
  state: FormState,
): { ok: true; input: Record<string, unknown> } | { ok: false; problems: Record<string, Problem> } {
  const input: Record<string, unknown> = {};
  const problems: Record<string, Problem> = {};
  for (const field of visibleFields(def, state.values)) {
    const converted = convertField(field, state.values[field.name]);
    if (!converted.ok) problems[field.name] = converted.problem;
    else if (converted.value !== undefined) input[field.name] = converted.value;
  }
  if (def.group) {
    const group = def.group;
    input[group.name] = state.rows.map((row, i) => {
      const item: Record<string, unknown> = {};
      for (const field of group.fields) {
        const converted = convertField(field, row[field.name]);
        if (!converted.ok) problems[`${group.name}[${i}].${field.name}`] = converted.problem;
        else if (converted.value !== undefined) item[field.name] = converted.value;
      }
      return item;
    });
  }
  return Object.keys(problems).length ? { ok: false, problems } : { ok: true, input };
}
