import { useEffect, useState } from 'react';
import { api } from '../../../lib/api';
import type { Loadable } from '../../../lib/useLoad';

export type { Loadable };

export const STATES = ['BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH'] as const;
export type StateCode = (typeof STATES)[number];

export const CHANNELS = ['in_person', 'phone', 'video', 'messenger', 'email', 'outreach'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface OpeningHours {
  days: string;
  from: string;
  to: string;
}

export interface Centre {
  id: string;
  name: string;
  state: StateCode;
  provider: string;
  demo: boolean;
  address: { street: string; postcode: string; city: string };
  phone: string | null;
  email: string | null;
  website: string | null;
  languages: string[];
  channels: Channel[];
  opening_hours: OpeningHours[];
  postcode_ranges: { from: string; to: string }[];
  network_id: string | null;
}

export interface CentreFilters {
  state: string;
  language: string;
  postcode: string;
}

interface CentrePage {
  items: Centre[];
  next_cursor: string | null;
}

export async function getCentres(filters: CentreFilters, signal?: AbortSignal): Promise<Centre[]> {
  const items: Centre[] = [];
  let cursor: string | null = null;
  // The directory is small (a few dozen centres), but follow the cursor in case it grows.
  do {
    const page: CentrePage = await api.get<CentrePage>('/api/v1/centres', {
      query: { ...filters, limit: '200', cursor },
      signal,
    });
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

/** Loads the centres for the given filters, again whenever they change. */
export function useCentres(filters: CentreFilters): Loadable<Centre[]> {
  const [state, setState] = useState<Loadable<Centre[]>>({ status: 'loading' });
  const { state: region, language, postcode } = filters;

  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    getCentres({ state: region, language, postcode }, controller.signal).then(
      (data) => setState({ status: 'done', data }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'error', error });
      },
    );
    return () => controller.abort();
  }, [region, language, postcode]);

  return state;
}
