import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeading } from '../../components/PageHeading';

/** What a role sees on a page that is not meant for it (the server refuses the data anyway). */
export function ForbiddenPage() {
  const { t } = useTranslation();
  return (
    <section className="fd-page" data-testid="forbidden">
      <PageHeading title={t('forbidden.title')}>{t('forbidden.title')}</PageHeading>
      <p className="kern-body">{t('forbidden.text')}</p>
      <p className="kern-body">
        <Link className="kern-link" to="/dashboard">
          {t('common.backToDashboard')}
        </Link>
      </p>
    </section>
  );
}
