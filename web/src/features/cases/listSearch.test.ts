import { describe, expect, test } from 'vitest';
import { listState, searchState } from './listSearch';

describe('the case list search in the history entry', () => {
  test('reads the search and a notice, ignores anything else', () => {
    expect(listState({ q: 'Popescu', notice: 'Gespeichert', other: 1 })).toEqual({ q: 'Popescu', notice: 'Gespeichert' });
    expect(listState(null)).toEqual({});
    expect(listState('q')).toEqual({});
    expect(listState({ q: 7, notice: null })).toEqual({});
  });

  test('an empty search is no search', () => {
    expect(listState({ q: '' })).toEqual({});
    expect(searchState('')).toEqual({});
    expect(searchState('B-0042')).toEqual({ q: 'B-0042' });
  });
});
