import { api } from '../../../lib/api';
import type { Client, Page } from './types';

/**
 * Client codes by client id. The case list answers only `client_id`, so the list page reads the
 * centre's clients (pseudonymous fields only) to show their codes.
 */
export async function getClientCodes(signal?: AbortSignal): Promise<Map<string, string>> {
  const codes = new Map<string, string>();
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: Page<Client> = await api.get<Page<Client>>('/api/v1/clients', { query: { limit: '200', cursor }, signal });
    for (const c of page.items) codes.set(c.id, c.code);
    cursor = page.next_cursor;
    pages += 1;
  } while (cursor && pages < 10);
  return codes;
}
