/**
 * Correcting or withdrawing an entry of the timeline (consultation, deadline, referral, document): by its
 * author or the centre lead, always with a reason. The server keeps the earlier version (history,
 * audit trail); the timeline marks the entry "korrigiert" or "zurückgezogen".
 */
import { useState, type FormEvent } from 'react';
import { Button } from '../../../components/Button';
import { TextField } from '../../../components/Field';
import { ApiError } from '../../../lib/api';
import { clearDraft } from '../../../lib/drafts';
import { correctDocument, getEntry, patchConsultation, patchReferralById, updateDeadline, withdrawDocument } from '../api/cases';
import type { Authored, Consultation, Deadline, Referral } from '../api/types';
import { first, rules, useForm, type Errors } from '../form';
import type { CasesTranslation } from '../i18n';
import { formatDate, formatTimestamp } from '../reference';
import { checkDocumentFile, ConflictNotice, uploadError, type Conflict } from './CaseForms';
import { FormProblems, TextArea } from './fields';

export type Correctable = 'consultation' | 'deadline' | 'referral' | 'document';

/** The fields of an entry a conflict compares (what the timeline shows of it). */
const COMPARED: Record<Exclude<Correctable, 'document'>, readonly string[]> = {
  consultation: ['date', 'duration_minutes', 'notes', 'withdrawn'],
  deadline: ['due_date', 'note', 'withdrawn'],
  referral: ['note', 'status', 'withdrawn'],
};

interface Props {
  kind: Correctable;
  record: Authored & { id: string };
  mode: 'correct' | 'withdraw';
  tr: CasesTranslation;
  onDone: (message: string) => void;
  onCancel: () => void;
}

export function CorrectionForm({ kind, record, mode, tr, onDone, onCancel }: Props) {
  const { tc } = tr;
  const r = rules(tc);
  const id = (f: string) => `correct-${record.id}-${f}`;
  const c = record as Partial<Consultation & Deadline & Referral>;
  const draftKey = `correction.${record.id}`;
  // 412 on a stale If-Match: what is stored now beside what this person entered (nothing is lost).
  const [conflict, setConflict] = useState<(Conflict & { body: Record<string, unknown>; changedBy: string | null }) | null>(null);
  const send = (body: Record<string, unknown>, etag: string | null) =>
    kind === 'document'
      ? withdrawDocument(record.id, String(body.reason))
      : (kind === 'consultation' ? patchConsultation : kind === 'deadline' ? updateDeadline : patchReferralById)(record.id, body, etag);
  /** Sends the correction; on 412 reads the entry as it is now and shows both side by side. */
  async function submit(body: Record<string, unknown>, etag: string | null) {
    try {
      await send(body, etag);
    } catch (caught) {
      if (kind !== 'document' && caught instanceof ApiError && caught.status === 412) {
        const { data, etag: current } = await getEntry(kind, record.id);
        const now = data as unknown as Authored & Record<string, unknown>;
        const mine = Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'reason'));
        const changedBy = now.withdrawn
          ? entryBy(now.withdrawn_by_name, now.withdrawn_at)
          : now.corrected
            ? entryBy(now.corrected_by_name, now.corrected_at)
            : null;
        setConflict({ mine, theirs: now, etag: current ?? now.etag ?? null, body, changedBy, opened: record as unknown as Record<string, unknown>, compare: COMPARED[kind] });
        return false;
      }
      throw caught;
    }
    setConflict(null);
    clearDraft(draftKey);
    onDone(tc(mode === 'withdraw' ? 'correction.withdrawn' : 'correction.saved'));
    return true;
  }
  const entryBy = (name: string | null | undefined, at: string | null | undefined) =>
    name && at ? tc('correction.changedBy', { name, when: formatTimestamp(at, tr.language) }) : null;
  const describe = (field: string, value: unknown): string => {
    if (field === 'withdrawn') return tc(value ? 'correction.isWithdrawn' : 'correction.notWithdrawn');
    if (field === 'status' && typeof value === 'string') return tc(`referralStatus.${value}`);
    if ((field === 'date' || field === 'due_date') && typeof value === 'string') return formatDate(value, tr.language);
    return value === null || value === undefined || value === '' ? '–' : String(value);
  };
  const form = useForm({
    initial: {
      reason: '',
      date: c.date ?? '',
      duration_minutes: c.duration_minutes !== undefined ? String(c.duration_minutes) : '',
      notes: c.notes ?? '',
      due_date: c.due_date ?? '',
      note: c.note ?? '',
    },
    idOf: id,
    validate: (v): Errors => ({
      reason: first(r.required(v.reason.trim()), r.maxLength(v.reason, 1000)),
      date: kind === 'consultation' && mode === 'correct' ? first(r.required(v.date), r.date(v.date), r.notFuture(v.date)) : undefined,
      duration_minutes: kind === 'consultation' && mode === 'correct' ? first(r.required(v.duration_minutes), r.intRange(v.duration_minutes, 1, 600)) : undefined,
      due_date: kind === 'deadline' && mode === 'correct' ? first(r.required(v.due_date), r.date(v.due_date)) : undefined,
    }),
    draft: draftKey,
  });
  const { values: v, set, error } = form;

  return (
    <form
      className="fd-form fd-correction"
      noValidate
      aria-labelledby={id('title')}
      onSubmit={form.onSubmit(async (values) => {
        const body: Record<string, unknown> = { reason: values.reason.trim() };
        if (mode === 'withdraw') body.withdrawn = true;
        else if (kind === 'consultation') {
          if (values.date !== c.date) body.date = values.date;
          if (Number(values.duration_minutes) !== c.duration_minutes) body.duration_minutes = Number(values.duration_minutes);
          if (values.notes !== (c.notes ?? '')) body.notes = values.notes.trim() || null;
        } else if (kind === 'deadline') {
          if (values.due_date !== c.due_date) body.due_date = values.due_date;
          if (values.note !== (c.note ?? '')) body.note = values.note.trim() || null;
        } else if (values.note !== (c.note ?? '')) body.note = values.note.trim() || null;
        // A 412 keeps the form open with the conflict shown, and the draft kept.
        return submit(body, conflict ? conflict.etag : (record.etag ?? null));
      })}
    >
      <h4 className="kern-heading-small" id={id('title')}>
        {tc(mode === 'withdraw' ? 'correction.withdrawTitle' : 'correction.title')}
      </h4>
      {conflict ? (
        <ConflictNotice
          conflict={conflict}
          tr={tr}
          title={tc('correction.conflictTitle')}
          note={conflict.changedBy ?? undefined}
          describe={describe}
          onReapply={() => submit(conflict.body, conflict.etag)}
          onDiscard={() => {
            form.discardDraft();
            onDone(tc('correction.conflictDiscarded'));
          }}
        />
      ) : null}
      {mode === 'correct' && kind === 'consultation' ? (
        <>
          <div className="fd-form-grid">
            <TextField id={id('date')} type="date" label={tc('consultation.date')} value={v.date} error={error('date')} onChange={(e) => set('date', e.target.value)} />
            <TextField id={id('duration_minutes')} type="number" inputMode="numeric" label={tc('consultation.duration')} value={v.duration_minutes} error={error('duration_minutes')} onChange={(e) => set('duration_minutes', e.target.value)} />
          </div>
          <TextArea id={id('notes')} label={tc('consultation.notes')} value={v.notes} onChange={(e) => set('notes', e.target.value)} />
        </>
      ) : null}
      {mode === 'correct' && kind === 'deadline' ? (
        <div className="fd-form-grid">
          <TextField id={id('due_date')} type="date" label={tc('deadline.due')} value={v.due_date} error={error('due_date')} onChange={(e) => set('due_date', e.target.value)} />
          <TextField id={id('note')} label={tc('deadline.note')} optional={tc('form.optional')} value={v.note} onChange={(e) => set('note', e.target.value)} />
        </div>
      ) : null}
      {mode === 'correct' && kind === 'referral' ? (
        <TextArea id={id('note')} label={tc('referral.note')} optional={tc('form.optional')} value={v.note} onChange={(e) => set('note', e.target.value)} />
      ) : null}
      <TextField id={id('reason')} label={tc('correction.reason')} hint={tc(mode === 'withdraw' ? 'correction.withdrawHint' : 'correction.reasonHint')} value={v.reason} error={error('reason')} onChange={(e) => set('reason', e.target.value)} />
      <FormProblems failure={form.failure} otherErrors={form.otherErrors} tr={tr} />
      <div className="fd-actions fd-actions--compact">
        <Button type="submit" icon="check" busy={form.busy}>
          {tc(mode === 'withdraw' ? 'correction.withdrawSubmit' : 'correction.submit')}
        </Button>
        <Button variant="tertiary" onClick={onCancel}>
          {tc('form.cancel')}
        </Button>
      </div>
    </form>
  );
}

/**
 * Correcting a document (issue 7): a new file with a reason. The server keeps the old version in
 * the case, withdrawn with the reason and linked to the new one.
 */
export function DocumentCorrectionForm({ record, tr, onDone, onCancel }: Omit<Props, 'kind' | 'mode'>) {
  const { tc } = tr;
  const id = (f: string) => `correct-${record.id}-${f}`;
  const [file, setFile] = useState<File | null>(null);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ file?: string; reason?: string; other?: string }>({});
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const next = {
      file: checkDocumentFile(file, tr),
      reason: !reason.trim() ? tc('validation.required') : reason.length > 1000 ? tc('validation.maxLength', { max: 1000 }) : undefined,
    };
    setErrors(next);
    if (next.file || next.reason || !file) {
      document.getElementById(id(next.file ? 'file' : 'reason'))?.focus();
      return;
    }
    setBusy(true);
    try {
      const saved = await correctDocument(record.id, file, reason.trim());
      onDone(tc('correction.documentSaved', { name: saved.filename }));
    } catch (caught) {
      const fields = caught instanceof ApiError ? new Set((caught.problem?.errors ?? []).map((e) => e.field)) : new Set<string>();
      if (fields.has('withdrawn')) setErrors({ other: tc('correction.documentGone') });
      else if (fields.has('case.status')) setErrors({ other: tc('correction.caseClosed') });
      else if (caught instanceof ApiError && caught.status === 403) setErrors({ other: tc('correction.notAuthor') });
      else setErrors({ file: uploadError(caught, tr) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="fd-form fd-correction" noValidate aria-labelledby={id('title')} onSubmit={(e) => void submit(e)}>
      <h4 className="kern-heading-small" id={id('title')}>
        {tc('correction.documentTitle')}
      </h4>
      <div className={`kern-form-input${errors.file ? ' kern-form-input--error' : ''}`}>
        <label className="kern-label" htmlFor={id('file')}>
          {tc('correction.documentFile')}
        </label>
        <div className="kern-hint" id={`${id('file')}-hint`}>
          {tc('document.hint')}
        </div>
        <input
          id={id('file')}
          type="file"
          className="kern-form-input__input fd-file-input"
          accept=".pdf,.png,.jpg,.jpeg,.txt,.docx,.odt"
          aria-invalid={errors.file ? true : undefined}
          aria-describedby={`${id('file')}-hint${errors.file ? ` ${id('file')}-error` : ''}`}
          onChange={(e) => {
            const f = e.target.files?.[0] ?? null;
            setFile(f);
            setErrors((x) => ({ ...x, file: f ? checkDocumentFile(f, tr) : undefined }));
          }}
        />
        {errors.file ? (
          <p className="kern-error" id={`${id('file')}-error`} role="alert">
            <span className="kern-icon kern-icon--danger kern-icon--default" aria-hidden="true" />
            <span className="kern-body">{errors.file}</span>
          </p>
        ) : null}
      </div>
      <TextField id={id('reason')} label={tc('correction.reason')} hint={tc('correction.documentHint')} value={reason} error={errors.reason} onChange={(e) => setReason(e.target.value)} />
      {errors.other ? (
        <p className="kern-body kern-body--bold" role="alert">
          {errors.other}
        </p>
      ) : null}
      <div className="fd-actions fd-actions--compact">
        <Button type="submit" icon="check" busy={busy}>
          {tc('correction.documentSubmit')}
        </Button>
        <Button variant="tertiary" onClick={onCancel}>
          {tc('form.cancel')}
        </Button>
      </div>
    </form>
  );
}
