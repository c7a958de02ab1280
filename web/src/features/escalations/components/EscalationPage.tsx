import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { SelectField } from '../../../components/Field';
import { Loader } from '../../../components/Loader';
import { PageHeading } from '../../../components/PageHeading';
import { ApiError } from '../../../lib/api';
import { useUser } from '../../../lib/auth';
import { clearDraft, loadDraft, saveDraft } from '../../../lib/drafts';
import { addMessage, ESCALATION_STATUSES, formatTimestamp, getEscalation, markRead, setAssignee, setStatus, useLoad, type Escalation } from '../api/escalations';
import { useEscalationsTranslation, type EscalationsTranslation } from '../i18n';
import { StatusBadge } from './StatusBadge';
import '../escalations.css';

/** `/escalations/:id`: summary, question, the thread, a reply and the status. */
export function EscalationPage() {
  const { id = '' } = useParams();
  const tr = useEscalationsTranslation();
  const item = useLoad(`escalation:${id}`, (signal) => getEscalation(id, signal));
  if (tr.failed) return <ErrorMessage error={new Error('locale')} />;
  if (!tr.ready || item.status === 'loading') return <Loader />;
  if (item.status === 'error') {
    if (item.error instanceof ApiError && item.error.status === 404) {
      const title = tr.tc('detail.notFound');
      return (
        <section className="fd-page">
          <PageHeading title={title}>{title}</PageHeading>
          <p className="kern-body">
            <Link className="kern-link" to="/escalations">
              {tr.tc('detail.back')}
            </Link>
          </p>
        </section>
      );
    }
    return <ErrorMessage error={item.error} />;
  }
  return <EscalationView escalation={item.data} tr={tr} reload={item.reload} />;
}

function EscalationView({ escalation: e, tr, reload }: { escalation: Escalation; tr: EscalationsTranslation; reload: () => void }) {
  const { tc, language } = tr;
  const user = useUser();
  const replyId = useId();
  const draftKey = `escalation-reply.${e.id}`;
  const [restored] = useState(() => loadDraft<string>(draftKey));
  const [body, setBody] = useState(restored?.values ?? '');
  useEffect(() => {
    if (body.trim()) saveDraft(draftKey, body);
    else clearDraft(draftKey);
  }, [draftKey, body]);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [serverError, setServerError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [status, setStatusValue] = useState(e.status);
  // An answer of the competence centre changes the status on the server: follow it.
  useEffect(() => setStatusValue(e.status), [e.status]);
  const title = tc('detail.title');
  const clientError = !body.trim() ? tc('validation.required') : body.length > 10000 ? tc('validation.maxLength', { max: 10000 }) : null;
  const error = serverError ?? (touched ? clientError : null);

  async function reply(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    setNotice(null);
    setFailure(null);
    if (clientError) {
      document.getElementById(replyId)?.focus();
      return;
    }
    setBusy(true);
    try {
      await addMessage(e.id, body.trim());
      clearDraft(draftKey);
      setBody('');
      setTouched(false);
      setNotice(tc('detail.sent'));
      reload();
    } catch (caught) {
      if (caught instanceof ApiError && caught.fieldErrors().body) setServerError(caught.fieldErrors().body!);
      else setFailure(caught);
    } finally {
      setBusy(false);
    }
  }

  async function run(action: () => Promise<unknown>, message: string) {
    setNotice(null);
    setFailure(null);
    try {
      await action();
      setNotice(message);
      reload();
    } catch (caught) {
      setFailure(caught);
    }
  }

  async function saveStatus(event: FormEvent) {
    event.preventDefault();
    setNotice(null);
    setFailure(null);
    try {
      await setStatus(e.id, status);
      setNotice(tc('detail.statusSaved', { status: tc(`status.${status}`) }));
      reload();
    } catch (caught) {
      setFailure(caught);
    }
  }

  return (
    <section className="fd-page" data-testid="page-escalation">
      <PageHeading title={title}>{title}</PageHeading>
      <dl className="kern-description-list kern-description-list--col fd-esc-facts">
        <div className="kern-description-list-item">
          <dt className="kern-description-list-item__key">{tc('fields.status')}</dt>
          <dd className="kern-description-list-item__value">
            <StatusBadge status={e.status} tc={tc} />
          </dd>
        </div>
        <div className="kern-description-list-item">
          <dt className="kern-description-list-item__key">{tc('fields.created')}</dt>
          <dd className="kern-description-list-item__value">{formatTimestamp(e.created_at, language)}</dd>
        </div>
        {e.created_by_name ? (
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{tc('fields.askedBy')}</dt>
            <dd className="kern-description-list-item__value" data-testid="escalation-asked-by">
              {e.created_by_name}
            </dd>
          </div>
        ) : null}
        {e.centre_name ? (
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{tc('fields.centre')}</dt>
            <dd className="kern-description-list-item__value">{[e.centre_name, e.centre_state].filter(Boolean).join(' · ')}</dd>
          </div>
        ) : null}
        <div className="kern-description-list-item">
          <dt className="kern-description-list-item__key">{tc('fields.assignee')}</dt>
          <dd className="kern-description-list-item__value" data-testid="escalation-assignee">
            {e.assignee_name ?? tc('list.unassigned')}
          </dd>
        </div>
        {e.case_id ? (
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{tc('fields.case')}</dt>
            <dd className="kern-description-list-item__value">
              <Link className="kern-link" to={`/cases/${encodeURIComponent(e.case_id)}`}>
                {tc('detail.openCase')}
              </Link>
            </dd>
          </div>
        ) : null}
      </dl>
      <section className="fd-panel" aria-labelledby="esc-summary">
        <h2 className="kern-heading-medium" id="esc-summary">
          {tc('fields.summary')}
        </h2>
        <p className="kern-body fd-esc-text" data-testid="escalation-summary">
          {e.summary}
        </p>
        <h2 className="kern-heading-medium">{tc('fields.question')}</h2>
        <p className="kern-body fd-esc-text" data-testid="escalation-question">
          {e.question}
        </p>
      </section>

      {user.role === 'competence_centre' && e.status !== 'closed' ? (
        <div className="fd-actions">
          {e.assignee_id === user.id ? (
            <Button variant="tertiary" onClick={() => void run(() => setAssignee(e.id, null), tc('detail.released'))}>
              {tc('detail.release')}
            </Button>
          ) : (
            <Button variant="secondary" icon="account-circle" onClick={() => void run(() => setAssignee(e.id, user.id), tc('detail.taken'))}>
              {tc('detail.take')}
            </Button>
          )}
        </div>
      ) : null}

      <section aria-labelledby="esc-thread">
        <h2 className="kern-heading-medium" id="esc-thread">
          {tc('detail.thread')}
        </h2>
        {e.messages.length === 0 ? (
          <p className="kern-body">{tc('detail.noMessages')}</p>
        ) : (
          <ol className="fd-thread" data-testid="escalation-thread">
            {e.messages.map((m) => (
              <li key={m.id} className={m.author_role === 'competence_centre' ? 'fd-thread__item--cc' : undefined}>
                <p className="kern-body kern-body--bold">
                  {m.author_name ? `${m.author_name} (${tc(`author.${m.author_role}`, { defaultValue: m.author_role })})` : tc(`author.${m.author_role}`, { defaultValue: m.author_role })}
                  <span className="kern-body--muted"> · {formatTimestamp(m.created_at, language)}</span>
                </p>
                <p className="kern-body fd-esc-text">{m.body}</p>
                {user.role !== 'competence_centre' && m.author_role === 'competence_centre' && !m.read_at ? (
                  <span className="kern-badge kern-badge--info" data-testid="unread-answer">
                    <span className="kern-label kern-label--small">{tc('detail.unread')}</span>
                  </span>
                ) : null}
              </li>
            ))}
          </ol>
        )}
        {user.role !== 'competence_centre' && e.unread_answers ? (
          <div className="fd-actions">
            <Button variant="secondary" icon="check" onClick={() => void run(() => markRead(e.id), tc('detail.markedRead'))}>
              {tc('detail.markRead')}
            </Button>
          </div>
        ) : null}
      </section>

      <div aria-live="polite">{notice ? <Alert tone="success" role="status" title={notice} /> : null}</div>
      {failure ? <ErrorMessage error={failure} /> : null}

      <form className="fd-form fd-panel" noValidate onSubmit={(ev) => void reply(ev)} aria-labelledby="esc-reply-title">
        <h2 className="kern-heading-medium" id="esc-reply-title">
          {tc(user.role === 'competence_centre' ? 'detail.answer' : 'detail.reply')}
        </h2>
        {restored && body === restored.values ? (
          <p className="kern-body fd-draft-notice" data-testid="draft-notice">
            {tc('detail.draftRestored')}
          </p>
        ) : null}
        <div className={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
          <label className="kern-label" htmlFor={replyId}>
            {tc('detail.message')}
          </label>
          <textarea
            id={replyId}
            className={`kern-form-input__input fd-textarea${error ? ' kern-form-input__input--error' : ''}`}
            rows={6}
            value={body}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${replyId}-error` : undefined}
            onChange={(ev) => {
              setBody(ev.target.value);
              setTouched(true);
              setServerError(null);
            }}
          />
          {error ? (
            <p className="kern-error" id={`${replyId}-error`} role="alert">
              <span className="kern-icon kern-icon--danger kern-icon--default" aria-hidden="true" />
              <span className="kern-body">{error}</span>
            </p>
          ) : null}
        </div>
        <div className="fd-actions">
          <Button type="submit" icon="mail" busy={busy}>
            {tc('detail.send')}
          </Button>
        </div>
      </form>

      <form className="fd-form fd-esc-status" onSubmit={(ev) => void saveStatus(ev)} aria-labelledby="esc-status-title">
        <h2 className="kern-heading-medium" id="esc-status-title">
          {tc('detail.statusTitle')}
        </h2>
        <SelectField id="esc-status" label={tc('fields.status')} value={status} onChange={(ev) => setStatusValue(ev.target.value)}>
          {ESCALATION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {tc(`status.${s}`)}
            </option>
          ))}
        </SelectField>
        <div className="fd-actions">
          <Button type="submit" variant="secondary" icon="check">
            {tc('detail.saveStatus')}
          </Button>
        </div>
      </form>
    </section>
  );
}
