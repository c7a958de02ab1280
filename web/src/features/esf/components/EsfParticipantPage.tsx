import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { SelectField, TextField } from '../../../components/Field';
import { Loader } from '../../../components/Loader';
import { PageHeading } from '../../../components/PageHeading';
import { ApiError } from '../../../lib/api';
import { formatDate } from '../../../lib/format';
import { useLoad } from '../../../lib/useLoad';
import {
  createEntry,
  ENTRY_CHOICES,
  EXIT_CHOICES,
  getCaseEsf,
  updateParticipant,
  type CaseEsf,
  type EntryChoice,
  type ExitChoice,
  type Participant,
} from '../api/esf';
import { useEsfTranslation, type EsfTranslation } from '../i18n';
import { esfServerText } from '../serverText';

const ENTRY_FIELDS = ['entry_date', 'birth_year', ...(Object.keys(ENTRY_CHOICES) as EntryChoice[])] as const;
const EXIT_FIELDS = ['exit_date', ...(Object.keys(EXIT_CHOICES) as ExitChoice[])] as const;
const SPECIAL = new Set(['disability', 'minority']);

type Values = Record<string, string>;

function valuesOf(p: Participant | null): Values {
  const out: Values = {};
  for (const f of [...ENTRY_FIELDS, ...EXIT_FIELDS]) {
    const v = p ? (p as unknown as Record<string, unknown>)[f] : null;
    out[f] = v === null || v === undefined ? '' : String(v);
  }
  return out;
}

/** `/cases/:id/esf`: the ESF Plus participant record of a case (entry, corrections, exit). */
export function EsfParticipantPage() {
  const { id = '' } = useParams();
  const tr = useEsfTranslation();
  const load = useLoad(`esf:${id}`, (signal) => getCaseEsf(id, signal));
  // Kept here: saving reloads the record, and the view below starts afresh for the new version.
  const [notice, setNotice] = useState<string | null>(null);

  if (tr.failed) return <ErrorMessage error={new Error('locale')} />;
  if (!tr.ready || load.status === 'loading') return <Loader />;
  const title = tr.tc('participant.title');
  const back = (
    <p className="kern-body">
      <Link className="kern-link" to={`/cases/${encodeURIComponent(id)}`} data-testid="esf-back">
        <span className="kern-icon kern-icon--arrow-back" aria-hidden="true" />
        {tr.tc('participant.back')}
      </Link>
    </p>
  );
  if (load.status === 'error') {
    return (
      <section className="fd-page" data-testid="page-esf">
        <PageHeading title={title}>{title}</PageHeading>
        {back}
        {load.error instanceof ApiError && load.error.status === 404 ? (
          <p className="kern-body">{tr.tc('participant.notFound')}</p>
        ) : (
          <ErrorMessage error={load.error} />
        )}
      </section>
    );
  }
  return (
    <section className="fd-page" data-testid="page-esf">
      <PageHeading title={title} lead={tr.tc('participant.lead')}>
        {title}
      </PageHeading>
      {back}
      <ParticipantView key={load.data.etag ?? 'new'} caseId={id} view={load.data.data} etag={load.data.etag} tr={tr}
        reload={load.reload} notice={notice} setNotice={setNotice} />
    </section>
  );
}

interface ViewProps {
  caseId: string;
  view: CaseEsf;
  etag: string | null;
  tr: EsfTranslation;
  reload: () => void;
  notice: string | null;
  setNotice: (notice: string | null) => void;
}

function ParticipantView({ caseId, view, etag, tr, reload, notice, setNotice }: ViewProps) {
  const { tc, language } = tr;
  const p = view.participant;
  const [values, setValues] = useState<Values>(() => valuesOf(p));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<unknown>(null);
  const [stale, setStale] = useState(false);
  const [busy, setBusy] = useState(false);
  const noticeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  if (!p && !view.eligible) {
    return (
      <Alert tone="info" title={tc('participant.notEligibleTitle')} headingLevel={2}>
        <p className="kern-body" data-testid="esf-not-eligible">
          {tc('participant.notEligible', { min: view.min_consultations, count: view.consultations })}
        </p>
      </Alert>
    );
  }

  function set(field: string, value: string) {
    setValues((v) => ({ ...v, [field]: value }));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setProblem(null);
    setNotice(null);
    try {
      if (!p) {
        const body: Record<string, unknown> = {};
        for (const f of ENTRY_FIELDS) {
          if (values[f]) body[f] = f === 'birth_year' ? Number(values[f]) : values[f];
        }
        await createEntry(caseId, body);
        setNotice(tc('participant.entrySaved'));
      } else {
        const before = valuesOf(p);
        const body: Record<string, unknown> = {};
        for (const f of [...ENTRY_FIELDS, ...EXIT_FIELDS]) {
          if (values[f] === before[f]) continue;
          body[f] = values[f] === '' ? null : f === 'birth_year' ? Number(values[f]) : values[f];
        }
        if (!Object.keys(body).length) {
          setNotice(tc('participant.noChange'));
          setBusy(false);
          return;
        }
        await updateParticipant(caseId, body, etag);
        setNotice(tc('participant.saved'));
      }
      reload();
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) setStale(true);
      else if (error instanceof ApiError && error.status === 422) {
        setErrors(Object.fromEntries(Object.entries(error.fieldErrors()).map(([f, m]) => [f, esfServerText(m)])));
      }
      else setProblem(error);
    } finally {
      setBusy(false);
      requestAnimationFrame(() => noticeRef.current?.focus());
    }
  }

  const choiceField = (field: string, options: readonly string[], optional: boolean) => (
    <SelectField
      key={field}
      id={`esf-${field}`}
      label={tc(`fields.${field}`)}
      hint={SPECIAL.has(field) ? tc('participant.specialHint') : field === 'long_term_status' ? tc('participant.longTermHint') : undefined}
      error={errors[field]}
      value={values[field]}
      required={!optional}
      onChange={(e) => set(field, e.target.value)}
    >
      <option value="">{optional ? tc('values.none') : tc('values.choose')}</option>
      {options.map((o) => (
        <option key={o} value={o}>
          {tc(`values.${o}`)}
        </option>
      ))}
    </SelectField>
  );

  const otherErrors = Object.entries(errors).filter(([f]) => !(ENTRY_FIELDS as readonly string[]).includes(f) && !(EXIT_FIELDS as readonly string[]).includes(f));

  return (
    <>
      <div ref={noticeRef} tabIndex={-1} className="fd-focus-target" aria-live="polite">
        {notice ? <Alert tone="success" role="status" title={notice} /> : null}
        {stale ? (
          <Alert tone="warning" title={tc('participant.stale')} headingLevel={2}>
            <Button variant="secondary" onClick={reload}>
              {tc('participant.reload')}
            </Button>
          </Alert>
        ) : null}
        {Object.keys(errors).length ? (
          <Alert tone="danger" title={tc('participant.errorsTitle')} headingLevel={2}>
            {otherErrors.length ? (
              <ul className="kern-list">
                {otherErrors.map(([f, m]) => (
                  <li key={f}>{m}</li>
                ))}
              </ul>
            ) : null}
          </Alert>
        ) : null}
        {problem ? <ErrorMessage error={problem} /> : null}
      </div>

      {p ? (
        <section className="fd-panel" aria-labelledby="esf-summary-title" data-testid="esf-summary">
          <h2 className="kern-heading-medium" id="esf-summary-title">
            {tc('participant.summaryTitle')}
          </h2>
          <dl className="kern-description-list kern-description-list--col">
            <Item label={tc('fields.entry_date')}>{formatDate(p.entry_date, language)}</Item>
            <Item label={tc('fields.age_band')}>{tc(`values.${p.age_band}`)}</Item>
            {(Object.keys(ENTRY_CHOICES) as EntryChoice[]).map((f) => (
              <Item key={f} label={tc(`fields.${f}`)} testId={`esf-value-${f}`}>
                {tc(`values.${p[f]}`)}
              </Item>
            ))}
            {p.special_asked_at ? (
              <Item label={tc('fields.special_asked_at')}>{tc('participant.askedAt', { date: formatDate(p.special_asked_at.slice(0, 10), language) })}</Item>
            ) : null}
            <Item label={tc('fields.exit_date')} testId="esf-value-exit_date">
              {p.exit_date ? formatDate(p.exit_date, language) : tc('participant.notRecorded')}
            </Item>
            {(Object.keys(EXIT_CHOICES) as ExitChoice[]).map((f) => (
              <Item key={f} label={tc(`fields.${f}`)} testId={`esf-value-${f}`}>
                {p[f] ? tc(`values.${p[f]}`) : tc('participant.notRecorded')}
              </Item>
            ))}
          </dl>
        </section>
      ) : null}

      <section className="fd-panel" aria-labelledby="esf-form-title">
        <h2 className="kern-heading-medium" id="esf-form-title">
          {p ? tc('participant.editTitle') : tc('participant.entryTitle')}
        </h2>
        <form noValidate onSubmit={submit} data-testid="esf-form">
          <fieldset className="kern-fieldset">
            <legend className="kern-label">{tc('participant.entrySection')}</legend>
            <div className="kern-fieldset__body">
              <TextField id="esf-entry_date" type="date" label={tc('fields.entry_date')} error={errors.entry_date}
                value={values.entry_date} required onChange={(e) => set('entry_date', e.target.value)} />
              <TextField id="esf-birth_year" inputMode="numeric" label={tc('fields.birth_year')} error={errors.birth_year}
                value={values.birth_year} required onChange={(e) => set('birth_year', e.target.value)} />
              {(Object.keys(ENTRY_CHOICES) as EntryChoice[]).map((f) => choiceField(f, ENTRY_CHOICES[f], false))}
            </div>
          </fieldset>
          {p ? (
            <fieldset className="kern-fieldset">
              <legend className="kern-label">{tc('participant.exitSection')}</legend>
              <div className="kern-fieldset__body">
                <p className="kern-hint">{tc('participant.exitHint')}</p>
                <TextField id="esf-exit_date" type="date" label={tc('fields.exit_date')} error={errors.exit_date}
                  value={values.exit_date} onChange={(e) => set('exit_date', e.target.value)} />
                {(Object.keys(EXIT_CHOICES) as ExitChoice[]).map((f) => choiceField(f, EXIT_CHOICES[f], true))}
              </div>
            </fieldset>
          ) : null}
          <Button type="submit" busy={busy} data-testid="esf-submit">
            {p ? tc('participant.save') : tc('participant.record')}
          </Button>
        </form>
      </section>
    </>
  );
}

function Item({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="kern-description-list-item">
      <dt className="kern-description-list-item__key">{label}</dt>
      <dd className="kern-description-list-item__value" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}
