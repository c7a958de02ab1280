import { describe, expect, it } from 'vitest';
import type { Centre } from './api/get-centres';
import { filtersFromParams, groupByState, paramsFromFilters } from './filters';

describe('directory filters in the URL', () => {
  it('reads known filters', () => {
    expect(filtersFromParams(new URLSearchParams('state=be&language=AR&postcode=10115'))).toEqual({
      state: 'BE',
      language: 'ar',
      postcode: '10115',
    });
  });
  it('drops malformed values', () => {
    expect(filtersFromParams(new URLSearchParams('state=Berlin&language=arabic1&postcode=1011'))).toEqual({
      state: '',
      language: '',
      postcode: '',
    });
  });
  it('writes only set filters', () => {
    expect(paramsFromFilters({ state: 'BY', language: '', postcode: '80331' }).toString()).toBe('state=BY&postcode=80331');
  });
});

describe('groupByState', () => {
  const centre = (id: string, state: Centre['state'], name: string) => ({ id, state, name }) as Centre;
  it('groups and sorts by localized state name and centre name', () => {
    const names: Record<string, string> = { BE: 'Berlin', BY: 'Bayern', TH: 'Thüringen' };
    const groups = groupByState(
      [centre('1', 'TH', 'Erfurt'), centre('2', 'BE', 'Zentrum'), centre('3', 'BE', 'Anlaufstelle'), centre('4', 'BY', 'München')],
      (code) => names[code] ?? code,
      'de',
    );
    expect(groups.map((g) => g.state)).toEqual(['BY', 'BE', 'TH']);
    expect(groups[1]!.centres.map((c) => c.name)).toEqual(['Anlaufstelle', 'Zentrum']);
  });
});
