import { expect, it } from 'vitest';
import { sectorOfWzSection } from './sector';

it('maps the WZ 2008 sections with § 10 ArbZG exceptions, and leaves the rest to the advisor', () => {
  expect(sectorOfWzSection('I')).toBe('hospitality');
  expect(sectorOfWzSection('Q')).toBe('care');
  expect(sectorOfWzSection('H')).toBe('transport');
  expect(sectorOfWzSection('A')).toBe('agriculture');
  expect(sectorOfWzSection('J')).toBeNull();
  expect(sectorOfWzSection('F')).toBeNull();
  expect(sectorOfWzSection(null)).toBeNull();
});
