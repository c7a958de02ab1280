import { useState } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { Alert } from '../../../components/Alert';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { Loaded } from '../../../components/Loaded';
import { PageHeading } from '../../../components/PageHeading';
import { useUser } from '../../../lib/auth';
import { listUsers, patchUser, useLoad, type AdminUser } from '../api/admin';
import { AdminTable } from './AdminTable';
import { useAdminTranslation } from '../i18n';

/** `/admin/users`: every account, 50 a page (the cursor in the query string), with disable/enable. */
export function UsersPage() {
  const tr = useAdminTranslation();
  const { tc, t } = tr;
  const me = useUser();
  const [params] = useSearchParams();
  const cursor = params.get('cursor') ?? '';
  const users = useLoad(`users?${cursor}`, (signal) => listUsers(cursor, signal));
  const [changed, setChanged] = useState<Record<string, AdminUser>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>((useLocation().state as { notice?: string } | null)?.notice ?? null);
  const [failure, setFailure] = useState<unknown>(null);

  async function toggle(user: AdminUser) {
    if (busy) return;
    setBusy(user.id);
    setFailure(null);
    setNotice(null);
    try {
      const updated = await patchUser(user.id, { disabled: !user.disabled });
      setChanged((c) => ({ ...c, [updated.id]: updated }));
      setNotice(tc(updated.disabled ? 'users.disabledNotice' : 'users.enabledNotice', { name: updated.display_name }));
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(null);
    }
  }

  const title = tc('users.title');
  const next = users.status === 'done' ? users.data.next_cursor : null;
  return (
    <section className="fd-page" data-testid="page-admin-users">
      <PageHeading title={title} lead={tc('users.lead')}>
        {title}
      </PageHeading>
      {notice ? <Alert tone="success" role="status" title={notice} /> : null}
      <ErrorMessage error={failure} />
      <div className="fd-actions">
        <Link className="kern-btn kern-btn--primary" to="/admin/users/new">
          <span className="kern-icon kern-icon--add" aria-hidden="true" />
          <span className="kern-label">{tc('users.new')}</span>
        </Link>
      </div>
      <Loaded value={users} label={tc('users.loading')}>
        {(data) => (
          <>
            <AdminTable
              caption={tc('users.caption')}
              testId="users-table"
              columns={['name', 'email', 'role', 'placement', 'totp', 'status', 'actions'].map((c) => tc(`users.columns.${c}`))}
            >
              {data.items.map((original) => {
                const u = changed[original.id] ?? original;
                const self = u.id === me.id;
                return (
                  <tr key={u.id} className="kern-table__row" data-testid="user-row" data-email={u.email}>
                    <th scope="row" className="kern-table__cell">
                      <Link className="kern-link" to={`/admin/users/${encodeURIComponent(u.id)}`}>
                        {u.display_name}
                      </Link>
                      {self ? <span className="fd-admin-muted"> ({tc('users.you')})</span> : null}
                    </th>
                    <td className="kern-table__cell">{u.email}</td>
                    <td className="kern-table__cell">{t(`roles.${u.role}`)}</td>
                    <td className="kern-table__cell">{u.centre_name ?? (u.state ? t(`states.${u.state}`) : '–')}</td>
                    <td className="kern-table__cell">{u.totp_enabled ? tc('users.totpOn') : tc('users.totpOff')}</td>
                    <td className="kern-table__cell" data-testid="user-status">
                      <span className={`kern-badge kern-badge--${u.disabled ? 'danger' : 'success'}`}>
                        <span className="kern-label">{tc(u.disabled ? 'users.disabled' : 'users.active')}</span>
                      </span>
                    </td>
                    <td className="kern-table__cell">
                      {self ? null : (
                        <button
                          type="button"
                          className="kern-btn kern-btn--secondary kern-btn--small"
                          aria-disabled={busy === u.id ? true : undefined}
                          aria-label={tc(u.disabled ? 'users.enableLabel' : 'users.disableLabel', { name: u.display_name })}
                          onClick={() => void toggle(u)}
                        >
                          <span className="kern-label">{tc(u.disabled ? 'users.enable' : 'users.disable')}</span>
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </AdminTable>
            {cursor || next ? (
              <nav className="fd-admin-pager" aria-label={tc('users.paging')}>
                {cursor ? (
                  <Link className="kern-link" to="/admin/users">
                    {tc('users.first')}
                  </Link>
                ) : null}
                {next ? (
                  <Link className="kern-link" to={`/admin/users?cursor=${encodeURIComponent(next)}`}>
                    {tc('users.next')}
                  </Link>
                ) : null}
              </nav>
            ) : null}
          </>
        )}
      </Loaded>
    </section>
  );
}
