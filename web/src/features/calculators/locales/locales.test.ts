import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CALCULATORS, DEFINITIONS } from '../definitions';
import de from './de.json';
import en from './en.json';

type Tree = { [key: string]: string | Tree };

function keys(tree: Tree, prefix = ''): Set<string> {
  const out = new Set<string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.add(path.replace(/_(zero|one|two|few|many|other)$/, ''));
    else for (const nested of keys(value, path)) out.add(nested);
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

// German translations of the server's English messages; English shows the server's own words.
const GERMAN_ONLY = /^(warnings|violations|server)\./;

describe('calculators locales', () => {
  const german = keys(de as Tree);
  const english = keys(en as Tree);

  it('German and English have the same keys', () => {
    expect([...german].filter((k) => !english.has(k) && !GERMAN_ONLY.test(k))).toEqual([]);
    expect([...english].filter((k) => !german.has(k))).toEqual([]);
  });

  it('every literal key the feature uses exists', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(join(__dirname, '..'))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\btc\(\s*'([a-zA-Z0-9_.-]+)'/g)) used.add(match[1]!);
    }
    expect(used.size).toBeGreaterThan(30);
    const known = (key: string) => german.has(key) || [...german].some((k) => k.startsWith(`${key}.`));
    expect([...used].filter((key) => !known(key))).toEqual([]);
  });

  it('every calculator, field and option has its texts', () => {
    for (const name of CALCULATORS) {
      for (const part of ['title', 'summary', 'lead']) expect(german.has(`calc.${name}.${part}`), `${name}.${part}`).toBe(true);
      const def = DEFINITIONS[name];
      const fields = [...def.fields, ...(def.extra ?? []), ...(def.group?.fields ?? [])];
      for (const field of fields) {
        expect(german.has(`fields.${field.name}.label`), field.name).toBe(true);
        for (const option of field.kind === 'select' ? (field.options ?? []) : []) {
          expect(german.has(`options.${field.name}.${option}`), `${field.name}.${option}`).toBe(true);
        }
      }
      if (def.group) for (const k of ['legend', 'hint', 'row', 'add', 'remove', 'removeLabel', 'full']) expect(german.has(`groups.${def.group.name}.${k}`)).toBe(true);
    }
  });

  it('every warning and violation text the server sends has a German text that uses only the values sent', () => {
    const dir = join(__dirname, '../../../../../server/labour_law');
    const texts: { key: string; params: Set<string> }[] = [];
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.cpp') && !n.endsWith('_test.cpp'))) {
      const source = readFileSync(join(dir, name), 'utf8');
      // A call runs from `Warn(` (or a violation) to the `);` that ends its line.
      for (const match of source.matchAll(/Warn\(\s*"([a-z0-9_]+)"([\s\S]*?)\);[ \t]*\n/g)) {
        texts.push({ key: `warnings.${match[1]}`, params: new Set([...match[2]!.matchAll(/\{"([a-z_]+)",/g)].map((m) => m[1]!)) });
      }
      for (const match of source.matchAll(/(?:violate\(|violations\.push_back\(\s*\{)\s*"([a-z_]+)"([\s\S]*?)\);[ \t]*\n/g)) {
        const params = new Set([...match[2]!.matchAll(/\{"([a-z_]+)",/g)].map((m) => m[1]!));
        const variants = [...match[2]!.matchAll(/"((?:min_break|min_rest|replacement_rest_day)_[a-z_]+)"/g)].map((m) => m[1]!);
        for (const code of variants.length ? variants : [match[1]!]) texts.push({ key: `violations.${code}`, params });
      }
    }
    expect(texts.length).toBeGreaterThan(50);
    const lookup = (key: string) => key.split('.').reduce<unknown>((node, part) => (node as Tree | undefined)?.[part], de);
    const missing = texts.filter((t) => typeof lookup(t.key) !== 'string').map((t) => t.key);
    expect(missing).toEqual([]);
    const wrong = texts.flatMap((t) => [...String(lookup(t.key)).matchAll(/\{\{(\w+)\}\}/g)].filter((m) => !t.params.has(m[1]!)).map((m) => `${t.key}: ${m[1]}`));
    expect(wrong).toEqual([]);
  });

  it('no raw source markers such as [K] in any text', () => {
    for (const tree of [de, en]) expect([...JSON.stringify(tree).matchAll(/\[[KSV]\]/g)]).toEqual([]);
  });
});
