import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { Alert } from '../../components/Alert';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { errorMessageKey } from '../../components/ErrorMessage';
import { useUser, useAuth } from '../../lib/auth';
import { SECTION_PATHS, sectionsFor } from '../../lib/roles';
import { Brand } from './Brand';
import { Footer } from './Footer';
import { Kopfzeile } from './Kopfzeile';
import { ReauthDialog } from './ReauthDialog';
import { SkipLink } from './SkipLink';

/** The frame of every signed-in page: header, role navigation, main landmark, footer. */
export function AppShell() {
  const { t } = useTranslation();
  const user = useUser();
  const { signOut, totpEnrolmentRequired, passwordChangeRequired } = useAuth();
  // Until the required second factor is set up, only the profile (where it is set up) works.
  // Until a second factor is set up or a one-time password replaced, only the profile is open.
  const sections = totpEnrolmentRequired || passwordChangeRequired ? (['profile'] as const) : sectionsFor(user.role);
  const navigate = useNavigate();
  const [signOutError, setSignOutError] = useState<unknown>(null);

  async function handleSignOut() {
    setSignOutError(null);
    try {
      await signOut();
      navigate('/login', { replace: true });
    } catch (error) {
      setSignOutError(error);
    }
  }

  return (
    <div className="fd-app">
      <SkipLink />
      <header className="fd-header">
        <Kopfzeile />
        <div className="fd-header__bar">
          <div className="kern-container fd-header__inner">
            <Brand />
            <div className="fd-header__tools">
              <LanguageSwitch />
              <div className="fd-user">
                <span className="fd-user__name">
                  <span className="kern-sr-only">{t('shell.signedInAs')} </span>
                  {user.display_name}
                  <span className="fd-user__role"> · {t(`roles.${user.role}`)}</span>
                </span>
                <button type="button" className="kern-btn kern-btn--tertiary kern-btn--x-small" onClick={() => void handleSignOut()}>
                  <span className="kern-icon kern-icon--logout" aria-hidden="true" />
                  <span className="kern-label">{t('shell.signOut')}</span>
                </button>
              </div>
            </div>
          </div>
        </div>
        <nav className="fd-nav" aria-label={t('shell.mainNavigation')}>
          <div className="kern-container">
            <ul className="fd-nav__list">
              {sections.map((section) => (
                <li key={section}>
                  <NavLink
                    to={SECTION_PATHS[section]}
                    end={section === 'dashboard'}
                    className={({ isActive }) => `fd-nav__link${isActive ? ' fd-nav__link--active' : ''}`}
                  >
                    {t(`nav.${section}`)}
                  </NavLink>
                </li>
              ))}
            </ul>
          </div>
        </nav>
      </header>
      <main id="main" className="fd-main" tabIndex={-1}>
        <div className="kern-container">
          {signOutError ? (
            <Alert tone="danger" role="alert" title={t('shell.signOutFailed')}>
              <p className="kern-body">{t(`${errorMessageKey(signOutError)}.text`)}</p>
            </Alert>
          ) : null}
          <Outlet />
        </div>
      </main>
      <Footer />
      <ReauthDialog />
    </div>
  );
}
