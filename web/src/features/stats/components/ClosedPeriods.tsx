import { useState, type FormEvent } from 'react';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { SelectField, TextField } from '../../../components/Field';
import { Loader } from '../../../components/Loader';
import { ApiError } from '../../../lib/api';
import { useLoad } from '../../../lib/useLoad';
import { closePeriod, getCentreNames, listPeriods, revisePeriod, type ClosedPeriod, type ClosedPeriodRef } from '../api/stats';
import type { StatsTranslation } from '../i18n';
import { latestMonth, periodLabel } from '../model';

type Kind = 'month' | 'quarter' | 'year';

function formatDate(iso: string, language: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(language === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'medium', timeZone: 'Europe/Berlin' }).format(d);
}

/** "Revision n, date: reason" or "As closed on date" for revision 0. */
export function revisionText(tr: StatsTranslation, number: number, at: string, reason: string | null): string {
  const date = formatDate(at, tr.language);
  return number === 0 ? tr.tc('periods.asClosed', { date }) : tr.tc('periods.revision', { number, date, reason: reason ?? '' });
}

/** The note above a table answered from a closed period, with links to its other revisions. */
export function ClosedNote({ info, tr, onRevision }: { info: ClosedPeriodRef; tr: StatsTranslation; onRevision: (n: number) => void }) {
  const { tc } = tr;
  const others = Array.from({ length: info.latest_revision + 1 }, (_, i) => i).filter((n) => n !== info.revision);
  return (
    <div data-testid="stats-closed-note">
      <Alert tone="info" role="status" headingLevel={3}
        title={tc('periods.frozenTitle', { period: info.period, date: formatDate(info.closed_at, tr.language) })}>
        <p className="kern-body" data-testid="stats-closed-revision">
          {/* The title names the closing date already: revision 0 says only which figures these are. */}
          {info.revision === 0
            ? tc('periods.noteAsClosed')
            : revisionText(tr, info.revision, info.revision_at, info.revision_reason)}
          {info.revision < info.latest_revision ? ` ${tc('periods.notLatest')}` : ''}
        </p>
        {others.length > 0 ? (
          <p className="kern-body">
            {tc('periods.otherRevisions')}{' '}
            {others.map((n) => (
              <Button key={n} variant="tertiary" onClick={() => onRevision(n)} data-testid={`stats-show-revision-${n}`}>
                {n === 0 ? tc('periods.showClosed') : tc('periods.showRevision', { number: n })}
              </Button>
            ))}
          </p>
        ) : null}
      </Alert>
    </div>
  );
}

/**
 * The closed reporting periods the user can report on: close a period (centre lead: the centre;
 * Competence Centre: nationwide), see each one's revisions, show its figures, record a revision.
 */
export function ClosedPeriods({
  role,
  centreName,
  tr,
  onShow,
  onChanged,
}: {
  role: string;
  centreName: string | null;
  tr: StatsTranslation;
  onShow: (p: ClosedPeriod, revision?: number) => void;
  /** A period was closed or revised (the figures shown may now be answered differently). */
  onChanged?: () => void;
}) {
  const { tc } = tr;
  const [version, setVersion] = useState(0);
  const periods = useLoad(`periods-${version}`, (signal) => listPeriods(signal));
  const names = useLoad('centre-names', (signal) => getCentreNames(signal));
  const centreLabel = (id: string | null) => (id && names.status === 'done' ? names.data[id] ?? id : id ?? '');
  const canClose = role === 'centre_lead' || role === 'competence_centre';
  const [message, setMessage] = useState<string | null>(null);
  const reload = (text: string) => {
    setMessage(text);
    setVersion((v) => v + 1);
    onChanged?.();
  };
  return (
    <section className="fd-stats-periods" aria-labelledby="fd-stats-periods-title" data-testid="stats-periods">
      <h2 className="kern-heading-medium" id="fd-stats-periods-title">{tc('periods.title')}</h2>
      <p className="kern-body">{tc('periods.intro')}</p>
      {message ? <Alert tone="success" role="status" title={message} headingLevel={3} /> : null}
      {canClose ? (
        <CloseForm tr={tr} scope={role === 'centre_lead' ? tc('periods.scopeCentre', { centre: centreName ?? '' }) : tc('periods.nationwide')}
          onClosed={(p) => reload(tc('periods.closed', { period: p.period }))} />
      ) : null}
      {periods.status === 'loading' ? <Loader label={tc('loading')} /> : null}
      {periods.status === 'error' ? <ErrorMessage error={periods.error} /> : null}
      {periods.status === 'done' && periods.data.length === 0 ? (
        <p className="kern-body" data-testid="stats-periods-empty">{tc('periods.none')}</p>
      ) : null}
      {periods.status === 'done' && periods.data.length > 0 ? (
        <div className="kern-table-responsive" tabIndex={0} role="region" aria-label={tc('periods.title')}>
          <table className="kern-table fd-stats-periods__table" data-testid="stats-periods-table">
            <caption className="kern-body">{tc('periods.caption')}</caption>
            <thead className="kern-table__head">
              <tr className="kern-table__row">
                <th scope="col" className="kern-table__header">{tc('periods.period')}</th>
                <th scope="col" className="kern-table__header">{tc('periods.scope')}</th>
                <th scope="col" className="kern-table__header">{tc('periods.revisions')}</th>
                <th scope="col" className="kern-table__header">{tc('periods.actions')}</th>
              </tr>
            </thead>
            <tbody className="kern-table__body">
              {periods.data.map((p) => (
                <PeriodRow key={p.id} p={p} tr={tr} onShow={onShow} centre={centreLabel(p.centre)}
                  onRevised={(r) => reload(tc('periods.revised', { period: r.period, number: r.latest_revision }))} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function CloseForm({ tr, scope, onClosed }: { tr: StatsTranslation; scope: string; onClosed: (p: ClosedPeriod) => void }) {
  const { tc } = tr;
  const latest = latestMonth(true);
  const [kind, setKind] = useState<Kind>('month');
  const [month, setMonth] = useState(latest);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const label = /^\d{4}-\d{2}$/.test(month) ? periodLabel(kind, month) : '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!label) return;
    if (!confirming) {
      setConfirming(true);
      return;
    }
    setBusy(true);
    setError(null);
    closePeriod(label).then(
      (p) => {
        setBusy(false);
        setConfirming(false);
        onClosed(p);
      },
      (err: unknown) => {
        setBusy(false);
        setConfirming(false);
        setError(err);
      },
    );
  };
  const fieldError = error instanceof ApiError ? error.fieldErrors().period : undefined;
  return (
    <form className="fd-stats-close" onSubmit={submit} aria-label={tc('periods.closeTitle')} data-testid="stats-close-form">
      <h3 className="kern-heading-small">{tc('periods.closeTitle')}</h3>
      <p className="kern-body">{tc('periods.closeHint', { scope })}</p>
      <div className="fd-stats-close__fields">
        <SelectField label={tc('periods.kind')} value={kind} name="period-kind"
          onChange={(e) => { setKind(e.target.value as Kind); setConfirming(false); }}>
          <option value="month">{tc('periods.kinds.month')}</option>
          <option value="quarter">{tc('periods.kinds.quarter')}</option>
          <option value="year">{tc('periods.kinds.year')}</option>
        </SelectField>
        <TextField label={tc('periods.month')} type="month" value={month} max={latest} name="period-month" required
          error={fieldError} onChange={(e) => { setMonth(e.target.value); setConfirming(false); }} />
      </div>
      {confirming ? (
        <Alert tone="warning" role="alert" headingLevel={3} title={tc('periods.confirmTitle', { period: label })}>
          <p className="kern-body">{tc('periods.confirmText', { scope })}</p>
        </Alert>
      ) : null}
      {error && !fieldError ? <ErrorMessage error={error} /> : null}
      <div className="fd-stats-actions">
        <Button type="submit" busy={busy} data-testid="stats-close-submit">
          {confirming ? tc('periods.confirm', { period: label }) : tc('periods.close', { period: label })}
        </Button>
        {confirming ? (
          <Button variant="secondary" onClick={() => setConfirming(false)}>{tc('periods.cancel')}</Button>
        ) : null}
      </div>
    </form>
  );
}

function PeriodRow({ p, centre, tr, onShow, onRevised }: {
  p: ClosedPeriod;
  centre: string;
  tr: StatsTranslation;
  onShow: (p: ClosedPeriod, revision?: number) => void;
  onRevised: (p: ClosedPeriod) => void;
}) {
  const { tc } = tr;
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    revisePeriod(p.id, reason).then(
      (r) => {
        setBusy(false);
        setOpen(false);
        setReason('');
        onRevised(r);
      },
      (err: unknown) => {
        setBusy(false);
        setError(err);
      },
    );
  };
  const fieldError = error instanceof ApiError ? error.fieldErrors().reason : undefined;
  return (
    <tr className="kern-table__row" data-testid="stats-period-row">
      <th scope="row" className="kern-table__cell">{p.period}</th>
      <td className="kern-table__cell">
        {p.scope === 'nationwide' ? tc('periods.nationwide') : tc('periods.centreScope', { centre, state: p.state ?? '' })}
      </td>
      <td className="kern-table__cell">
        <ul className="fd-stats-periods__revisions">
          {p.revisions.map((r) => (
            <li key={r.number}>
              <button type="button" className="kern-link fd-stats-linkbutton" onClick={() => onShow(p, r.number)}
                data-testid={`stats-period-revision-${r.number}`}>
                {revisionText(tr, r.number, r.created_at, r.reason)}
              </button>
            </li>
          ))}
        </ul>
        {p.changed_since ? <p className="kern-body fd-stats-periods__changed" data-testid="stats-period-changed">{tc('periods.changedSince')}</p> : null}
      </td>
      <td className="kern-table__cell">
        <div className="fd-stats-periods__actions">
          <Button variant="secondary" onClick={() => onShow(p)} data-testid="stats-period-show">{tc('periods.show')}</Button>
          {p.can_revise && !open ? (
            <Button variant="secondary" onClick={() => setOpen(true)} data-testid="stats-period-revise">{tc('periods.revise')}</Button>
          ) : null}
        </div>
        {open ? (
          <form onSubmit={submit} aria-label={tc('periods.reviseTitle', { period: p.period })} data-testid="stats-revise-form">
            <TextField label={tc('periods.reason')} value={reason} name="reason" required minLength={3} maxLength={500}
              hint={tc('periods.reasonHint')} error={fieldError} onChange={(e) => setReason(e.target.value)} />
            {error && !fieldError ? <ErrorMessage error={error} /> : null}
            <div className="fd-stats-actions">
              <Button type="submit" busy={busy} data-testid="stats-revise-submit">{tc('periods.reviseSubmit')}</Button>
              <Button variant="secondary" onClick={() => setOpen(false)}>{tc('periods.cancel')}</Button>
            </div>
          </form>
        ) : null}
      </td>
    </tr>
  );
}
