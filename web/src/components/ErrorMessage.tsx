import { useTranslation } from 'react-i18next';
import { ApiError } from '../lib/api';
import { Alert } from './Alert';

/** The translation key that explains a failed request to a person. */
export function errorMessageKey(error: unknown): string {
  if (!(error instanceof ApiError)) return 'errors.unexpected';
  if (error.kind === 'network') return 'errors.unreachable';
  if (error.kind === 'server') return 'errors.server';
  if (error.is('csrf')) return 'errors.csrf';
  if (error.status === 429) return 'errors.tooManyRequests';
  if (error.is('totp-enrolment-required')) return 'errors.totpEnrolmentRequired';
  if (error.status === 403) return 'errors.forbidden';
  if (error.status === 404) return 'errors.notFound';
  if (error.status === 422 || error.status === 400) return 'errors.invalid';
  return 'errors.unexpected';
}

/** An alert that explains a failed request; renders nothing without an error. */
export function ErrorMessage({ error, headingLevel }: { error: unknown; headingLevel?: 2 | 3 }) {
  const { t } = useTranslation();
  if (!error) return null;
  const key = errorMessageKey(error);
  return (
    <Alert tone="danger" role="alert" title={t(`${key}.title`)} headingLevel={headingLevel}>
      <p className="kern-body">{t(`${key}.text`)}</p>
    </Alert>
  );
}
