import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { Loader } from '../../../components/Loader';
import { PageHeading } from '../../../components/PageHeading';
import { useUser } from '../../../lib/auth';
import {
  SCOPES,
  createFeed,
  feedStatus,
  formatSession,
  formatTimestamp,
  listEvents,
  listNotifications,
  revokeFeed,
  useLoad,
} from '../api/events';
import { useEventsTranslation } from '../i18n';
import { StatusBadge } from './StatusBadge';
import '../events.css';

/** `/events`: trainings, meetings and client events the user may see; scope tabs in the URL. */
export function EventsPage() {
  const tr = useEventsTranslation();
  const { tc, language } = tr;
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const scope = params.get('scope') ?? 'upcoming';
  const list = useLoad(`events?${scope}`, (signal) => listEvents(scope, signal));
  const notes = useLoad('event-notifications', (signal) => listNotifications(signal));
  const organiser = ['competence_centre', 'centre_lead', 'advisor'].includes(user.role) && !!user.centre_id;

  if (tr.failed) return <ErrorMessage error={new Error('locale')} />;
  if (!tr.ready) return <Loader />;
  const title = tc('list.title');
  return (
    <section className="fd-page" data-testid="page-events">
      <PageHeading title={title} lead={tc('list.lead')}>
        {title}
      </PageHeading>
      {organiser ? (
        <p>
          <Link className="kern-btn kern-btn--primary" to="/events/new" data-testid="new-event">
            <span className="kern-label">{tc('list.new')}</span>
          </Link>
        </p>
      ) : null}
      {notes.status === 'done' && notes.data.some((n) => !n.read) ? (
        <Alert tone="info" role="status" title={tc('notifications.title')}>
          <ul className="fd-ev-notes" data-testid="event-notifications">
            {notes.data
              .filter((n) => !n.read)
              .slice(0, 5)
              .map((n) => (
                <li key={n.id}>
                  <Link className="kern-link" to={`/events/${encodeURIComponent(n.event_id)}`}>
                    {tc(`notifications.${n.kind}`, { title: n.event_title })}
                  </Link>{' '}
                  <span className="fd-ev-muted">{formatTimestamp(n.created_at, language)}</span>
                </li>
              ))}
          </ul>
        </Alert>
      ) : null}
      <nav className="fd-ev-tabs" aria-label={tc('list.scopes')}>
        {SCOPES.map((s) => (
          <button
            key={s}
            type="button"
            className={`kern-btn kern-btn--${s === scope ? 'primary' : 'tertiary'}`}
            aria-pressed={s === scope}
            onClick={() => setParams(s === 'upcoming' ? {} : { scope: s })}
          >
            <span className="kern-label">{tc(`scope.${s}`)}</span>
          </button>
        ))}
      </nav>
      {list.status === 'loading' ? <Loader /> : null}
      {list.status === 'error' ? <ErrorMessage error={list.error} /> : null}
      {list.status === 'done' && list.data.length === 0 ? (
        <p className="kern-body" role="status">
          {tc('list.none')}
        </p>
      ) : null}
      {list.status === 'done' && list.data.length ? (
        <ul className="fd-ev-cards" data-testid="event-list">
          {list.data.map((e) => (
            <li key={e.id} className="fd-ev-card" data-testid="event-card">
              <h2 className="kern-title kern-title--small">
                <Link className="kern-link" to={`/events/${encodeURIComponent(e.id)}`}>
                  {e.title}
                </Link>
              </h2>
              <p className="kern-body">
                {tc(`kind.${e.kind}`)} · {e.organiser_name}
              </p>
              {e.sessions[0] ? <p className="kern-body">{formatSession(e.sessions[0], language)}</p> : null}
              <p className="kern-body">
                <StatusBadge status={e.status} tc={tc} />{' '}
                {e.status === 'published'
                  ? e.seats_left > 0
                    ? tc('seats.left', { count: e.seats_left })
                    : tc('seats.full', { count: e.waitlisted })
                  : null}
              </p>
            </li>
          ))}
        </ul>
      ) : null}
      <CalendarFeed />
    </section>
  );
}

function CalendarFeed() {
  const { tc } = useEventsTranslation();
  const status = useLoad('event-feed', (signal) => feedStatus(signal));
  const [links, setLinks] = useState<{ registrations_path: string; events_path: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const origin = window.location.origin;
  return (
    <section className="fd-ev-feed" aria-labelledby="ev-feed-title">
      <h2 className="kern-title kern-title--small" id="ev-feed-title">
        {tc('feed.title')}
      </h2>
      <p className="kern-body">{tc('feed.lead')}</p>
      <ErrorMessage error={error} headingLevel={3} />
      {links ? (
        <dl className="fd-ev-links" data-testid="feed-links">
          <dt>{tc('feed.registrations')}</dt>
          <dd>
            <code>{origin + links.registrations_path}</code>
          </dd>
          <dt>{tc('feed.events')}</dt>
          <dd>
            <code>{origin + links.events_path}</code>
          </dd>
        </dl>
      ) : status.status === 'done' && status.data.active ? (
        <p className="kern-body">{tc('feed.active')}</p>
      ) : null}
      <div className="fd-ev-actions">
        <Button
          variant="secondary"
          onClick={() =>
            createFeed().then(
              (l) => {
                setLinks(l);
                setError(null);
              },
              setError,
            )
          }
        >
          {tc(status.status === 'done' && status.data.active ? 'feed.renew' : 'feed.create')}
        </Button>
        {status.status === 'done' && (status.data.active || links) ? (
          <Button
            variant="tertiary"
            onClick={() =>
              revokeFeed().then(() => {
                setLinks(null);
                status.reload();
              }, setError)
            }
          >
            {tc('feed.revoke')}
          </Button>
        ) : null}
      </div>
    </section>
  );
}
