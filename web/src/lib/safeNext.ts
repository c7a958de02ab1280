/**
 * Where to go after signing in (`/login?next=…`): only a path of this app (issue 8 #12). A
 * backslash (which browsers read as "/", so `/\evil.example/` is another host), a protocol-relative
 * `//host`, control characters, anything that resolves to another origin, and the pages that lead
 * here again answer the fallback.
 */
export function safeNext(next: string | null | undefined, exclude: readonly string[] = ['/login'], fallback = '/'): string {
  if (!next || next.length > 2000 || !next.startsWith('/') || next.startsWith('//')) return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(next);
  } catch {
    return fallback;
  }
  // eslint-disable-next-line no-control-regex
  if (decoded.includes('\\') || decoded.startsWith('//') || /[\u0000-\u001f\u007f]/.test(decoded)) return fallback;
  const base = 'https://fairdesk.invalid';
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (exclude.some((p) => url.pathname === p || url.pathname.startsWith(`${p}/`))) return fallback;
  return path;
}
