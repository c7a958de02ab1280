import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { SelectField, TextField } from '../../../components/Field';
import { Loader } from '../../../components/Loader';
import { PageHeading } from '../../../components/PageHeading';
import { ApiError } from '../../../lib/api';
import { useUser } from '../../../lib/auth';
import {
  DIMENSIONS,
  exportUrl,
  getTable,
  MEASURES,
  type Dimension,
  type ClosedPeriod,
  type Figure,
  type StatsTable,
  type TableQuery,
} from '../api/stats';
import { useStatsTranslation, type StatsTranslation } from '../i18n';
import { applies, change, choosesState, isPeriod, latestMonth, previousYear, queryFromParams, shiftKey, unplacedErrors } from '../model';
import { statsServerText } from '../serverText';
import { BarChart } from './Chart';
import { AnnualReport } from './AnnualReport';
import { ClosedNote, ClosedPeriods } from './ClosedPeriods';
import '../stats.css';

const STATES = ['BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH'];

type Load =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'done'; table: StatsTable; previous: StatsTable | null };

/**
 * `/statistics`: one page for every role with statistics. Filters live in the URL; the figures
 * come from `GET /api/v1/stats/table` — exact for the own centre, protected beyond it (the server
 * decides) — as a chart and the same figures as a table, optionally beside the same period one
 * year earlier, with CSV and XLSX downloads of the same table.
 */
export function StatisticsPage() {
  const tr = useStatsTranslation();
  const { tc } = tr;
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const protectedView = user.role === 'state_coordinator' || user.role === 'programme' ||
    (user.role === 'competence_centre' && params.get('centre') !== user.centre_id);
  const query = queryFromParams(params, protectedView);
  const compare = params.get('compare') === '1' && !query.cols;
  const key = `${JSON.stringify(query)}|${compare}`;
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  // Closing a period or recording a revision changes what the same query answers (its closed
  // figures and note): the table is fetched again then, although the URL stays the same.
  const [periodsChanged, setPeriodsChanged] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setLoad({ status: 'loading' });
    Promise.all([
      getTable(query, controller.signal),
      compare ? getTable(previousYear(query), controller.signal) : Promise.resolve(null),
    ]).then(
      ([table, previous]) => !controller.signal.aborted && setLoad({ status: 'done', table, previous }),
      (error: unknown) => !controller.signal.aborted && setLoad({ status: 'error', error }),
    );
    return () => controller.abort();
    // `key` names the query.
  }, [key, periodsChanged]);

  if (tr.failed) return <ErrorMessage error={new Error('locale')} />;
  if (!tr.ready) return <Loader />;

  const title = tc('title');
  const serverErrors = Object.fromEntries(
    Object.entries(load.status === 'error' && load.error instanceof ApiError ? load.error.fieldErrors() : {})
      .map(([field, message]) => [field, statsServerText(message)]),
  );
  const placed = ['measure', 'rows', 'cols', 'from', 'to', ...(choosesState(user.role) ? ['state'] : [])];
  const unplaced = unplacedErrors(serverErrors, placed);
  const scope =
    user.role === 'advisor' || user.role === 'centre_lead'
      ? tc('scope.centre', { centre: user.centre_name ?? '' })
      : user.role === 'state_coordinator'
        ? tc('scope.state', { state: tc(`states.${user.state ?? ''}`, { defaultValue: user.state ?? '' }) })
        : protectedView
          ? tc('scope.nationwide')
          : tc('scope.centre', { centre: user.centre_name ?? '' });

  return (
    <section className="fd-page" data-testid="page-statistics">
      <PageHeading title={title} lead={scope}>
        {title}
      </PageHeading>
      <p className="kern-body fd-stats-scope" data-testid="stats-protection">
        {protectedView ? tc('protection.protected') : tc('protection.exact')}
      </p>
      <p className="kern-body">
        <Link className="kern-link" to="/statistics/esf" data-testid="open-esf-indicators">
          {user.role === 'advisor' ? tc('esfDueLink') : tc('esfLink')}
        </Link>
      </p>
      <Filters
        key={key}
        query={query}
        compare={compare}
        protectedView={protectedView}
        role={user.role}
        ownCentre={user.centre_id}
        serverErrors={serverErrors}
        onApply={(next) => setParams(next)}
        tr={tr}
      />
      {load.status === 'loading' ? <Loader label={tc('loading')} /> : null}
      {load.status === 'error' ? <ErrorMessage error={load.error} /> : null}
      {unplaced.length > 0 ? (
        <ul className="kern-list" data-testid="stats-errors">
          {unplaced.map(([field, message]) => (
            <li key={field} className="kern-body">
              {`${tc(`errorFields.${field}`, { defaultValue: field })}: ${message}`}
            </li>
          ))}
        </ul>
      ) : null}
      {load.status === 'done' ? (
        <Result table={load.table} previous={load.previous} query={query} tr={tr}
          onRevision={(n) => {
            const next = new URLSearchParams(params);
            next.set('revision', String(n));
            setParams(next);
          }} />
      ) : null}
      <AnnualReport query={query} scope={scope} tr={tr} />
      <ClosedPeriods role={user.role} centreName={user.centre_name} tr={tr} onChanged={() => setPeriodsChanged((n) => n + 1)} onShow={(p: ClosedPeriod, revision?: number) => {
        const next = new URLSearchParams(params);
        next.set('from', p.from);
        next.set('to', p.to);
        next.delete('compare');
        if (p.centre && user.role !== 'advisor' && user.role !== 'centre_lead') next.set('centre', p.centre);
        if (!p.centre && user.role !== 'competence_centre') next.delete('centre');
        if (revision === undefined) next.delete('revision');
        else next.set('revision', String(revision));
        setParams(next);
        window.scrollTo({ top: 0 });
      }} />
    </section>
  );
}

function Filters({
  query,
  compare,
  protectedView,
  role,
  ownCentre,
  serverErrors,
  onApply,
  tr,
}: {
  query: TableQuery;
  compare: boolean;
  protectedView: boolean;
  role: string;
  ownCentre: string | null;
  serverErrors: Record<string, string>;
  onApply: (p: URLSearchParams) => void;
  tr: StatsTranslation;
}) {
  const { tc } = tr;
  const [v, setV] = useState({ ...query, cols: query.cols ?? '', state: query.state ?? '', compare, own: query.centre === ownCentre && !!ownCentre });
  const latest = latestMonth(protectedView && !v.own);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = new URLSearchParams();
    p.set('measure', v.measure);
    p.set('rows', v.rows);
    if (v.cols && v.cols !== v.rows) p.set('cols', v.cols);
    p.set('from', v.from);
    p.set('to', v.to);
    // Only a role that chooses the state sends one (a state in the address of another role is dropped).
    if (v.state && choosesState(role)) p.set('state', v.state);
    if (v.own && ownCentre) p.set('centre', ownCentre);
    if (v.compare && !p.get('cols')) p.set('compare', '1');
    onApply(p);
  };
  const yearToDate = () => {
    const to = latest;
    setV({ ...v, from: `${to.slice(0, 4)}-01`, to, compare: true, cols: '' });
  };
  const dimOptions = (allowNone: boolean) => (
    <>
      {allowNone ? <option value="">{tc('none')}</option> : null}
      {DIMENSIONS.filter((d) => applies(v.measure, d)).map((d) => (
        <option key={d} value={d}>
          {tc(`dimensions.${d}`)}
        </option>
      ))}
    </>
  );
  return (
    <form className="fd-stats-filters" onSubmit={submit} aria-label={tc('filters.label')} data-testid="stats-filters">
      <SelectField label={tc('filters.measure')} value={v.measure} error={serverErrors.measure}
        onChange={(e) => setV({ ...v, measure: e.target.value as TableQuery['measure'] })} name="measure">
        {MEASURES.map((m) => (
          <option key={m} value={m}>
            {tc(`measures.${m}`)}
          </option>
        ))}
      </SelectField>
      <SelectField label={tc('filters.rows')} value={v.rows} error={serverErrors.rows}
        onChange={(e) => setV({ ...v, rows: e.target.value as Dimension })} name="rows">
        {dimOptions(false)}
      </SelectField>
      <SelectField label={tc('filters.cols')} value={v.cols} error={serverErrors.cols}
        onChange={(e) => setV({ ...v, cols: e.target.value as Dimension | '' })} name="cols">
        {dimOptions(true)}
      </SelectField>
      <TextField label={tc('filters.from')} type="month" value={v.from} max={latest} error={serverErrors.from}
        onChange={(e) => setV({ ...v, from: e.target.value })} name="from" required />
      <TextField label={tc('filters.to')} type="month" value={v.to} max={latest} error={serverErrors.to}
        onChange={(e) => setV({ ...v, to: e.target.value })} name="to" required />
      {choosesState(role) ? (
        <SelectField label={tc('filters.state')} value={v.state} error={serverErrors.state}
          onChange={(e) => setV({ ...v, state: e.target.value })} name="state">
          <option value="">{tc('allStates')}</option>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {tc(`states.${s}`)}
            </option>
          ))}
        </SelectField>
      ) : null}
      <div className="fd-stats-actions">
        {role === 'competence_centre' ? (
          <div className="kern-form-check">
            <input id="fd-stats-own" className="kern-form-check__checkbox" type="checkbox" checked={v.own}
              onChange={(e) => setV({ ...v, own: e.target.checked })} />
            <label htmlFor="fd-stats-own" className="kern-label">{tc('filters.ownCentre')}</label>
          </div>
        ) : null}
        <div className="kern-form-check">
          <input id="fd-stats-compare" className="kern-form-check__checkbox" type="checkbox" checked={v.compare}
            disabled={!!v.cols} onChange={(e) => setV({ ...v, compare: e.target.checked })} />
          <label htmlFor="fd-stats-compare" className="kern-label">{tc('filters.compare')}</label>
        </div>
        <Button type="button" variant="secondary" onClick={yearToDate}>
          {tc('filters.yearToDate')}
        </Button>
        <Button type="submit">{tc('filters.apply')}</Button>
      </div>
    </form>
  );
}

function Result({ table, previous, query, tr, onRevision }: {
  table: StatsTable;
  previous: StatsTable | null;
  query: TableQuery;
  tr: StatsTranslation;
  onRevision: (n: number) => void;
}) {
  const { tc, language } = tr;
  const money = table.measure === 'wages_recovered_cents';
  const nf = new Intl.NumberFormat(language === 'de' ? 'de-DE' : 'en-GB', money ? { style: 'currency', currency: 'EUR' } : {});
  const format = (n: number) => nf.format(money ? n / 100 : n);
  const label = (dim: Dimension, key: string) => keyLabel(dim, key, tr);
  const show = (f: Figure | undefined) => (!f ? '–' : f.suppressed || f.value === null ? '·' : format(f.value));
  const two = table.cols !== null;
  const colKeys = two ? table.col_totals.map((c) => c.col) : [];
  const cell = (row: string, col: string | null) => table.cells.find((c) => c.row === row && c.col === col);
  const prev = (row: string) => previous?.row_totals.find((r) => r.row === shiftKey(table.rows, row, -1));
  const caption = `${tc(`measures.${table.measure}`)} ${tc('by')} ${tc(`dimensions.${table.rows}`)}${
    two ? ` ${tc('and')} ${tc(`dimensions.${table.cols}`)}` : ''}, ${table.from} – ${table.to}`;
  const points = table.row_totals.map((r) => ({
    key: r.row,
    label: label(table.rows, r.row),
    value: r.suppressed ? null : r.value,
    ...(previous ? { previous: prev(r.row)?.value ?? null } : {}),
  }));
  if (table.row_totals.length === 0) {
    return (
      <>
        {table.closed_period ? <ClosedNote info={table.closed_period} tr={tr} onRevision={onRevision} /> : null}
        <p className="kern-body" role="status" data-testid="stats-empty">{tc('empty')}</p>
      </>
    );
  }
  return (
    <>
      {table.closed_period ? <ClosedNote info={table.closed_period} tr={tr} onRevision={onRevision} /> : null}
      {table.protected ? <p className="kern-body" data-testid="stats-protected-note">{tc('protection.note')}</p> : null}
      <BarChart points={points} title={caption} format={format} suppressedText={tc('suppressed')}
        previousLabel={tc('previousYear')} currentLabel={tc('currentPeriod')} line={isPeriod(table.rows)} />
      <div className="kern-table-responsive" tabIndex={0} role="region" aria-label={caption}>
        <table className="kern-table kern-table--striped fd-stats-table" data-testid="stats-table">
          <caption className="kern-body">{caption}</caption>
          <thead className="kern-table__head">
            <tr className="kern-table__row">
              <th scope="col" className="kern-table__header">{tc(`dimensions.${table.rows}`)}</th>
              {two ? colKeys.map((c) => (
                <th key={c} scope="col" className="kern-table__header" data-numeric>{label(table.cols as Dimension, c)}</th>
              )) : null}
              <th scope="col" className="kern-table__header" data-numeric>{two ? tc('total') : tc(`measures.${table.measure}`)}</th>
              {previous ? (
                <>
                  <th scope="col" className="kern-table__header" data-numeric>{tc('previousYear')}</th>
                  <th scope="col" className="kern-table__header" data-numeric>{tc('change')}</th>
                </>
              ) : null}
            </tr>
          </thead>
          <tbody className="kern-table__body">
            {table.row_totals.map((r) => {
              const p = prev(r.row);
              const delta = change(r.suppressed ? null : r.value, p && !p.suppressed ? p.value : null);
              return (
                <tr key={r.row} className="kern-table__row" data-testid="stats-row">
                  <th scope="row" className="kern-table__cell">{label(table.rows, r.row)}</th>
                  {two ? colKeys.map((c) => <td key={c} className="kern-table__cell">{show(cell(r.row, c))}</td>) : null}
                  <td className="kern-table__cell" data-testid="stats-row-total">{show(r)}</td>
                  {previous ? (
                    <>
                      <td className="kern-table__cell">{show(p)}</td>
                      <td className="kern-table__cell">{delta === null ? '–' : `${delta > 0 ? '+' : ''}${delta} %`}</td>
                    </>
                  ) : null}
                </tr>
              );
            })}
            <tr className="kern-table__row">
              <th scope="row" className="kern-table__cell">{tc('total')}</th>
              {two ? table.col_totals.map((c) => <td key={c.col} className="kern-table__cell">{show(c)}</td>) : null}
              <td className="kern-table__cell" data-testid="stats-total">{show(table.total)}</td>
              {previous ? (
                <>
                  <td className="kern-table__cell">{show(previous.total)}</td>
                  <td className="kern-table__cell">{(() => {
                    const d = change(table.total.suppressed ? null : table.total.value, previous.total.suppressed ? null : previous.total.value);
                    return d === null ? '–' : `${d > 0 ? '+' : ''}${d} %`;
                  })()}</td>
                </>
              ) : null}
            </tr>
          </tbody>
        </table>
      </div>
      <p className="kern-body">{tc('legend')}</p>
      <div className="fd-stats-exports" data-testid="stats-exports">
        <a className="kern-link" href={exportUrl(query, 'csv', language)} download>{tc('export.csv')}</a>
        <a className="kern-link" href={exportUrl(query, 'csv-semicolon', language)} download>{tc('export.csvSemicolon')}</a>
        <a className="kern-link" href={exportUrl(query, 'xlsx', language)} download>{tc('export.xlsx')}</a>
        <a className="kern-link" href={exportUrl(query, 'pdf', language)} download>{tc('export.pdf')}</a>
      </div>
    </>
  );
}

/** A readable label of a dimension value: translated codes, country and language names. */
function keyLabel(dim: Dimension, key: string, tr: StatsTranslation): string {
  const { tc, language } = tr;
  if (key === 'unknown') return tc('values.unknown');
  try {
    if (dim === 'nationality' && /^[A-Z]{2}$/.test(key)) {
      return new Intl.DisplayNames([language], { type: 'region' }).of(key) ?? key;
    }
    if (dim === 'language' && /^[a-z]{2,3}$/.test(key)) {
      return new Intl.DisplayNames([language], { type: 'language' }).of(key) ?? key;
    }
  } catch {
    return key;
  }
  if (dim === 'state') return tc(`states.${key}`, { defaultValue: key });
  if (dim === 'month' || dim === 'quarter' || dim === 'year' || dim === 'centre' || dim === 'sector') return key;
  return tc(`values.${dim}.${key}`, { defaultValue: key });
}
