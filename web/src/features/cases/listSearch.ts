/**
 * The case list's search text lives in the tab's history entry (react-router's location state,
 * kept by the browser in `history.state`), never in the address: a client's name typed into the
 * search box must not end up in the address bar, the browser's history list, a copied link or the
 * access log of a proxy. A reload, back and forward and the pager's links keep it within the tab.
 *
 * The entry may also carry a one-off notice from the page that navigated here.
 */
export interface ListState {
  notice?: string;
  q?: string;
}

/** The list's part of a history entry's state (anything else there is ignored). */
export function listState(state: unknown): ListState {
  if (!state || typeof state !== 'object') return {};
  const { notice, q } = state as Record<string, unknown>;
  return {
    ...(typeof notice === 'string' ? { notice } : {}),
    ...(typeof q === 'string' && q ? { q } : {}),
  };
}

/** The state of a history entry of the list searching for `q` (none when empty). */
export function searchState(q: string): ListState {
  return q ? { q } : {};
}
