import { Link, useSearchParams } from 'react-router';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { SelectField } from '../../../components/Field';
import { Loader } from '../../../components/Loader';
import { PageHeading } from '../../../components/PageHeading';
import { useUser } from '../../../lib/auth';
import { ESCALATION_STATUSES, formatTimestamp, getTopicLabels, listEscalations, useLoad, waitingFor } from '../api/escalations';
import { useEscalationsTranslation } from '../i18n';
import { StatusBadge } from './StatusBadge';
import '../escalations.css';

/** `/escalations`: the competence centre's inbox of all escalations; a centre's own for advisors. */
export function EscalationsPage() {
  const tr = useEscalationsTranslation();
  const { tc, language } = tr;
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const list = useLoad(`escalations?${status}`, (signal) => listEscalations(status, signal));
  const topics = useLoad('topics', getTopicLabels);
  const topicName = (code: string) => {
    const t = topics.status === 'done' ? topics.data.find((x) => x.code === code) : undefined;
    return t ? (language === 'en' ? t.labels.en : t.labels.de) : code;
  };

  if (tr.failed) return <ErrorMessage error={new Error('locale')} />;
  if (!tr.ready) return <Loader />;
  const inbox = user.role === 'competence_centre';
  const title = tc(inbox ? 'list.inboxTitle' : 'list.title');
  const columns = inbox ? ['question', 'centre', 'topics', 'status', 'waiting', 'assignee', 'answers'] : ['question', 'topics', 'status', 'answers', 'created'];
  // On a phone the rows are cards (fd-table-cards): each cell names its column itself.
  const cell = (c: string) => ({ className: 'kern-table__cell', 'data-label': tc(`list.columns.${c}`) });

  return (
    <section className="fd-page" data-testid="page-escalations">
      <PageHeading title={title} lead={tc(inbox ? 'list.inboxLead' : 'list.lead')}>
        {title}
      </PageHeading>
      <form className="fd-filters" role="search" aria-label={tc('list.filter')} onSubmit={(e) => e.preventDefault()}>
        <SelectField
          id="escalation-status"
          label={tc('fields.status')}
          value={status}
          onChange={(e) => setParams(e.target.value ? { status: e.target.value } : {})}
        >
          <option value="">{tc('list.all')}</option>
          {ESCALATION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {tc(`status.${s}`)}
            </option>
          ))}
        </SelectField>
      </form>
      {list.status === 'loading' ? <Loader /> : null}
      {list.status === 'error' ? <ErrorMessage error={list.error} /> : null}
      {list.status === 'done' && list.data.length === 0 ? (
        <p className="kern-body" role="status">
          {tc('list.none')}
        </p>
      ) : null}
      {list.status === 'done' && list.data.length ? (
        <div className="kern-table-responsive">
          <table className="kern-table kern-table--striped fd-table-cards" data-testid="escalation-table">
            <caption className="kern-sr-only">{title}</caption>
            <thead className="kern-table__head">
              <tr className="kern-table__row">
                {columns.map((c) => (
                  <th key={c} scope="col" className="kern-table__header">
                    {tc(`list.columns.${c}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="kern-table__body">
              {list.data.map((e) => (
                <tr key={e.id} className="kern-table__row" data-testid="escalation-row">
                  <th scope="row" className="kern-table__cell fd-esc-question">
                    <Link className="kern-link" to={`/escalations/${encodeURIComponent(e.id)}`}>
                      {shorten(e.question, 120)}
                    </Link>
                  </th>
                  {inbox ? (
                    <td {...cell('centre')} data-testid="escalation-centre">
                      {[e.centre_name, e.centre_state].filter(Boolean).join(' · ') || '–'}
                    </td>
                  ) : null}
                  <td {...cell('topics')}>{(e.topics ?? []).map(topicName).join(', ') || '–'}</td>
                  <td {...cell('status')}>
                    <StatusBadge status={e.status} tc={tc} />
                  </td>
                  {inbox ? (
                    <>
                      <td {...cell('waiting')} data-testid="escalation-waiting">
                        {e.waiting_since ? waitingFor(e.waiting_since, language) : '–'}
                      </td>
                      <td {...cell('assignee')} data-testid="escalation-row-assignee">{e.assignee_name ?? tc('list.unassigned')}</td>
                    </>
                  ) : null}
                  <td {...cell('answers')}>
                    {e.message_count ?? e.messages.length}
                    {!inbox && e.unread_answers ? (
                      <>
                        {' '}
                        <span className="kern-badge kern-badge--info">
                          <span className="kern-label kern-label--small">{tc('list.unread', { count: e.unread_answers })}</span>
                        </span>
                      </>
                    ) : null}
                  </td>
                  {inbox ? null : <td {...cell('created')}>{formatTimestamp(e.created_at, language)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
