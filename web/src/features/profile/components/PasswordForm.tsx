import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../../components/Alert';
import { Button } from '../../../components/Button';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { TextField } from '../../../components/Field';
import { ApiError } from '../../../lib/api';
import { checkNewPassword, newPasswordServerMessage, NewPasswordFields } from '../../../components/NewPasswordFields';
import { changePassword } from '../api/account';

type Errors = Partial<Record<'current' | 'next' | 'repeat', string>>;

/** `onDone` runs after the password was changed (the one-time password flow moves on then). */
export function PasswordForm({ onDone }: { onDone?: () => void } = {}) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const found: Errors = {};
    if (!current) found.current = t('profile.password.errors.currentRequired');
    const fresh = checkNewPassword(next, repeat, t);
    if (fresh.password) found.next = fresh.password;
    if (fresh.repeat) found.repeat = fresh.repeat;
    setErrors(found);
    setFailure(null);
    setDone(false);
    if (Object.keys(found).length) return;

    setBusy(true);
    try {
      await changePassword(current, next);
      setCurrent('');
      setNext('');
      setRepeat('');
      setDone(true);
      onDone?.();
    } catch (error) {
      if (error instanceof ApiError && error.kind === 'problem' && (error.status === 422 || error.status === 400 || error.is('invalid-credentials'))) {
        const server = error.fieldErrors();
        const mapped: Errors = {};
        if (server.current_password) mapped.current = server.current_password;
        // The server's field messages are English; the form says it in the page's language.
        if (server.new_password) mapped.next = newPasswordServerMessage(server.new_password, t);
        if (server.current_password) mapped.current = t('profile.password.errors.currentWrong');
        if (error.is('invalid-credentials') && !mapped.current) mapped.current = t('profile.password.errors.currentWrong');
        if (Object.keys(mapped).length) setErrors(mapped);
        else setFailure(error);
      } else {
        setFailure(error);
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="fd-panel" aria-labelledby="password-title">
      <h2 className="kern-heading-medium" id="password-title">
        {t('profile.password.title')}
      </h2>
      {done ? (
        <Alert tone="success" role="status" title={t('profile.password.done')} headingLevel={3} />
      ) : null}
      <ErrorMessage error={failure} headingLevel={3} />
      <form className="fd-form" noValidate onSubmit={(e) => void submit(e)}>
        <TextField
          label={t('profile.password.current')}
          type="password"
          name="current_password"
          autoComplete="current-password"
          required
          value={current}
          error={errors.current}
          onChange={(e) => setCurrent(e.target.value)}
        />
        <NewPasswordFields
          password={next}
          repeat={repeat}
          errors={{ password: errors.next, repeat: errors.repeat }}
          onPassword={setNext}
          onRepeat={setRepeat}
        />
        <div className="fd-actions">
          <Button type="submit" busy={busy}>
            {t('profile.password.submit')}
          </Button>
        </div>
      </form>
    </section>
  );
}
