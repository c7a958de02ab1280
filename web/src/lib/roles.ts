/** Roles and what each may reach in the web app (PRODUCT.md §1). The server enforces the same. */

export const ROLES = [
  'advisor',
  'centre_lead',
  'state_coordinator',
  'competence_centre',
  'programme',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

export type Section =
  | 'dashboard'
  | 'cases'
  | 'escalations'
  | 'events'
  | 'statistics'
  | 'calculators'
  | 'team'
  | 'admin'
  | 'audit'
  | 'directory'
  | 'knowledge'
  | 'contactRequests'
  | 'profile';

export const SECTION_PATHS: Record<Section, string> = {
  dashboard: '/dashboard',
  cases: '/cases',
  escalations: '/escalations',
  events: '/events',
  statistics: '/statistics',
  calculators: '/calculators',
  team: '/team',
  admin: '/admin',
  audit: '/audit',
  directory: '/directory',
  knowledge: '/knowledge',
  contactRequests: '/contact-requests',
  profile: '/profile',
};

/** The navigation of each role, in the order it is shown. */
const NAVIGATION: Record<Role, Section[]> = {
  advisor: ['dashboard', 'cases', 'contactRequests', 'knowledge', 'events', 'statistics', 'calculators', 'directory', 'profile'],
  centre_lead: ['dashboard', 'cases', 'contactRequests', 'knowledge', 'events', 'statistics', 'team', 'audit', 'calculators', 'directory', 'profile'],
  competence_centre: ['dashboard', 'cases', 'contactRequests', 'escalations', 'knowledge', 'events', 'statistics', 'calculators', 'directory', 'profile'],
  state_coordinator: ['dashboard', 'statistics', 'knowledge', 'events', 'calculators', 'directory', 'profile'],
  programme: ['dashboard', 'statistics', 'knowledge', 'events', 'calculators', 'directory', 'profile'],
  admin: ['dashboard', 'admin', 'audit', 'directory', 'profile'],
};

export function sectionsFor(role: Role): Section[] {
  return NAVIGATION[role] ?? ['dashboard', 'directory', 'profile'];
}

export function canAccess(role: Role, section: Section): boolean {
  return sectionsFor(role).includes(section);
}
