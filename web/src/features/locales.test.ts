// Every feature that has its own i18next namespace (`features/<name>/locales/{de,en}.json`):
// German and English have the same keys, and every literal key the feature's code asks for
// (`tc('…')`) exists.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

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

// A feature with rules of its own keeps its own test (calculators: German translations of the
// server's English messages exist only in German).
const features = readdirSync(__dirname).filter(
  (name) =>
    existsSync(join(__dirname, name, 'locales', 'de.json')) &&
    !existsSync(join(__dirname, name, 'locales', 'locales.test.ts')),
);

it('finds the features with their own translations', () => {
  expect(features.length).toBeGreaterThanOrEqual(5);
});

for (const feature of features) {
  describe(`${feature} locales`, () => {
    const load = (language: string) =>
      keys(JSON.parse(readFileSync(join(__dirname, feature, 'locales', `${language}.json`), 'utf8')) as Tree);
    const german = load('de');
    const english = load('en');

    it('German and English have the same keys', () => {
      expect([...german].filter((k) => !english.has(k))).toEqual([]);
      expect([...english].filter((k) => !german.has(k))).toEqual([]);
    });

    it('every literal key the feature uses exists', () => {
      const used = new Set<string>();
      for (const file of sourceFiles(join(__dirname, feature))) {
        const text = readFileSync(file, 'utf8');
        for (const match of text.matchAll(/\btc\(\s*'([a-zA-Z0-9_.-]+)'/g)) used.add(match[1]!);
      }
      const known = (key: string) => german.has(key) || [...german].some((k) => k.startsWith(`${key}.`));
      expect([...used].filter((key) => !known(key))).toEqual([]);
    });
  });
}
