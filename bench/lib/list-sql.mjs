// Prints the SQL of the case list (default order) as server/cases/sql_store.cpp builds it from its
// macros, for the query plans of bench/cases-scale (so that the plan is of the query that runs):
//   node bench/lib/list-sql.mjs [list|key|text-pg|text-sqlite|select|query NAME [sqlite]]
// list: the list with its filters (its LIKE filter $5); key: searched by a case number or client
// code prefix ($15 <= key < $16); text-*: the free-text search through the trigram indexes of
// migration 413 ($15 the FTS5 phrase on SQLite); select: the columns and joins of every case read.
import { readFileSync } from 'node:fs';

const src = readFileSync(new URL('../../server/cases/sql_store.cpp', import.meta.url), 'utf8');
// The #define lines (with their continuations): name, parameters, body.
const macros = new Map();
for (const m of src.matchAll(/^#define (\w+)(\(([^)]*)\))?((?:[^\n]*\\\n)*[^\n]*)/gm)) {
  macros.set(m[1], { params: m[3] ? m[3].split(',').map((p) => p.trim()) : null, body: m[4].replace(/\\\n/g, ' ') });
}
// Expands FD_* macros in `text` (C tokens: string literals are kept as they are).
function expand(text, args = new Map()) {
  let out = '';
  const re = /"(?:[^"\\]|\\.)*"|\w+|[\s\S]/g;
  let m;
  while ((m = re.exec(text))) {
    const tok = m[0];
    if (args.has(tok)) {
      out += args.get(tok);
    } else if (macros.has(tok)) {
      const { params, body } = macros.get(tok);
      if (!params) {
        out += expand(body);
        continue;
      }
      // Arguments: up to the matching parenthesis, split at top-level commas.
      let depth = 0;
      let i = re.lastIndex;
      while (text[i] !== '(') i += 1;
      const list = [];
      let cur = '';
      for (i += 1; ; i += 1) {
        const ch = text[i];
        if (ch === '"') {
          const s = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i))[0];
          cur += s;
          i += s.length - 1;
        } else if (ch === '(') {
          depth += 1;
          cur += ch;
        } else if (ch === ')' && depth > 0) {
          depth -= 1;
          cur += ch;
        } else if (ch === ')' || (ch === ',' && depth === 0)) {
          list.push(expand(cur, args));
          cur = '';
          if (ch === ')') break;
        } else {
          cur += ch;
        }
      }
      re.lastIndex = i + 1;
      out += expand(body, new Map(params.map((p, k) => [p, list[k]])));
    } else {
      out += tok;
    }
  }
  return out;
}
const strings = (text) => [...text.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => x[1].replace(/\\"/g, '"')).join('');
// `query NAME [sqlite]`: the SQL of a `constexpr db::Query NAME{...}` (its SQLite text if it has one and
// "sqlite" is asked for), for the hand-written baselines of bench/cases-scale.
if (process.argv[2] === 'query') {
  const at = src.indexOf(`constexpr db::Query ${process.argv[3]}{`);
  if (at < 0) throw new Error(`no query ${process.argv[3]}`);
  const parts = [];
  let depth = 0;
  let cur = '';
  for (let i = src.indexOf('{', at) + 1; ; i += 1) {
    const ch = src[i];
    if (ch === '"') {
      const str = /^"(?:[^"\\]|\\.)*"/.exec(src.slice(i))[0];
      cur += str;
      i += str.length - 1;
    } else if (ch === '(' || ch === '{') {
      depth += 1;
      cur += ch;
    } else if ((ch === ')' || ch === '}') && depth > 0) {
      depth -= 1;
      cur += ch;
    } else if (ch === '}' || (ch === ',' && depth === 0)) {
      parts.push(cur);
      cur = '';
      if (ch === '}') break;
    } else {
      cur += ch;
    }
  }
  const text = process.argv[4] === 'sqlite' && parts[2] ? parts[2] : parts[1];
  process.stdout.write(`${strings(expand(text))}\n`);
  process.exit(0);
}
if (process.argv[2] === 'select') {
  process.stdout.write(`${strings(expand('FD_CASE_SELECT'))}\n`);
  process.exit(0);
}
if (process.argv[2] === 'text-pg') {
  // The whole statement: the matches are filtered, ordered and cut before the page is joined.
  process.stdout.write(`${strings(expand('FD_CASE_TEXT_LIST_PG("k.created_at DESC, k.id DESC")'))}\n`);
  process.exit(0);
}
const where = { list: 'FD_CASE_LIST_WHERE', key: 'FD_CASE_KEY_WHERE', 'text-sqlite': 'FD_CASE_TEXT_WHERE_SQLITE' }[
  process.argv[2] ?? 'list'];
if (!where) throw new Error('list, key, text-pg or text-sqlite');
process.stdout.write(`${strings(expand(`FD_CASE_SELECT ${where}`))}ORDER BY k.created_at DESC, k.id DESC LIMIT $8 OFFSET $14\n`);
