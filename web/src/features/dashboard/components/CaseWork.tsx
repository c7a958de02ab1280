/** The dashboard panels of advisors, centre leads and the competence centre. */
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { Loader } from '../../../components/Loader';
import type { User } from '../../../lib/auth';
import { canAccess } from '../../../lib/roles';
import { DASHBOARD_CASES, getDueDeadlines, getEscalations, getMyOpenCases, useLoad, type CaseItem, type DueDeadline, type Loadable } from '../api/dashboard';
import type { DashboardTranslation } from '../i18n';

function formatDate(iso: string, language: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))),
  );
}

function Panel<T>({ id, title, state, empty, children, more, count }: {
  id: string;
  title: string;
  state: Loadable<T[]>;
  empty: string;
  children: (items: T[]) => ReactNode;
  more?: ReactNode;
  /** The count beside the title, where it is not simply the number of items. */
  count?: string;
}) {
  return (
    <section className="fd-panel fd-dash-panel" aria-labelledby={`${id}-title`} data-testid={id}>
      <h2 className="kern-heading-medium" id={`${id}-title`}>
        {title}
        {state.status === 'done' ? <span className="fd-dash-count" data-testid={`${id}-count`}> ({count ?? state.data.length})</span> : null}
      </h2>
      {state.status === 'loading' ? <Loader /> : null}
      {state.status === 'error' ? <ErrorMessage error={state.error} headingLevel={3} /> : null}
      {state.status === 'done' ? state.data.length ? children(state.data) : <p className="kern-body">{empty}</p> : null}
      {more ? <p className="kern-body">{more}</p> : null}
    </section>
  );
}

export function CaseWork({ user, tr }: { user: User; tr: DashboardTranslation }) {
  const { tc, language } = tr;
  const centre = user.role === 'advisor' || user.role === 'centre_lead';
  const myCases = useLoad('my-cases', getMyOpenCases, centre);
  const cases: Loadable<CaseItem[]> = myCases.status === 'done' ? { status: 'done', data: myCases.data.items } : myCases;
  const casesCount =
    myCases.status === 'done' && myCases.data.more ? tc('cases.moreThan', { count: myCases.data.items.length }) : undefined;
  // Advisors see the deadlines of their own cases, centre leads those of the whole centre.
  const deadlines = useLoad('deadlines', (s) => getDueDeadlines(user.role === 'advisor', s), centre);
  const escalations = useLoad('escalations', (s) => getEscalations(centre ? 'answered' : 'open', s), true);

  const deadlineList = (items: DueDeadline[]) => (
    <ul className="fd-dash-list">
      {items.map((d) => (
        <li key={d.id} data-testid="dashboard-deadline">
          <p className="kern-body">
            <Link className="kern-link" to={`/cases/${encodeURIComponent(d.case_id)}`}>
              {d.case_number}
            </Link>{' '}
            · {tc(`deadlineKind.${d.kind}`, { defaultValue: d.kind })}
          </p>
          <p className="kern-body">
            {d.overdue ? (
              <span className="kern-badge kern-badge--danger">
                <span className="kern-label kern-label--small">{tc('deadlines.overdueSince', { date: formatDate(d.due_date, language) })}</span>
              </span>
            ) : (
              tc('deadlines.dueOn', { date: formatDate(d.due_date, language) })
            )}
          </p>
          {d.note ? <p className="kern-body kern-body--small">{d.note}</p> : null}
        </li>
      ))}
    </ul>
  );

  return (
    <div className="fd-dashboard-grid">
      {centre ? (
        <Panel
          id="dashboard-deadlines"
          title={tc('deadlines.title')}
          state={deadlines}
          empty={tc('deadlines.none')}
        >
          {(items) => {
            const overdue = items.filter((d) => d.overdue);
            const upcoming = items.filter((d) => !d.overdue);
            return (
              <>
                {overdue.length ? (
                  <>
                    <h3 className="kern-heading-small">{tc('deadlines.overdue')}</h3>
                    {deadlineList(overdue)}
                  </>
                ) : null}
                <h3 className="kern-heading-small">{tc('deadlines.upcoming')}</h3>
                {upcoming.length ? deadlineList(upcoming) : <p className="kern-body">{tc('deadlines.noneUpcoming')}</p>}
              </>
            );
          }}
        </Panel>
      ) : null}
      {centre ? (
        <Panel
          id="dashboard-cases"
          title={tc('cases.title')}
          state={cases}
          count={casesCount}
          empty={tc('cases.none')}
          more={
            <>
              <Link className="kern-link" to="/cases?assignee=me">
                {tc('cases.all')}
              </Link>
              {' · '}
              <Link className="kern-link" to="/cases/new">
                {tc('cases.new')}
              </Link>
            </>
          }
        >
          {(items) => (
            <ul className="fd-dash-list">
              {items.slice(0, DASHBOARD_CASES).map((c) => (
                <li key={c.id} data-testid="dashboard-case">
                  <p className="kern-body">
                    <Link className="kern-link" to={`/cases/${encodeURIComponent(c.id)}`}>
                      {c.number}
                    </Link>{' '}
                    {c.client_code ? (
                      <>
                        · <span data-testid="dashboard-case-client">{tc('cases.client', { code: c.client_code })}</span>{' '}
                      </>
                    ) : null}
                    · {tc(`status.${c.status}`, { defaultValue: c.status })}
                    {c.priority === 'high' || c.priority === 'urgent' ? ` · ${tc(`priority.${c.priority}`)}` : ''}
                  </p>
                  <p className="kern-body kern-body--small">{tc('cases.opened', { date: formatDate(c.opened_on, language) })}</p>
                </li>
              ))}
            </ul>
          )}
        </Panel>
      ) : null}
      <Panel
        id="dashboard-escalations"
        title={tc(centre ? 'escalations.answeredTitle' : 'escalations.openTitle')}
        state={escalations}
        empty={tc(centre ? 'escalations.noneAnswered' : 'escalations.noneOpen')}
        more={
          canAccess(user.role, 'escalations') ? (
            <Link className="kern-link" to="/escalations">
              {tc('escalations.all')}
            </Link>
          ) : undefined
        }
      >
        {(items) => (
          <ul className="fd-dash-list">
            {items.slice(0, 10).map((e) => (
              <li key={e.id} data-testid="dashboard-escalation">
                <p className="kern-body">
                  <Link className="kern-link" to={`/escalations/${encodeURIComponent(e.id)}`}>
                    {e.question.length > 100 ? `${e.question.slice(0, 99)}…` : e.question}
                  </Link>
                </p>
                <p className="kern-body kern-body--small">
                  {tc('escalations.messages', { count: e.message_count ?? e.messages.length })}
                  {centre && e.unread_answers ? (
                    <>
                      {' · '}
                      <span className="kern-badge kern-badge--info" data-testid="dashboard-unread">
                        <span className="kern-label kern-label--small">{tc('escalations.unread', { count: e.unread_answers })}</span>
                      </span>
                    </>
                  ) : null}
                </p>
              </li>
            ))}
          </ul>
        )}
      </Panel>
    </div>
  );
}
