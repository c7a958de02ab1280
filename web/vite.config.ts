/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { readdir, readFile, writeFile, stat } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';

const webRoot = dirname(fileURLToPath(import.meta.url));

// Files worth compressing; fonts (woff2) and images are already compressed.
const compressible = /\.(js|mjs|css|html|json|svg|txt|map)$/;

/**
 * Writes `.br` and `.gz` copies next to every compressible build output, so that the C++ server
 * can send precompressed bytes instead of compressing on each request. Copies that would not be
 * smaller than the original are skipped.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'fairdesk-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = join(config.root, config.build.outDir);
    },
    async closeBundle() {
      const walk = async (dir: string): Promise<string[]> => {
        const entries = await readdir(dir, { withFileTypes: true });
        const nested = await Promise.all(
          entries.map((e) => (e.isDirectory() ? walk(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))),
        );
        return nested.flat();
      };
      for (const file of await walk(outDir)) {
        if (!compressible.test(file)) continue;
        const data = await readFile(file);
        if ((await stat(file)).size < 256) continue;
        const br = brotliCompressSync(data, {
          params: {
            [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY,
            [zlib.BROTLI_PARAM_SIZE_HINT]: data.length,
          },
        });
        const gz = gzipSync(data, { level: 9 });
        if (br.length < data.length) await writeFile(`${file}.br`, br);
        if (gz.length < data.length) await writeFile(`${file}.gz`, gz);
      }
    },
  };
}

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // The server's Content-Security-Policy forbids inline code: never inline assets as data: URLs
    // for scripts, and keep the module-preload helper inside the bundle.
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2022',
  },
  server: {
    port: 5173,
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/readyz': 'http://127.0.0.1:8080',
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
