import { useCallback, useId, useState } from 'react';
import { Alert } from '../../../components/Alert';
import { Link, useNavigate, useParams } from 'react-router';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { TextField } from '../../../components/Field';
import { Loader } from '../../../components/Loader';
import { PageHeading } from '../../../components/PageHeading';
import { useUser } from '../../../lib/auth';
import { getUser, listCentres, patchUser, resetUserPassword, resetUserTotp, useLoad, type AdminUser, type Centre } from '../api/admin';
import { useForm, type Errors } from '../form';
import { useAdminTranslation, type AdminTranslation } from '../i18n';
import { PlacementFields, placementBody, validatePlacement, type Placement } from './UserFields';
import { OtherErrors } from './OtherErrors';

interface Values extends Placement {
  display_name: string;
  disabled: boolean;
}

/** `/admin/users/:id`: name, role, centre or state, and whether the account is disabled. */
export function EditUserPage() {
  const tr = useAdminTranslation();
  const { id = '' } = useParams();
  const user = useLoad(`user-${id}`, (signal) => getUser(id, signal));
  const centres = useLoad('centres', listCentres);
  const title = user.status === 'done' ? tr.tc('editUser.title', { name: user.data.display_name }) : tr.tc('editUser.titlePlain');
  return (
    <section className="fd-page" data-testid="page-admin-edit-user">
      <PageHeading title={title}>{title}</PageHeading>
      {user.status === 'error' ? <ErrorMessage error={user.error} /> : null}
      {centres.status === 'error' ? <ErrorMessage error={centres.error} /> : null}
      {user.status === 'loading' || centres.status === 'loading' ? <Loader /> : null}
      {user.status === 'done' && centres.status === 'done' ? <EditUserForm user={user.data} centres={centres.data} tr={tr} /> : null}
      {user.status === 'done' ? <CredentialsPanel user={user.data} tr={tr} onChange={user.reload} /> : null}
    </section>
  );
}

function EditUserForm({ user, centres, tr }: { user: AdminUser; centres: Centre[]; tr: AdminTranslation }) {
  const { tc, t } = tr;
  const me = useUser();
  const self = me.id === user.id;
  const navigate = useNavigate();
  const idBase = useId();
  const validate = useCallback(
    (v: Values): Errors => {
      const errors: Errors = {};
      if (!v.display_name.trim()) errors.display_name = tc('validation.required');
      else if (v.display_name.length > 200) errors.display_name = tc('validation.tooLong', { max: 200 });
      return { ...errors, ...validatePlacement(v, tc) };
    },
    [tc],
  );
  const form = useForm<Values>({
    initial: {
      display_name: user.display_name,
      role: user.role,
      centre_id: user.centre_id ?? '',
      state: user.state ?? '',
      disabled: user.disabled,
    },
    validate,
    fields: (k) => ['display_name', 'role', 'centre_id', 'state', 'disabled'].includes(k),
    idOf: (k) => `${idBase}-${k}`,
    tc,
  });
  const { values } = form;

  return (
    <form
      className="fd-form fd-admin-form"
      noValidate
      aria-label={tc('editUser.formLabel')}
      onSubmit={form.onSubmit(async (v) => {
        const updated = await patchUser(user.id, {
          display_name: v.display_name.trim(),
          ...(self ? {} : placementBody(v)),
          ...(self ? {} : { disabled: v.disabled }),
        });
        navigate('/admin/users', { state: { notice: tc('editUser.saved', { name: updated.display_name }) } });
      })}
    >
      <p className="kern-body">
        {tc('editUser.account', { email: user.email })}
        {' · '}
        {user.totp_enabled ? tc('users.totpOn') : tc('users.totpOff')}
      </p>
      <ErrorMessage error={form.failure} />
      <OtherErrors errors={form.otherErrors} />
      <TextField
        id={`${idBase}-display_name`}
        label={tc('userForm.name')}
        value={values.display_name}
        error={form.error('display_name')}
        maxLength={200}
        autoComplete="off"
        onChange={(e) => form.set('display_name', e.target.value)}
      />
      <PlacementFields form={form} centres={centres} t={t} tc={tc} idBase={idBase} roleLocked={self} />
      {self ? null : (
        <div className={`kern-form-check${form.error('disabled') ? ' kern-form-check--error' : ''}`}>
          <input
            className="kern-form-check__checkbox"
            type="checkbox"
            id={`${idBase}-disabled`}
            checked={values.disabled}
            onChange={(e) => form.set('disabled', e.target.checked)}
          />
          <label className="kern-label" htmlFor={`${idBase}-disabled`}>
            {tc('editUser.disabled')}
          </label>
          {form.error('disabled') ? (
            <p className="kern-error" role="alert">
              <span className="kern-body">{form.error('disabled')}</span>
            </p>
          ) : null}
        </div>
      )}
      <div className="fd-actions">
        <Button type="submit" busy={form.busy}>
          {tc('form.save')}
        </Button>
        <Link className="kern-link" to="/admin/users">
          {t('common.cancel')}
        </Link>
      </div>
    </form>
  );
}

/**
 * A forgotten password or a lost phone: a new one-time password (shown once; the person must
 * choose their own at the next sign-in), or the second factor removed. Both are audited.
 */
function CredentialsPanel({ user, tr, onChange }: { user: AdminUser; tr: AdminTranslation; onChange: () => void }) {
  const { tc } = tr;
  const me = useUser();
  const [password, setPassword] = useState<string | null>(null);
  const [totpDone, setTotpDone] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (me.id === user.id) return null;
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setFailure(null);
    try {
      await action();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="fd-panel" aria-labelledby="credentials-title">
      <h2 className="kern-heading-medium" id="credentials-title">
        {tc('editUser.credentials.title')}
      </h2>
      <p className="kern-body">{tc('editUser.credentials.text')}</p>
      <ErrorMessage error={failure} />
      {password ? (
        <Alert tone="success" role="status" title={tc('editUser.credentials.passwordDone')} headingLevel={3}>
          <p className="kern-body">
            <code data-testid="one-time-password">{password}</code>
          </p>
        </Alert>
      ) : null}
      {totpDone ? <Alert tone="success" role="status" title={tc('editUser.credentials.totpDone')} headingLevel={3} /> : null}
      <div className="fd-actions">
        <Button
          variant="secondary"
          busy={busy}
          onClick={() => void run(async () => setPassword(await resetUserPassword(user.id)))}
        >
          {tc('editUser.credentials.resetPassword')}
        </Button>
        {user.totp_enabled ? (
          <Button
            variant="secondary"
            busy={busy}
            onClick={() =>
              void run(async () => {
                await resetUserTotp(user.id);
                setTotpDone(true);
                onChange();
              })
            }
          >
            {tc('editUser.credentials.resetTotp')}
          </Button>
        ) : null}
      </div>
    </section>
  );
}
