import { useState, type FormEvent } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { SelectField, TextField } from '../../../components/Field';
import { Loader } from '../../../components/Loader';
import { PageHeading } from '../../../components/PageHeading';
import { useUser } from '../../../lib/auth';
import { listCases, topicLabel, useLoad, useTopics } from '../api/cases';
import { CASE_STATUSES } from '../api/types';
import { useCasesTranslation } from '../i18n';
import { formatTimestamp } from '../reference';
import { assigneeText, PriorityText, StatusBadge } from './CaseBits';
import '../cases.css';

const FILTERS = ['status', 'topic', 'assignee', 'q'] as const;

/** `/cases`: the centre's cases with filters and cursor paging, all kept in the query string. */
export function CaseListPage() {
  const tr = useCasesTranslation();
  const { tc, language } = tr;
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const query = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? ''])) as Record<(typeof FILTERS)[number], string>;
  const cursor = params.get('cursor') ?? '';
  const [q, setQ] = useState(query.q);
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  const topics = useTopics();
  const cases = useLoad(`cases?${params.toString()}`, (signal) => listCases({ ...query, cursor, limit: '25' }, signal));

  if (tr.failed) return <ErrorMessage error={new Error('locale')} />;
  if (!tr.ready) return <Loader />;

  function update(changes: Record<string, string>) {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    // A new filter starts on the first page.
    if (!('cursor' in changes)) next.delete('cursor');
    setParams(next);
  }

  function search(event: FormEvent) {
    event.preventDefault();
    update({ q: q.trim() });
  }

  const title = tc('list.title');
  const topicList = topics.status === 'done' ? topics.data : [];
  const filtered = FILTERS.some((k) => query[k]);

  return (
    <section className="fd-page" data-testid="page-cases">
      <PageHeading title={title} lead={tc('list.lead')}>
        {title}
      </PageHeading>
      {notice ? <Alert tone="success" role="status" title={notice} /> : null}
      <div className="fd-actions">
        <Link className="kern-btn kern-btn--primary" to="/cases/new">
          <span className="kern-icon kern-icon--add" aria-hidden="true" />
          <span className="kern-label">{tc('list.new')}</span>
        </Link>
      </div>
      <form className="fd-filters fd-case-filters" role="search" aria-label={tc('list.filters')} onSubmit={search}>
        <SelectField id="filter-status" label={tc('fields.status')} value={query.status} onChange={(e) => update({ status: e.target.value })}>
          <option value="">{tc('list.all')}</option>
          {CASE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {tc(`status.${s}`)}
            </option>
          ))}
        </SelectField>
        <SelectField id="filter-topic" label={tc('fields.topic')} value={query.topic} onChange={(e) => update({ topic: e.target.value })}>
          <option value="">{tc('list.all')}</option>
          {topicList.map((t) => (
            <option key={t.code} value={t.code}>
              {topicLabel(topicList, t.code, language)}
            </option>
          ))}
        </SelectField>
        <SelectField id="filter-assignee" label={tc('fields.assignee')} value={query.assignee} onChange={(e) => update({ assignee: e.target.value })}>
          <option value="">{tc('list.everyone')}</option>
          <option value="me">{tc('list.mine')}</option>
        </SelectField>
        <TextField id="filter-q" type="search" label={tc('list.search')} value={q} maxLength={100} onChange={(e) => setQ(e.target.value)} />
        <div className="fd-filters__actions">
          <Button type="submit" variant="secondary" icon="search">
            {tc('list.searchButton')}
          </Button>
          {filtered ? (
            <Button
              type="button"
              variant="tertiary"
              onClick={() => {
                setQ('');
                setParams(new URLSearchParams());
              }}
            >
              {tc('list.reset')}
            </Button>
          ) : null}
        </div>
      </form>

      {cases.status === 'loading' ? <Loader label={tc('list.loading')} /> : null}
      {cases.status === 'error' ? <ErrorMessage error={cases.error} /> : null}
      {cases.status === 'done' ? (
        cases.data.items.length === 0 ? (
          <p className="kern-body" role="status" data-testid="cases-empty">
            {filtered ? tc('list.noneFiltered') : tc('list.none')}
          </p>
        ) : (
          <>
            <div className="kern-table-responsive">
              <table className="kern-table kern-table--striped fd-case-table" data-testid="case-table">
                <caption className="kern-sr-only">{tc('list.caption')}</caption>
                <thead className="kern-table__head">
                  <tr className="kern-table__row">
                    {['number', 'client', 'topics', 'status', 'priority', 'assignee', 'updated'].map((c) => (
                      <th key={c} scope="col" className="kern-table__header">
                        {tc(`list.columns.${c}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody className="kern-table__body">
                  {cases.data.items.map((c) => (
                    <tr key={c.id} className="kern-table__row" data-testid="case-row">
                      <th scope="row" className="kern-table__cell">
                        <Link className="kern-link" to={`/cases/${encodeURIComponent(c.id)}`}>
                          {c.number}
                        </Link>
                      </th>
                      <td className="kern-table__cell" data-testid="case-client-code">
                        {c.client_code ?? '–'}
                      </td>
                      <td className="kern-table__cell">{c.topics.map((t) => topicLabel(topicList, t, language)).join(', ')}</td>
                      <td className="kern-table__cell">
                        <StatusBadge status={c.status} tr={tr} />
                      </td>
                      <td className="kern-table__cell">
                        <PriorityText priority={c.priority} tr={tr} />
                      </td>
                      <td className="kern-table__cell" data-testid="case-assignee">
                        {assigneeText(c, user.id, tr)}
                      </td>
                      <td className="kern-table__cell">{formatTimestamp(c.updated_at, language)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <nav className="fd-pager" aria-label={tc('list.paging')}>
              {cursor ? (
                <Link className="kern-link" to={`?${withoutCursor(params)}`}>
                  <span className="kern-icon kern-icon--keyboard-double-arrow-left" aria-hidden="true" />
                  {tc('list.first')}
                </Link>
              ) : null}
              {cases.data.next_cursor ? (
                <Link className="kern-link" to={`?${withCursor(params, cases.data.next_cursor)}`} data-testid="next-page">
                  {tc('list.next')}
                  <span className="kern-icon kern-icon--chevron-right" aria-hidden="true" />
                </Link>
              ) : null}
            </nav>
          </>
        )
      ) : null}
    </section>
  );
}

function withoutCursor(params: URLSearchParams): string {
  const next = new URLSearchParams(params);
  next.delete('cursor');
  return next.toString();
}

function withCursor(params: URLSearchParams, cursor: string): string {
  const next = new URLSearchParams(params);
  next.set('cursor', cursor);
  return next.toString();
}
