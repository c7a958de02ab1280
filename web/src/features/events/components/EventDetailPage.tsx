import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { SelectField, TextField } from '../../../components/Field';
import { Loader } from '../../../components/Loader';
import { PageHeading } from '../../../components/PageHeading';
import { ApiError } from '../../../lib/api';
import {
  GENDERS,
  LANGUAGES,
  acceptOffer,
  calendarUrl,
  cancelEvent,
  cancelRegistration,
  certificateUrl,
  completeEvent,
  declineOffer,
  formatDate,
  formatSession,
  formatTimestamp,
  getEvent,
  getHeadCounts,
  getTopics,
  listRegistrations,
  publishEvent,
  register,
  setHeadCounts,
  topicName,
  useLoad,
  type EventItem,
  type HeadCount,
  type Registration,
} from '../api/events';
import { useEventsTranslation } from '../i18n';
import { LinkedMaterial } from './KnowledgeMaterial';
import { StatusBadge } from './StatusBadge';
import '../events.css';

/** `/events/:id`: the event, the caller's registration and, for the organiser, the participants. */
export function EventDetailPage() {
  const tr = useEventsTranslation();
  const { tc, language } = tr;
  const { id = '' } = useParams();
  const event = useLoad(`event:${id}`, (signal) => getEvent(id, signal));
  const taxonomy = useLoad('event-topics', () => getTopics());
  const topics = taxonomy.status === 'done' ? taxonomy.data : [];
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  if (tr.failed) return <ErrorMessage error={new Error('locale')} />;
  if (!tr.ready || event.status === 'loading') return <Loader />;
  if (event.status === 'error') return <ErrorMessage error={event.error} />;
  const e = event.data;
  const run = (action: () => Promise<unknown>, message: string) => {
    setError(null);
    setNotice(null);
    action().then(
      () => {
        setNotice(message);
        event.reload();
      },
      (err: unknown) => {
        setError(err);
        event.reload();
      },
    );
  };
  const mine = e.my_registration;

  return (
    <section className="fd-page" data-testid="page-event">
      <PageHeading title={e.title} lead={`${tc(`kind.${e.kind}`)} · ${e.organiser_name}`}>
        {e.title}
      </PageHeading>
      <p>
        <StatusBadge status={e.status} tc={tc} />
      </p>
      {e.status === 'cancelled' ? (
        <Alert tone="danger" title={tc('detail.cancelled')}>
          {e.cancel_reason ? <p className="kern-body">{e.cancel_reason}</p> : null}
        </Alert>
      ) : null}
      {notice ? <Alert tone="success" role="status" title={notice} /> : null}
      {error ? <ActionError error={error} /> : null}
      {e.description ? <p className="kern-body">{e.description}</p> : null}
      <dl className="fd-ev-facts" data-testid="event-facts">
        <dt>{tc('fields.sessions')}</dt>
        <dd>
          <ul>
            {e.sessions.map((s) => (
              <li key={s.id}>
                {formatSession(s, language)}
                {s.place ? ` · ${s.place}` : ''}
                {s.online_url ? (
                  <>
                    {' · '}
                    <a className="kern-link" href={s.online_url} rel="noreferrer noopener" target="_blank">
                      {tc('detail.online')}
                    </a>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </dd>
        <dt>{tc('fields.languages')}</dt>
        <dd>{e.languages.map((l) => tc(`language.${l}`)).join(', ')}</dd>
        <dt>{tc('fields.audience')}</dt>
        <dd>{tc(`audience.${e.audience}`)}{e.audience_state ? ` (${e.audience_state})` : ''}</dd>
        {e.partner ? (
          <>
            <dt>{tc('fields.partner')}</dt>
            <dd>{e.partner}</dd>
          </>
        ) : null}
        {e.topics.length > 0 ? (
          <>
            <dt>{tc('fields.topics')}</dt>
            <dd data-testid="event-topics">{e.topics.map((code) => topicName(topics, code, language)).join(', ')}</dd>
          </>
        ) : null}
        <LinkedMaterial ids={e.knowledge_ids ?? []} language={language} tc={tc} />
        <dt>{tc('fields.deadline')}</dt>
        <dd>{formatDate(e.registration_deadline, language)}</dd>
        <dt>{tc('fields.capacity')}</dt>
        <dd data-testid="event-seats">
          {tc('detail.seats', { capacity: e.capacity, confirmed: e.confirmed, offered: e.offered, waitlisted: e.waitlisted })}
        </dd>
      </dl>
      <div className="fd-ev-actions">
        <a className="kern-link" href={calendarUrl(e.id)} download="event.ics" data-testid="calendar-link">
          {tc('detail.calendar')}
        </a>
      </div>

      {e.can_register_self && e.status === 'published' ? (
        <section aria-labelledby="ev-mine">
          <h2 className="kern-title kern-title--small" id="ev-mine">
            {tc('detail.mine')}
          </h2>
          {!mine ? (
            <Button onClick={() => run(() => register(e.id), tc('detail.registered'))} data-testid="register">
              {e.seats_left > 0 ? tc('detail.register') : tc('detail.joinList')}
            </Button>
          ) : (
            <MyRegistration event={e} mine={mine} run={run} />
          )}
        </section>
      ) : null}
      {mine && mine.status === 'attended' && e.kind === 'training' ? (
        <p>
          <a className="kern-link" href={certificateUrl(e.id, mine.id)} data-testid="my-certificate">
            {tc('detail.certificate')}
          </a>
        </p>
      ) : null}

      {e.can_manage ? <Organiser event={e} run={run} /> : null}
      {e.can_register_clients && e.status === 'published' ? <ClientRegistration event={e} run={run} /> : null}
      {e.can_manage && !['training', 'networking_meeting'].includes(e.kind) ? <HeadCounts event={e} /> : null}
    </section>
  );
}

type Run = (action: () => Promise<unknown>, message: string) => void;

function ActionError({ error }: { error: unknown }) {
  const { tc } = useEventsTranslation();
  if (error instanceof ApiError && (error.status === 422 || error.status === 409)) {
    const fields = error.problem?.errors ?? [];
    return (
      <Alert tone="danger" role="alert" title={tc('detail.failed')}>
        <p className="kern-body">{error.problem?.detail}</p>
        {fields.length ? (
          <ul>
            {fields.map((f) => (
              <li key={f.field}>
                <code>{f.field}</code>: {f.message}
              </li>
            ))}
          </ul>
        ) : null}
      </Alert>
    );
  }
  return <ErrorMessage error={error} />;
}

function MyRegistration({ event, mine, run }: { event: EventItem; mine: Registration; run: Run }) {
  const { tc, language } = useEventsTranslation();
  return (
    <div data-testid="my-registration">
      <p className="kern-body">
        <StatusBadge status={mine.status} tc={tc} />{' '}
        {mine.status === 'waitlisted' && mine.position ? tc('detail.position', { position: mine.position }) : null}
        {mine.status === 'offered' && mine.offer_expires_at
          ? tc('detail.offerUntil', { until: formatTimestamp(mine.offer_expires_at, language) })
          : null}
      </p>
      <div className="fd-ev-actions">
        {mine.status === 'offered' ? (
          <>
            <Button onClick={() => run(() => acceptOffer(event.id, mine.id), tc('detail.accepted'))}>{tc('detail.accept')}</Button>
            <Button variant="secondary" onClick={() => run(() => declineOffer(event.id, mine.id), tc('detail.declined'))}>
              {tc('detail.decline')}
            </Button>
          </>
        ) : null}
        {mine.status === 'confirmed' ? (
          <Button variant="secondary" onClick={() => run(() => cancelRegistration(event.id, mine.id), tc('detail.cancelledMine'))}>
            {tc('detail.cancelMine')}
          </Button>
        ) : null}
        {mine.status === 'waitlisted' ? (
          <Button variant="secondary" onClick={() => run(() => cancelRegistration(event.id, mine.id), tc('detail.leftList'))}>
            {tc('detail.leaveList')}
          </Button>
        ) : null}
      </div>
    </div>
  );
}

function Organiser({ event, run }: { event: EventItem; run: Run }) {
  const { tc } = useEventsTranslation();
  const regs = useLoad(`regs:${event.id}:${event.sequence}:${event.confirmed}:${event.waitlisted}:${event.offered}`, (signal) =>
    listRegistrations(event.id, signal),
  );
  const [reason, setReason] = useState('');
  return (
    <section aria-labelledby="ev-organiser" data-testid="organiser">
      <h2 className="kern-title kern-title--small" id="ev-organiser">
        {tc('organiser.title')}
      </h2>
      <div className="fd-ev-actions">
        {event.status === 'draft' ? (
          <Button onClick={() => run(() => publishEvent(event.id), tc('organiser.published'))} data-testid="publish">
            {tc('organiser.publish')}
          </Button>
        ) : null}
        {['draft', 'published'].includes(event.status) ? (
          <Link className="kern-btn kern-btn--secondary" to={`/events/${encodeURIComponent(event.id)}/edit`}>
            <span className="kern-label">{tc('organiser.edit')}</span>
          </Link>
        ) : null}
        {event.status === 'published' ? (
          <Link className="kern-btn kern-btn--secondary" to={`/events/${encodeURIComponent(event.id)}/check-in`} data-testid="check-in-link">
            <span className="kern-label">{tc('organiser.checkIn')}</span>
          </Link>
        ) : null}
        {event.status === 'published' && event.sessions[0] && Date.parse(event.sessions[0].start_utc) <= Date.now() ? (
          <Button variant="secondary" onClick={() => run(() => completeEvent(event.id), tc('organiser.completed'))}>
            {tc('organiser.complete')}
          </Button>
        ) : null}
      </div>
      {['draft', 'published'].includes(event.status) ? (
        <div className="fd-ev-actions">
          <TextField id="ev-cancel-reason" label={tc('organiser.reason')} value={reason} onChange={(e) => setReason(e.target.value)} />
          <Button variant="tertiary" onClick={() => run(() => cancelEvent(event.id, reason), tc('organiser.cancelled'))} data-testid="cancel-event">
            {tc('organiser.cancel')}
          </Button>
        </div>
      ) : null}
      <h3 className="kern-title kern-title--small">{tc('organiser.participants')}</h3>
      {regs.status === 'error' ? <ErrorMessage error={regs.error} headingLevel={3} /> : null}
      {regs.status === 'done' ? (
        regs.data.length === 0 ? (
          <p className="kern-body">{tc('organiser.none')}</p>
        ) : (
          <div className="kern-table-responsive">
            <table className="kern-table kern-table--striped" data-testid="participants">
              <caption className="kern-sr-only">{tc('organiser.participants')}</caption>
              <thead className="kern-table__head">
                <tr className="kern-table__row">
                  {['participant', 'status', 'position', 'actions'].map((c) => (
                    <th key={c} scope="col" className="kern-table__header">
                      {tc(`organiser.columns.${c}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="kern-table__body">
                {regs.data.map((r) => (
                  <tr key={r.id} className="kern-table__row" data-testid="participant-row">
                    <th scope="row" className="kern-table__cell">
                      {r.name ?? r.client_code ?? tc('organiser.anonymised')}
                    </th>
                    <td className="kern-table__cell">
                      <StatusBadge status={r.status} tc={tc} />
                    </td>
                    <td className="kern-table__cell">{r.position ?? ''}</td>
                    <td className="kern-table__cell">
                      {['confirmed', 'waitlisted', 'offered'].includes(r.status) ? (
                        <Button variant="tertiary" onClick={() => run(() => cancelRegistration(event.id, r.id), tc('organiser.registrationCancelled'))}>
                          {tc('organiser.cancelRegistration')}
                        </Button>
                      ) : null}
                      {r.status === 'attended' && event.kind === 'training' ? (
                        <a className="kern-link" href={certificateUrl(event.id, r.id)} data-testid="certificate-link">
                          {tc('detail.certificate')}
                        </a>
                      ) : null}
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

function ClientRegistration({ event, run }: { event: EventItem; run: Run }) {
  const { tc } = useEventsTranslation();
  const [code, setCode] = useState('');
  return (
    <section aria-labelledby="ev-clients">
      <h2 className="kern-title kern-title--small" id="ev-clients">
        {tc('clients.title')}
      </h2>
      <form
        className="fd-ev-actions"
        onSubmit={(ev) => {
          ev.preventDefault();
          run(() => register(event.id, code.trim()), tc('clients.registered'));
          setCode('');
        }}
      >
        <TextField id="ev-client-code" label={tc('clients.code')} value={code} onChange={(e) => setCode(e.target.value)} />
        <Button type="submit">{tc('clients.register')}</Button>
      </form>
    </section>
  );
}

function HeadCounts({ event }: { event: EventItem }) {
  const { tc } = useEventsTranslation();
  const current = useLoad(`heads:${event.id}`, (signal) => getHeadCounts(event.id, signal));
  const [rows, setRows] = useState<HeadCount[] | null>(null);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (current.status !== 'done') return current.status === 'error' ? <ErrorMessage error={current.error} /> : null;
  const data = rows ?? (current.data.length ? current.data : event.languages.flatMap((l) => GENDERS.slice(0, 2).map((g) => ({ language: l, gender: g, count: 0 }))));
  const update = (i: number, patch: Partial<HeadCount>) => {
    setSaved(false);
    setRows(data.map((r, n) => (n === i ? { ...r, ...patch } : r)));
  };
  return (
    <section aria-labelledby="ev-heads" data-testid="head-counts">
      <h2 className="kern-title kern-title--small" id="ev-heads">
        {tc('heads.title')}
      </h2>
      <p className="kern-hint">{tc('heads.lead')}</p>
      {error ? <ActionError error={error} /> : null}
      {saved ? <Alert tone="success" role="status" title={tc('heads.saved')} /> : null}
      <div className="fd-ev-heads">
        {data.map((r, i) => (
          <fieldset key={i} className="kern-fieldset fd-ev-headrow">
            <legend className="kern-sr-only">{tc('heads.row', { n: i + 1 })}</legend>
            <SelectField id={`hc-${i}-language`} label={tc('heads.language', { n: i + 1 })} value={r.language} onChange={(e) => update(i, { language: e.target.value })}>
              {LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {tc(`language.${l}`)}
                </option>
              ))}
            </SelectField>
            <SelectField id={`hc-${i}-gender`} label={tc('heads.gender', { n: i + 1 })} value={r.gender} onChange={(e) => update(i, { gender: e.target.value })}>
              {GENDERS.map((g) => (
                <option key={g} value={g}>
                  {tc(`gender.${g}`)}
                </option>
              ))}
            </SelectField>
            <TextField
              id={`hc-${i}-count`}
              type="number"
              min={0}
              label={tc('heads.count', { language: tc(`language.${r.language}`), gender: tc(`gender.${r.gender}`) })}
              value={String(r.count)}
              onChange={(e) => update(i, { count: Number(e.target.value) })}
            />
            <Button variant="tertiary" onClick={() => setRows(data.filter((_, n) => n !== i))}>
              {tc('heads.remove', { n: i + 1 })}
            </Button>
          </fieldset>
        ))}
      </div>
      <Button variant="secondary" onClick={() => setRows([...data, { language: event.languages[0] ?? 'de', gender: 'female', count: 0 }])}>
        {tc('heads.add')}
      </Button>
      <div className="fd-ev-actions">
        <Button
          onClick={() =>
            setHeadCounts(event.id, data.map(({ language, gender, count }) => ({ language, gender, count }))).then(() => {
              setSaved(true);
              setError(null);
            }, setError)
          }
          data-testid="save-head-counts"
        >
          {tc('heads.save')}
        </Button>
      </div>
    </section>
  );
}
