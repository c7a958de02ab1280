/**
 * Helpers for tests of the public portal's forms over plain HTTP (no browser).
 *
 *   import { sqlRows, page, publicForm, postForm } from '../lib/portal.mjs';
 *   const fields = await publicForm(base, '/de/contact');              // proof of work solved
 *   const res = await postForm(base, '/de/contact', { ...fields, name: 'Amina', ... });
 *   const refs = sqlRows(server.db, 'SELECT reference FROM contact_requests');
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';

/** Rows of a query on a test database (`sqlite:PATH` or a PostgreSQL URL), each as `a|b|…`. */
export function sqlRows(db, query) {
  const out = db.startsWith('sqlite:')
    ? execFileSync('sqlite3', [db.slice('sqlite:'.length), query], { encoding: 'utf8' })
    : execFileSync('psql', [db, '-At', '-c', query], { encoding: 'utf8' });
  return out.trim().split('\n').filter(Boolean);
}

/** A GET (or `init`) without following redirects: status, headers and the text. */
export async function page(base, path, init) {
  const res = await fetch(base + path, { redirect: 'manual', ...init });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/**
 * A public form's hidden fields (honeypot empty), with the proof of work solved as portal.js
 * does, or left unsolved (`solve: false`, as without JavaScript).
 */
export async function publicForm(base, path, { solve = true } = {}) {
  const res = await page(base, path);
  assert.equal(res.status, 200);
  const field = (name) => res.text.match(new RegExp(`name="${name}" value="([^"]*)"`))?.[1] ?? '';
  const f = { pow_salt: field('pow_salt').replaceAll('&amp;', '&'), pow_challenge: field('pow_challenge'),
    pow_signature: field('pow_signature'), pow_number: '', website: '' };
  const max = Number(res.text.match(/data-pow-max="(\d+)"/)[1]);
  for (let n = 0; solve && n <= max && !f.pow_number; n++) {
    if (createHash('sha256').update(f.pow_salt + n).digest('hex') === f.pow_challenge) f.pow_number = String(n);
  }
  if (solve) assert.notEqual(f.pow_number, '');
  return f;
}

/** POSTs `fields` as a form (application/x-www-form-urlencoded). */
export const postForm = (base, path, fields) => page(base, path, {
  method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
