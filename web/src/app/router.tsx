import { createBrowserRouter } from 'react-router';
import { AdminSection } from '../features/admin/components/AdminSection';
import { AuditPage } from '../features/audit/components/AuditPage';
import '../features/audit/shellTexts';
import { CalculatorPage } from '../features/calculators/components/CalculatorPage';
import { CalculatorsPage } from '../features/calculators/components/CalculatorsPage';
import { ContactRequestsPage } from '../features/contact-requests/components/ContactRequestsPage';
import { CaseDetailPage } from '../features/cases/components/CaseDetailPage';
import { CaseListPage } from '../features/cases/components/CaseListPage';
import { ClientPage } from '../features/cases/components/ClientPage';
import { NewCasePage } from '../features/cases/components/NewCasePage';
import { DashboardPage } from '../features/dashboard/components/DashboardPage';
import { DirectoryPage } from '../features/directory/components/DirectoryPage';
import { EsfIndicatorsPage } from '../features/esf/components/EsfIndicatorsPage';
import { EsfParticipantPage } from '../features/esf/components/EsfParticipantPage';
import { EscalationPage } from '../features/escalations/components/EscalationPage';
import { EscalationsPage } from '../features/escalations/components/EscalationsPage';
import { CheckInPage } from '../features/events/components/CheckInPage';
import { EventDetailPage } from '../features/events/components/EventDetailPage';
import { EventFormPage } from '../features/events/components/EventFormPage';
import { EventsPage } from '../features/events/components/EventsPage';
import { VerifyPage } from '../features/events/components/VerifyPage';
import { ForgotPasswordPage } from '../features/auth/components/ForgotPasswordPage';
import { LoginPage } from '../features/auth/components/LoginPage';
import { ResetPasswordPage } from '../features/auth/components/ResetPasswordPage';
import { EditorPage as KnowledgeEditorPage } from '../features/knowledge/components/EditorPage';
import { ItemPage as KnowledgeItemPage } from '../features/knowledge/components/ItemPage';
import { KnowledgePage } from '../features/knowledge/components/KnowledgePage';
import { NewItemPage as KnowledgeNewItemPage } from '../features/knowledge/components/NewItemPage';
import '../features/knowledge/shellTexts';
import { StatisticsPage } from '../features/stats/components/StatisticsPage';
import { ProfilePage } from '../features/profile/components/ProfilePage';
import { TeamPage } from '../features/team/components/TeamPage';
import type { Section } from '../lib/roles';
import { RequireAuth, RequireSection } from './guards';
import { ComingSoonPage } from './pages/ComingSoonPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { AppShell } from './shell/AppShell';
import { PublicLayout } from './shell/PublicLayout';

/** Sections that later releases fill; until then each says so. */
const LATER: { path: string; section: Section }[] = [];

export const router = createBrowserRouter([
  {
    element: <PublicLayout />,
    children: [
      { path: '/login', element: <LoginPage /> },
      // Anyone may check a certificate of attendance by the code printed on it.
      { path: '/verify/:code', element: <VerifyPage /> },
      { path: '/forgot-password', element: <ForgotPasswordPage /> },
      { path: '/reset-password', element: <ResetPasswordPage /> },
    ],
  },
  {
    element: <RequireAuth />,
    children: [
      {
        element: <AppShell />,
        children: [
          { path: '/dashboard', element: <DashboardPage /> },
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
          // Case work. The escalations inbox is the competence centre's section; a single
          // escalation is open to every case role (advisors follow the answer from their case and
          // dashboard; the server decides what each may see).
          ...(
            [
              { path: '/cases', section: 'cases', element: <CaseListPage /> },
              { path: '/cases/new', section: 'cases', element: <NewCasePage /> },
              { path: '/cases/:id', section: 'cases', element: <CaseDetailPage /> },
              { path: '/cases/:id/esf', section: 'cases', element: <EsfParticipantPage /> },
              { path: '/clients/:id', section: 'cases', element: <ClientPage /> },
              { path: '/escalations', section: 'escalations', element: <EscalationsPage /> },
              { path: '/contact-requests', section: 'contactRequests', element: <ContactRequestsPage /> },
              { path: '/escalations/:id', section: 'cases', element: <EscalationPage /> },
              // Events and training (issue 10): every role but admin; the server decides per event.
              { path: '/events', section: 'events', element: <EventsPage /> },
              { path: '/events/new', section: 'events', element: <EventFormPage /> },
              { path: '/events/:id', section: 'events', element: <EventDetailPage /> },
              { path: '/events/:id/edit', section: 'events', element: <EventFormPage /> },
              { path: '/events/:id/check-in', section: 'events', element: <CheckInPage /> },
              // Administration: the centre lead's team, the audit trail (leads and admins), and
              // users and the directory for admins (its sub-pages are routed inside the feature).
              { path: '/team', section: 'team', element: <TeamPage /> },
              { path: '/audit', section: 'audit', element: <AuditPage /> },
              { path: '/admin/*', section: 'admin', element: <AdminSection /> },
              // Statistics (issue 11): exact for the own centre, protected beyond it (the server decides).
              { path: '/statistics', section: 'statistics', element: <StatisticsPage /> },
              { path: '/statistics/esf', section: 'statistics', element: <EsfIndicatorsPage /> },
              // Knowledge base: everyone reads; the Competence Centre writes (the server checks).
              { path: '/knowledge', section: 'knowledge', element: <KnowledgePage /> },
              { path: '/knowledge/items/:id', section: 'knowledge', element: <KnowledgeItemPage /> },
              { path: '/knowledge/new', section: 'knowledge', element: <KnowledgeNewItemPage /> },
              { path: '/knowledge/edit/:id', section: 'knowledge', element: <KnowledgeEditorPage /> },
            ] as const
          ).map(({ path, section, element }) => ({ path, element: <RequireSection section={section}>{element}</RequireSection> })),
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
