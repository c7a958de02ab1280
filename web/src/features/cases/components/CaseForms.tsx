/** The forms on a case: consultation, deadline, referral, escalation, document, transfer, closing. */
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button } from '../../../components/Button';
import { SelectField, TextField } from '../../../components/Field';
import { ApiError } from '../../../lib/api';
import { clearDraft } from '../../../lib/drafts';
import {
  addConsultation,
  addDeadline,
  addEscalation,
  addReferral,
  getCaseWithEtag,
  getCentres,
  otherAdviceCentres,
  getPartners,
  MAX_DOCUMENT_BYTES,
  topicLabel,
  transferCase,
  updateCase,
  uploadDocument,
  useLoad,
} from '../api/cases';
import {
  CASE_STATUSES,
  CHANNELS,
  CLOSING_REASONS,
  CONSULTATION_KINDS,
  DEADLINE_KINDS,
  OUTCOME_FLAGS,
  PRIORITIES,
  REFERRAL_STATUSES,
  RISK_FLAGS,
  ROUTING_TARGETS,
  type CaseDetail,
  type Topic,
} from '../api/types';
import { first, rules, today, useForm, type Errors } from '../form';
import type { CasesTranslation } from '../i18n';
import { MAX_CENTS, parseEuroToCents } from '../money';
import { formatDate, languageOptions } from '../reference';
import { openDeadlines, openReferrals, referralName } from './CaseSummary';
import { Checkbox, CheckboxGroup, DraftNotice, FormProblems, multiSelectTexts, RadioGroup, SearchableMultiSelect, TextArea } from './fields';

export interface CaseFormProps {
  detail: CaseDetail;
  topics: Topic[];
  tr: CasesTranslation;
  /** Called after a successful change with the confirmation to announce (and, after closing, what is still open). */
  onDone: (message: string, warnings?: { code: string; count: number }[]) => void;
  onCancel: () => void;
}

const idFor = (form: string) => (field: string) => `${form}-${field.replace(/[^a-z0-9]+/gi, '-')}`;

function Actions({ busy, submit, tr, onCancel }: { busy: boolean; submit: string; tr: CasesTranslation; onCancel: () => void }) {
  return (
    <div className="fd-actions">
      <Button type="submit" icon="check" busy={busy}>
        {submit}
      </Button>
      <Button type="button" variant="tertiary" onClick={onCancel}>
        {tr.tc('form.cancel')}
      </Button>
    </div>
  );
}

// ---- Consultation ----

export function ConsultationForm({ detail, topics, tr, onDone, onCancel }: CaseFormProps) {
  const { tc, language } = tr;
  const id = idFor('consultation');
  const r = rules(tc);
  const form = useForm({
    initial: {
      date: today(),
      duration_minutes: '',
      channel: 'in_person',
      language: 'de',
      interpreter: false,
      topics: detail.topics,
      kind: 'acute',
      notes: '',
    },
    idOf: id,
    validate: (v): Errors => ({
      date: first(r.required(v.date), r.date(v.date), r.notFuture(v.date)),
      duration_minutes: first(r.required(v.duration_minutes), r.intRange(v.duration_minutes, 1, 600)),
      channel: r.required(v.channel),
      language: r.required(v.language),
      notes: r.maxLength(v.notes, 20000),
    }),
    draft: `consultation.${detail.id}`,
  });
  const { values: v, set, error } = form;
  return (
    <form
      className="fd-form"
      noValidate
      aria-labelledby="consultation-title"
      onSubmit={form.onSubmit(async (values) => {
        await addConsultation(detail.id, {
          ...values,
          duration_minutes: Number(values.duration_minutes),
          notes: values.notes.trim() || null,
        });
        onDone(tc('consultation.saved'));
      })}
    >
      <h3 className="kern-heading-small" id="consultation-title">
        {tc('consultation.title')}
      </h3>
      <DraftNotice savedAt={form.draftSavedAt} onDiscard={form.discardDraft} tr={tr} />
      <div className="fd-form-grid">
        <TextField id={id('date')} type="date" label={tc('consultation.date')} value={v.date} max={today()} error={error('date')} onChange={(e) => set('date', e.target.value)} />
        <TextField
          id={id('duration_minutes')}
          type="number"
          inputMode="numeric"
          min={1}
          max={600}
          label={tc('consultation.duration')}
          hint={tc('consultation.durationHint')}
          value={v.duration_minutes}
          error={error('duration_minutes')}
          onChange={(e) => set('duration_minutes', e.target.value)}
        />
        <SelectField id={id('channel')} label={tc('consultation.channel')} value={v.channel} error={error('channel')} onChange={(e) => set('channel', e.target.value)}>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {tc(`channel.${c}`)}
            </option>
          ))}
        </SelectField>
        <SelectField id={id('language')} label={tc('consultation.language')} value={v.language} error={error('language')} onChange={(e) => set('language', e.target.value)}>
          {languageOptions(language).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </SelectField>
      </div>
      <Checkbox id={id('interpreter')} label={tc('consultation.interpreter')} checked={v.interpreter} onChange={(c) => set('interpreter', c)} />
      <RadioGroup
        id={id('kind')}
        legend={tc('consultation.kind')}
        value={v.kind}
        error={error('kind')}
        options={CONSULTATION_KINDS.map((k) => ({ value: k, label: tc(`kind.${k}`) }))}
        onChange={(k) => set('kind', k)}
      />
      <SearchableMultiSelect
        id={id('topics')}
        legend={tc('consultation.topics')}
        optional={tc('form.optional')}
        value={v.topics}
        error={error('topics')}
        options={topics.map((t) => ({ value: t.code, label: topicLabel(topics, t.code, language) }))}
        onChange={(t) => set('topics', t)}
        filterLabel={tc('multi.filterTopics')}
        {...multiSelectTexts(tc)}
      />
      <TextArea
        id={id('notes')}
        label={tc('consultation.notes')}
        hint={tc('consultation.notesHint')}
        optional={tc('form.optional')}
        value={v.notes}
        error={error('notes')}
        onChange={(e) => set('notes', e.target.value)}
      />
      <FormProblems failure={form.failure} otherErrors={form.otherErrors} tr={tr} />
      <Actions busy={form.busy} submit={tc('consultation.submit')} tr={tr} onCancel={onCancel} />
    </form>
  );
}

// ---- Deadline ----

export function DeadlineForm({ detail, tr, onDone, onCancel }: CaseFormProps) {
  const { tc } = tr;
  const id = idFor('deadline');
  const r = rules(tc);
  const form = useForm({
    initial: { kind: '', due_date: '', note: '', confirm_past: false },
    idOf: id,
    validate: (v): Errors => ({
      kind: r.required(v.kind),
      due_date: first(r.required(v.due_date), r.date(v.due_date)),
      note: r.maxLength(v.note, 1000),
      confirm_past: v.due_date && v.due_date < today() && !v.confirm_past ? tc('deadline.pastConfirmNeeded') : undefined,
    }),
  });
  const { values: v, set, error } = form;
  return (
    <form
      className="fd-form"
      noValidate
      aria-labelledby="deadline-title"
      onSubmit={form.onSubmit(async (values) => {
        const past = values.due_date < today();
        await addDeadline(detail.id, {
          kind: values.kind,
          due_date: values.due_date,
          note: values.note.trim() || null,
          ...(past ? { confirm_past: true } : {}),
        });
        onDone(tc('deadline.saved'));
      })}
    >
      <h3 className="kern-heading-small" id="deadline-title">
        {tc('deadline.title')}
      </h3>
      <p className="kern-body">
        {tc('deadline.calculatorHint')}{' '}
        <Link className="kern-link" to={`/calculators/dismissal-claim-deadline?case=${encodeURIComponent(detail.id)}`}>
          {tc('detail.openCalculator')}
        </Link>
      </p>
      <div className="fd-form-grid">
        <SelectField id={id('kind')} label={tc('deadline.kind')} value={v.kind} error={error('kind')} onChange={(e) => set('kind', e.target.value)}>
          <option value="">{tc('form.choose')}</option>
          {DEADLINE_KINDS.map((k) => (
            <option key={k} value={k}>
              {tc(`deadlineKind.${k}`)}
            </option>
          ))}
        </SelectField>
        <TextField id={id('due_date')} type="date" label={tc('deadline.due')} value={v.due_date} error={error('due_date')} onChange={(e) => set('due_date', e.target.value)} />
      </div>
      {v.due_date && v.due_date < today() ? (
        <Checkbox id={id('confirm_past')} label={tc('deadline.pastConfirm')} checked={v.confirm_past} error={error('confirm_past')} onChange={(c) => set('confirm_past', c)} />
      ) : null}
      <TextField id={id('note')} label={tc('deadline.note')} optional={tc('form.optional')} value={v.note} maxLength={1000} error={error('note')} onChange={(e) => set('note', e.target.value)} />
      <FormProblems failure={form.failure} otherErrors={form.otherErrors} tr={tr} />
      <Actions busy={form.busy} submit={tc('deadline.submit')} tr={tr} onCancel={onCancel} />
    </form>
  );
}

// ---- Referral ----

export function ReferralForm({ detail, tr, onDone, onCancel }: CaseFormProps) {
  const { tc } = tr;
  const id = idFor('referral');
  const r = rules(tc);
  const partners = useLoad('partners', getPartners);
  const centres = useLoad('centres', getCentres);
  const form = useForm({
    initial: { target: '', organisation_id: '', status: 'made', client_consent: false, consent_date: today(), note: '' },
    idOf: id,
    validate: (v): Errors => ({
      target: r.required(v.target),
      consent_date: first(
        v.client_consent ? r.required(v.consent_date) : undefined,
        r.date(v.consent_date),
        r.notFuture(v.consent_date),
      ),
      client_consent: v.status !== 'suggested' && !v.client_consent ? tc('referral.consentNeeded') : undefined,
      note: r.maxLength(v.note, 5000),
    }),
    draft: `referral.${detail.id}`,
  });
  const { values: v, set, error } = form;
  const organisations =
    v.target === 'centre'
      ? centres.status === 'done'
        ? otherAdviceCentres(centres.data, detail.centre_id, tr.language).map((c) => ({ id: c.id, name: c.name }))
        : []
      : partners.status === 'done'
        ? partners.data.filter((p) => p.kind === v.target).map((p) => ({ id: p.id, name: p.name }))
        : [];
  return (
    <form
      className="fd-form"
      noValidate
      aria-labelledby="referral-title"
      onSubmit={form.onSubmit(async (values) => {
        await addReferral(detail.id, {
          target: values.target,
          organisation_id: values.organisation_id || null,
          status: values.status,
          client_consent: values.client_consent,
          consent_date: values.consent_date || null,
          note: values.note.trim() || null,
        });
        onDone(tc('referral.saved'));
      })}
    >
      <h3 className="kern-heading-small" id="referral-title">
        {tc('referral.title')}
      </h3>
      <DraftNotice savedAt={form.draftSavedAt} onDiscard={form.discardDraft} tr={tr} />
      <div className="fd-form-grid">
        <SelectField
          id={id('target')}
          label={tc('referral.target')}
          value={v.target}
          error={error('target')}
          onChange={(e) => {
            set('target', e.target.value);
            set('organisation_id', '');
          }}
        >
          <option value="">{tc('form.choose')}</option>
          {ROUTING_TARGETS.map((t) => (
            <option key={t} value={t}>
              {tc(`target.${t}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          id={id('organisation_id')}
          label={tc('referral.organisation')}
          hint={v.target && organisations.length === 0 ? tc('referral.noOrganisations') : undefined}
          value={v.organisation_id}
          error={error('organisation_id')}
          disabled={!v.target || organisations.length === 0}
          onChange={(e) => set('organisation_id', e.target.value)}
        >
          <option value="">{tc('referral.noOrganisation')}</option>
          {organisations.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </SelectField>
        <SelectField id={id('status')} label={tc('referral.status')} value={v.status} error={error('status')} onChange={(e) => set('status', e.target.value)}>
          {REFERRAL_STATUSES.filter((s) => s === 'suggested' || s === 'made').map((s) => (
            <option key={s} value={s}>
              {tc(`referralStatus.${s}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <Checkbox id={id('client_consent')} label={tc('referral.consent')} checked={v.client_consent} error={error('client_consent')} onChange={(c) => set('client_consent', c)} />
      {v.client_consent ? (
        <TextField id={id('consent_date')} type="date" max={today()} label={tc('referral.consentDate')} value={v.consent_date} error={error('consent_date')} onChange={(e) => set('consent_date', e.target.value)} />
      ) : null}
      <TextArea id={id('note')} label={tc('referral.note')} hint={tc('referral.noteHint')} optional={tc('form.optional')} value={v.note} error={error('note')} onChange={(e) => set('note', e.target.value)} />
      <FormProblems failure={form.failure} otherErrors={form.otherErrors} tr={tr} />
      <Actions busy={form.busy} submit={tc('referral.submit')} tr={tr} onCancel={onCancel} />
    </form>
  );
}

// ---- Escalation ----

export function EscalationForm({ detail, tr, onDone, onCancel }: CaseFormProps) {
  const { tc } = tr;
  const id = idFor('escalation');
  const r = rules(tc);
  const form = useForm({
    initial: { summary: '', question: '' },
    idOf: id,
    validate: (v): Errors => ({
      summary: first(r.required(v.summary.trim()), r.maxLength(v.summary, 4000)),
      question: first(r.required(v.question.trim()), r.maxLength(v.question, 4000)),
    }),
    draft: `escalation.${detail.id}`,
  });
  const { values: v, set, error } = form;
  return (
    <form
      className="fd-form"
      noValidate
      aria-labelledby="escalation-title"
      onSubmit={form.onSubmit(async (values) => {
        await addEscalation(detail.id, { summary: values.summary.trim(), question: values.question.trim() });
        onDone(tc('escalation.saved'));
      })}
    >
      <h3 className="kern-heading-small" id="escalation-title">
        {tc('escalation.title')}
      </h3>
      <p className="kern-body">{tc('escalation.lead')}</p>
      <DraftNotice savedAt={form.draftSavedAt} onDiscard={form.discardDraft} tr={tr} />
      <TextArea id={id('summary')} label={tc('escalation.summary')} hint={tc('escalation.summaryHint')} value={v.summary} rows={6} error={error('summary')} onChange={(e) => set('summary', e.target.value)} />
      <TextArea id={id('question')} label={tc('escalation.question')} value={v.question} error={error('question')} onChange={(e) => set('question', e.target.value)} />
      <FormProblems failure={form.failure} otherErrors={form.otherErrors} tr={tr} />
      <Actions busy={form.busy} submit={tc('escalation.submit')} tr={tr} onCancel={onCancel} />
    </form>
  );
}

// ---- Document ----

const DOCUMENT_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'text/plain',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.oasis.opendocument.text',
];

/** What is wrong with a chosen file before it is sent (the server checks the content again). */
export function checkDocumentFile(f: File | null, { tc }: CasesTranslation): string | undefined {
  if (!f) return tc('validation.required');
  if (f.size > MAX_DOCUMENT_BYTES) return tc('document.tooLarge');
  if (f.size === 0) return tc('document.empty');
  if (f.type && !DOCUMENT_TYPES.includes(f.type)) return tc('document.wrongType');
  return undefined;
}

export function DocumentForm({ detail, tr, onDone, onCancel }: CaseFormProps) {
  const { tc } = tr;
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const inputId = 'document-file';

  const check = (f: File | null) => checkDocumentFile(f, tr);

  function choose(event: ChangeEvent<HTMLInputElement>) {
    const f = event.target.files?.[0] ?? null;
    setFile(f);
    setError(f ? check(f) : undefined);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problem = check(file);
    setError(problem);
    if (problem || !file) {
      document.getElementById(inputId)?.focus();
      return;
    }
    setBusy(true);
    try {
      await uploadDocument(detail.id, file);
      onDone(tc('document.saved', { name: file.name }));
    } catch (caught) {
      setError(uploadError(caught, tr));
      document.getElementById(inputId)?.focus();
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="fd-form" noValidate aria-labelledby="document-title" onSubmit={(e) => void submit(e)}>
      <h3 className="kern-heading-small" id="document-title">
        {tc('document.title')}
      </h3>
      <div className={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
        <label className="kern-label" htmlFor={inputId}>
          {tc('document.file')}
        </label>
        <div className="kern-hint" id={`${inputId}-hint`}>
          {tc('document.hint')}
        </div>
        <input
          id={inputId}
          type="file"
          className="kern-form-input__input fd-file-input"
          accept=".pdf,.png,.jpg,.jpeg,.txt,.docx,.odt"
          aria-invalid={error ? true : undefined}
          aria-describedby={`${inputId}-hint${error ? ` ${inputId}-error` : ''}`}
          onChange={choose}
        />
        {error ? (
          <p className="kern-error" id={`${inputId}-error`} role="alert" data-testid="document-error">
            <span className="kern-icon kern-icon--danger kern-icon--default" aria-hidden="true" />
            <span className="kern-body">{error}</span>
          </p>
        ) : null}
      </div>
      <Actions busy={busy} submit={tc('document.submit')} tr={tr} onCancel={onCancel} />
    </form>
  );
}

export function uploadError(error: unknown, tr: CasesTranslation): string {
  if (error instanceof ApiError) {
    // The server's texts are English; the page says it in its own language (issue 7).
    if (error.status === 413) return tr.tc('document.tooLarge');
    if (error.status === 415) return tr.tc('document.wrongType');
    if (error.status === 503) return tr.tc('document.busy');
    if (error.status === 408) return tr.tc('document.slow');
    if (error.status === 404) return tr.tc('document.gone');
    const fields = new Set((error.problem?.errors ?? []).map((e) => e.field));
    if (fields.has('content')) return tr.tc('document.empty');
    if (fields.has('content_type')) return tr.tc('document.mismatch');
    if (fields.has('filename')) return tr.tc('document.badName');
    if (error.kind === 'network') return tr.t('errors.unreachable.text');
  }
  return tr.t('errors.unexpected.text');
}

// ---- Transfer ----

export function TransferForm({ detail, tr, onCancel }: CaseFormProps) {
  const { tc } = tr;
  const id = idFor('transfer');
  const r = rules(tc);
  const navigate = useNavigate();
  const centres = useLoad('centres', getCentres);
  const form = useForm({
    initial: { centre_id: '', consent_date: '' },
    idOf: id,
    validate: (v): Errors => ({
      centre_id: r.required(v.centre_id),
      consent_date: first(r.required(v.consent_date), r.date(v.consent_date), r.notFuture(v.consent_date)),
    }),
  });
  const { values: v, set, error } = form;
  const options = centres.status === 'done' ? otherAdviceCentres(centres.data, detail.centre_id, tr.language) : [];
  return (
    <form
      className="fd-form"
      noValidate
      aria-labelledby="transfer-title"
      onSubmit={form.onSubmit(async (values) => {
        await transferCase(detail.id, values);
        const name = options.find((c) => c.id === values.centre_id)?.name ?? values.centre_id;
        navigate('/cases', { state: { notice: tc('transfer.done', { number: detail.number, centre: name }) } });
      })}
    >
      <h3 className="kern-heading-small" id="transfer-title">
        {tc('transfer.title')}
      </h3>
      <p className="kern-body">{tc('transfer.lead')}</p>
      <div className="fd-form-grid">
        <SelectField id={id('centre_id')} label={tc('transfer.centre')} value={v.centre_id} error={error('centre_id')} onChange={(e) => set('centre_id', e.target.value)}>
          <option value="">{tc('form.choose')}</option>
          {options.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <TextField id={id('consent_date')} type="date" max={today()} label={tc('transfer.consentDate')} value={v.consent_date} error={error('consent_date')} onChange={(e) => set('consent_date', e.target.value)} />
      </div>
      <FormProblems failure={form.failure} otherErrors={form.otherErrors} tr={tr} />
      <Actions busy={form.busy} submit={tc('transfer.submit')} tr={tr} onCancel={onCancel} />
    </form>
  );
}

// ---- Close ----

export function CloseForm({ detail, topics, tr, onDone, onCancel }: CaseFormProps) {
  const { tc, language } = tr;
  const change = useCaseChange(detail);
  async function close(body: Record<string, unknown>, etag: string | null) {
    const closed = await change.send(body, etag);
    if (closed === false) return false;
    onDone(tc('close.saved'), closed.warnings ?? []);
    return true;
  }
  const id = idFor('close');
  const r = rules(tc);
  const form = useForm({
    initial: { wages: '', flags: [] as string[], closing_reason: '' },
    idOf: id,
    fieldOf: (f) => (f.startsWith('outcome.wages') ? 'wages' : f.startsWith('outcome') ? 'flags' : f),
    validate: (v): Errors => {
      const cents = v.wages.trim() ? parseEuroToCents(v.wages, language) : 0;
      return {
        closing_reason: r.required(v.closing_reason),
        wages: cents === null ? tc('close.wagesInvalid') : cents > MAX_CENTS ? tc('close.wagesTooHigh') : undefined,
      };
    },
  });
  const { values: v, set, error } = form;
  return (
    <form
      className="fd-form"
      noValidate
      aria-labelledby="close-title"
      onSubmit={form.onSubmit(async (values) => {
        const cents = values.wages.trim() ? parseEuroToCents(values.wages, language)! : 0;
        const outcome: Record<string, unknown> = { wages_recovered_cents: cents };
        for (const f of OUTCOME_FLAGS) outcome[f] = values.flags.includes(f);
        return close({ status: 'closed', outcome, closing_reason: values.closing_reason }, change.etag);
      })}
    >
      <h3 className="kern-heading-small" id="close-title">
        {tc('close.title')}
      </h3>
      <CloseWarning detail={detail} tr={tr} />
      <div className="fd-form-grid">
        <SelectField id={id('closing_reason')} label={tc('close.reason')} value={v.closing_reason} error={error('closing_reason')} onChange={(e) => set('closing_reason', e.target.value)}>
          <option value="">{tc('form.choose')}</option>
          {CLOSING_REASONS.map((c) => (
            <option key={c} value={c}>
              {tc(`closingReason.${c}`)}
            </option>
          ))}
        </SelectField>
        <div className="kern-form-input">
          <TextField
            id={id('wages')}
            inputMode="decimal"
            label={tc('close.wages')}
            hint={tc('close.wagesHint')}
            optional={tc('form.optional')}
            value={v.wages}
            error={error('wages')}
            onChange={(e) => set('wages', e.target.value)}
          />
        </div>
      </div>
      <CheckboxGroup
        id={id('flags')}
        legend={tc('close.outcome')}
        value={v.flags}
        error={error('flags')}
        optional={tc('form.optional')}
        options={OUTCOME_FLAGS.map((f) => ({ value: f, label: tc(`outcome.${f}`) }))}
        onChange={(f) => set('flags', f)}
      />
      <CaseChangeConflict change={change} topics={topics} tr={tr} send={close} onDone={onDone} />
      <FormProblems failure={form.failure} otherErrors={form.otherErrors} tr={tr} />
      <Actions busy={form.busy} submit={tc('close.submit')} tr={tr} onCancel={onCancel} />
    </form>
  );
}

/** Before closing: the deadlines and referrals still open, named. */
function CloseWarning({ detail, tr }: { detail: CaseDetail; tr: CasesTranslation }) {
  const { tc, language } = tr;
  const deadlines = openDeadlines(detail);
  const referrals = openReferrals(detail);
  if (!deadlines.length && !referrals.length) return null;
  return (
    <div className="kern-alert kern-alert--warning fd-alert" data-testid="close-warning">
      <div className="kern-alert__header">
        <span className="kern-icon kern-icon--warning" aria-hidden="true" />
        <h4 className="kern-title">{tc('close.stillOpen')}</h4>
      </div>
      <div className="kern-alert__body">
        <ul className="kern-list">
          {deadlines.map((d) => (
            <li key={d.id}>{tc('close.openDeadline', { kind: tc(`deadlineKind.${d.kind}`), date: formatDate(d.due_date, language) })}</li>
          ))}
          {referrals.map((r) => (
            <li key={r.id}>{tc('close.openReferral', { name: referralName(r, tr), status: tc(`referralStatus.${r.status}`) })}</li>
          ))}
        </ul>
        <p className="kern-body">{tc('close.stillOpenText')}</p>
      </div>
    </div>
  );
}

// ---- Edit the case itself ----

/** Priority, status, topics and risk flags of an open case; a 412 (someone else changed it) is shown, never overwritten. */
export function EditCaseForm({ detail, topics, tr, onDone, onCancel }: CaseFormProps) {
  const { tc, language } = tr;
  const id = idFor('edit');
  const r = rules(tc);
  const form = useForm({
    initial: {
      priority: detail.priority,
      status: detail.status,
      topics: detail.topics,
      risk_flags: detail.risk_flags,
      narrative: detail.narrative ?? '',
    },
    idOf: id,
    validate: (v): Errors => ({ topics: r.required(v.topics), status: r.required(v.status), narrative: r.maxLength(v.narrative, 20000) }),
    draft: `case-edit.${detail.id}`,
  });
  const { values: v, set, error } = form;
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const statuses = CASE_STATUSES.filter((s) => s !== 'closed');

  async function save(values: typeof v, etag: string | null) {
    const changed: Record<string, unknown> = {};
    if (values.priority !== detail.priority) changed.priority = values.priority;
    if (values.status !== detail.status) changed.status = values.status;
    if (!sameSet(values.topics, detail.topics)) changed.topics = values.topics;
    if (!sameSet(values.risk_flags, detail.risk_flags)) changed.risk_flags = values.risk_flags;
    if (values.narrative.trim() !== (detail.narrative ?? '')) changed.narrative = values.narrative.trim() || null;
    if (Object.keys(changed).length === 0) {
      onDone(tc('edit.unchanged'));
      return;
    }
    try {
      await updateCase(detail.id, changed, etag);
      setConflict(null);
      onDone(tc('edit.saved'));
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 412) {
        setConflict(await caseConflict(detail, changed));
        return false;
      }
      throw caught;
    }
  }

  return (
    <form className="fd-form" noValidate aria-labelledby="edit-title" onSubmit={form.onSubmit((values) => save(values, detail.etag ?? null))}>
      <h3 className="kern-heading-small" id="edit-title">
        {tc('edit.title')}
      </h3>
      <DraftNotice savedAt={form.draftSavedAt} onDiscard={form.discardDraft} tr={tr} />
      <div className="fd-form-grid">
        <SelectField id={id('priority')} label={tc('fields.priority')} value={v.priority} onChange={(e) => set('priority', e.target.value)}>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {tc(`priority.${p}`)}
            </option>
          ))}
        </SelectField>
        <SelectField id={id('status')} label={tc('fields.status')} hint={tc('edit.statusHint')} value={v.status} error={error('status')} onChange={(e) => set('status', e.target.value as typeof v.status)}>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {tc(`status.${s}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <SearchableMultiSelect
        id={id('topics')}
        legend={tc('fields.topics')}
        value={v.topics}
        error={error('topics')}
        options={topics.map((t) => ({ value: t.code, label: topicLabel(topics, t.code, language) }))}
        onChange={(t) => set('topics', t)}
        filterLabel={tc('multi.filterTopics')}
        {...multiSelectTexts(tc)}
      />
      <CheckboxGroup
        id={id('risk_flags')}
        legend={tc('fields.riskFlags')}
        optional={tc('form.optional')}
        value={v.risk_flags}
        options={RISK_FLAGS.map((f) => ({ value: f, label: tc(`riskFlag.${f}`) }))}
        onChange={(f) => set('risk_flags', f)}
      />
      <TextArea id={id('narrative')} label={tc('fields.narrative')} hint={tc('edit.narrativeHint')} optional={tc('form.optional')} value={v.narrative} rows={5} error={error('narrative')} onChange={(e) => set('narrative', e.target.value)} />
      {conflict ? (
        <ConflictNotice
          conflict={conflict}
          tr={tr}
          describe={(field, value) => describeCaseValue(field, value, topics, tr, conflict)}
          onReapply={() => save(form.values, conflict.etag).then((saved) => saved !== false && form.discardDraft())}
          onDiscard={() => {
            form.discardDraft();
            onDone(tc('conflict.discarded'));
          }}
        />
      ) : null}
      <FormProblems failure={form.failure} otherErrors={form.otherErrors} tr={tr} />
      <Actions busy={form.busy} submit={tc('edit.submit')} tr={tr} onCancel={onCancel} />
    </form>
  );
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function describeCaseValue(field: string, value: unknown, topics: Topic[], tr: CasesTranslation, conflict?: Conflict): string {
  const { tc, language } = tr;
  if (field === 'assignee_id') {
    if (!value) return tc('assignee.none');
    // The name as the case read now or as opened carries it.
    const named = [conflict?.theirs, conflict?.opened].find((c) => (c as CaseDetail | undefined)?.assignee_id === value) as CaseDetail | undefined;
    return named?.assignee_name ?? tc('timeline.someone');
  }
  if (field === 'narrative' && !value) return '–';
  if (field === 'priority') return tc(`priority.${String(value)}`);
  if (field === 'status') return tc(`status.${String(value)}`);
  if (field === 'topics') return ((value as string[]) ?? []).map((t) => topicLabel(topics, t, language)).join(', ');
  if (field === 'narrative') return String(value ?? '');
  if (field === 'risk_flags') return ((value as string[]) ?? []).map((f) => tc(`riskFlag.${f}`)).join(', ') || tc('detail.noRiskFlags');
  return String(value ?? '');
}

export interface Conflict {
  /** The fields this person changed, with their values. */
  mine: Record<string, unknown>;
  /** The record as it is now on the server. */
  theirs: Record<string, unknown> | CaseDetail;
  etag: string | null;
  /**
   * The record as this person opened it, and the fields to compare: those someone else changed
   * since are listed too (marked as not changed by this person), so the page shows what changed.
   */
  opened?: Record<string, unknown> | CaseDetail;
  compare?: readonly string[];
}

/** The fields of a case that a conflict compares (what the case page shows of the case itself). */
export const CASE_CONFLICT_FIELDS = ['status', 'priority', 'topics', 'risk_flags', 'narrative', 'assignee_id'] as const;

/** The case as stored now, for the conflict view after a 412 on `detail`. */
export async function caseConflict(detail: CaseDetail, mine: Record<string, unknown>): Promise<Conflict> {
  const current = await getCaseWithEtag(detail.id);
  return { mine, theirs: current.data, etag: current.etag, opened: detail, compare: CASE_CONFLICT_FIELDS };
}

/** Equal as shown: nothing, an empty text and false are all "not recorded". */
function sameValue(a: unknown, b: unknown): boolean {
  const norm = (x: unknown) => JSON.stringify(x === undefined || x === '' || x === false ? null : x);
  return norm(a) === norm(b);
}

/** The rows of a conflict: this person's fields, then the ones only someone else changed. */
export function conflictRows(conflict: Conflict): { field: string; theirs: unknown; mine: unknown; mineChanged: boolean }[] {
  const theirs = conflict.theirs as Record<string, unknown>;
  const opened = (conflict.opened ?? {}) as Record<string, unknown>;
  const rows = Object.entries(conflict.mine).map(([field, mine]) => ({ field, theirs: theirs[field], mine, mineChanged: true }));
  for (const field of conflict.compare ?? []) {
    if (field in conflict.mine || sameValue(opened[field], theirs[field])) continue;
    rows.push({ field, theirs: theirs[field], mine: opened[field], mineChanged: false });
  }
  return rows;
}

/**
 * Someone else saved the record since it was opened (412 on a stale If-Match): show, field by
 * field, what is on the server now next to what this person wanted, and let them apply theirs on
 * top of the new version or keep the other change.
 */
export function ConflictNotice({
  conflict,
  tr,
  title,
  note,
  describe,
  onReapply,
  onDiscard,
}: {
  conflict: Conflict;
  tr: CasesTranslation;
  /** The heading (default: the case was changed). */
  title?: string;
  /** Who changed it and when, where known. */
  note?: string;
  describe: (field: string, value: unknown) => string;
  /** Sends this person's change again on top of the stored version; a failure is shown here. */
  onReapply: () => Promise<unknown>;
  onDiscard: () => void;
}) {
  const { tc } = tr;
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const reapply = () => {
    setBusy(true);
    setFailure(null);
    onReapply().then(
      () => setBusy(false),
      (caught: unknown) => {
        setBusy(false);
        setFailure(caught);
      },
    );
  };
  return (
    <div className="kern-alert kern-alert--warning fd-alert" role="alert" data-testid="conflict">
      <div className="kern-alert__header">
        <span className="kern-icon kern-icon--warning" aria-hidden="true" />
        <h4 className="kern-title">{title ?? tc('conflict.title')}</h4>
      </div>
      <div className="kern-alert__body">
        <p className="kern-body">{tc('conflict.text')}</p>
        {note ? <p className="kern-body" data-testid="conflict-by">{note}</p> : null}
        <table className="kern-table fd-conflict-table">
          <thead>
            <tr>
              <th scope="col">{tc('conflict.field')}</th>
              <th scope="col">{tc('conflict.theirs')}</th>
              <th scope="col">{tc('conflict.mine')}</th>
            </tr>
          </thead>
          <tbody>
            {conflictRows(conflict).map(({ field, theirs: now, mine, mineChanged }) => (
              <tr key={field}>
                <th scope="row">{tc(`conflict.fields.${field}`, { defaultValue: field })}</th>
                <td>{describe(field, now)}</td>
                <td>{mineChanged ? describe(field, mine) : tc('conflict.notChanged', { before: describe(field, mine) })}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="fd-actions">
          <Button icon="autorenew" busy={busy} onClick={reapply}>
            {tc('conflict.reapply')}
          </Button>
          <button type="button" className="kern-btn kern-btn--secondary" onClick={onDiscard}>
            <span className="kern-label">{tc('conflict.discard')}</span>
          </button>
        </div>
        {failure ? <FormProblems failure={failure} otherErrors={[]} tr={tr} /> : null}
      </div>
    </div>
  );
}

/**
 * A change of the case itself sent with If-Match (closing, reopening): a 412 shows the case as
 * stored now (what changed since it was opened) instead of an error, with this change to re-apply.
 */
function useCaseChange(detail: CaseDetail) {
  const [conflict, setConflict] = useState<(Conflict & { body: Record<string, unknown> }) | null>(null);
  /** The saved case, or false when a conflict is shown. */
  async function send(body: Record<string, unknown>, etag: string | null) {
    try {
      const saved = await updateCase(detail.id, body, etag);
      setConflict(null);
      return saved.data;
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 412) {
        setConflict({ ...(await caseConflict(detail, { status: body.status })), body });
        return false;
      }
      throw caught;
    }
  }
  return { conflict, send, etag: conflict ? conflict.etag : (detail.etag ?? null) };
}

// ---- Reopen a closed case ----

export function ReopenForm({ detail, topics, tr, onDone, onCancel }: CaseFormProps) {
  const { tc } = tr;
  const id = idFor('reopen');
  const r = rules(tc);
  const change = useCaseChange(detail);
  const draft = `reopen.${detail.id}`;
  const form = useForm({
    initial: { reason: '' },
    idOf: id,
    validate: (v): Errors => ({ reason: first(r.required(v.reason.trim()), r.maxLength(v.reason, 2000)) }),
    draft,
  });
  async function reopen(body: Record<string, unknown>, etag: string | null) {
    if ((await change.send(body, etag)) === false) return false;
    clearDraft(draft);
    onDone(tc('reopen.saved'));
    return true;
  }
  const { values: v, set, error } = form;
  return (
    <form
      className="fd-form"
      noValidate
      aria-labelledby="reopen-title"
      onSubmit={form.onSubmit(async (values) => {
        return reopen({ status: 'open', reason: values.reason.trim() }, change.etag);
      })}
    >
      <h3 className="kern-heading-small" id="reopen-title">
        {tc('reopen.title')}
      </h3>
      <DraftNotice savedAt={form.draftSavedAt} onDiscard={form.discardDraft} tr={tr} />
      <TextArea id={id('reason')} label={tc('reopen.reason')} hint={tc('reopen.reasonHint')} value={v.reason} rows={3} error={error('reason')} onChange={(e) => set('reason', e.target.value)} />
      <CaseChangeConflict
        change={change}
        topics={topics}
        tr={tr}
        send={reopen}
        onDone={(message) => {
          form.discardDraft();
          onDone(message);
        }}
      />
      <FormProblems failure={form.failure} otherErrors={form.otherErrors} tr={tr} />
      <Actions busy={form.busy} submit={tc('reopen.submit')} tr={tr} onCancel={onCancel} />
    </form>
  );
}

/** The conflict view of a close or reopen refused with 412: apply it to the stored version, or leave it. */
function CaseChangeConflict({
  change,
  topics,
  tr,
  send,
  onDone,
}: {
  change: ReturnType<typeof useCaseChange>;
  topics: Topic[];
  tr: CasesTranslation;
  send: (body: Record<string, unknown>, etag: string | null) => Promise<boolean>;
  onDone: (message: string) => void;
}) {
  const { conflict } = change;
  if (!conflict) return null;
  return (
    <ConflictNotice
      conflict={conflict}
      tr={tr}
      describe={(field, value) => describeCaseValue(field, value, topics, tr, conflict)}
      onReapply={() => send(conflict.body, conflict.etag)}
      onDiscard={() => onDone(tr.tc('conflict.discarded'))}
    />
  );
}
