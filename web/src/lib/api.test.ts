import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, onTotpEnrolmentRequired, onUnauthorized } from './api';

function problem(status: number, type: string): Response {
  return new Response(JSON.stringify({ type, title: 'refused', status }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });
}

describe('api: a required second factor', () => {
  beforeEach(() => {
    vi.stubGlobal('window', { location: { origin: 'http://fairdesk.test' } });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    onTotpEnrolmentRequired(null);
    onUnauthorized(null);
  });

  it('reports 403 totp-enrolment-required to the session, and still fails the request', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => problem(403, 'https://fairdesk.test/problems/totp-enrolment-required')));
    const listener = vi.fn();
    onTotpEnrolmentRequired(listener);
    const failure = await api.get('/api/v1/cases').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).is('totp-enrolment-required')).toBe(true);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('does not report other 403 answers', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => problem(403, '/problems/forbidden')));
    const listener = vi.fn();
    onTotpEnrolmentRequired(listener);
    await expect(api.get('/api/v1/cases')).rejects.toBeInstanceOf(ApiError);
    expect(listener).not.toHaveBeenCalled();
  });
});
