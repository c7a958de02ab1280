import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/Alert';
import { PageHeading } from '../../components/PageHeading';
import type { Section } from '../../lib/roles';

/** A section whose work arrives with a later release: says what it will hold. */
export function ComingSoonPage({ section }: { section: Section }) {
  const { t } = useTranslation();
  const title = t(`nav.${section}`);
  return (
    <section className="fd-page" data-testid={`page-${section}`}>
      <PageHeading title={title} lead={t(`sections.${section}.description`)}>
        {title}
      </PageHeading>
      <Alert tone="info" role="status" title={t('comingSoon.title')}>
        <p className="kern-body">{t('comingSoon.text')}</p>
      </Alert>
    </section>
  );
}
