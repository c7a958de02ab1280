import { useTranslation } from 'react-i18next';

export function SkipLink() {
  const { t } = useTranslation();
  return (
    <a className="fd-skip-link kern-link" href="#main">
      {t('shell.skipToContent')}
    </a>
  );
}
