import { describe, expect, it } from 'vitest';
import { mainScript } from './appVersion';

describe('mainScript', () => {
  it("finds the module script of Vite's index.html, whatever the attribute order", () => {
    const html = `<!doctype html><html><head>
    <link rel="icon" href="/favicon.svg" />
    <script type="module" crossorigin src="/assets/index-cDo9kZwK.js"></script>
    <link rel="stylesheet" crossorigin href="/assets/index-vaaSwFQN.css"></head></html>`;
    expect(mainScript(html)).toBe('/assets/index-cDo9kZwK.js');
    expect(mainScript(`<script src='/assets/index-A.js' type=module></script>`)).toBe('/assets/index-A.js');
  });

  it('ignores classic scripts and answers null without a module script', () => {
    expect(mainScript('<script src="/x.js"></script>')).toBeNull();
    expect(mainScript('<p>no scripts</p>')).toBeNull();
  });
});
