import { createBrowserRouter } from 'react-router';
import { CalculatorPage } from '../features/calculators/components/CalculatorPage';
import { CalculatorsPage } from '../features/calculators/components/CalculatorsPage';
import { CaseDetailPage } from '../features/cases/components/CaseDetailPage';
import { CaseListPage } from '../features/cases/components/CaseListPage';
import { NewCasePage } from '../features/cases/components/NewCasePage';
import { DashboardPage } from '../features/dashboard/components/DashboardPage';
import { DirectoryPage } from '../features/directory/components/DirectoryPage';
import { EscalationPage } from '../features/escalations/components/EscalationPage';
import { EscalationsPage } from '../features/escalations/components/EscalationsPage';
import { LoginPage } from '../features/auth/components/LoginPage';
import { ProfilePage } from '../features/profile/components/ProfilePage';
import type { Section } from '../lib/roles';
import { RequireAuth, RequireSection } from './guards';
import { ComingSoonPage } from './pages/ComingSoonPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { AppShell } from './shell/AppShell';
import { PublicLayout } from './shell/PublicLayout';

/** Sections that later releases fill; until then each says so. */
const LATER: { path: string; section: Section }[] = [
  { path: 'statistics', section: 'statistics' },
  { path: 'team', section: 'team' },
  { path: 'admin', section: 'admin' },
];

export const router = createBrowserRouter([
  {
    element: <PublicLayout />,
    children: [{ path: '/login', element: <LoginPage /> }],
  },
  {
    element: <RequireAuth />,
    children: [
      {
        element: <AppShell />,
        children: [
          { index: true, path: '/', element: <DashboardPage /> },
          {
            path: '/directory',
            element: (
              <RequireSection section="directory">
                <DirectoryPage />
              </RequireSection>
            ),
          },
          { path: '/profile', element: <ProfilePage /> },
          {
            path: '/calculators',
            element: (
              <RequireSection section="calculators">
                <CalculatorsPage />
              </RequireSection>
            ),
          },
          {
            path: '/calculators/:name',
            element: (
              <RequireSection section="calculators">
                <CalculatorPage />
              </RequireSection>
            ),
          },
          // Case work. Advisors reach their centre's escalations too, so those routes admit every
          // role with the cases section (the server decides what each sees).
          ...[
            { path: '/cases', element: <CaseListPage /> },
            { path: '/cases/new', element: <NewCasePage /> },
            { path: '/cases/:id', element: <CaseDetailPage /> },
            { path: '/escalations', element: <EscalationsPage /> },
            { path: '/escalations/:id', element: <EscalationPage /> },
          ].map(({ path, element }) => ({ path, element: <RequireSection section="cases">{element}</RequireSection> })),
          ...LATER.map(({ path, section }) => ({
            path: `/${path}/*`,
            element: (
              <RequireSection section={section}>
                <ComingSoonPage section={section} />
              </RequireSection>
            ),
          })),
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
