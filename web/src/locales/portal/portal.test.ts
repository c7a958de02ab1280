// The public portal's strings (read by the C++ server at start-up, server/portal/i18n.cpp):
// German and English have the same keys (Leichte Sprache exists only in German), every other
// portal language has every string a visitor sees except the few that fall back on purpose (see
// below), and every `{{variable}}` of a German string is kept in each translation.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

type Tree = { [key: string]: string | Tree };
const LANGS = ['de', 'en', 'ar', 'fa', 'prs', 'ps', 'uk', 'ru', 'tr', 'ti'];
const load = (lang: string) => JSON.parse(readFileSync(join(__dirname, `${lang}.json`), 'utf8')) as Tree;

function flat(tree: Tree, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else flat(value, path, out);
  }
  return out;
}

describe('portal locales', () => {
  const de = flat(load('de'));
  it('has a file for every portal language and no other', () => {
    const files = readdirSync(__dirname).filter((f) => f.endsWith('.json')).map((f) => f.replace('.json', ''));
    expect(files.sort()).toEqual([...LANGS].sort());
  });
  it('German and English have the same keys', () => {
    const en = flat(load('en'));
    const german = [...de.keys()].filter((k) => !k.startsWith('plain.p'));
    expect([...en.keys()].sort()).toEqual(german.sort());
  });
  for (const lang of LANGS) {
    it(`${lang}: the core sections are complete and keep their variables`, () => {
      const strings = flat(load(lang));
      const core = [...de.keys()].filter((k) => /^(site|nav|finder|channels|contact|topics|errors|events)\./.test(k) ||
        (/^sheet\./.test(k) && !/^sheet\.(intro|legal|legalTitle|lawLink|pdfMissing)$/.test(k)));
      for (const key of core) {
        expect(strings.has(key), `${lang} ${key}`).toBe(true);
        for (const variable of de.get(key)!.match(/\{\{\w+\}\}/g) ?? []) {
          expect(strings.get(key), `${lang} ${key} keeps ${variable}`).toContain(variable);
        }
      }
      // Every other string a visitor sees exists too: the server would otherwise show English
      // without saying so. Only these fall back on purpose: the entry page "/" is German and
      // English side by side, Leichte Sprache and its link are German, and a legal page's default
      // text is German (or English) with a notice in the visitor's language until an admin writes it.
      const explicitFallback = /^(entry\.|plain\.|home\.plainLink$|legalDefaults\.)/;
      const missing = [...de.keys()].filter((k) => !explicitFallback.test(k) && !strings.has(k));
      expect(missing, `${lang} lacks public strings`).toEqual([]);
      for (const [key, value] of strings) {
        if (!de.has(key)) continue;
        for (const variable of de.get(key)!.match(/\{\{\w+\}\}/g) ?? []) expect(value, `${lang} ${key} keeps ${variable}`).toContain(variable);
      }
      const rtl = ['ar', 'fa', 'prs', 'ps'].includes(lang);
      expect(strings.get('meta.dir')).toBe(rtl ? 'rtl' : 'ltr');
    });
  }
});
