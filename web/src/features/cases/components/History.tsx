/**
 * The case's change history (`GET /cases/{id}/history`): every correction, withdrawal and
 * reopening with who, when and why, and the earlier version of what was changed. Collapsed by
 * default; it is read only when opened (the server audits the read).
 */
import { useState } from 'react';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { Loader } from '../../../components/Loader';
import { api } from '../../../lib/api';
import { topicLabel } from '../api/cases';
import type { Topic } from '../api/types';
import type { CasesTranslation } from '../i18n';
import { formatDate, formatTimestamp } from '../reference';

interface HistoryEntry {
  id: string;
  record_type: string;
  record_id: string;
  action: string;
  before: Record<string, unknown> | null;
  reason: string | null;
  changed_by_name: string | null;
  changed_at: string;
}

/** The fields of an earlier version worth showing, by record type. */
const SHOWN: Record<string, string[]> = {
  case: ['assignee_name', 'status', 'priority', 'topics', 'narrative'],
  consultation: ['date', 'duration_minutes', 'notes'],
  deadline: ['kind', 'due_date', 'note', 'done'],
  referral: ['status', 'note'],
};

export function CaseHistory({ caseId, version, topics, tr }: { caseId: string; version: string; topics: Topic[]; tr: CasesTranslation }) {
  const { tc, language } = tr;
  const [open, setOpen] = useState(false);
  const [state, setState] = useState<{ status: 'idle' | 'loading' } | { status: 'done'; items: HistoryEntry[] } | { status: 'error'; error: unknown }>({ status: 'idle' });

  function toggle() {
    const next = !open;
    setOpen(next);
    if (next) {
      setState({ status: 'loading' });
      api.get<{ items: HistoryEntry[] }>(`/api/v1/cases/${encodeURIComponent(caseId)}/history`).then(
        (page) => setState({ status: 'done', items: page.items }),
        (error: unknown) => setState({ status: 'error', error }),
      );
    }
  }

  return (
    <section className="fd-panel fd-history" aria-labelledby="history-title" data-testid="case-history" data-version={version}>
      <h2 className="kern-heading-medium" id="history-title">
        <button type="button" className="fd-sort" aria-expanded={open} aria-controls="history-body" onClick={toggle}>
          {tc('history.title')}
        </button>
      </h2>
      <div id="history-body" hidden={!open}>
        {state.status === 'loading' ? <Loader /> : null}
        {state.status === 'error' ? <ErrorMessage error={state.error} headingLevel={3} /> : null}
        {state.status === 'done' && state.items.length === 0 ? <p className="kern-body">{tc('history.none')}</p> : null}
        {state.status === 'done' && state.items.length ? (
          <ol className="fd-history__list">
            {state.items.map((h) => (
              <li key={h.id} data-testid="history-entry">
                <p className="kern-body kern-body--bold">
                  {tc(`history.action.${h.action}`, { defaultValue: h.action })} · {tc(`history.record.${h.record_type}`, { defaultValue: h.record_type })}
                </p>
                <p className="kern-body kern-body--small">
                  {tc('timeline.by', { name: h.changed_by_name ?? tc('timeline.someone'), when: formatTimestamp(h.changed_at, language) })}
                  {h.reason ? ` · ${tc('history.reason', { reason: h.reason })}` : ''}
                </p>
                {h.before ? (
                  <dl className="fd-history__before">
                    {(SHOWN[h.record_type] ?? [])
                      .filter((f) => h.before && f in h.before)
                      .map((f) => (
                        <div key={f}>
                          <dt>{tc(`history.field.${f}`, { defaultValue: f })}</dt>
                          <dd className="fd-notes">{shown(h.record_type, f, h.before![f], topics, tr)}</dd>
                        </div>
                      ))}
                  </dl>
                ) : null}
              </li>
            ))}
          </ol>
        ) : null}
      </div>
    </section>
  );
}

/** An earlier value as the page shows it elsewhere: labels instead of codes, dates in the reader's form. */
function shown(recordType: string, field: string, value: unknown, topics: Topic[], tr: CasesTranslation): string {
  const { tc, language } = tr;
  if (field === 'assignee_name') return typeof value === 'string' && value ? value : tc('assignee.none');
  if (value === null || value === undefined || value === '') return '–';
  if (typeof value === 'boolean') return tc(value ? 'history.yes' : 'history.no');
  if (Array.isArray(value)) return value.map((v) => (field === 'topics' ? topicLabel(topics, String(v), language) : String(v))).join(', ');
  const text = String(value);
  if (field === 'status') return tc(recordType === 'referral' ? `referralStatus.${text}` : `status.${text}`, { defaultValue: text });
  if (field === 'priority') return tc(`priority.${text}`, { defaultValue: text });
  if (field === 'kind' && recordType === 'deadline') return tc(`deadlineKind.${text}`, { defaultValue: text });
  if (field === 'date' || field === 'due_date') return formatDate(text, language);
  if (field === 'duration_minutes') return tc('history.minutes', { count: Number(value) });
  return text;
}
