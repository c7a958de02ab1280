import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { errorMessageKey } from '../../../components/ErrorMessage';
import { checkNewPassword, newPasswordServerMessage, NewPasswordFields, type NewPasswordErrors } from '../../../components/NewPasswordFields';
import { PageHeading } from '../../../components/PageHeading';
import { api, ApiError } from '../../../lib/api';

/** The token of a reset link travels in the fragment (`#token=…`), which no server sees or logs. */
function tokenFromFragment(): string {
  return new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token') ?? '';
}

/** The page a reset link opens: choose a new password. */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  const [token] = useState(tokenFromFragment);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<NewPasswordErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = checkNewPassword(password, repeat, t);
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      await api.post('/api/v1/password-reset/confirm', { token, new_password: password }, { quietUnauthorized: true });
      setDone(true);
      window.history.replaceState(null, '', window.location.pathname);
    } catch (e) {
      if (e instanceof ApiError && e.status === 422) {
        const server = e.fieldErrors();
        if (server.token) setFailure('auth.reset.invalid');
        else setErrors({ password: server.new_password ? newPasswordServerMessage(server.new_password, t) : undefined });
      } else {
        setFailure(errorMessageKey(e));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="fd-login" aria-labelledby="reset-title">
      <div className="fd-login__card kern-card">
        <div className="kern-card__container">
          <PageHeading title={t('auth.reset.title')}>
            <span id="reset-title">{t('auth.reset.title')}</span>
          </PageHeading>
          {done ? (
            <Alert tone="success" role="status" title={t('auth.reset.done.title')}>
              <p className="kern-body">{t('auth.reset.done.text')}</p>
            </Alert>
          ) : !token ? (
            <Alert tone="danger" role="alert" title={t('auth.reset.invalid.title')}>
              <p className="kern-body">{t('auth.reset.invalid.text')}</p>
            </Alert>
          ) : (
            <>
              {failure ? (
                <Alert tone="danger" role="alert" title={t(`${failure}.title`)}>
                  <p className="kern-body">{t(`${failure}.text`)}</p>
                </Alert>
              ) : null}
              <form className="fd-form" noValidate onSubmit={(e) => void submit(e)}>
                <NewPasswordFields
                  password={password}
                  repeat={repeat}
                  errors={errors}
                  onPassword={setPassword}
                  onRepeat={setRepeat}
                />
                <div className="fd-actions">
                  <Button type="submit" busy={busy}>
                    {t('auth.reset.submit')}
                  </Button>
                </div>
              </form>
            </>
          )}
          <p className="kern-body">
            <Link className="kern-link" to="/login">
              {t('auth.forgot.back')}
            </Link>
          </p>
        </div>
      </div>
    </section>
  );
}
