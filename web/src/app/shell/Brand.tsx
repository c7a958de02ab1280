import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function Brand() {
  const { t } = useTranslation();
  return (
    <Link to="/dashboard" className="fd-brand">
      <span className="fd-brand__mark" aria-hidden="true">
        f
      </span>
      <span className="fd-brand__text">
        <span className="fd-brand__name">{t('app.name')}</span>
        <span className="fd-brand__tagline">{t('app.tagline')}</span>
      </span>
    </Link>
  );
}
