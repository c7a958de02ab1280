import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { TextField } from '../../../components/Field';
import { ApiError } from '../../../lib/api';
import { useAuth, useUser } from '../../../lib/auth';
import { groupSecret, svgDataUrl } from '../../../lib/format';
import { confirmTotp, disableTotp, startTotp, type TotpEnrolment } from '../api/account';

type Stage =
  | { name: 'idle' }
  | { name: 'enrolling'; enrolment: TotpEnrolment }
  | { name: 'recovery'; codes: string[] };

/**
 * Second factor: set up TOTP (QR code, confirm with a code, recovery codes once), or turn it off.
 * `onRecoverySaved` runs when the person confirms they have kept the recovery codes.
 */
export function TotpPanel({ onRecoverySaved }: { onRecoverySaved?: () => void } = {}) {
  const { t } = useTranslation();
  const user = useUser();
  const { refresh } = useAuth();
  const [stage, setStage] = useState<Stage>({ name: 'idle' });
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [offCode, setOffCode] = useState('');
  const [offCodeError, setOffCodeError] = useState<string | undefined>(undefined);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [message, setMessage] = useState<'disabled' | null>(null);
  const [busy, setBusy] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);

  async function run(action: () => Promise<void>) {
    if (busy) return;
    setBusy(true);
    setFailure(null);
    setFieldError(null);
    setMessage(null);
    try {
      await action();
    } finally {
      setBusy(false);
    }
  }

  const start = () =>
    run(async () => {
      try {
        const enrolment = await startTotp();
        setCode('');
        setStage({ name: 'enrolling', enrolment });
      } catch (error) {
        setFailure(error);
      }
    });

  const confirm = (event: FormEvent) => {
    event.preventDefault();
    const cleaned = code.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(cleaned)) {
      setFieldError(t('profile.totp.errors.codeFormat'));
      return;
    }
    void run(async () => {
      try {
        const answer = await confirmTotp(cleaned);
        setStage({ name: 'recovery', codes: answer.recovery_codes });
        await refresh().catch(() => undefined);
        headingRef.current?.focus();
      } catch (error) {
        if (error instanceof ApiError && error.kind === 'problem' && error.status < 500 && error.status !== 403) {
          setFieldError(error.fieldErrors().code ?? t('profile.totp.errors.codeWrong'));
        } else {
          setFailure(error);
        }
      }
    });
  };

  const turnOff = (event: FormEvent) => {
    event.preventDefault();
    setOffCodeError(undefined);
    if (!password) {
      setFieldError(t('profile.totp.errors.passwordRequired'));
      return;
    }
    if (!offCode.trim()) {
      setOffCodeError(t('profile.totp.errors.offCodeRequired'));
      return;
    }
    void run(async () => {
      try {
        await disableTotp(password, offCode.replace(/\s+/g, ''));
        setPassword('');
        setOffCode('');
        setMessage('disabled');
        await refresh().catch(() => undefined);
      } catch (error) {
        if (error instanceof ApiError && error.kind === 'problem' && (error.status === 422 || error.status === 401 || error.is('invalid-credentials'))) {
          const server = error.fieldErrors();
          if (server.code && !server.password) setOffCodeError(t('profile.totp.errors.offCodeWrong'));
          else setFieldError(t('profile.totp.errors.passwordWrong'));
        } else {
          setFailure(error);
        }
      }
    });
  };

  return (
    <section className="fd-panel" aria-labelledby="totp-title">
      <h2 className="kern-heading-medium" id="totp-title" ref={headingRef} tabIndex={-1}>
        {t('profile.totp.title')}
      </h2>
      <p className="kern-body">
        {t('profile.totp.status')}{' '}
        {user.totp_enabled ? (
          <span className="kern-badge kern-badge--success" data-testid="totp-status">
            <span className="kern-label">{t('profile.totp.enabled')}</span>
          </span>
        ) : (
          <span className="kern-badge kern-badge--info" data-testid="totp-status">
            <span className="kern-label">{t('profile.totp.notEnabled')}</span>
          </span>
        )}
      </p>
      <ErrorMessage error={failure} headingLevel={3} />
      {message === 'disabled' ? <Alert tone="success" role="status" title={t('profile.totp.disabledDone')} headingLevel={3} /> : null}

      {stage.name === 'recovery' ? (
        <div className="fd-recovery">
          <Alert tone="warning" role="alert" title={t('profile.totp.recovery.title')} headingLevel={3}>
            <p className="kern-body">{t('profile.totp.recovery.text')}</p>
            <ul className="fd-recovery__codes" aria-label={t('profile.totp.recovery.listLabel')} data-testid="recovery-codes">
              {stage.codes.map((recoveryCode) => (
                <li key={recoveryCode}>
                  <code>{recoveryCode}</code>
                </li>
              ))}
            </ul>
          </Alert>
          <div className="fd-actions">
            <Button
              onClick={() => {
                setStage({ name: 'idle' });
                onRecoverySaved?.();
              }}
            >
              {t('profile.totp.recovery.done')}
            </Button>
          </div>
        </div>
      ) : null}

      {stage.name === 'enrolling' ? (
        <div className="fd-enrol">
          <ol className="kern-list kern-list--number">
            <li>{t('profile.totp.steps.scan')}</li>
            <li>{t('profile.totp.steps.enter')}</li>
          </ol>
          <div className="fd-enrol__qr">
            <img src={svgDataUrl(stage.enrolment.qr_svg)} alt={t('profile.totp.qrAlt')} width={200} height={200} />
            <div>
              <p className="kern-body">{t('profile.totp.manual')}</p>
              <p className="fd-secret">
                <code data-testid="totp-secret" data-secret={stage.enrolment.secret}>
                  {groupSecret(stage.enrolment.secret)}
                </code>
              </p>
            </div>
          </div>
          <form className="fd-form" noValidate onSubmit={confirm}>
            <TextField
              label={t('profile.totp.code')}
              hint={t('profile.totp.codeHint')}
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              className="fd-input--short"
              value={code}
              error={fieldError}
              onChange={(e) => setCode(e.target.value)}
            />
            <div className="fd-actions">
              <Button type="submit" busy={busy}>
                {t('profile.totp.confirm')}
              </Button>
              <Button variant="tertiary" onClick={() => setStage({ name: 'idle' })}>
                {t('common.cancel')}
              </Button>
            </div>
          </form>
        </div>
      ) : null}

      {stage.name === 'idle' && !user.totp_enabled ? (
        <>
          <p className="kern-body">{t('profile.totp.explain')}</p>
          <div className="fd-actions">
            <Button onClick={() => void start()} busy={busy}>
              {t('profile.totp.start')}
            </Button>
          </div>
        </>
      ) : null}

      {stage.name === 'idle' && user.totp_enabled ? (
        <form className="fd-form" noValidate onSubmit={turnOff}>
          <p className="kern-body">{t('profile.totp.disableExplain')}</p>
          <TextField
            label={t('profile.totp.password')}
            type="password"
            name="password"
            autoComplete="current-password"
            value={password}
            error={fieldError}
            onChange={(e) => setPassword(e.target.value)}
          />
          <TextField
            label={t('profile.totp.offCode')}
            hint={t('profile.totp.offCodeHint')}
            name="totp-off-code"
            autoComplete="one-time-code"
            spellCheck={false}
            value={offCode}
            error={offCodeError}
            onChange={(e) => setOffCode(e.target.value)}
          />
          <div className="fd-actions">
            <Button type="submit" variant="secondary" busy={busy}>
              {t('profile.totp.disable')}
            </Button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
