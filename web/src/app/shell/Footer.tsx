import { useTranslation } from 'react-i18next';

/** The legal pages live in the public portal (server-rendered, admin-editable). */
const LEGAL = ['imprint', 'privacy', 'accessibility'] as const;

export function Footer() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'de';
  return (
    <footer className="fd-footer">
      <div className="kern-container">
        <p className="kern-body kern-body--small">{t('shell.footer')}</p>
        <nav aria-label={t('shell.legal')}>
          <ul className="fd-footer-links">
            {LEGAL.map((page) => (
              <li key={page}>
                <a className="kern-link kern-link--small" href={`/${lang}/${page}`}>
                  {t(`shell.legalPages.${page}`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </div>
    </footer>
  );
}
