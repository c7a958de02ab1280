import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { errorMessageKey } from '../../../components/ErrorMessage';
import { TextField } from '../../../components/Field';
import { PageHeading } from '../../../components/PageHeading';
import { api, ApiError } from '../../../lib/api';

/**
 * "Forgot your password?": asks the server to mail a reset link. The answer is the same whether
 * or not the address has an account, so the page says "if it is known, a mail is on its way".
 */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setFailure(null);
    if (!email.trim()) {
      setError(t('auth.login.errors.emailRequired'));
      return;
    }
    setBusy(true);
    try {
      await api.post('/api/v1/password-reset', { email: email.trim() }, { quietUnauthorized: true });
      setSent(true);
    } catch (e) {
      if (e instanceof ApiError && e.is('password-reset-unavailable')) setFailure('auth.forgot.unavailable');
      else if (e instanceof ApiError && e.status === 422) setError(t('auth.forgot.invalidEmail'));
      else setFailure(errorMessageKey(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="fd-login" aria-labelledby="forgot-title">
      <div className="fd-login__card kern-card">
        <div className="kern-card__container">
          <PageHeading title={t('auth.forgot.title')}>
            <span id="forgot-title">{t('auth.forgot.title')}</span>
          </PageHeading>
          {sent ? (
            <Alert tone="success" role="status" title={t('auth.forgot.sent.title')}>
              <p className="kern-body">{t('auth.forgot.sent.text')}</p>
            </Alert>
          ) : (
            <>
              <p className="kern-body">{t('auth.forgot.intro')}</p>
              {failure ? (
                <Alert tone="danger" role="alert" title={t(`${failure}.title`)}>
                  <p className="kern-body">{t(`${failure}.text`)}</p>
                </Alert>
              ) : null}
              <form className="fd-form" noValidate onSubmit={(e) => void submit(e)}>
                <TextField
                  label={t('auth.login.email')}
                  type="email"
                  name="email"
                  autoComplete="username"
                  required
                  value={email}
                  error={error ?? undefined}
                  onChange={(e) => setEmail(e.target.value)}
                />
                <div className="fd-actions">
                  <Button type="submit" busy={busy}>
                    {t('auth.forgot.submit')}
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
