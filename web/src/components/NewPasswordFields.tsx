import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { TextField } from './Field';

/** The minimum length of a new password; the server checks the same. */
export const MIN_PASSWORD_LENGTH = 12;

export type NewPasswordErrors = { password?: string; repeat?: string };

/** The checks the browser makes before sending a new password: long enough, typed twice alike. */
export function checkNewPassword(password: string, repeat: string, t: TFunction): NewPasswordErrors {
  const found: NewPasswordErrors = {};
  if (password.length < MIN_PASSWORD_LENGTH) found.password = t('profile.password.errors.tooShort', { count: MIN_PASSWORD_LENGTH });
  if (password && repeat !== password) found.repeat = t('profile.password.errors.mismatch');
  return found;
}

/**
 * The server's reason for refusing a new password (an English field message of a 422), as a
 * sentence in the page's language: the address rule and "the same as now" are named as such,
 * every other reason (too simple, a common password) is "too easy to guess".
 */
export function newPasswordServerMessage(message: string, t: TFunction): string {
  if (/e-mail address/.test(message)) return t('profile.password.errors.emailBased');
  if (/must differ from the current password/.test(message)) return t('profile.password.errors.sameAsCurrent');
  const short = /at least (\d+) characters/.exec(message);
  if (short) return t('profile.password.errors.tooShort', { count: Number(short[1]) });
  if (/at most (\d+) characters/.test(message)) return t('profile.password.errors.tooLong');
  return t('profile.password.errors.weak');
}

/**
 * "New password" and "repeat it", as the password change (profile) and the reset link (auth) ask
 * for it: with the length hint and autocomplete="new-password" so password managers offer one.
 */
export function NewPasswordFields({
  password,
  repeat,
  errors,
  onPassword,
  onRepeat,
}: {
  password: string;
  repeat: string;
  errors: NewPasswordErrors;
  onPassword: (value: string) => void;
  onRepeat: (value: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <TextField
        label={t('profile.password.new')}
        hint={t('profile.password.newHint', { count: MIN_PASSWORD_LENGTH })}
        type="password"
        name="new_password"
        autoComplete="new-password"
        required
        minLength={MIN_PASSWORD_LENGTH}
        value={password}
        error={errors.password}
        onChange={(e) => onPassword(e.target.value)}
      />
      <TextField
        label={t('profile.password.repeat')}
        type="password"
        name="repeat_password"
        autoComplete="new-password"
        required
        value={repeat}
        error={errors.repeat}
        onChange={(e) => onRepeat(e.target.value)}
      />
    </>
  );
}
