/**
 * The summary at the top of a case: what is open and overdue, where the client was referred and
 * how far that has come, the state of the questions to the Fachstelle, the assignee and the client.
 * Referrals move on from here (next status with its date).
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { TextField } from '../../../components/Field';
import { ApiError } from '../../../lib/api';
import { patchReferralById } from '../api/cases';
import { REFERRAL_NEXT, type CaseDetail, type Deadline, type Referral } from '../api/types';
import { today } from '../form';
import type { CasesTranslation } from '../i18n';
import { formatDate } from '../reference';
import { ClientPanel } from './ClientPage';

export function isOverdue(d: Pick<Deadline, 'due_date' | 'done' | 'overdue'> & { withdrawn?: boolean }): boolean {
  if (d.done || d.withdrawn) return false;
  return d.overdue ?? d.due_date < today();
}

export function openDeadlines(detail: CaseDetail): Deadline[] {
  return detail.deadlines.filter((d) => !d.done && !d.withdrawn).sort((a, b) => (a.due_date < b.due_date ? -1 : 1));
}

export function openReferrals(detail: CaseDetail): Referral[] {
  return detail.referrals.filter((r) => !r.withdrawn && !['completed', 'declined'].includes(r.status));
}

export function OverdueBadge({ tr }: { tr: CasesTranslation }) {
  return (
    <span className="kern-badge kern-badge--danger" data-testid="overdue">
      <span className="kern-label kern-label--small">{tr.tc('summary.overdue')}</span>
    </span>
  );
}

export function referralName(r: Referral, tr: CasesTranslation): string {
  const target = tr.tc(`target.${r.target}`);
  return r.organisation_name ? `${r.organisation_name} (${target})` : target;
}

export function CaseSummary({ detail, tr, onChanged }: { detail: CaseDetail; tr: CasesTranslation; onChanged: (message: string) => void }) {
  const { tc, language } = tr;
  const deadlines = openDeadlines(detail);
  const overdue = deadlines.filter(isOverdue);
  const referrals = detail.referrals.filter((r) => !r.withdrawn);
  const escalations = detail.escalations;
  const closed = detail.status === 'closed';

  return (
    <section className="fd-summary" aria-labelledby="summary-title" data-testid="case-summary">
      <h2 className="kern-sr-only" id="summary-title">
        {tc('summary.title')}
      </h2>
      <div className="fd-summary__grid">
        <section className="fd-panel fd-summary__box" aria-labelledby="summary-deadlines" data-testid="summary-deadlines">
          <h3 className="kern-heading-small" id="summary-deadlines">
            {tc('summary.deadlines', { count: deadlines.length })}
            {overdue.length ? (
              <>
                {' '}
                <span className="kern-badge kern-badge--danger">
                  <span className="kern-label kern-label--small">{tc('summary.overdueCount', { count: overdue.length })}</span>
                </span>
              </>
            ) : null}
          </h3>
          {deadlines.length === 0 ? (
            <p className="kern-body">{tc('summary.noDeadlines')}</p>
          ) : (
            <ul className="fd-summary__list">
              {deadlines.map((d) => (
                <li key={d.id} className={isOverdue(d) ? 'fd-overdue' : undefined}>
                  <span className="kern-body kern-body--bold">{formatDate(d.due_date, language)}</span> {tc(`deadlineKind.${d.kind}`)}
                  {isOverdue(d) ? (
                    <>
                      {' '}
                      <OverdueBadge tr={tr} />
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="fd-panel fd-summary__box" aria-labelledby="summary-referrals" data-testid="summary-referrals">
          <h3 className="kern-heading-small" id="summary-referrals">
            {tc('summary.referrals')}
          </h3>
          {referrals.length === 0 ? (
            <p className="kern-body">{tc('summary.noReferrals')}</p>
          ) : (
            <ul className="fd-summary__list">
              {referrals.map((r) => (
                <li key={r.id} data-testid="summary-referral">
                  <ReferralProgress referral={r} tr={tr} closed={closed} onChanged={onChanged} />
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="fd-panel fd-summary__box" aria-labelledby="summary-escalations" data-testid="summary-escalations">
          <h3 className="kern-heading-small" id="summary-escalations">
            {tc('summary.escalations')}
          </h3>
          {escalations.length === 0 ? (
            <p className="kern-body">{tc('summary.noEscalations')}</p>
          ) : (
            <ul className="fd-summary__list">
              {escalations.map((e) => (
                <li key={e.id}>
                  <Link className="kern-link" to={`/escalations/${encodeURIComponent(e.id)}`}>
                    {tc(`escalationStatus.${e.status}`)} · {formatDate(e.created_at.slice(0, 10), language)}
                  </Link>
                  {e.unread_answers ? (
                    <>
                      {' '}
                      <span className="kern-badge kern-badge--info">
                        <span className="kern-label kern-label--small">{tc('summary.unread', { count: e.unread_answers })}</span>
                      </span>
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </section>

        {detail.client ? <ClientPanel client={detail.client} tr={tr} /> : null}
      </div>
    </section>
  );
}

/** A referral's organisation, its status with the date of each step, and the button for the next step. */
function ReferralProgress({ referral: r, tr, closed, onChanged }: { referral: Referral; tr: CasesTranslation; closed: boolean; onChanged: (m: string) => void }) {
  const { tc, language } = tr;
  const [next, setNext] = useState<string | null>(null);
  const [date, setDate] = useState(today());
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const steps = REFERRAL_NEXT[r.status] ?? [];
  const dates = r.status_dates ?? {};

  async function save() {
    if (!next) return;
    setBusy(true);
    setFailure(null);
    try {
      const body: Record<string, unknown> = { status: next, status_date: date };
      if (next === 'made' && !r.client_consent) {
        body.client_consent = true;
        body.consent_date = date;
      }
      await patchReferralById(r.id, body, r.etag ?? null);
      setNext(null);
      onChanged(tc('summary.referralMoved', { status: tc(`referralStatus.${next}`) }));
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 412) onChanged(tc('summary.referralConflict'));
      else setFailure(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="fd-referral-progress">
      <p className="kern-body kern-body--bold">{referralName(r, tr)}</p>
      <ol className="fd-steps" aria-label={tc('summary.referralSteps')}>
        {['suggested', 'made', 'confirmed', 'completed', 'declined']
          .filter((s) => dates[s] || s === r.status)
          .map((s) => (
            <li key={s} className={s === r.status ? 'fd-steps__current' : undefined} aria-current={s === r.status ? 'step' : undefined}>
              {tc(`referralStatus.${s}`)}
              {dates[s] ? ` ${formatDate(dates[s], language)}` : ''}
            </li>
          ))}
      </ol>
      {!closed && steps.length && !next ? (
        <div className="fd-actions fd-actions--compact">
          {steps.map((s) => (
            <button key={s} type="button" className="kern-btn kern-btn--secondary kern-btn--x-small" onClick={() => setNext(s)}>
              <span className="kern-label">{tc(`referralNext.${s}`)}</span>
            </button>
          ))}
        </div>
      ) : null}
      {next ? (
        <div className="fd-form">
          <TextField id={`ref-${r.id}-date`} type="date" max={today()} label={tc('summary.stepDate', { status: tc(`referralStatus.${next}`) })} value={date} onChange={(e) => setDate(e.target.value)} />
          {next === 'made' && !r.client_consent ? <p className="kern-body kern-body--small">{tc('summary.consentWithStep')}</p> : null}
          {failure ? <ErrorMessage error={failure} headingLevel={3} /> : null}
          <div className="fd-actions fd-actions--compact">
            <Button icon="check" busy={busy} onClick={() => void save()}>
              {tc('summary.saveStep')}
            </Button>
            <Button variant="tertiary" onClick={() => setNext(null)}>
              {tc('form.cancel')}
            </Button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
