/**
 * Cursor paging of the case list, kept entirely in the address so that a reloaded page, a pasted
 * link or the browser's back and forward buttons show the same page with working "previous":
 *
 *   cursor  the server's opaque cursor of this page (absent on the first page)
 *   page    this page's number (display only)
 *   trail   the cursors of the pages before this one, oldest first, without the first page's
 *           (repeated parameter; at most MAX_TRAIL, older ones are dropped)
 *
 * The server's cursors name a position in the list (a time and an internal record id, or an
 * offset), never a client's data or the search text, so they may go into an address.
 */

/** How many earlier cursors the address keeps (so that the address stays short on page 500). */
export const MAX_TRAIL = 30;

/** The paging parameters, which never go to the server apart from `cursor`. */
export const PAGING_PARAMS = ['cursor', 'page', 'trail'] as const;

export interface Paging {
  /** This page's number, 1 on the first page. */
  page: number;
  /** The query string of the first page, or null on the first page. */
  first: string | null;
  /** The query string of the page before, or null when there is none (or it is no longer known). */
  previous: string | null;
  /** The query string of the next page, or null on the last page. */
  next: string | null;
}

/** The query string without any paging parameter: the same filters, first page. */
export function withoutPaging(params: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams(params);
  for (const k of PAGING_PARAMS) out.delete(k);
  return out;
}

function pageOf(params: URLSearchParams, trail: string[]): number {
  if (!params.get('cursor')) return 1;
  const stated = Number.parseInt(params.get('page') ?? '', 10);
  // The stated number can only be lower than the trail allows if someone edited the address.
  return Number.isSafeInteger(stated) && stated >= trail.length + 2 ? stated : trail.length + 2;
}

function at(params: URLSearchParams, cursor: string, page: number, trail: string[]): string {
  const out = withoutPaging(params);
  out.set('cursor', cursor);
  out.set('page', String(page));
  for (const c of trail.slice(-MAX_TRAIL)) out.append('trail', c);
  return out.toString();
}

/** The links of the pager for the address `params`, with `nextCursor` from the server's answer. */
export function paging(params: URLSearchParams, nextCursor: string | null | undefined): Paging {
  const cursor = params.get('cursor') ?? '';
  const trail = params.getAll('trail').filter(Boolean);
  const page = pageOf(params, trail);
  const first = withoutPaging(params).toString();
  let previous: string | null = null;
  if (page === 2) previous = first;
  else if (page > 2 && trail.length) previous = at(params, trail.at(-1)!, page - 1, trail.slice(0, -1));
  return {
    page,
    first: cursor ? first : null,
    previous: cursor ? previous : null,
    next: nextCursor ? at(params, nextCursor, page + 1, cursor ? [...trail, cursor] : []) : null,
  };
}
