// Request bodies in API tests: the fields a 422 problem+json names, and the request schemas that
// the OpenAPI document shows (both come from one declaration per body, platform/core/body.hpp).
import assert from 'node:assert/strict';

/** The fields a problem's `errors` name, sorted. */
export function problemFields(res) {
  return (res.body?.errors ?? []).map((e) => e.field).sort();
}

/** A 422 problem+json naming exactly `expected` (in any order). */
export function assertInvalid(res, expected) {
  assert.equal(res.status, 422, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
  assert.deepEqual(problemFields(res), [...expected].sort(), JSON.stringify(res.body));
}

/** Reads GET /api/v1/openapi.json; answers `(path, method) => request schema`. */
export async function requestSchemas(baseUrl) {
  const doc = await (await fetch(new URL('/api/v1/openapi.json', baseUrl))).json();
  return (path, method) => doc.paths[path][method].requestBody.content['application/json'].schema;
}
