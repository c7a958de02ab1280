import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { errorMessageKey } from '../../../components/ErrorMessage';
import { TextField } from '../../../components/Field';
import { PageHeading } from '../../../components/PageHeading';
import { ApiError, request } from '../../../lib/api';
import { useAuth, type Credentials } from '../../../lib/auth';
import { solveProofOfWork } from '../../../lib/proofOfWork';
import { splitDuration } from '../../../lib/format';
import { safeNext } from '../../../lib/safeNext';

type Step = 'password' | 'second-factor';

/** The problem codes of a refused sign-in at the identity provider (`/login?oidc_error=…`). */
const OIDC_ERRORS = ['oidc-state', 'oidc-provider', 'oidc-denied', 'oidc-token', 'oidc-no-mapping', 'oidc-disabled', 'oidc-email-taken', 'oidc-unavailable'] as const;

interface OidcInfo {
  enabled: boolean;
  label: string;
}

interface Failure {
  key: string;
  retryAfter?: number;
}


export function LoginPage() {
  const { t } = useTranslation();
  const { status, notice, signIn, clearNotice } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'), ['/login'], '/dashboard');

  const [step, setStep] = useState<Step>('password');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [solving, setSolving] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const errorRef = useRef<HTMLDivElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const [oidc, setOidc] = useState<OidcInfo | null>(null);
  const oidcError = params.get('oidc_error');
  const oidcErrorKey = (OIDC_ERRORS as readonly string[]).includes(oidcError ?? '') ? oidcError!.replace(/-/g, '_') : oidcError ? 'oidc_unknown' : null;

  // Sign-in through the organisation's identity provider, when an admin configured it.
  useEffect(() => {
    let live = true;
    request<OidcInfo>('GET', '/api/v1/oidc')
      .then((info) => {
        if (live) setOidc(info);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    if (failure) errorRef.current?.focus();
  }, [failure]);

  useEffect(() => {
    if (step === 'second-factor') codeRef.current?.focus();
  }, [step]);

  if (status === 'signed-in' && !busy) return <Navigate to={next} replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const errors: Record<string, string> = {};
    if (!email.trim()) errors.email = t('auth.login.errors.emailRequired');
    if (!password) errors.password = t('auth.login.errors.passwordRequired');
    if (step === 'second-factor' && !code.trim()) errors.totp = t('auth.login.errors.codeRequired');
    setFieldErrors(errors);
    setFailure(null);
    if (Object.keys(errors).length) return;

    setBusy(true);
    clearNotice();
    try {
      const credentials: Credentials = {
        email: email.trim(),
        password,
        ...(step === 'second-factor' ? { totp: code.replace(/\s+/g, '') } : {}),
      };
      // After many failed attempts on the account (or from this network) the server asks for a
      // small proof of work before it checks the password: solve it and send the sign-in again.
      for (let round = 0; ; round += 1) {
        try {
          await signIn(credentials);
          break;
        } catch (error) {
          const challenge = error instanceof ApiError && error.is('proof-of-work-required') ? error.problem : null;
          if (!challenge?.challenge || round >= 2) throw error;
          setSolving(true);
          try {
            const nonce = await solveProofOfWork(challenge.challenge, challenge.difficulty ?? 0);
            credentials.proof = { challenge: challenge.challenge, nonce };
          } finally {
            setSolving(false);
          }
        }
      }
      navigate(next, { replace: true });
    } catch (error) {
      setFailure(explain(error, step));
      if (error instanceof ApiError) {
        if (error.is('totp-required')) {
          if (step === 'password') {
            setStep('second-factor');
            setFailure(null);
          } else {
            setCode('');
          }
        } else if (error.status === 422) {
          const server = error.fieldErrors();
          setFieldErrors({
            ...(server.email ? { email: server.email } : {}),
            ...(server.password ? { password: server.password } : {}),
            ...(server.totp ? { totp: server.totp } : {}),
          });
        } else if (error.is('invalid-credentials')) {
          setStep('password');
          setCode('');
        }
      }
    } finally {
      setBusy(false);
    }
  }

  function backToPassword() {
    setStep('password');
    setCode('');
    setFailure(null);
    setFieldErrors({});
  }

  const retry = failure?.retryAfter !== undefined ? splitDuration(failure.retryAfter) : null;

  return (
    <section className="fd-login" aria-labelledby="login-title">
      <div className="fd-login__card kern-card">
        <div className="kern-card__container">
          <PageHeading title={t('auth.login.title')}>
            <span id="login-title">{t('auth.login.title')}</span>
          </PageHeading>
          <p className="kern-body">
            {step === 'password' ? t('auth.login.intro') : t('auth.login.secondFactorIntro')}
          </p>

          {notice === 'expired' ? (
            <Alert tone="warning" role="status" title={t('auth.notice.expired.title')}>
              <p className="kern-body">{t('auth.notice.expired.text')}</p>
            </Alert>
          ) : null}
          {notice === 'signed-out' ? (
            <Alert tone="success" role="status" title={t('auth.notice.signedOut.title')}>
              <p className="kern-body">{t('auth.notice.signedOut.text')}</p>
            </Alert>
          ) : null}

          {oidcErrorKey && !failure ? (
            <Alert tone="danger" role="alert" title={t('auth.login.oidc.errorTitle')}>
              <p className="kern-body">{t(`auth.login.oidc.errors.${oidcErrorKey}`)}</p>
            </Alert>
          ) : null}

          {oidc?.enabled && step === 'password' ? (
            <div className="fd-actions">
              <a className="kern-btn kern-btn--secondary" href={`/api/v1/oidc/start?return_to=${encodeURIComponent(next)}`}>
                <span className="kern-label">{t('auth.login.oidc.button', { organisation: oidc.label })}</span>
              </a>
            </div>
          ) : null}

          {solving ? (
            <Alert tone="info" role="status" title={t('auth.login.solving.title')}>
              <p className="kern-body">{t('auth.login.solving.text')}</p>
            </Alert>
          ) : null}

          {failure ? (
            <div ref={errorRef} tabIndex={-1} className="fd-focus-target">
              <Alert tone="danger" role="alert" title={t(`${failure.key}.title`)}>
                <p className="kern-body">
                  {retry
                    ? t(`${failure.key}.text`, {
                        count: retry.minutes > 0 ? retry.minutes : retry.seconds,
                        context: retry.minutes > 0 ? 'minutes' : 'seconds',
                      })
                    : t(`${failure.key}.text`)}
                </p>
              </Alert>
            </div>
          ) : null}

          <form className="fd-form" noValidate onSubmit={(e) => void submit(e)}>
            {step === 'password' ? (
              <>
                <TextField
                  label={t('auth.login.email')}
                  type="email"
                  name="email"
                  autoComplete="username"
                  inputMode="email"
                  required
                  value={email}
                  error={fieldErrors.email}
                  onChange={(e) => setEmail(e.target.value)}
                />
                <TextField
                  label={t('auth.login.password')}
                  type="password"
                  name="password"
                  autoComplete="current-password"
                  required
                  value={password}
                  error={fieldErrors.password}
                  onChange={(e) => setPassword(e.target.value)}
                />
              </>
            ) : (
              <TextField
                ref={codeRef}
                label={t('auth.login.code')}
                hint={t('auth.login.codeHint')}
                name="totp"
                autoComplete="one-time-code"
                required
                spellCheck={false}
                value={code}
                error={fieldErrors.totp}
                onChange={(e) => setCode(e.target.value)}
              />
            )}
            <div className="fd-actions">
              <Button type="submit" busy={busy} icon={busy ? undefined : 'arrow-forward'}>
                {busy ? t('auth.login.submitting') : step === 'password' ? t('auth.login.submit') : t('auth.login.confirmCode')}
              </Button>
              {step === 'second-factor' ? (
                <Button variant="tertiary" onClick={backToPassword}>
                  {t('auth.login.back')}
                </Button>
              ) : null}
            </div>
          </form>
          <p className="kern-body">
            <Link className="kern-link" to="/forgot-password">
              {t('auth.login.forgot')}
            </Link>
          </p>
        </div>
      </div>
    </section>
  );
}

function explain(error: unknown, step: Step): Failure {
  if (error instanceof ApiError && error.kind === 'problem') {
    if (error.is('invalid-credentials')) return { key: 'auth.login.errors.invalidCredentials' };
    if (error.is('totp-required')) return { key: step === 'second-factor' ? 'auth.login.errors.wrongCode' : 'auth.login.errors.codeRequiredTitle' };
    if (error.status === 429) return { key: 'auth.login.errors.tooMany', retryAfter: error.retryAfterSeconds ?? 60 };
    if (error.status === 422) return { key: 'auth.login.errors.incomplete' };
  }
  return { key: errorMessageKey(error) };
}
