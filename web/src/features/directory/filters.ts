import type { Centre, CentreFilters, StateCode } from './api/get-centres';

/** Filters from the URL query string; unknown or malformed values are dropped. */
export function filtersFromParams(params: URLSearchParams): CentreFilters {
  const state = (params.get('state') ?? '').toUpperCase();
  const language = (params.get('language') ?? '').toLowerCase();
  const postcode = params.get('postcode') ?? '';
  return {
    state: /^[A-Z]{2}$/.test(state) ? state : '',
    language: /^[a-z]{2,3}$/.test(language) ? language : '',
    postcode: /^\d{5}$/.test(postcode) ? postcode : '',
  };
}

/** The query string for filters: only the ones that are set, in a stable order. */
export function paramsFromFilters(filters: CentreFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.state) params.set('state', filters.state);
  if (filters.language) params.set('language', filters.language);
  if (filters.postcode) params.set('postcode', filters.postcode);
  return params;
}

/** Centres grouped by federal state, states in the given order of names, centres by name. */
export function groupByState(
  centres: readonly Centre[],
  stateName: (code: StateCode) => string,
  uiLanguage: string,
): { state: StateCode; centres: Centre[] }[] {
  const collator = new Intl.Collator(uiLanguage, { sensitivity: 'base' });
  const groups = new Map<StateCode, Centre[]>();
  for (const centre of centres) {
    const list = groups.get(centre.state) ?? [];
    list.push(centre);
    groups.set(centre.state, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => collator.compare(stateName(a), stateName(b)))
    .map(([state, list]) => ({ state, centres: list.sort((a, b) => collator.compare(a.name, b.name)) }));
}

/**
 * Languages offered in the filter: a fixed core of the languages the network advises in, plus any
 * that the loaded centres offer.
 */
export const CORE_LANGUAGES = ['de', 'en', 'ar', 'fa', 'uk', 'ru', 'tr', 'pl', 'ro', 'bg', 'es', 'fr', 'vi', 'ti', 'ps', 'ku'];
