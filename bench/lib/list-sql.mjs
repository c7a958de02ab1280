// Prints the SQL of the case list (default order) as server/cases/sql_store.cpp builds it from its
// macros, for the query plans of bench/cases-scale (so that the plan is of the query that runs).
import { readFileSync } from 'node:fs';

const src = readFileSync(new URL('../../server/cases/sql_store.cpp', import.meta.url), 'utf8');
function macro(name) {
  const lines = [];
  for (const l of src.slice(src.indexOf(`#define ${name}`)).split('\n')) {
    lines.push(l);
    if (!l.trimEnd().endsWith('\\')) break;
  }
  return lines.join('\n').replace(`#define ${name}`, '');
}
const strings = (text) => [...text.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => x[1]).join('');
const select = macro('FD_CASE_SELECT').replace(/FD_NEXT_DEADLINE/, `"${strings(macro('FD_NEXT_DEADLINE'))}"`);
process.stdout.write(`${strings(select)}${strings(macro('FD_CASE_LIST_WHERE'))}ORDER BY k.created_at DESC, k.id DESC LIMIT $8 OFFSET $14\n`);
