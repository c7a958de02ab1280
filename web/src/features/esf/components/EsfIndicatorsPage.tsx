import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { TextField } from '../../../components/Field';
import { Loader } from '../../../components/Loader';
import { PageHeading } from '../../../components/PageHeading';
import { ApiError } from '../../../lib/api';
import { useUser } from '../../../lib/auth';
import { useLoad } from '../../../lib/useLoad';
import { ClosedNote } from '../../stats/components/ClosedPeriods';
import { useStatsTranslation } from '../../stats/i18n';
import { GENDERS, getIndicators, indicatorsPath, recordsPath, scopeParams, type IndicatorScope } from '../api/esf';
import { formatMonth, lastCompleteMonth, showFigure, startOfYear } from '../format';
import { useEsfTranslation } from '../i18n';
import { esfServerText } from '../serverText';
import { EsfDueList } from './EsfDueList';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
/** Indicator codes of the SFC2021 system; context rows (refusals, leavers) have none on screen. */
const SFC_CODE = /^EEC[OR]\d{2}$/;

/**
 * `/statistics/esf`: the ESF Plus common indicators of a period (the months in the URL) with CSV and
 * XLSX; for the centre lead also the pseudonymised records; for advisors and centre leads the
 * results still to be recorded. Advisors see only the latter (the centre lead exports).
 */
export function EsfIndicatorsPage() {
  const tr = useEsfTranslation();
  const { tc, t, language } = tr;
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const latest = lastCompleteMonth(new Date());
  const from = MONTH.test(params.get('from') ?? '') ? params.get('from')! : startOfYear(latest);
  const to = MONTH.test(params.get('to') ?? '') ? params.get('to')! : latest;
  const competence = user.role === 'competence_centre';
  // The Competence Centre may narrow the table to its own centre: exact figures, as in the statistics.
  const own = competence && !!user.centre_id && params.get('centre') === user.centre_id;
  const revision = /^\d{1,4}$/.test(params.get('revision') ?? '') ? params.get('revision')! : undefined;
  const scopeQuery: IndicatorScope = { centre: own ? user.centre_id! : undefined, revision };
  const [draft, setDraft] = useState({ from, to, own });
  const advisor = user.role === 'advisor';
  // Whoever records participants (advisors, centre leads, the Competence Centre's own centre).
  const centreStaff = advisor || user.role === 'centre_lead' || competence;
  const load = useLoad(`esf-indicators:${from}:${to}:${own}:${revision ?? ''}`,
    (signal) => getIndicators(from, to, scopeQuery, signal), !advisor);
  const statsTr = useStatsTranslation();

  if (tr.failed || statsTr.failed) return <ErrorMessage error={new Error('locale')} />;
  if (!tr.ready || !statsTr.ready) return <Loader />;
  const title = advisor ? tc('due.pageTitle') : tc('indicators.title');
  const scope = advisor
    ? tc('indicators.forbidden')
    : user.role === 'centre_lead' || own
      ? tc('indicators.scopeCentre')
      : user.role === 'state_coordinator'
        ? tc('indicators.scopeState', { state: t(`states.${user.state ?? ''}`, { defaultValue: user.state ?? '' }) })
        : tc('indicators.scopeNationwide');

  function apply(event: FormEvent) {
    event.preventDefault();
    const next: Record<string, string> = { from: draft.from, to: draft.to };
    if (draft.own && user.centre_id) next.centre = user.centre_id;
    setParams(next);
  }

  function showRevision(n: number) {
    const next = new URLSearchParams(params);
    next.set('revision', String(n));
    setParams(next);
  }

  const exportScope = scopeParams(scopeQuery);

  const forbidden = load.status === 'error' && load.error instanceof ApiError && load.error.status === 403;
  const fieldErrors = load.status === 'error' && load.error instanceof ApiError ? load.error.fieldErrors() : {};
  // The months are fields of the form; any other refusal is shown as the page's error.
  const monthErrors = Boolean(fieldErrors.from || fieldErrors.to);
  const caption = tc('indicators.caption', { from: formatMonth(from, language), to: formatMonth(to, language) });

  return (
    <section className="fd-page" data-testid="page-esf-indicators">
      <PageHeading title={title} lead={forbidden ? undefined : scope}>
        {title}
      </PageHeading>
      <p className="kern-body">
        <Link className="kern-link" to="/statistics">
          <span className="kern-icon kern-icon--arrow-back" aria-hidden="true" />
          {tc('indicators.back')}
        </Link>
      </p>
      {centreStaff ? <EsfDueList /> : null}
      {advisor ? null : forbidden ? (
        <p className="kern-body" data-testid="esf-forbidden">{tc('indicators.forbidden')}</p>
      ) : (
        <>
          <p className="kern-body">{tc('indicators.basis')}</p>
          <form className="fd-panel" onSubmit={apply} noValidate data-testid="esf-period">
            <TextField id="esf-from" type="month" label={tc('indicators.from')} value={draft.from} error={fieldErrors.from ? esfServerText(fieldErrors.from) : undefined}
              onChange={(e) => setDraft((d) => ({ ...d, from: e.target.value }))} />
            <TextField id="esf-to" type="month" label={tc('indicators.to')} value={draft.to} error={fieldErrors.to ? esfServerText(fieldErrors.to) : undefined}
              onChange={(e) => setDraft((d) => ({ ...d, to: e.target.value }))} />
            {competence && user.centre_id ? (
              <div className="kern-form-check">
                <input id="esf-own" className="kern-form-check__checkbox" type="checkbox" checked={draft.own}
                  data-testid="esf-own-centre" onChange={(e) => setDraft((d) => ({ ...d, own: e.target.checked }))} />
                <label htmlFor="esf-own" className="kern-label">{tc('indicators.ownCentre')}</label>
              </div>
            ) : null}
            <Button type="submit" variant="secondary">{tc('indicators.show')}</Button>
          </form>
          {load.status === 'loading' ? <Loader /> : null}
          {load.status === 'error' && !monthErrors ? <ErrorMessage error={load.error} /> : null}
          {load.status === 'done' ? (
            <>
              {load.data.closed_period ? <ClosedNote info={load.data.closed_period} tr={statsTr} onRevision={showRevision} /> : null}
              {load.data.protected ? <p className="kern-body" data-testid="esf-protected-note">{tc('indicators.protectedNote')}</p> : null}
              <p className="kern-body">
                <Download testId="esf-csv" label={tc('indicators.csv')}
                  href={indicatorsPath(from, to, { ...exportScope, format: 'csv', delimiter: language === 'de' ? 'semicolon' : 'comma', lang: language === 'de' ? 'de' : 'en' })} />
                {' · '}
                <Download testId="esf-xlsx" label={tc('indicators.xlsx')}
                  href={indicatorsPath(from, to, { ...exportScope, format: 'xlsx', lang: language === 'de' ? 'de' : 'en' })} />
                {user.role === 'centre_lead' ? (
                  <>
                    {' · '}
                    <Download testId="esf-records" label={tc('indicators.records')}
                      href={recordsPath(from, to, { format: 'csv', delimiter: language === 'de' ? 'semicolon' : 'comma' })} />
                  </>
                ) : null}
              </p>
              <div className="kern-table-responsive" tabIndex={0} role="region" aria-label={caption}>
                <table className="kern-table kern-table--striped" data-testid="esf-table">
                  <caption className="kern-body">{caption}</caption>
                  <thead className="kern-table__head">
                    <tr className="kern-table__row">
                      <th scope="col" className="kern-table__header">{tc('indicators.code')}</th>
                      <th scope="col" className="kern-table__header">{tc('indicators.indicator')}</th>
                      {GENDERS.map((g) => (
                        <th key={g} scope="col" className="kern-table__header" data-numeric>{tc(`indicators.genders.${g}`)}</th>
                      ))}
                      <th scope="col" className="kern-table__header" data-numeric>{tc('indicators.total')}</th>
                    </tr>
                  </thead>
                  <tbody className="kern-table__body">
                    {load.data.rows.map((r) => (
                      <tr key={r.code} className="kern-table__row" data-testid={`esf-row-${r.code}`}>
                        <td className="kern-table__cell">{SFC_CODE.test(r.code) ? r.code : '–'}</td>
                        <th scope="row" className="kern-table__cell">{language === 'de' ? r.label_de : r.label_en}</th>
                        {GENDERS.map((g) => (
                          <td key={g} className="kern-table__cell" data-numeric>
                            <Value f={r.by_gender[g]} language={language} hidden={tc('indicators.suppressed')} />
                          </td>
                        ))}
                        <td className="kern-table__cell" data-numeric data-testid="esf-total">
                          <Value f={r.total} language={language} hidden={tc('indicators.suppressed')} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ) : null}
        </>
      )}
    </section>
  );
}

function Value({ f, language, hidden }: { f: { value: number | null; suppressed: boolean }; language: string; hidden: string }) {
  if (f.suppressed) {
    return (
      <>
        <span aria-hidden="true">·</span>
        <span className="kern-sr-only">{hidden}</span>
      </>
    );
  }
  return <>{showFigure(f, language)}</>;
}

function Download({ href, label, testId }: { href: string; label: string; testId: string }) {
  return (
    <a className="kern-link" data-testid={testId} download href={href}>
      <span className="kern-icon kern-icon--download" aria-hidden="true" />
      {label}
    </a>
  );
}
