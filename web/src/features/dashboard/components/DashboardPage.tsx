import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeading } from '../../../components/PageHeading';
import { useUser } from '../../../lib/auth';
import { SECTION_PATHS, sectionsFor } from '../../../lib/roles';
import { useDashboardTranslation } from '../i18n';
import { CaseWork } from './CaseWork';
import '../dashboard.css';

/** Roles whose start page shows their case work. */
const CASE_ROLES = new Set(['advisor', 'centre_lead', 'competence_centre']);

/**
 * The start page: for case workers their open cases, due deadlines and escalation answers; for
 * everyone who is signed in and the sections this role works with.
 */
export function DashboardPage() {
  const { t } = useTranslation();
  const user = useUser();
  const tr = useDashboardTranslation();
  const caseWork = CASE_ROLES.has(user.role);
  const sections = sectionsFor(user.role).filter((s) => s !== 'dashboard');
  const title = t('nav.dashboard');

  return (
    <section className="fd-page" data-testid="page-dashboard">
      <PageHeading title={title} lead={t('dashboard.welcome', { name: user.display_name })}>
        {title}
      </PageHeading>
      <dl className="kern-description-list fd-account-summary">
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
        {user.state ? (
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('account.state')}</dt>
            <dd className="kern-description-list-item__value">{t(`states.${user.state}`)}</dd>
          </div>
        ) : null}
      </dl>
      {caseWork && tr.ready ? <CaseWork user={user} tr={tr} /> : null}
      <h2 className="kern-heading-medium fd-section-title">{t('dashboard.sections')}</h2>
      <ul className="fd-card-grid">
        {sections.map((section) => (
          <li key={section} className="kern-card kern-card--interactive kern-card--small">
            <div className="kern-card__container">
              <div className="kern-card__header">
                <h3 className="kern-title">
                  <Link className="kern-link kern-link--stretched" to={SECTION_PATHS[section]}>
                    {t(`nav.${section}`)}
                  </Link>
                </h3>
              </div>
              <div className="kern-card__body">
                <p className="kern-body">{t(`sections.${section}.description`)}</p>
              </div>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
