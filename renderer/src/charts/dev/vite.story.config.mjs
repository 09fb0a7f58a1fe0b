import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

/** Dev-only: builds story.html to /tmp/fea-story (never into dist/). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  esbuild: { jsx: 'automatic' },
  build: { outDir: '/tmp/fea-story', emptyOutDir: true, rollupOptions: { input: fileURLToPath(new URL('./story.html', import.meta.url)) } },
});
