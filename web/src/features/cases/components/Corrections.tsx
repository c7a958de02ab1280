/**
 * Correcting or withdrawing an entry of the timeline (consultation, deadline, referral): by its
 * author or the centre lead, always with a reason. The server keeps the earlier version (history,
 * audit trail); the timeline marks the entry "korrigiert" or "zurückgezogen".
 */
import { useState } from 'react';
import { Button } from '../../../components/Button';
import { TextField } from '../../../components/Field';
import { ApiError } from '../../../lib/api';
import { patchConsultation, patchReferralById, updateDeadline, withdrawDocument } from '../api/cases';
import type { Authored, Consultation, Deadline, Referral } from '../api/types';
import { first, rules, useForm, type Errors } from '../form';
import type { CasesTranslation } from '../i18n';
import { FormProblems, TextArea } from './fields';

export type Correctable = 'consultation' | 'deadline' | 'referral' | 'document';

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
  const [conflict, setConflict] = useState(false);
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
    draft: `correction.${record.id}`,
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
        const send = kind === 'consultation' ? patchConsultation : kind === 'deadline' ? updateDeadline : patchReferralById;
        try {
          if (kind === 'document') await withdrawDocument(record.id, values.reason.trim());
          else await send(record.id, body, record.etag ?? null);
        } catch (caught) {
          if (caught instanceof ApiError && caught.status === 412) {
            setConflict(true);
            return;
          }
          throw caught;
        }
        onDone(tc(mode === 'withdraw' ? 'correction.withdrawn' : 'correction.saved'));
      })}
    >
      <h4 className="kern-heading-small" id={id('title')}>
        {tc(mode === 'withdraw' ? 'correction.withdrawTitle' : 'correction.title')}
      </h4>
      {conflict ? <p className="kern-body kern-body--bold" role="alert">{tc('correction.conflict')}</p> : null}
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
