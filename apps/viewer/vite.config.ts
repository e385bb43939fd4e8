import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

// The viewer is plain static files served by the API at `/`: everything is bundled, nothing is
// fetched from a CDN, so it works offline and behind firewalls.
export default defineConfig({
  root: here,
  base: '/',
  publicDir: false,
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  // The generated API client is bundled from its source, as the other apps use it (tsconfig paths).
  resolve: { alias: { '@recto/api-client': `${here}../../libs/api-client/src/index.ts` } },
  build: {
    outDir: `${here}../../dist/viewer`,
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
  },
  logLevel: 'warn',
});
