import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useAuth } from '../lib/auth';
import { canAccess, type Section } from '../lib/roles';
import { ForbiddenPage } from './pages/ForbiddenPage';

/** Lets signed-in people through and sends everyone else to the sign-in page. */
export function RequireAuth() {
  const { status } = useAuth();
  const location = useLocation();
  if (status !== 'signed-in') {
    const next = `${location.pathname}${location.search}`;
    const query = next === '/' ? '' : `?next=${encodeURIComponent(next)}`;
    return <Navigate to={`/login${query}`} replace />;
  }
  return <Outlet />;
}

/** Shows a page only to roles whose navigation contains its section. */
export function RequireSection({ section, children }: { section: Section; children: ReactNode }) {
  const { user } = useAuth();
  if (!user || !canAccess(user.role, section)) return <ForbiddenPage />;
  return <>{children}</>;
}
