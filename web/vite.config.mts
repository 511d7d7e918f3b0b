import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API the dev server forwards to (`npm run dev:web`); the built panel is served by the API itself.
const api = process.env.API_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  // The manifest (dist/.vite/manifest.json, a dot folder the API does not serve) tells the bench which chunks a page loads.
  build: { outDir: 'dist', emptyOutDir: true, manifest: true },
  server: {
    proxy: Object.fromEntries(['/v1', '/openapi.json', '/docs'].map((prefix) => [prefix, { target: api }])),
  },
});
