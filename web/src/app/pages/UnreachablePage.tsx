import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { useAuth } from '../../lib/auth';

/** Shown when the first request to the server fails, before anyone could sign in. */
export function UnreachablePage() {
  const { t } = useTranslation();
  const { retry } = useAuth();
  return (
    <main id="main" className="fd-main fd-main--public">
      <div className="kern-container">
        <h1 className="kern-heading-large">{t('app.name')}</h1>
        <Alert tone="danger" role="alert" title={t('errors.unreachable.title')}>
          <p className="kern-body">{t('errors.unreachable.text')}</p>
        </Alert>
        <div className="fd-actions">
          <Button onClick={retry}>{t('common.retry')}</Button>
        </div>
      </div>
    </main>
  );
}
