import { describe, expect, test } from 'vitest';
import { MAX_TRAIL, paging, withoutPaging } from './paging';

const q = (s: string) => new URLSearchParams(s);

describe('case list paging in the address', () => {
  test('the first page links only to the next one, which carries its number', () => {
    const p = paging(q('status=open'), 'c2');
    expect(p).toEqual({ page: 1, first: null, previous: null, next: 'status=open&cursor=c2&page=2' });
  });

  test('page 2 goes back to the first page; page 3 keeps the trail back to page 2', () => {
    const two = paging(q('status=open&cursor=c2&page=2'), 'c3');
    expect(two.page).toBe(2);
    expect(two.first).toBe('status=open');
    expect(two.previous).toBe('status=open');
    expect(two.next).toBe('status=open&cursor=c3&page=3&trail=c2');
    const three = paging(q(two.next!), 'c4');
    expect(three.page).toBe(3);
    expect(three.previous).toBe('status=open&cursor=c2&page=2');
    expect(three.next).toBe('status=open&cursor=c4&page=4&trail=c2&trail=c3');
    // Going back from page 4 gives exactly page 3's address again.
    expect(paging(q(three.next!), null).previous).toBe(two.next);
  });

  test('the last page has no next link', () => {
    expect(paging(q('cursor=c2&page=2'), null).next).toBeNull();
  });

  test('a long walk keeps the address short; far back only the first page is offered', () => {
    let address = '';
    for (let i = 0; i < MAX_TRAIL + 10; i++) address = paging(q(address), `c${i}`).next!;
    const here = q(address);
    expect(here.getAll('trail')).toHaveLength(MAX_TRAIL);
    expect(paging(here, null).page).toBe(MAX_TRAIL + 11);
    let back = address;
    for (let i = 0; i < MAX_TRAIL; i++) back = paging(q(back), null).previous!;
    const far = paging(q(back), null);
    expect(far.page).toBe(11);
    expect(far.previous).toBeNull();
    expect(far.first).toBe('');
  });

  test('an edited page number below what the trail shows is not believed', () => {
    expect(paging(q('cursor=c4&page=1&trail=c2&trail=c3'), null).page).toBe(4);
  });

  test('changing a filter drops every paging parameter', () => {
    expect(withoutPaging(q('topic=wages&cursor=c3&page=3&trail=c2')).toString()).toBe('topic=wages');
  });
});
