import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { Alert } from '../../../components/Alert';
import { PageHeading } from '../../../components/PageHeading';
import { useAuth, useUser } from '../../../lib/auth';
import { safeNext } from '../../../lib/safeNext';
import { PasswordForm } from './PasswordForm';
import { TotpPanel } from './TotpPanel';


/**
 * The profile: the account, the password and the second factor. While the organisation requires a
 * second factor that the account has not set up yet (`serve --require-2fa`), it is the set-up
 * page: a notice, and only the TOTP panel (the server refuses everything else until then). Once
 * the codes are kept, it goes on to where the person was going (`?next=`).
 */
export function ProfilePage() {
  const { t } = useTranslation();
  const user = useUser();
  const { totpEnrolmentRequired, passwordChangeRequired, refresh } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  // Set when this page saw the requirement; it stays so after the enrolment, until the person has
  // kept the recovery codes and moves on.
  const [settingUp, setSettingUp] = useState(totpEnrolmentRequired);
  if (totpEnrolmentRequired && !settingUp) setSettingUp(true);
  const justEnrolled = settingUp && !totpEnrolmentRequired;

  const title = t('profile.title');
  return (
    <section className="fd-page" data-testid="page-profile">
      <PageHeading title={title}>{title}</PageHeading>
      {passwordChangeRequired ? (
        <Alert tone="warning" role="status" title={t('profile.mustChange.title')} id="password-change-notice">
          <p className="kern-body">{t('profile.mustChange.text')}</p>
        </Alert>
      ) : null}
      {totpEnrolmentRequired && !passwordChangeRequired ? (
        <Alert tone="warning" role="status" title={t('profile.setup.title')} id="totp-setup-notice">
          <p className="kern-body">{t('profile.setup.text')}</p>
        </Alert>
      ) : null}
      {justEnrolled ? (
        <Alert tone="success" role="status" title={t('profile.setup.doneTitle')}>
          <p className="kern-body">{t('profile.setup.doneText')}</p>
        </Alert>
      ) : null}
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
        {/* The slot stays when the form is hidden, so the TOTP panel keeps its state (recovery codes). */}
        {settingUp && !passwordChangeRequired ? null : (
          <PasswordForm
            onDone={() => {
              if (!passwordChangeRequired) return;
              void refresh().then(() => {
                if (!totpEnrolmentRequired) navigate(safeNext(params.get('next'), ['/login', '/profile'], '/dashboard'), { replace: true });
              });
            }}
          />
        )}
        {passwordChangeRequired ? null : <TotpPanel
          onRecoverySaved={() => {
            if (!justEnrolled) return;
            setSettingUp(false);
            navigate(safeNext(params.get('next'), ['/login', '/profile'], '/dashboard'), { replace: true });
          }}
        />}
      </div>
    </section>
  );
}
