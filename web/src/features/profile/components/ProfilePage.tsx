import { useTranslation } from 'react-i18next';
import { PageHeading } from '../../../components/PageHeading';
import { useUser } from '../../../lib/auth';
import { PasswordForm } from './PasswordForm';
import { TotpPanel } from './TotpPanel';

export function ProfilePage() {
  const { t } = useTranslation();
  const user = useUser();
  const title = t('profile.title');
  return (
    <section className="fd-page" data-testid="page-profile">
      <PageHeading title={title}>{title}</PageHeading>
      <section className="fd-panel" aria-labelledby="account-title">
        <h2 className="kern-heading-medium" id="account-title">
          {t('profile.account')}
        </h2>
        <dl className="kern-description-list">
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('account.name')}</dt>
            <dd className="kern-description-list-item__value">{user.display_name}</dd>
          </div>
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('account.email')}</dt>
            <dd className="kern-description-list-item__value">{user.email}</dd>
          </div>
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('account.role')}</dt>
            <dd className="kern-description-list-item__value">{t(`roles.${user.role}`)}</dd>
          </div>
          {user.centre_name ? (
            <div className="kern-description-list-item">
              <dt className="kern-description-list-item__key">{t('account.centre')}</dt>
              <dd className="kern-description-list-item__value">{user.centre_name}</dd>
            </div>
          ) : null}
        </dl>
      </section>
      <div className="fd-two-columns">
        <PasswordForm />
        <TotpPanel />
      </div>
    </section>
  );
}
