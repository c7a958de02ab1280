import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useAuth } from '../lib/auth';
import { canAccess, SECTION_PATHS, type Section } from '../lib/roles';
import { ForbiddenPage } from './pages/ForbiddenPage';

/** Where an account sets up its second factor: the profile page, in its set-up mode. */
export const TOTP_SETUP_PATH = SECTION_PATHS.profile;

/**
 * Lets signed-in people through and sends everyone else to the sign-in page. While the server
 * requires a second factor that the account has not set up yet (`serve --require-2fa`), every
 * page but the set-up page sends the person there; `next` remembers where they were going.
 */
export function RequireAuth() {
  const { status, totpEnrolmentRequired, passwordChangeRequired } = useAuth();
  const location = useLocation();
  const next = `${location.pathname}${location.search}`;
  if (status !== 'signed-in') {
    const query = next === '/dashboard' ? '' : `?next=${encodeURIComponent(next)}`;
    return <Navigate to={`/login${query}`} replace />;
  }
  if ((totpEnrolmentRequired || passwordChangeRequired) && location.pathname !== TOTP_SETUP_PATH) {
    const query = next === '/dashboard' ? '' : `?next=${encodeURIComponent(next)}`;
    return <Navigate to={`${TOTP_SETUP_PATH}${query}`} replace />;
  }
  return <Outlet />;
}

/** Shows a page only to roles whose navigation contains its section. */
export function RequireSection({ section, children }: { section: Section; children: ReactNode }) {
  const { user } = useAuth();
  if (!user || !canAccess(user.role, section)) return <ForbiddenPage />;
  return <>{children}</>;
}
