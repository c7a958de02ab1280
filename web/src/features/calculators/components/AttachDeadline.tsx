import type { TFunction } from 'i18next';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { SelectField, TextField } from '../../../components/Field';
import { Loader } from '../../../components/Loader';
import { ApiError } from '../../../lib/api';
import { addCaseDeadline, caseLabel, useOpenCases } from '../api/cases';
import { formatDate } from '../dates';

interface AttachDeadlineProps {
  deadline: string;
  /** The deadline kind of the case API (dismissal_claim, notice_period, limitation, exclusion_period, other). */
  kind: string;
  /** The calculator that computed it (kept as the deadline's source). */
  calculator: string;
  /** The note suggested for the deadline. */
  noteDefault: string;
  input: Record<string, unknown>;
  /** Case id from `?case=` in the URL, preselected. */
  preselected: string | null;
  tc: TFunction;
  language: string;
}

const isMissing = (error: unknown) => error instanceof ApiError && (error.status === 404 || error.status === 405);

/** "Add as a deadline to a case": picks an open case and posts the claim deadline to it. */
export function AttachDeadline({ deadline, kind, calculator, noteDefault, input, preselected, tc, language }: AttachDeadlineProps) {
  const cases = useOpenCases(true);
  const [caseId, setCaseId] = useState(preselected ?? '');
  const [note, setNote] = useState(noteDefault);
  const [caseError, setCaseError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: true; label: string; id: string } | { ok: false; error: unknown } | null>(null);

  const items = cases.status === 'done' ? cases.data : [];
  const options = items.map((c) => ({ id: c.id, label: `${caseLabel(c)}${c.opened_on ? ` · ${formatDate(c.opened_on, language, 'short')}` : ''}` }));
  if (preselected && !items.some((c) => c.id === preselected)) {
    options.unshift({ id: preselected, label: tc('attach.caseFromLink', { id: preselected }) });
  }
  const unavailable = cases.status === 'error' && isMissing(cases.error);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!caseId) {
      setCaseError(tc('attach.chooseCase'));
      return;
    }
    setCaseError(null);
    setBusy(true);
    setOutcome(null);
    try {
      await addCaseDeadline(caseId, {
        kind,
        due_date: deadline,
        note: note.trim(),
        source: { calculator, input },
        // A limitation or notice end already past is still worth recording, knowingly.
        ...(deadline < new Date().toISOString().slice(0, 10) ? { confirm_past: true } : {}),
      });
      setOutcome({ ok: true, id: caseId, label: options.find((o) => o.id === caseId)?.label.split(' · ')[0] ?? caseId });
    } catch (error) {
      setOutcome({ ok: false, error });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="fd-panel fd-calc-attach fd-calc-screen-only" aria-labelledby="attach-title" data-testid="attach-deadline">
      <h3 className="kern-heading-small" id="attach-title">
        {tc('attach.title')}
      </h3>
      <p className="kern-body">{tc('attach.leadDate', { date: formatDate(deadline, language, 'long') })}</p>
      {cases.status === 'loading' ? <Loader label={tc('attach.loading')} /> : null}
      {unavailable ? (
        <Alert tone="info" title={tc('attach.unavailableTitle')} headingLevel={3} role="status">
          <p className="kern-body">{tc('attach.unavailable')}</p>
        </Alert>
      ) : cases.status === 'error' ? (
        <ErrorMessage error={cases.error} headingLevel={3} />
      ) : null}
      {cases.status === 'done' && options.length === 0 ? <p className="kern-body">{tc('attach.noCases')}</p> : null}
      {cases.status === 'done' && options.length ? (
        <form className="fd-form" noValidate onSubmit={(e) => void submit(e)}>
          <SelectField id="attach-case" label={tc('attach.case')} value={caseId} error={caseError} onChange={(e) => setCaseId(e.target.value)}>
            <option value="">{tc('attach.chooseCase')}</option>
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </SelectField>
          <TextField id="attach-note" label={tc('attach.note')} value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
          <div className="fd-actions">
            <Button type="submit" icon="calendar-today" busy={busy}>
              {tc('attach.submit')}
            </Button>
          </div>
        </form>
      ) : null}
      {outcome?.ok ? (
        <Alert tone="success" role="status" headingLevel={3} title={tc('attach.success', { case: outcome.label })}>
          <p className="kern-body">
            <Link className="kern-link" to={`/cases/${encodeURIComponent(outcome.id)}`}>
              {tc('attach.openCase')}
            </Link>
          </p>
        </Alert>
      ) : null}
      {outcome && !outcome.ok ? (
        outcome.error instanceof ApiError && outcome.error.kind === 'problem' ? (
          <Alert tone="danger" role="alert" headingLevel={3} title={tc('attach.failed')}>
            <p className="kern-body">{describeFailure(outcome.error)}</p>
          </Alert>
        ) : (
          <ErrorMessage error={outcome.error} headingLevel={3} />
        )
      ) : null}
    </section>
  );
}

/** The server's own explanation of a failed request (title/detail and field errors). */
function describeFailure(error: ApiError): string {
  const problem = error.problem;
  if (!problem) return error.message;
  return [problem.detail ?? problem.title, ...(problem.errors ?? []).map((e) => `${e.field}: ${e.message}`)].filter(Boolean).join(' · ');
}
