import { useTranslation } from 'react-i18next';

export function Footer() {
  const { t } = useTranslation();
  return (
    <footer className="fd-footer">
      <div className="kern-container">
        <p className="kern-body kern-body--small">{t('shell.footer')}</p>
      </div>
    </footer>
  );
}
