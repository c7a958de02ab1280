import { describe, expect, it } from 'vitest';
import { safeNext } from './safeNext';

describe('safeNext (issue8_12_login_next_same_origin)', () => {
  it('keeps paths of the app with their query', () => {
    expect(safeNext('/cases?status=open')).toBe('/cases?status=open');
    expect(safeNext('/cases/abc#notes')).toBe('/cases/abc#notes');
  });
  it('refuses backslashes, other hosts, schemes and control characters', () => {
    for (const bad of ['/\\evil.example/', '/\\/evil.example', '//evil.example/', 'https://evil.example/',
      'javascript:alert(1)', '/%5Cevil.example', '/%2F%2Fevil.example', '/\tx', '/ok\n', '', null, undefined, 'cases']) {
      expect(safeNext(bad as string | null)).toBe('/');
    }
  });
  it('does not lead back to the sign-in page', () => {
    expect(safeNext('/login?next=/x')).toBe('/');
    expect(safeNext('/profile', ['/login', '/profile'])).toBe('/');
  });
});
