import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeading } from '../../components/PageHeading';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <section className="fd-page" data-testid="not-found">
      <PageHeading title={t('notFound.title')}>{t('notFound.title')}</PageHeading>
      <p className="kern-body">{t('notFound.text')}</p>
      <p className="kern-body">
        <Link className="kern-link" to="/dashboard">
          {t('common.backToDashboard')}
        </Link>
      </p>
    </section>
  );
}
