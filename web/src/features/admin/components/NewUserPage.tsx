import { useCallback, useId, useState } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { SelectField, TextField } from '../../../components/Field';
import { Loader } from '../../../components/Loader';
import { PageHeading } from '../../../components/PageHeading';
import { createUser, listCentres, useLoad, type AdminUser } from '../api/admin';
import { EMAIL, useForm, type Errors } from '../form';
import { useAdminTranslation, type AdminTranslation } from '../i18n';
import { PlacementFields, placementBody, validatePlacement, type Placement } from './UserFields';
import { OtherErrors } from './OtherErrors';

interface Values extends Placement {
  display_name: string;
  email: string;
  language: string;
}

/**
 * `/admin/users/new`: a new account with role and centre (or state). The server generates the
 * initial password; it is shown here once and never again.
 */
export function NewUserPage() {
  const tr = useAdminTranslation();
  const [created, setCreated] = useState<{ user: AdminUser; password: string | null } | null>(null);
  const [round, setRound] = useState(0);
  const title = tr.tc('newUser.title');
  return (
    <section className="fd-page" data-testid="page-admin-new-user">
      <PageHeading title={title} lead={tr.tc('newUser.lead')}>
        {title}
      </PageHeading>
      {created ? (
        <Created created={created} tr={tr} onAnother={() => {
          setCreated(null);
          setRound((n) => n + 1);
        }} />
      ) : (
        <NewUserForm key={round} tr={tr} onCreated={setCreated} />
      )}
    </section>
  );
}

function Created({ created, tr, onAnother }: { created: { user: AdminUser; password: string | null }; tr: AdminTranslation; onAnother: () => void }) {
  const { tc } = tr;
  return (
    <div data-testid="user-created">
      <Alert tone="success" role="status" title={tc('newUser.created', { name: created.user.display_name, email: created.user.email })}>
        {created.password ? (
          <>
            <p className="kern-body">{tc('newUser.passwordIntro')}</p>
            <p className="fd-admin-password">
              <code data-testid="initial-password">{created.password}</code>
            </p>
            <p className="kern-body">{tc('newUser.passwordOnce')}</p>
          </>
        ) : null}
      </Alert>
      <div className="fd-actions">
        <Button variant="secondary" icon="add" onClick={onAnother}>
          {tc('newUser.another')}
        </Button>
        <Link className="kern-link" to="/admin/users">
          {tc('newUser.toList')}
        </Link>
      </div>
    </div>
  );
}

function NewUserForm({ tr, onCreated }: { tr: AdminTranslation; onCreated: (c: { user: AdminUser; password: string | null }) => void }) {
  const { tc, t } = tr;
  const idBase = useId();
  const centres = useLoad('centres', listCentres);
  const validate = useCallback(
    (v: Values): Errors => {
      // In the order of the fields, so that the first invalid one gets the focus.
      const errors: Errors = {};
      if (!v.display_name.trim()) errors.display_name = tc('validation.required');
      else if (v.display_name.length > 200) errors.display_name = tc('validation.tooLong', { max: 200 });
      if (!v.email.trim()) errors.email = tc('validation.required');
      else if (!EMAIL.test(v.email.trim()) || v.email.length > 254) errors.email = tc('validation.email');
      return { ...errors, ...validatePlacement(v, tc) };
    },
    [tc],
  );
  const form = useForm<Values>({
    initial: { display_name: '', email: '', role: '', centre_id: '', state: '', language: 'de' },
    validate,
    fields: (k) => ['display_name', 'email', 'role', 'centre_id', 'state', 'language'].includes(k),
    idOf: (k) => `${idBase}-${k}`,
    tc,
    conflictField: { key: 'email', message: tc('validation.emailTaken') },
  });
  const { values } = form;

  if (centres.status === 'loading') return <Loader />;
  if (centres.status === 'error') return <ErrorMessage error={centres.error} />;

  return (
    <form
      className="fd-form fd-admin-form"
      noValidate
      aria-label={tc('newUser.title')}
      onSubmit={form.onSubmit(async (v) => {
        const placement = placementBody(v);
        const answer = await createUser({
          display_name: v.display_name.trim(),
          email: v.email.trim(),
          role: placement.role,
          ...(placement.centre_id ? { centre_id: placement.centre_id } : {}),
          ...(placement.state ? { state: placement.state } : {}),
          language: v.language,
        });
        onCreated({ user: answer.user, password: answer.initial_password ?? null });
      })}
    >
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
      <TextField
        id={`${idBase}-email`}
        type="email"
        label={tc('userForm.email')}
        value={values.email}
        error={form.error('email')}
        maxLength={254}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => form.set('email', e.target.value)}
      />
      <PlacementFields form={form} centres={centres.data} t={t} tc={tc} idBase={idBase} />
      <SelectField
        id={`${idBase}-language`}
        label={tc('userForm.language')}
        value={values.language}
        onChange={(e) => form.set('language', e.target.value)}
      >
        <option value="de">{tc('userForm.languageNames.de')}</option>
        <option value="en">{tc('userForm.languageNames.en')}</option>
      </SelectField>
      <p className="kern-body">{tc('newUser.passwordHint')}</p>
      <div className="fd-actions">
        <Button type="submit" busy={form.busy} icon="add">
          {tc('newUser.submit')}
        </Button>
        <Link className="kern-link" to="/admin/users">
          {t('common.cancel')}
        </Link>
      </div>
    </form>
  );
}
