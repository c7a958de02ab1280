/**
 * The centre's staff for its lead: `GET /api/v1/users` (a centre lead sees the users of their own
 * centre) and `PATCH /api/v1/users/{id}` with `disabled` (leads may change nothing else but the
 * display name). Plus a small loading hook.
 */
import { api } from '../../../lib/api';
import type { Role } from '../../../lib/roles';
export { useLoad, type Loadable } from '../../../lib/useLoad';

export interface StaffMember {
  id: string;
  email: string;
  display_name: string;
  role: Role;
  centre_id: string | null;
  centre_name: string | null;
  totp_enabled: boolean;
  disabled: boolean;
}

interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export async function listStaff(signal?: AbortSignal): Promise<StaffMember[]> {
  const items: StaffMember[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<StaffMember> = await api.get<Page<StaffMember>>('/api/v1/users', { query: { limit: '200', cursor }, signal });
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

export const setDisabled = (id: string, disabled: boolean) =>
  api.patch<{ user: StaffMember }>(`/api/v1/users/${encodeURIComponent(id)}`, { disabled }).then((a) => a.user);

