import { useTranslation } from 'react-i18next';

export function Loader({ label }: { label?: string }) {
  const { t, ready } = useTranslation();
  const text = label ?? (ready ? t('common.loading') : '…');
  return (
    <div className="fd-loading" role="status">
      <span className="kern-loader kern-loader--visible" aria-hidden="true" />
      <span className="kern-body">{text}</span>
    </div>
  );
}
