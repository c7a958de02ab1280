import { Outlet } from 'react-router';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { Brand } from './Brand';
import { Footer } from './Footer';
import { Kopfzeile } from './Kopfzeile';
import { SkipLink } from './SkipLink';

/** The frame of pages for people who are not signed in (the sign-in page). */
export function PublicLayout() {
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
            </div>
          </div>
        </div>
      </header>
      <main id="main" className="fd-main fd-main--public" tabIndex={-1}>
        <div className="kern-container">
          <Outlet />
        </div>
      </main>
      <Footer />
    </div>
  );
}
