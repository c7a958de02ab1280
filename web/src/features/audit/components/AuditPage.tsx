import { useId, useMemo, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { SelectField, TextField } from '../../../components/Field';
import { Loader } from '../../../components/Loader';
import { PageHeading } from '../../../components/PageHeading';
import { ApiError } from '../../../lib/api';
import { useUser } from '../../../lib/auth';
import {
  AUDIT_FILTERS,
  listAllUsers,
  listAudit,
  listSecurityEvents,
  RECORD_TYPES,
  useLoad,
  type AuditEntry,
  type AuditFilter,
  type SecurityEvent,
  type UserSummary,
} from '../api/audit';
import { useAuditTranslation, type AuditTranslation } from '../i18n';
import { recordCell } from '../record';
import '../audit.css';

const PAGE_SIZE = '50';
const ID_PATTERN = /^[A-Za-z0-9_.-]{1,100}$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

type Filters = Record<AuditFilter, string>;

/** Client-side checks of the filter form; the server checks the same and answers 422. */
function validate(values: Filters, tc: AuditTranslation['tc']): Partial<Filters> {
  const errors: Partial<Filters> = {};
  if (values.record_id && !ID_PATTERN.test(values.record_id)) errors.record_id = tc('errors.recordId');
  if (values.from && !DATE_PATTERN.test(values.from)) errors.from = tc('errors.date');
  if (values.to && !DATE_PATTERN.test(values.to)) errors.to = tc('errors.date');
  if (!errors.from && !errors.to && values.from && values.to && values.to < values.from) errors.to = tc('errors.toBeforeFrom');
  return errors;
}

/**
 * `/audit` (centre leads: their centre's entries; admins: all): the audit trail, newest first,
 * with its filters and cursor in the query string.
 */
export function AuditPage() {
  const tr = useAuditTranslation();
  const { tc } = tr;
  const user = useUser();
  const [params] = useSearchParams();
  const filters = Object.fromEntries(AUDIT_FILTERS.map((k) => [k, params.get(k) ?? ''])) as Filters;
  const cursor = params.get('cursor') ?? '';
  const users = useLoad('audit-users', listAllUsers);
  const entries = useLoad(`audit?${params.toString()}`, (signal) => listAudit({ ...filters, cursor, limit: PAGE_SIZE }, signal));
  const names = useMemo(() => new Map((users.status === 'done' ? users.data : []).map((u) => [u.id, u])), [users]);

  if (tr.failed) return <ErrorMessage error={new Error('locale')} />;
  if (!tr.ready) return <Loader />;

  const title = tc('title');
  const filtered = AUDIT_FILTERS.some((k) => filters[k]);
  const serverErrors = entries.status === 'error' && entries.error instanceof ApiError ? entries.error.fieldErrors() : {};

  return (
    <section className="fd-page" data-testid="page-audit">
      <PageHeading title={title} lead={user.role === 'admin' ? tc('leadAdmin') : tc('leadCentre', { centre: user.centre_name ?? '' })}>
        {title}
      </PageHeading>
      <details className="fd-audit-about">
        <summary className="kern-body">{tc('about.summary')}</summary>
        <div className="kern-body">
          <p>{tc('about.ids')}</p>
          <p>
            {tc('about.chain')} <code>fairdesk audit verify</code>
            {tc('about.chainEnd')}
          </p>
        </div>
      </details>

      <FilterForm
        key={params.toString()}
        initial={filters}
        users={users.status === 'done' ? users.data : []}
        serverErrors={serverErrors}
        filtered={filtered}
        tr={tr}
      />

      {entries.status === 'loading' ? <Loader label={tc('loading')} /> : null}
      {entries.status === 'error' ? <ErrorMessage error={entries.error} /> : null}
      {entries.status === 'done' ? (
        entries.data.items.length === 0 ? (
          <p className="kern-body" role="status" data-testid="audit-empty">
            {filtered || cursor ? tc('noneFiltered') : tc('none')}
          </p>
        ) : (
          <>
            <p className="kern-body fd-results__count" role="status">
              {tc('count', { count: entries.data.items.length })}
            </p>
            <AuditTable entries={entries.data.items} names={names} tr={tr} linkCases={user.role === 'centre_lead'} />
            <Pager params={params} cursor={cursor} next={entries.data.next_cursor} tr={tr} />
          </>
        )
      ) : null}
      <SecurityEvents tr={tr} />
    </section>
  );
}

/** The latest sign-ins, failed sign-ins and credential changes, with the client address. */
function SecurityEvents({ tr }: { tr: AuditTranslation }) {
  const { tc, language } = tr;
  const events = useLoad('security-events', listSecurityEvents);
  return (
    <section className="fd-panel" aria-labelledby="security-events-title" data-testid="security-events">
      <h2 className="kern-heading-medium" id="security-events-title">
        {tc('security.title')}
      </h2>
      <p className="kern-body">{tc('security.lead')}</p>
      {events.status === 'loading' ? <Loader /> : null}
      {events.status === 'error' ? <ErrorMessage error={events.error} /> : null}
      {events.status === 'done' ? (
        events.data.items.length === 0 ? (
          <p className="kern-body">{tc('security.none')}</p>
        ) : (
          <div className="kern-table-responsive" tabIndex={0} role="region" aria-label={tc('security.title')}>
            <table className="kern-table kern-table--striped fd-table-cards">
              <thead className="kern-table__head">
                <tr className="kern-table__row">
                  {['time', 'user', 'event', 'address'].map((c) => (
                    <th key={c} scope="col" className="kern-table__header">
                      {tc(`security.columns.${c}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="kern-table__body">
                {events.data.items.map((e: SecurityEvent) => (
                  <tr key={e.id} className="kern-table__row" data-testid="security-event">
                    <td className="kern-table__cell" data-label={tc('security.columns.time')}>
                      <time dateTime={new Date(e.at * 1000).toISOString()}>
                        {formatTime(new Date(e.at * 1000).toISOString(), language)}
                      </time>
                    </td>
                    <td className="kern-table__cell" data-label={tc('security.columns.user')}>{e.user_name ?? tc('security.unknownUser')}</td>
                    <td className="kern-table__cell" data-label={tc('security.columns.event')}>
                      {tc(`security.events.${e.event}`, { defaultValue: e.event })}
                      {e.detail ? ` (${tc(`security.details.${e.detail}`, { defaultValue: e.detail })})` : ''}
                    </td>
                    <td className="kern-table__cell" data-label={tc('security.columns.address')}>
                      <code>{e.address || '–'}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </section>
  );
}

function FilterForm({
  initial,
  users,
  serverErrors,
  filtered,
  tr,
}: {
  initial: Filters;
  users: UserSummary[];
  serverErrors: Record<string, string>;
  filtered: boolean;
  tr: AuditTranslation;
}) {
  const { tc, t, language } = tr;
  const [, setParams] = useSearchParams();
  const [values, setValues] = useState<Filters>(initial);
  const [submitted, setSubmitted] = useState(false);
  const [touched, setTouched] = useState<Partial<Record<AuditFilter, boolean>>>({});
  const errors = validate(values, tc);
  const idBase = useId();
  const error = (name: AuditFilter) =>
    (values[name] === initial[name] ? serverErrors[name] : undefined) ?? (submitted || touched[name] ? errors[name] : undefined);

  const set = (name: AuditFilter, value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
    setTouched((x) => ({ ...x, [name]: true }));
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    const invalid = AUDIT_FILTERS.find((k) => errors[k]);
    if (invalid) {
      document.getElementById(`${idBase}-${invalid}`)?.focus();
      return;
    }
    const next = new URLSearchParams();
    for (const k of AUDIT_FILTERS) if (values[k].trim()) next.set(k, values[k].trim());
    setParams(next);
  }

  const knownUser = !values.user_id || users.some((u) => u.id === values.user_id);
  const sortedUsers = [...users].sort((a, b) => a.display_name.localeCompare(b.display_name, language));

  return (
    <form className="fd-filters fd-audit-filters" role="search" aria-label={tc('filters.label')} onSubmit={submit} noValidate>
      <SelectField
        id={`${idBase}-record_type`}
        label={tc('filters.recordType')}
        value={values.record_type}
        error={error('record_type')}
        onChange={(e) => set('record_type', e.target.value)}
      >
        <option value="">{tc('filters.all')}</option>
        {RECORD_TYPES.map((type) => (
          <option key={type} value={type}>
            {tc(`recordTypes.${type}`)}
          </option>
        ))}
        {values.record_type && !(RECORD_TYPES as readonly string[]).includes(values.record_type) ? (
          <option value={values.record_type}>{values.record_type}</option>
        ) : null}
      </SelectField>
      <SelectField
        id={`${idBase}-user_id`}
        label={tc('filters.user')}
        value={values.user_id}
        error={error('user_id')}
        onChange={(e) => set('user_id', e.target.value)}
      >
        <option value="">{tc('filters.everyone')}</option>
        {sortedUsers.map((u) => (
          <option key={u.id} value={u.id}>
            {u.display_name} ({t(`roles.${u.role}`)})
          </option>
        ))}
        {!knownUser ? <option value={values.user_id}>{values.user_id}</option> : null}
      </SelectField>
      <TextField
        id={`${idBase}-record_id`}
        label={tc('filters.recordId')}
        hint={tc('filters.recordIdHint')}
        value={values.record_id}
        error={error('record_id')}
        maxLength={100}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => set('record_id', e.target.value)}
      />
      <TextField
        id={`${idBase}-from`}
        type="date"
        label={tc('filters.from')}
        value={values.from}
        error={error('from')}
        onChange={(e) => set('from', e.target.value)}
      />
      <TextField
        id={`${idBase}-to`}
        type="date"
        label={tc('filters.to')}
        value={values.to}
        error={error('to')}
        onChange={(e) => set('to', e.target.value)}
      />
      <div className="fd-filters__actions">
        <Button type="submit" variant="secondary" icon="search">
          {tc('filters.apply')}
        </Button>
        {filtered ? (
          <Button type="button" variant="tertiary" onClick={() => setParams(new URLSearchParams())}>
            {tc('filters.reset')}
          </Button>
        ) : null}
      </div>
    </form>
  );
}

function formatTime(iso: string, language: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'medium' }).format(date);
}

function AuditTable({
  entries,
  names,
  tr,
  linkCases,
}: {
  entries: AuditEntry[];
  names: Map<string, UserSummary>;
  tr: AuditTranslation;
  linkCases: boolean;
}) {
  const { tc, t, language } = tr;
  const columns = ['seq', 'time', 'user', 'role', 'action', 'recordType', 'recordId'];
  // On a phone the rows are cards (fd-table-cards): each cell names its column itself.
  const cell = (c: string) => ({ className: 'kern-table__cell', 'data-label': tc(`table.${c}`) });
  return (
    <div className="kern-table-responsive" tabIndex={0} role="region" aria-label={tc('table.caption')}>
      <table className="kern-table kern-table--striped fd-audit-table fd-table-cards" data-testid="audit-table">
        <caption className="kern-sr-only">{tc('table.caption')}</caption>
        <thead className="kern-table__head">
          <tr className="kern-table__row">
            {columns.map((c) => (
              <th key={c} scope="col" className="kern-table__header">
                {tc(`table.${c}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="kern-table__body">
          {entries.map((e) => {
            const person = names.get(e.user_id);
            return (
              <tr key={e.seq} className="kern-table__row" data-testid="audit-row">
                <th scope="row" className="kern-table__cell fd-audit-seq">
                  {e.seq}
                </th>
                <td {...cell('time')}>
                  <time dateTime={e.at}>{formatTime(e.at, language)}</time>
                </td>
                <td {...cell('user')}>
                  {e.user_id === 'system' ? (
                    tc('system')
                  ) : person ? (
                    <>
                      {person.display_name}
                      <span className="fd-audit-id"> {person.email}</span>
                    </>
                  ) : e.user_name ? (
                    e.user_name
                  ) : (
                    <code className="fd-audit-id">{e.user_id}</code>
                  )}
                </td>
                <td {...cell('role')}>{e.role === 'system' ? tc('system') : t(`roles.${e.role}`, { defaultValue: e.role })}</td>
                <td {...cell('action')} data-testid="audit-action">
                  {tc(`actions.${e.action}`, { defaultValue: e.action })}
                </td>
                <td {...cell('recordType')} data-testid="audit-record-type">
                  {tc(`recordTypes.${e.record_type}`, { defaultValue: e.record_type })}
                </td>
                <td {...cell('recordId')} data-testid="audit-record">
                  <RecordName entry={e} linkCases={linkCases} tr={tr} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The record an entry is about: its label (a raw id only without one), and "and 49 more" for a list. */
function RecordName({ entry, linkCases, tr }: { entry: AuditEntry; linkCases: boolean; tr: AuditTranslation }) {
  const r = recordCell(entry);
  const name = r.raw ? <code>{r.text}</code> : r.text;
  return (
    <>
      {linkCases && r.caseId ? (
        <Link className="kern-link" to={`/cases/${encodeURIComponent(r.caseId)}`}>
          {name}
        </Link>
      ) : (
        name
      )}
      {r.more > 0 ? (
        <span className="fd-audit-id" data-testid="audit-record-more">
          {tr.tc('table.more', { count: r.more })}
        </span>
      ) : null}
    </>
  );
}

function Pager({ params, cursor, next, tr }: { params: URLSearchParams; cursor: string; next: string | null; tr: AuditTranslation }) {
  const { tc } = tr;
  if (!cursor && !next) return null;
  const first = new URLSearchParams(params);
  first.delete('cursor');
  const following = new URLSearchParams(params);
  if (next) following.set('cursor', next);
  return (
    <nav className="fd-pager fd-audit-pager" aria-label={tc('paging.label')}>
      {cursor ? (
        <Link className="kern-link" to={`?${first.toString()}`}>
          <span className="kern-icon kern-icon--keyboard-double-arrow-left" aria-hidden="true" />
          {tc('paging.first')}
        </Link>
      ) : null}
      {next ? (
        <Link className="kern-link" to={`?${following.toString()}`} data-testid="audit-next">
          {tc('paging.next')}
          <span className="kern-icon kern-icon--chevron-right" aria-hidden="true" />
        </Link>
      ) : null}
    </nav>
  );
}
