import { useEffect, useState, type FormEvent } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { SelectField, TextField } from '../../../components/Field';
import { Loader } from '../../../components/Loader';
import { ApiError } from '../../../lib/api';
import { PageHeading } from '../../../components/PageHeading';
import { useUser } from '../../../lib/auth';
import { assignCases, deleteFilter, getCaseload, listCases, listSavedFilters, saveFilter, topicLabel, useLoad, useTopics, type CaseloadRow } from '../api/cases';
import { CASE_STATUSES, PRIORITIES, RISK_FLAGS, type Case } from '../api/types';
import { useCasesTranslation, type CasesTranslation } from '../i18n';
import { formatDate, formatTimestamp } from '../reference';
import { caseloadLabel } from './Assign';
import { assigneeText, PriorityText, StatusBadge } from './CaseBits';
import { OverdueBadge } from './CaseSummary';
import { FormProblems } from './fields';
import { serverFieldText } from '../serverText';
import { paging, withoutPaging, type Paging } from '../paging';
import { listState, searchState } from '../listSearch';
import '../cases.css';

/**
 * Every filter of the list that lives in the address (and goes to the server as it is). The search
 * text does not: a name typed into the box would land in the address bar, the browser's history
 * and the logs of whatever sits in front of the server. It is kept in the tab's history entry
 * (`history.state`, see listSearch.ts), which a reload, back and forward and the pager's links keep.
 */
const FILTERS = ['status', 'topic', 'assignee', 'priority', 'risk_flag', 'overdue', 'client_id', 'sort'] as const;
type Filter = (typeof FILTERS)[number] | 'q';

/** Sortable columns and the server's sort key (ascending; "-" in front for descending). */
const SORTABLE: Record<string, string> = { number: 'number', priority: 'priority', next_deadline: 'next_deadline', updated: 'updated', status: 'status' };
/** The first click on a column sorts the way one usually wants it. */
const FIRST_DIRECTION: Record<string, '' | '-'> = { number: '-', priority: '', next_deadline: '', updated: '-', status: '' };

/** `/cases`: the centre's cases with filters, sorting and cursor paging, all kept in the query string. */
export function CaseListPage() {
  const tr = useCasesTranslation();
  const { tc, language } = tr;
  const user = useUser();
  const lead = user.role === 'centre_lead';
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const state = listState(location.state);
  // An address from before (a bookmark, a saved filter) may still carry the search: it is used,
  // and moved out of the address at once (below).
  const addressSearch = params.get('q');
  const query = {
    ...Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? ''])),
    q: addressSearch ?? state.q ?? '',
  } as Record<Filter, string>;
  const cursor = params.get('cursor') ?? '';
  // The address without a search it may still carry (the base of the pager's links).
  const address = new URLSearchParams(params);
  address.delete('q');
  const [q, setQ] = useState(query.q);
  // The box follows the history entry (back button, reset, a saved filter).
  useEffect(() => setQ(query.q), [query.q]);
  useEffect(() => {
    if (addressSearch === null) return;
    setParams(address, { replace: true, state: { ...state, q: addressSearch } });
    // Only when the address carries a search; `address` and `state` belong to that address.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [addressSearch]);
  const [notice, setNotice] = useState<string | null>(state.notice ?? null);
  const topics = useTopics();
  // The page's filters without the page number and trail, and the search: the same request to the server.
  const request = withoutPaging(address);
  if (cursor) request.set('cursor', cursor);
  const cases = useLoad(`cases?${request.toString()}#${query.q}`, (signal) =>
    listCases({ ...Object.fromEntries(Object.entries(query).filter(([, v]) => v)), cursor: cursor || undefined, limit: '50' }, signal),
  );
  const caseload = useLoad('caseload', getCaseload, lead);
  const [selected, setSelected] = useState<string[]>([]);
  // A selection belongs to the page it was made on ("select all" means this page's rows).
  useEffect(() => setSelected([]), [cursor]);

  if (tr.failed) return <ErrorMessage error={new Error('locale')} />;
  if (!tr.ready) return <Loader />;

  function update(changes: Partial<Record<Filter, string>>) {
    const { q: search = query.q, ...filters } = changes;
    const next = new URLSearchParams(address);
    for (const [k, v] of Object.entries(filters)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setSelected([]);
    // A new filter or order starts on the first page.
    setParams(withoutPaging(next), { state: searchState(search) });
  }

  function search(event: FormEvent) {
    event.preventDefault();
    update({ q: q.trim() });
  }

  function sortBy(column: string) {
    const key = SORTABLE[column]!;
    const current = query.sort;
    const next = current === key ? `-${key}` : current === `-${key}` ? key : `${FIRST_DIRECTION[column]}${key}`;
    update({ sort: next });
  }

  function ariaSort(column: string): 'ascending' | 'descending' | undefined {
    const key = SORTABLE[column];
    if (!key) return undefined;
    if (query.sort === key) return 'ascending';
    if (query.sort === `-${key}`) return 'descending';
    return undefined;
  }

  const title = tc('list.title');
  const topicList = topics.status === 'done' ? topics.data : [];
  const filtered = FILTERS.some((k) => k !== 'sort' && query[k]);
  const staff = caseload.status === 'done' ? caseload.data : [];
  const items = cases.status === 'done' ? cases.data.items : [];
  // A closed case is reopened before it is assigned (the server refuses it), so it is not offered.
  const assignable = items.filter((c) => c.status !== 'closed');

  return (
    <section className="fd-page" data-testid="page-cases">
      <PageHeading title={title} lead={tc('list.lead')}>
        {title}
      </PageHeading>
      <div aria-live="polite">{notice ? <Alert tone="success" role="status" title={notice} /> : null}</div>
      <div className="fd-actions">
        <Link className="kern-btn kern-btn--primary" to="/cases/new">
          <span className="kern-icon kern-icon--add" aria-hidden="true" />
          <span className="kern-label">{tc('list.new')}</span>
        </Link>
      </div>

      <SavedFilters tr={tr} current={queryString(params)} onApply={(saved) => setParams(new URLSearchParams(saved), { state: searchState('') })} />

      <form className="fd-filters fd-case-filters" role="search" aria-label={tc('list.filters')} onSubmit={search}>
        <SelectField id="filter-status" label={tc('fields.status')} value={query.status} onChange={(e) => update({ status: e.target.value })}>
          <option value="">{tc('list.all')}</option>
          <option value="active">{tc('list.active')}</option>
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
          <option value="none">{tc('list.unassigned')}</option>
          {staff
            .filter((s) => s.user_id !== user.id)
            .map((s) => (
              <option key={s.user_id} value={s.user_id}>
                {s.display_name}
              </option>
            ))}
        </SelectField>
        <SelectField id="filter-priority" label={tc('fields.priority')} value={query.priority} onChange={(e) => update({ priority: e.target.value })}>
          <option value="">{tc('list.all')}</option>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {tc(`priority.${p}`)}
            </option>
          ))}
        </SelectField>
        <SelectField id="filter-risk" label={tc('fields.riskFlags')} value={query.risk_flag} onChange={(e) => update({ risk_flag: e.target.value })}>
          <option value="">{tc('list.all')}</option>
          {RISK_FLAGS.map((f) => (
            <option key={f} value={f}>
              {tc(`riskFlag.${f}`)}
            </option>
          ))}
        </SelectField>
        <SelectField id="filter-overdue" label={tc('list.deadlines')} value={query.overdue} onChange={(e) => update({ overdue: e.target.value })}>
          <option value="">{tc('list.all')}</option>
          <option value="true">{tc('list.onlyOverdue')}</option>
        </SelectField>
        <TextField
          id="filter-q"
          type="search"
          label={tc('list.search')}
          value={q}
          maxLength={100}
          onChange={(e) => {
            setQ(e.target.value);
            // Emptying the box (also with its × button) clears the search at once.
            if (e.target.value === '' && query.q) update({ q: '' });
          }}
        />
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
                const next = new URLSearchParams();
                if (query.sort) next.set('sort', query.sort);
                setParams(next, { state: searchState('') });
              }}
            >
              {tc('list.reset')}
            </Button>
          ) : null}
        </div>
      </form>

      {lead && selected.length ? (
        <BulkAssign
          tr={tr}
          staff={staff}
          numbers={selected.map((id) => items.find((c) => c.id === id)?.number ?? id)}
          onAssign={async (assignee) => {
            await assignCases(selected, assignee || null);
            const name = staff.find((s) => s.user_id === assignee)?.display_name ?? tc('assignee.none');
            setNotice(tc('assign.done', { count: selected.length, name }));
            setSelected([]);
            cases.reload();
            caseload.reload();
          }}
        />
      ) : null}

      {cases.status === 'loading' ? <Loader label={tc('list.loading')} /> : null}
      {cases.status === 'error' ? <ErrorMessage error={cases.error} /> : null}
      {cases.status === 'done' ? (
        items.length === 0 ? (
          <p className="kern-body" role="status" data-testid="cases-empty">
            {filtered ? tc('list.noneFiltered') : tc('list.none')}
          </p>
        ) : (
          <>
            <div className="kern-table-responsive">
              <table className="kern-table kern-table--striped fd-case-table fd-table-cards fd-table-cards--header-bar" data-testid="case-table">
                <caption className="kern-sr-only">{tc('list.caption')}</caption>
                <thead className="kern-table__head">
                  <tr className="kern-table__row">
                    {lead ? (
                      <th scope="col" className="kern-table__header">
                        <span className="kern-sr-only">{tc('list.select')}</span>
                        <input
                          type="checkbox"
                          className="kern-form-check__checkbox fd-row-check"
                          aria-label={tc('list.selectAll')}
                          checked={selected.length > 0 && selected.length === assignable.length}
                          onChange={(e) => setSelected(e.target.checked ? assignable.map((c) => c.id) : [])}
                        />
                      </th>
                    ) : null}
                    {['number', 'client', 'topics', 'status', 'priority', 'next_deadline', 'assignee', 'updated'].map((c) => (
                      <th key={c} scope="col" className="kern-table__header" aria-sort={ariaSort(c)}>
                        {SORTABLE[c] ? (
                          <button type="button" className="fd-sort" onClick={() => sortBy(c)} data-testid={`sort-${c}`}>
                            {tc(`list.columns.${c}`)}
                            <span className="fd-sort__mark" aria-hidden="true">
                              {ariaSort(c) === 'ascending' ? ' ▲' : ariaSort(c) === 'descending' ? ' ▼' : ' ↕'}
                            </span>
                          </button>
                        ) : (
                          tc(`list.columns.${c}`)
                        )}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody className="kern-table__body">
                  {items.map((c) => (
                    <CaseRow
                      key={c.id}
                      c={c}
                      tr={tr}
                      userId={user.id}
                      topicLabelOf={(t) => topicLabel(topicList, t, language)}
                      selectable={lead}
                      assignable={c.status !== 'closed'}
                      selected={selected.includes(c.id)}
                      onSelect={(on) => setSelected((s) => (on ? [...s, c.id] : s.filter((x) => x !== c.id)))}
                    />
                  ))}
                </tbody>
              </table>
            </div>
            <Pager tr={tr} links={paging(address, cases.data.next_cursor)} search={query.q} />
          </>
        )
      ) : null}

      {lead && staff.length ? <CaseloadTable staff={staff} tr={tr} onShow={(id) => update({ assignee: id, status: 'active' })} /> : null}
    </section>
  );
}

function CaseRow({
  c,
  tr,
  userId,
  topicLabelOf,
  selectable,
  assignable,
  selected,
  onSelect,
}: {
  c: Case;
  tr: CasesTranslation;
  userId: string;
  topicLabelOf: (t: string) => string;
  selectable: boolean;
  assignable: boolean;
  selected: boolean;
  onSelect: (on: boolean) => void;
}) {
  const { tc, language } = tr;
  // On a phone the rows are cards (fd-table-cards): each cell names its column itself.
  const cell = (column: string) => ({ className: 'kern-table__cell', 'data-label': tc(`list.columns.${column}`) });
  return (
    <tr className="kern-table__row" data-testid="case-row">
      {selectable ? (
        <td className="kern-table__cell">
          <input
            type="checkbox"
            className="kern-form-check__checkbox fd-row-check"
            aria-label={tc(assignable ? 'list.selectOne' : 'list.selectClosed', { number: c.number })}
            disabled={!assignable}
            checked={selected}
            onChange={(e) => onSelect(e.target.checked)}
          />
        </td>
      ) : null}
      <th scope="row" className="kern-table__cell">
        <Link className="kern-link" to={`/cases/${encodeURIComponent(c.id)}`}>
          {c.number}
        </Link>
      </th>
      <td {...cell('client')} data-testid="case-client-code">
        {c.client_code && c.client_id ? (
          <Link className="kern-link" to={`/clients/${encodeURIComponent(c.client_id)}`}>
            {c.client_code}
          </Link>
        ) : (
          (c.client_code ?? '–')
        )}
      </td>
      <td {...cell('topics')}>{c.topics.map(topicLabelOf).join(', ')}</td>
      <td {...cell('status')}>
        <StatusBadge status={c.status} tr={tr} />
      </td>
      <td {...cell('priority')}>
        <PriorityText priority={c.priority} tr={tr} />
      </td>
      <td {...cell('next_deadline')} data-testid="case-next-deadline">
        {c.next_deadline ? formatDate(c.next_deadline, language) : '–'}
        {c.overdue ? (
          <>
            {' '}
            <OverdueBadge tr={tr} />
          </>
        ) : null}
      </td>
      <td {...cell('assignee')} data-testid="case-assignee">
        {assigneeText(c, userId, tr)}
      </td>
      <td {...cell('updated')}>{formatTimestamp(c.updated_at, language)}</td>
    </tr>
  );
}

/** The picker's value for "assigned to nobody" (the empty value means "not chosen yet"). */
const NOBODY = 'none';

function BulkAssign({ tr, staff, numbers, onAssign }: { tr: CasesTranslation; staff: CaseloadRow[]; numbers: string[]; onAssign: (assignee: string) => Promise<void> }) {
  const { tc } = tr;
  const count = numbers.length;
  const [assignee, setAssignee] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  return (
    <section className="fd-panel fd-assign" aria-labelledby="bulk-title" data-testid="bulk-assign">
      <h2 className="kern-heading-small" id="bulk-title">
        {tc('list.bulkTitle', { count })}
      </h2>
      {/* Nothing is preselected: "Zuweisen" without a choice would take the cases from their advisors. */}
      <SelectField id="bulk-assignee" label={tc('list.assignTo')} value={assignee} onChange={(e) => setAssignee(e.target.value)}>
        <option value="">{tc('form.choose')}</option>
        <option value={NOBODY}>{tc('assignee.none')}</option>
        {staff.map((s) => (
          <option key={s.user_id} value={s.user_id}>
            {caseloadLabel(s, tr)}
          </option>
        ))}
      </SelectField>
      <Button
        icon="account-circle"
        busy={busy}
        disabled={!assignee}
        onClick={() => {
          setBusy(true);
          setFailure(null);
          onAssign(assignee === NOBODY ? '' : assignee).then(
            () => setBusy(false),
            (caught: unknown) => {
              setBusy(false);
              setFailure(caught);
            },
          );
        }}
      >
        {tc('assign.submit')}
      </Button>
      <FormProblems failure={failure} otherErrors={refusals(failure, numbers, tr)} tr={tr} />
    </section>
  );
}

/** The server's reasons for refusing an assignment, by case number ("case_ids[2]" names the third). */
function refusals(failure: unknown, numbers: string[], tr: CasesTranslation): { field: string; message: string }[] {
  if (!(failure instanceof ApiError)) return [];
  return (failure.problem?.errors ?? []).map((e) => {
    const index = /^case_ids\[(\d+)\]$/.exec(e.field)?.[1];
    const field = index !== undefined ? (numbers[Number(index)] ?? e.field) : e.field === 'assignee_id' ? tr.tc('list.assignTo') : e.field;
    return { field, message: serverFieldText(e.message) };
  });
}

function CaseloadTable({ staff, tr, onShow }: { staff: CaseloadRow[]; tr: CasesTranslation; onShow: (userId: string) => void }) {
  const { tc } = tr;
  return (
    <section className="fd-panel" aria-labelledby="caseload-title" data-testid="caseload">
      <h2 className="kern-heading-medium" id="caseload-title">
        {tc('list.caseload')}
      </h2>
      <div className="kern-table-responsive">
        <table className="kern-table">
          <thead className="kern-table__head">
            <tr className="kern-table__row">
              <th scope="col" className="kern-table__header">{tc('list.caseloadName')}</th>
              <th scope="col" className="kern-table__header">{tc('list.caseloadOpen')}</th>
              <th scope="col" className="kern-table__header">{tc('list.caseloadOverdue')}</th>
            </tr>
          </thead>
          <tbody className="kern-table__body">
            {staff.map((s) => (
              <tr key={s.user_id} className="kern-table__row">
                <th scope="row" className="kern-table__cell">
                  <button type="button" className="fd-sort" onClick={() => onShow(s.user_id)}>
                    {s.display_name}
                  </button>
                </th>
                <td className="kern-table__cell">{s.open_cases}</td>
                <td className="kern-table__cell">{s.overdue_deadlines}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Saved filters of the signed-in person: apply one, save the current filters under a name, delete. */
function SavedFilters({ tr, current, onApply }: { tr: CasesTranslation; current: string; onApply: (query: string) => void }) {
  const { tc } = tr;
  const saved = useLoad('saved-filters', listSavedFilters);
  const [name, setName] = useState('');
  const [naming, setNaming] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const items = saved.status === 'done' ? saved.data : [];
  const active = items.find((f) => f.query === current);

  async function store(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) return;
    setFailure(null);
    try {
      await saveFilter(name.trim(), current);
      setName('');
      setNaming(false);
      saved.reload();
    } catch (caught) {
      setFailure(caught);
    }
  }

  return (
    <section className="fd-saved-filters" aria-labelledby="saved-title" data-testid="saved-filters">
      <h2 className="kern-sr-only" id="saved-title">
        {tc('list.savedTitle')}
      </h2>
      <div className="fd-inline-search">
        <SelectField id="saved-filter" label={tc('list.savedTitle')} value={active?.id ?? ''} onChange={(e) => {
          const f = items.find((x) => x.id === e.target.value);
          onApply(f ? f.query : '');
        }}>
          <option value="">{items.length ? tc('list.savedChoose') : tc('list.savedNone')}</option>
          {items.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}
            </option>
          ))}
        </SelectField>
        {active ? (
          <Button variant="tertiary" icon="delete" onClick={() => void deleteFilter(active.id).then(saved.reload, setFailure)}>
            {tc('list.savedDelete', { name: active.name })}
          </Button>
        ) : current && !naming ? (
          <Button variant="tertiary" icon="add" onClick={() => setNaming(true)}>
            {tc('list.savedAdd')}
          </Button>
        ) : null}
      </div>
      {naming ? (
        <form className="fd-inline-search" onSubmit={(e) => void store(e)}>
          <TextField id="saved-name" label={tc('list.savedName')} value={name} maxLength={100} autoFocus onChange={(e) => setName(e.target.value)} />
          <Button type="submit" variant="secondary" icon="check">
            {tc('list.savedStore')}
          </Button>
          <Button variant="tertiary" onClick={() => setNaming(false)}>
            {tc('form.cancel')}
          </Button>
        </form>
      ) : null}
      {failure ? <ErrorMessage error={failure} headingLevel={3} /> : null}
    </section>
  );
}

/** The filters and order of the address, without the page, in a fixed order (to compare with saved ones). */
function queryString(params: URLSearchParams): string {
  const out = new URLSearchParams();
  for (const k of FILTERS) {
    const v = params.get(k);
    if (v) out.set(k, v);
  }
  return out.toString();
}

/** First, previous and next page, and this page's number: every link a plain address (see paging.ts). */
function Pager({ tr, links, search }: { tr: CasesTranslation; links: Paging; search: string }) {
  const state = searchState(search);
  const { tc } = tr;
  return (
    <nav className="fd-pager" aria-label={tc('list.paging')} data-testid="pager">
      {links.first !== null ? (
        <Link className="kern-link" to={`?${links.first}`} state={state} data-testid="first-page">
          <span className="kern-icon kern-icon--keyboard-double-arrow-left" aria-hidden="true" />
          {tc('list.first')}
        </Link>
      ) : null}
      {links.previous !== null ? (
        <Link className="kern-link" to={`?${links.previous}`} state={state} data-testid="previous-page">
          <span className="kern-icon kern-icon--chevron-left" aria-hidden="true" />
          {tc('list.previous')}
        </Link>
      ) : null}
      {links.page > 1 ? (
        <span className="kern-body" aria-current="page" data-testid="page-number">
          {tc('list.page', { page: links.page })}
        </span>
      ) : null}
      {links.next !== null ? (
        <Link className="kern-link" to={`?${links.next}`} state={state} data-testid="next-page">
          {tc('list.next')}
          <span className="kern-icon kern-icon--chevron-right" aria-hidden="true" />
        </Link>
      ) : null}
    </nav>
  );
}
