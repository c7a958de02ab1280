/**
 * The calls of the case module this feature uses to turn a calculated date (claim deadline,
 * end of notice, limitation) into a case deadline. The case module is developed separately; a 404 from these routes means it is not
 * available on this server yet, and the UI says so.
 */
import { useEffect, useState } from 'react';
import { api } from '../../../lib/api';
import type { Loadable } from '../../../lib/useLoad';
import type { CaseEmployment } from '../prefill';

export type { Loadable };

export interface CaseSummary {
  id: string;
  number?: string;
  case_number?: string;
  topics?: string[];
  opened_on?: string;
  status?: string;
}

interface CasePage {
  items: CaseSummary[];
  next_cursor: string | null;
}

export interface DeadlineSource {
  calculator: string;
  input: Record<string, unknown>;
}

export interface NewDeadline {
  kind: string;
  due_date: string;
  note: string;
  source?: DeadlineSource;
  /** A date in the past is entered only when confirmed. */
  confirm_past?: boolean;
}

/** The open cases the signed-in person may see (at most a few pages of 200). */
export async function getOpenCases(signal?: AbortSignal): Promise<CaseSummary[]> {
  const items: CaseSummary[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: CasePage = await api.get<CasePage>('/api/v1/cases', {
      query: { status: 'active', limit: '200', cursor },
      signal,
    });
    items.push(...page.items);
    cursor = page.next_cursor;
    pages += 1;
  } while (cursor && pages < 5);
  return items;
}

/** `POST /api/v1/cases/{id}/deadlines` (sends the CSRF token through lib/api). */
export function addCaseDeadline(caseId: string, deadline: NewDeadline): Promise<unknown> {
  return api.post<unknown>(`/api/v1/cases/${encodeURIComponent(caseId)}/deadlines`, deadline);
}

/** Stores a file in the case's documents (the case module's raw-body upload). */
export { uploadDocument as uploadLetter } from '../../cases/api/cases';

/** The case a calculator was opened from: its number, its employment and the client's employer and sector. */
export const getCaseForCalculator = (id: string) =>
  api.get<{ number: string; topics?: string[]; employment?: CaseEmployment | null; client?: { employer: string | null; sector?: string | null } }>(
    `/api/v1/cases/${encodeURIComponent(id)}`,
  );

export function useOpenCases(enabled: boolean): Loadable<CaseSummary[]> {
  const [state, setState] = useState<Loadable<CaseSummary[]>>({ status: 'loading' });
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    setState({ status: 'loading' });
    getOpenCases(controller.signal).then(
      (data) => setState({ status: 'done', data }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'error', error });
      },
    );
    return () => controller.abort();
  }, [enabled]);
  return state;
}

/** The label of a case for a picker: its number where it has one. */
export function caseLabel(item: CaseSummary): string {
  return item.case_number ?? item.number ?? item.id;
}
