import react from '@vitejs/plugin-react';
import { constants } from 'node:zlib';
import { defineConfig } from 'vite';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';

// The API the dev server forwards to (`npm run dev:web`); the built panel is served by the API itself.
const api = process.env.API_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: import.meta.dirname,
  // Each file is also written compressed at the best levels (name.br, name.gz), once at build
  // time, for the API to send as they are (src/api/browser/web-panel.ts): brotli at quality 11 is
  // ~13% smaller than the level the API could afford on every request.
  plugins: [
    react(),
    compression({
      algorithms: [
        defineAlgorithm('brotliCompress', {
          params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY },
        }),
        defineAlgorithm('gzip', { level: 9 }),
      ],
      logLevel: 'silent',
    }),
  ],
  // The manifest (dist/.vite/manifest.json, a dot folder the API does not serve) tells the bench which chunks a page loads.
  build: { outDir: 'dist', emptyOutDir: true, manifest: true },
  server: {
    proxy: Object.fromEntries(['/v1', '/openapi.json', '/docs'].map((prefix) => [prefix, { target: api }])),
  },
});
