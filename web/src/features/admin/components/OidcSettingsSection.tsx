import { useId, useState } from 'react';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { SelectField, TextField } from '../../../components/Field';
import { Loader } from '../../../components/Loader';
import { ApiError } from '../../../lib/api';
import type { Role } from '../../../lib/roles';
import { getOidcSettings, putOidcSettings, useLoad, type OidcRule, type OidcSettings } from '../api/admin';
import { serverMessage } from '../form';
import type { AdminTranslation } from '../i18n';

const ROLES: Role[] = ['advisor', 'centre_lead', 'state_coordinator', 'competence_centre', 'programme', 'admin'];

/**
 * The identity-provider section of `/admin/settings`: issuer, client, secret (write-only), and
 * the rules that map a claim value (a group) to role and centre. Saved as a whole, audited.
 */
export function OidcSettingsSection({ tr, onSaved }: { tr: AdminTranslation; onSaved: () => void }) {
  const id = useId();
  const loaded = useLoad('settings-oidc', getOidcSettings);
  return (
    <section className="fd-admin-settings__section" aria-labelledby={`${id}-h`} data-testid="settings-oidc">
      <h2 className="kern-heading-medium" id={`${id}-h`}>
        {tr.tc('settings.oidc.title')}
      </h2>
      <p className="kern-body">{tr.tc('settings.oidc.lead')}</p>
      {loaded.status === 'loading' ? <Loader /> : null}
      {loaded.status === 'error' ? <ErrorMessage error={loaded.error} /> : null}
      {loaded.status === 'done' ? <OidcForm tr={tr} onSaved={onSaved} initial={loaded.data} /> : null}
    </section>
  );
}

function OidcForm({ tr, onSaved, initial }: { tr: AdminTranslation; onSaved: () => void; initial: OidcSettings }) {
  const { tc } = tr;
  const idBase = useId();
  const [values, setValues] = useState(initial);
  const [secret, setSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const set = <K extends keyof OidcSettings>(key: K, value: OidcSettings[K]) => setValues((v) => ({ ...v, [key]: value }));
  const setRule = (index: number, change: Partial<OidcRule>) =>
    setValues((v) => ({ ...v, rules: v.rules.map((r, i) => (i === index ? { ...r, ...change } : r)) }));
  const fieldErrors = error instanceof ApiError && error.status === 422 ? error.fieldErrors() : {};
  const fieldError = (name: string) => (fieldErrors[name] ? serverMessage(fieldErrors[name], tc) : null);

  async function save() {
    if (busy) return;
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const { client_secret_set: _set, redirect_uri: _uri, ...rest } = values;
      const next = await putOidcSettings({
        ...rest,
        rules: rest.rules.map((r) => ({ ...r, centre_id: r.centre_id || null, state: r.state || null })),
        ...(secret ? { client_secret: secret } : {}),
      });
      setValues(next);
      setSecret('');
      setSaved(true);
      onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="fd-form fd-admin-form"
      noValidate
      aria-label={tc('settings.oidc.title')}
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <div className="kern-form-check">
        <input
          className="kern-form-check__checkbox"
          type="checkbox"
          id={`${idBase}-enabled`}
          checked={values.enabled}
          onChange={(e) => set('enabled', e.target.checked)}
        />
        <label className="kern-label" htmlFor={`${idBase}-enabled`}>
          {tc('settings.oidc.enabled')}
        </label>
      </div>
      <TextField label={tc('settings.oidc.label')} hint={tc('settings.oidc.labelHint')} value={values.label} maxLength={80}
        error={fieldError('label')} onChange={(e) => set('label', e.target.value)} />
      <TextField label={tc('settings.oidc.issuer')} hint={tc('settings.oidc.issuerHint')} value={values.issuer} maxLength={500}
        inputMode="url" spellCheck={false} error={fieldError('issuer')} onChange={(e) => set('issuer', e.target.value)} />
      <TextField label={tc('settings.oidc.clientId')} value={values.client_id} maxLength={200} spellCheck={false}
        error={fieldError('client_id')} onChange={(e) => set('client_id', e.target.value)} />
      <TextField label={tc('settings.oidc.clientSecret')} type="password" autoComplete="new-password"
        hint={values.client_secret_set ? tc('settings.oidc.secretKept') : tc('settings.oidc.secretNone')} value={secret} maxLength={500}
        error={fieldError('client_secret')} onChange={(e) => setSecret(e.target.value)} />
      <SelectField label={tc('settings.oidc.authMethod')} value={values.auth_method}
        onChange={(e) => set('auth_method', e.target.value as OidcSettings['auth_method'])}>
        <option value="client_secret_basic">client_secret_basic</option>
        <option value="client_secret_post">client_secret_post</option>
      </SelectField>
      <TextField label={tc('settings.oidc.scopes')} value={values.scopes} maxLength={300} spellCheck={false}
        error={fieldError('scopes')} onChange={(e) => set('scopes', e.target.value)} />
      <TextField label={tc('settings.oidc.sessionMinutes')} hint={tc('settings.oidc.sessionHint')} inputMode="numeric"
        value={String(values.session_minutes)} maxLength={3} error={fieldError('session_minutes')}
        onChange={(e) => set('session_minutes', Number(e.target.value.replace(/\D/g, '')) || 0)} />
      <p className="kern-body">
        {tc('settings.oidc.redirectUri')} <code data-testid="oidc-redirect-uri">{values.redirect_uri}</code>
      </p>

      <fieldset className="kern-fieldset">
        <legend className="kern-label">{tc('settings.oidc.rules')}</legend>
        <p className="kern-hint">{tc('settings.oidc.rulesHint')}</p>
        {values.rules.map((rule, i) => (
          <div key={i} className="fd-admin-form__row" data-testid="oidc-rule">
            <TextField label={tc('settings.oidc.claim')} value={rule.claim} maxLength={100}
              error={fieldError(`rules/${i}/claim`)} onChange={(e) => setRule(i, { claim: e.target.value })} />
            <TextField label={tc('settings.oidc.value')} value={rule.value} maxLength={200}
              error={fieldError(`rules/${i}/value`)} onChange={(e) => setRule(i, { value: e.target.value })} />
            <SelectField label={tc('settings.oidc.role')} value={rule.role} onChange={(e) => setRule(i, { role: e.target.value as Role })}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {tr.t(`roles.${r}`)}
                </option>
              ))}
            </SelectField>
            <TextField label={tc('settings.oidc.centre')} value={rule.centre_id ?? ''} maxLength={64} spellCheck={false}
              error={fieldError(`rules/${i}/centre_id`)} onChange={(e) => setRule(i, { centre_id: e.target.value })} />
            <TextField label={tc('settings.oidc.state')} value={rule.state ?? ''} maxLength={2}
              error={fieldError(`rules/${i}/state`)} onChange={(e) => setRule(i, { state: e.target.value.toUpperCase() })} />
            <Button variant="tertiary" onClick={() => setValues((v) => ({ ...v, rules: v.rules.filter((_, j) => j !== i) }))}>
              {tc('settings.removeNamed', { name: rule.value || tc('settings.oidc.rule') })}
            </Button>
          </div>
        ))}
        <Button variant="secondary"
          onClick={() => setValues((v) => ({ ...v, rules: [...v.rules, { claim: 'groups', value: '', role: 'advisor', centre_id: '', state: '' }] }))}>
          {tc('settings.oidc.addRule')}
        </Button>
      </fieldset>

      {error && !(error instanceof ApiError && error.status === 422) ? <ErrorMessage error={error} /> : null}
      {error instanceof ApiError && error.status === 422 ? (
        <Alert tone="danger" role="alert" title={tc('settings.notSaved')} headingLevel={3}>
          <ul className="kern-body">
            {(error.problem?.errors ?? []).map((e, i) => (
              <li key={i}>
                {e.field}: {serverMessage(e.message, tc)}
              </li>
            ))}
          </ul>
        </Alert>
      ) : null}
      {saved ? <Alert tone="success" role="status" title={tc('settings.oidc.saved')} headingLevel={3} /> : null}
      <div className="fd-actions">
        <Button type="submit" busy={busy}>
          {tc('settings.oidc.save')}
        </Button>
      </div>
    </form>
  );
}
