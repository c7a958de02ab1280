import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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

describe(`${__dirname.split('/').at(-2)} locales`, () => {
  const german = keys(de as Tree);
  const english = keys(en as Tree);

  it('German and English have the same keys', () => {
    expect([...german].filter((k) => !english.has(k))).toEqual([]);
    expect([...english].filter((k) => !german.has(k))).toEqual([]);
  });

  it('every literal key the feature uses exists', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(join(__dirname, '..'))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\btc\(\s*'([a-zA-Z0-9_.-]+)'/g)) used.add(match[1]!);
    }
    expect(used.size).toBeGreaterThan(5);
    const known = (key: string) => german.has(key) || [...german].some((k) => k.startsWith(`${key}.`));
    expect([...used].filter((key) => !known(key))).toEqual([]);
  });
});
