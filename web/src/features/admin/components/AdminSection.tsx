import { NavLink, Route, Routes } from 'react-router';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { Loader } from '../../../components/Loader';
import { PageHeading } from '../../../components/PageHeading';
import { useAdminTranslation } from '../i18n';
import { CentrePage } from './CentrePage';
import { CentresPage } from './CentresPage';
import { EditUserPage } from './EditUserPage';
import { LegalPagesPage } from './LegalPagesPage';
import { LocationPage } from './LocationPage';
import { NewUserPage } from './NewUserPage';
import { OrganisationPage } from './OrganisationPage';
import { OrganisationsPage } from './OrganisationsPage';
import { SettingsPage } from './SettingsPage';
import { SignVideosPage } from './SignVideosPage';
import { UsersPage } from './UsersPage';
import '../admin.css';

const AREAS = ['users', 'organisations', 'centres', 'settings', 'legal', 'sign-videos'] as const;

/**
 * `/admin/*` (admins): user accounts, organisations, advice centres, settings, the portal's legal pages and its sign-language videos. The sub-pages are routed
 * here so that the app's router needs one entry; the area navigation sits above each page.
 */
export function AdminSection() {
  const tr = useAdminTranslation();
  if (tr.failed) return <ErrorMessage error={new Error('locale')} />;
  if (!tr.ready) return <Loader />;
  const { tc } = tr;
  return (
    <div className="fd-admin">
      <nav className="fd-admin-nav" aria-label={tc('nav.label')}>
        <ul>
          {AREAS.map((area) => (
            <li key={area}>
              <NavLink
                to={`/admin/${area}`}
                className={({ isActive }) => `kern-link fd-admin-nav__link${isActive ? ' fd-admin-nav__link--active' : ''}`}
              >
                {tc(`nav.${area}`)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        <Route index element={<UsersPage />} />
        <Route path="users" element={<UsersPage />} />
        <Route path="users/new" element={<NewUserPage />} />
        <Route path="users/:id" element={<EditUserPage />} />
        <Route path="organisations" element={<OrganisationsPage />} />
        <Route path="organisations/:id" element={<OrganisationPage />} />
        <Route path="centres" element={<CentresPage />} />
        <Route path="centres/:id" element={<CentrePage />} />
        <Route path="centres/:id/locations/:locationId" element={<LocationPage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="legal" element={<LegalPagesPage />} />
        <Route path="sign-videos" element={<SignVideosPage />} />
        <Route path="*" element={<AdminNotFound title={tr.t('notFound.title')} text={tr.t('notFound.text')} />} />
      </Routes>
    </div>
  );
}

function AdminNotFound({ title, text }: { title: string; text: string }) {
  return (
    <section className="fd-page" data-testid="not-found">
      <PageHeading title={title}>{title}</PageHeading>
      <p className="kern-body">{text}</p>
    </section>
  );
}
