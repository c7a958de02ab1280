import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { Loader } from '../../../components/Loader';
import { PageHeading } from '../../../components/PageHeading';
import { useUser } from '../../../lib/auth';
import { listStaff, setDisabled, useLoad, type StaffMember } from '../api/users';
import { useTeamTranslation } from '../i18n';
import '../team.css';

/**
 * `/team` (centre leads): the staff of the lead's centre with their role, second factor and
 * whether the account is disabled; the lead disables and re-enables colleagues' accounts (never
 * their own: the server refuses that too). Disabling ends the colleague's sessions at once.
 */
export function TeamPage() {
  const tr = useTeamTranslation();
  const { tc, t, language } = tr;
  const me = useUser();
  const staff = useLoad('team', listStaff);
  const [members, setMembers] = useState<StaffMember[] | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [focusAfter, setFocusAfter] = useState<string | null>(null);
  const toggles = useRef(new Map<string, HTMLButtonElement | null>());

  const loaded = staff.status === 'done' ? staff.data : null;
  useEffect(() => {
    if (loaded) setMembers(loaded);
  }, [loaded]);

  useEffect(() => {
    if (!focusAfter) return;
    toggles.current.get(focusAfter)?.focus();
    setFocusAfter(null);
  }, [focusAfter, members, confirming]);

  if (tr.failed) return <ErrorMessage error={new Error('locale')} />;
  if (!tr.ready) return <Loader />;

  async function change(member: StaffMember, disabled: boolean) {
    setBusy(member.id);
    setFailure(null);
    setNotice(null);
    try {
      const updated = await setDisabled(member.id, disabled);
      setMembers((list) => (list ?? []).map((m) => (m.id === updated.id ? { ...m, ...updated } : m)));
      setNotice(tc(disabled ? 'disabledNotice' : 'enabledNotice', { name: updated.display_name }));
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(null);
      setConfirming(null);
      setFocusAfter(member.id);
    }
  }

  const title = tc('title');
  const sorted = [...(members ?? [])].sort((a, b) => a.display_name.localeCompare(b.display_name, language));

  return (
    <section className="fd-page" data-testid="page-team">
      <PageHeading title={title} lead={tc('lead', { centre: me.centre_name ?? '' })}>
        {title}
      </PageHeading>
      {notice ? <Alert tone="success" role="status" title={notice} /> : null}
      <ErrorMessage error={failure} />
      {staff.status === 'loading' && !members ? <Loader label={tc('loading')} /> : null}
      {staff.status === 'error' ? <ErrorMessage error={staff.error} /> : null}
      {members ? (
        members.length === 0 ? (
          <p className="kern-body">{tc('none')}</p>
        ) : (
          <div className="kern-table-responsive" tabIndex={0} role="region" aria-label={tc('caption')}>
            <table className="kern-table kern-table--striped fd-team-table fd-table-cards" data-testid="team-table">
              <caption className="kern-sr-only">{tc('caption')}</caption>
              <thead className="kern-table__head">
                <tr className="kern-table__row">
                  {['name', 'email', 'role', 'totp', 'status', 'actions'].map((c) => (
                    <th key={c} scope="col" className="kern-table__header">
                      {tc(`columns.${c}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="kern-table__body">
                {sorted.map((m) => {
                  const self = m.id === me.id;
                  return (
                    <tr key={m.id} className="kern-table__row" data-testid="team-row" data-email={m.email}>
                      <th scope="row" className="kern-table__cell">
                        {m.display_name}
                        {self ? <span className="fd-team-you"> ({tc('you')})</span> : null}
                      </th>
                      <td className="kern-table__cell" data-label={tc('columns.email')}>
                        <a className="kern-link" href={`mailto:${m.email}`}>
                          {m.email}
                        </a>
                      </td>
                      <td className="kern-table__cell" data-label={tc('columns.role')}>{t(`roles.${m.role}`)}</td>
                      <td className="kern-table__cell" data-label={tc('columns.totp')}>{m.totp_enabled ? tc('totp.on') : tc('totp.off')}</td>
                      <td className="kern-table__cell" data-label={tc('columns.status')} data-testid="team-status">
                        {m.disabled ? (
                          <span className="kern-badge kern-badge--danger">
                            <span className="kern-label">{tc('status.disabled')}</span>
                          </span>
                        ) : (
                          <span className="kern-badge kern-badge--success">
                            <span className="kern-label">{tc('status.active')}</span>
                          </span>
                        )}
                      </td>
                      <td className="kern-table__cell">
                        <div className="fd-team-actions">
                          {self ? null : confirming === m.id ? (
                            <div className="fd-team-confirm" role="group" aria-label={tc('confirm.label', { name: m.display_name })}>
                              <span className="kern-body">{tc('confirm.question', { name: m.display_name })}</span>
                              <Button
                                variant="primary"
                                autoFocus
                                busy={busy === m.id}
                                onClick={() => void change(m, true)}
                              >
                                {tc('confirm.yes')}
                              </Button>
                              <Button
                                variant="tertiary"
                                onClick={() => {
                                  setConfirming(null);
                                  setFocusAfter(m.id);
                                }}
                              >
                                {t('common.cancel')}
                              </Button>
                            </div>
                          ) : (
                            <button
                              type="button"
                              ref={(el) => {
                                toggles.current.set(m.id, el);
                              }}
                              className="kern-btn kern-btn--secondary kern-btn--small"
                              aria-disabled={busy === m.id ? true : undefined}
                              aria-label={tc(m.disabled ? 'enableLabel' : 'disableLabel', { name: m.display_name })}
                              onClick={() => {
                                if (busy) return;
                                if (m.disabled) void change(m, false);
                                else {
                                  setNotice(null);
                                  setConfirming(m.id);
                                }
                              }}
                            >
                              <span className="kern-label">{tc(m.disabled ? 'enable' : 'disable')}</span>
                            </button>
                          )}
                          <Link
                            className="kern-link"
                            to={`/audit?user_id=${encodeURIComponent(m.id)}`}
                            aria-label={tc('auditLabel', { name: m.display_name })}
                          >
                            {tc('audit')}
                          </Link>
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      <p className="kern-body fd-team-note">{tc('note')}</p>
    </section>
  );
}
