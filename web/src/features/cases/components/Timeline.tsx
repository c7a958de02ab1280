/** The case's history, newest first: consultations, referrals, documents, deadlines, escalations. */
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { useUser } from '../../../lib/auth';
import { documentUrl, topicLabel, updateDeadline } from '../api/cases';
import type { Authored, CaseDetail, Document, Topic } from '../api/types';
import type { CasesTranslation } from '../i18n';
import { formatDate, formatTimestamp, languageName } from '../reference';
import { CorrectionForm, DocumentCorrectionForm, type Correctable } from './Corrections';
import { isOverdue, OverdueBadge, referralName } from './CaseSummary';

type Entry = { key: string; sort: string; kind: 'consultation' | 'referral' | 'document' | 'deadline' | 'escalation'; node: ReactNode; withdrawn?: boolean };

interface TimelineProps {
  detail: CaseDetail;
  documents: Document[];
  topics: Topic[];
  tr: CasesTranslation;
  onChanged: (message: string) => void;
}

export function Timeline({ detail, documents, topics, tr, onChanged }: TimelineProps) {
  const { tc, language } = tr;
  const user = useUser();
  const [failure, setFailure] = useState<unknown>(null);
  const [correcting, setCorrecting] = useState<{ id: string; mode: 'correct' | 'withdraw' } | null>(null);
  const entries: Entry[] = [];
  const closed = detail.status === 'closed';

  /** Who made the entry and when, the corrected/withdrawn marks, and the correction buttons. */
  const meta = (kind: Correctable, record: Authored & { id: string }, correctable = true) => (
    <>
      <p className="kern-body kern-body--small fd-timeline__by" data-testid="timeline-by">
        {tc('timeline.by', { name: record.created_by_name ?? tc('timeline.someone'), when: formatTimestamp(record.created_at, language) })}
        {record.corrected ? (
          <>
            {' · '}
            <span className="kern-badge kern-badge--warning" data-testid="corrected-mark">
              <span className="kern-label kern-label--small">
                {tc('timeline.corrected', { name: record.corrected_by_name ?? '', when: formatTimestamp(record.corrected_at, language) })}
              </span>
            </span>
          </>
        ) : null}
        {record.withdrawn ? (
          <>
            {' · '}
            <span className="kern-badge kern-badge--danger" data-testid="withdrawn-mark">
              <span className="kern-label kern-label--small">
                {tc('timeline.withdrawn', { name: record.withdrawn_by_name ?? '', when: formatTimestamp(record.withdrawn_at, language) })}
              </span>
            </span>
          </>
        ) : null}
      </p>
      {!closed && !record.withdrawn && (record.created_by === user.id || user.role === 'centre_lead') ? (
        correcting?.id === record.id ? (
          kind === 'document' && correcting.mode === 'correct' ? (
            <DocumentCorrectionForm
              record={record}
              tr={tr}
              onCancel={() => setCorrecting(null)}
              onDone={(message) => {
                setCorrecting(null);
                onChanged(message);
              }}
            />
          ) : (
          <CorrectionForm
            kind={kind}
            record={record}
            mode={correcting.mode}
            tr={tr}
            onCancel={() => setCorrecting(null)}
            onDone={(message) => {
              setCorrecting(null);
              onChanged(message);
            }}
          />
          )
        ) : (
          <div className="fd-actions fd-actions--compact">
            {correctable ? (
              <button type="button" className="kern-btn kern-btn--tertiary kern-btn--x-small" onClick={() => setCorrecting({ id: record.id, mode: 'correct' })}>
                <span className="kern-icon kern-icon--edit" aria-hidden="true" />
                <span className="kern-label">{tc('correction.correct')}</span>
              </button>
            ) : null}
            <button type="button" className="kern-btn kern-btn--tertiary kern-btn--x-small" onClick={() => setCorrecting({ id: record.id, mode: 'withdraw' })}>
              <span className="kern-icon kern-icon--close" aria-hidden="true" />
              <span className="kern-label">{tc('correction.withdraw')}</span>
            </button>
          </div>
        )
      ) : null}
    </>
  );

  for (const c of detail.consultations) {
    entries.push({
      key: c.id,
      sort: `${c.date}${c.created_at.slice(10)}`,
      kind: 'consultation',
      withdrawn: c.withdrawn,
      node: (
        <>
          <Heading kind="consultation" tr={tr} date={formatDate(c.date, language)}>
            {tc('timeline.consultation', { channel: tc(`channel.${c.channel}`), minutes: c.duration_minutes })}
          </Heading>
          <p className="kern-body">
            {[
              tc(`kind.${c.kind}`),
              languageName(c.language, language),
              c.interpreter ? tc('timeline.withInterpreter') : null,
              c.topics.map((t) => topicLabel(topics, t, language)).join(', ') || null,
            ]
              .filter(Boolean)
              .join(' · ')}
          </p>
          {c.notes ? <p className="kern-body fd-notes">{c.notes}</p> : null}
          {meta('consultation', c)}
        </>
      ),
    });
  }
  for (const r of detail.referrals) {
    entries.push({
      key: r.id,
      sort: r.created_at,
      kind: 'referral',
      withdrawn: r.withdrawn,
      node: (
        <>
          <Heading kind="referral" tr={tr} date={formatTimestamp(r.created_at, language)}>
            {tc('timeline.referral', { target: referralName(r, tr) })}
          </Heading>
          <p className="kern-body">
            {[
              tc(`referralStatus.${r.status}`),
              r.client_consent ? tc('timeline.consentGiven', { date: formatDate(r.consent_date, language) }) : tc('timeline.noConsent'),
            ].join(' · ')}
          </p>
          {r.note ? <p className="kern-body fd-notes">{r.note}</p> : null}
          {meta('referral', r)}
        </>
      ),
    });
  }
  for (const d of documents) {
    entries.push({
      key: d.id,
      sort: d.uploaded_at,
      kind: 'document',
      withdrawn: d.withdrawn,
      node: (
        <>
          <Heading kind="document" tr={tr} date={formatTimestamp(d.uploaded_at, language)}>
            <a className="kern-link" href={documentUrl(d.id)} download={d.filename}>
              <span className="kern-icon kern-icon--download" aria-hidden="true" />
              {d.filename}
            </a>
          </Heading>
          <p className="kern-body">{`${d.content_type} · ${formatSize(d.size_bytes, language)}`}</p>
          {d.withdrawn && d.change_reason ? <p className="kern-body kern-body--small">{tc('history.reason', { reason: d.change_reason })}</p> : null}
          {d.replaced_by_id ? (
            <p className="kern-body kern-body--small fd-timeline__version" data-testid="document-replaced-by">
              {tc('correction.replacedBy', { name: documents.find((x) => x.id === d.replaced_by_id)?.filename ?? '' })}
            </p>
          ) : null}
          {d.replaces_id ? (
            <p className="kern-body kern-body--small fd-timeline__version" data-testid="document-replaces">
              {tc('correction.replaces', { name: documents.find((x) => x.id === d.replaces_id)?.filename ?? '' })}
            </p>
          ) : null}
          {meta(
            'document',
            {
              id: d.id,
              created_by: d.uploaded_by,
              created_by_name: d.uploaded_by_name,
              created_at: d.uploaded_at,
              withdrawn: d.withdrawn,
              withdrawn_at: d.withdrawn_at,
              withdrawn_by_name: d.withdrawn_by_name,
            },
          )}
        </>
      ),
    });
  }
  for (const d of detail.deadlines) {
    entries.push({
      key: d.id,
      sort: d.created_at,
      kind: 'deadline',
      withdrawn: d.withdrawn,
      node: (
        <>
          <Heading kind="deadline" tr={tr} date={formatTimestamp(d.created_at, language)}>
            {tc('timeline.deadline', { kind: tc(`deadlineKind.${d.kind}`), date: formatDate(d.due_date, language) })}
          </Heading>
          {d.note ? <p className="kern-body">{d.note}</p> : null}
          {isOverdue(d) ? (
            <p className="kern-body">
              <OverdueBadge tr={tr} />
            </p>
          ) : null}
          {!d.withdrawn && d.done ? (
            <p className="kern-body">
              <span className="kern-badge kern-badge--success">
                <span className="kern-label kern-label--small">{tc('timeline.done')}</span>
              </span>
            </p>
          ) : null}
          {!d.withdrawn && detail.status !== 'closed' ? (
            // Marked done by mistake (or the court date moved): it can be opened again, no reason needed.
            <button
              type="button"
              className="kern-btn kern-btn--tertiary kern-btn--x-small"
              onClick={() => {
                setFailure(null);
                updateDeadline(d.id, { done: !d.done }, d.etag ?? null).then(
                  () => onChanged(tc(d.done ? 'timeline.markedOpen' : 'timeline.markedDone')),
                  (error: unknown) => setFailure(error),
                );
              }}
            >
              <span className={`kern-icon kern-icon--${d.done ? 'autorenew' : 'check'}`} aria-hidden="true" />
              <span className="kern-label">{d.done ? tc('timeline.markOpen') : tc('timeline.markDone', { kind: tc(`deadlineKind.${d.kind}`) })}</span>
            </button>
          ) : null}
          {meta('deadline', d)}
        </>
      ),
    });
  }
  for (const e of detail.escalations) {
    entries.push({
      key: e.id,
      sort: e.created_at,
      kind: 'escalation',
      node: (
        <>
          <Heading kind="escalation" tr={tr} date={formatTimestamp(e.created_at, language)}>
            <Link className="kern-link" to={`/escalations/${encodeURIComponent(e.id)}`}>
              {tc('timeline.escalation', { status: tc(`escalationStatus.${e.status}`) })}
            </Link>
          </Heading>
          <p className="kern-body fd-notes">{e.question}</p>
          {e.messages.length ? <p className="kern-body">{tc('timeline.messages', { count: e.messages.length })}</p> : null}
          <p className="kern-body kern-body--small fd-timeline__by" data-testid="timeline-by">
            {tc('timeline.by', { name: e.created_by_name ?? tc('timeline.someone'), when: formatTimestamp(e.created_at, language) })}
          </p>
        </>
      ),
    });
  }
  entries.sort((a, b) => (a.sort < b.sort ? 1 : a.sort > b.sort ? -1 : 0));

  return (
    <section className="fd-timeline" aria-labelledby="timeline-title" data-testid="timeline">
      <h2 className="kern-heading-medium" id="timeline-title">
        {tc('timeline.title')}
      </h2>
      {failure ? <ErrorMessage error={failure} headingLevel={3} /> : null}
      {entries.length === 0 ? (
        <p className="kern-body">{tc('timeline.empty')}</p>
      ) : (
        <ol className="fd-timeline__list">
          {entries.map((e) => (
            <li key={e.key} className={`fd-timeline__item fd-timeline__item--${e.kind}${e.withdrawn ? ' fd-timeline__item--withdrawn' : ''}`} data-testid={`timeline-${e.kind}`}>
              {e.node}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Heading({ kind, date, tr, children }: { kind: Entry['kind']; date: string; tr: CasesTranslation; children: ReactNode }) {
  return (
    <div className="fd-timeline__head">
      <span className="fd-timeline__kind">{tr.tc(`timeline.kinds.${kind}`)}</span>
      <h3 className="kern-heading-small fd-timeline__title">{children}</h3>
      <span className="fd-timeline__date">{date}</span>
    </div>
  );
}

function formatSize(bytes: number, language: string): string {
  const format = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });
  if (bytes < 1024) return `${format.format(bytes)} B`;
  if (bytes < 1024 * 1024) return `${format.format(bytes / 1024)} KB`;
  return `${format.format(bytes / 1024 / 1024)} MB`;
}
