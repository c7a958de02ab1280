/**
 * The session ended while the person was working (idle time-out, server restart): a modal dialog
 * over the open page asks for the password (and the second factor where the account has one).
 * The request that found the session gone waits and is sent again afterwards, so a note that was
 * being saved is saved, and every form keeps what was typed.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { TextField } from '../../components/Field';
import { ApiError } from '../../lib/api';
import { useAuth } from '../../lib/auth';

export function ReauthDialog() {
  const { reauthenticating } = useAuth();
  return reauthenticating ? <ReauthForm /> : null;
}

function ReauthForm() {
  const { t } = useTranslation();
  const { user, reauthenticate, abandonReauthentication } = useAuth();
  const dialog = useRef<HTMLDialogElement>(null);
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needsTotp, setNeedsTotp] = useState(user?.totp_enabled === true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (!password) {
      setError(t('reauth.passwordRequired'));
      return;
    }
    if (needsTotp && !totp.trim()) {
      setError(t('reauth.codeRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await reauthenticate({ password, ...(needsTotp ? { totp: totp.replace(/\s+/g, '') } : {}) });
    } catch (caught) {
      if (caught instanceof ApiError && caught.is('totp-required')) {
        if (needsTotp) setError(t('reauth.wrongCode'));
        setNeedsTotp(true);
        setTotp('');
      } else if (caught instanceof ApiError && caught.status === 429) {
        setError(t('reauth.tooMany'));
      } else if (caught instanceof ApiError && (caught.status === 401 || caught.status === 422)) {
        setError(t('reauth.wrongPassword'));
      } else {
        setError(t('errors.unreachable.text'));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog
      ref={dialog}
      className="kern-dialog fd-reauth"
      aria-labelledby="reauth-title"
      aria-describedby="reauth-text"
      data-testid="reauth-dialog"
      onCancel={(event) => event.preventDefault()}
    >
      <form noValidate onSubmit={(e) => void submit(e)}>
        <header className="kern-dialog__header">
          <h2 className="kern-title" id="reauth-title">
            {t('reauth.title')}
          </h2>
        </header>
        <div className="kern-dialog__body">
          <p className="kern-body" id="reauth-text">
            {t('reauth.text', { email: user?.email ?? '' })}
          </p>
          {error ? <Alert tone="danger" role="alert" title={error} headingLevel={3} /> : null}
          <TextField
            id="reauth-password"
            type="password"
            autoComplete="current-password"
            label={t('reauth.password')}
            value={password}
            autoFocus
            onChange={(e) => setPassword(e.target.value)}
          />
          {needsTotp ? (
            <TextField
              id="reauth-totp"
              inputMode="numeric"
              autoComplete="one-time-code"
              label={t('reauth.code')}
              hint={t('reauth.codeHint')}
              value={totp}
              onChange={(e) => setTotp(e.target.value)}
            />
          ) : null}
        </div>
        <footer className="kern-dialog__footer fd-actions">
          <Button type="submit" icon="check" busy={busy}>
            {t('reauth.submit')}
          </Button>
          <Button type="button" variant="tertiary" onClick={abandonReauthentication}>
            {t('reauth.giveUp')}
          </Button>
        </footer>
      </form>
    </dialog>
  );
}
