import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The renderer is one static bundle, loaded by Electron from disk and by server mode over HTTP. */
export default defineConfig({
  root,
  base: './',
  esbuild: { jsx: 'automatic' },
  build: { outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)), emptyOutDir: true, sourcemap: true },
});
