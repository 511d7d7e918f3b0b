import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import compression from 'compression';
import express, { type RequestHandler, Router } from 'express';
import expressStaticGzip from 'express-static-gzip';
import helmet from 'helmet';
import { PROJECT_ROOT } from '../../temporal/binaries';
import { DomainError } from '../../domain/errors';

/** Where `vite build` writes the panel (web/vite.config.ts). */
export const WEB_DIST_DIR = path.join(PROJECT_ROOT, 'web', 'dist');

/** Paths that belong to the API: a miss there is a problem+json 404, never the panel's page. */
const API_PREFIXES = ['/v1', '/openapi.json', '/docs', '/codec', '/healthz', '/readyz'];

function isApiPath(requestPath: string): boolean {
  return API_PREFIXES.some((prefix) => requestPath === prefix || requestPath.startsWith(`${prefix}/`));
}

// The panel runs only its own bundled scripts: no inline script, no eval, no other origin. The
// QR code of a Google Authenticator setup arrives as a data: URL.
const panelSecurityPolicy = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    fontSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
});

/**
 * Pages whose own chunks the answer names in a `Link: rel=modulepreload` header, so that the
 * browser fetches them alongside the first script rather than once it has run and the router has
 * matched the path (one round trip and the script's run less before the page shows). Edit My
 * Account is where a signed-in merchant lands; the key is the page's module in web/src/App.tsx.
 */
const PRELOADED_PAGES: Record<string, string> = { '/settings/account': 'src/pages/EditAccount.tsx' };

interface ManifestChunk {
  file: string;
  imports?: string[];
}

/** For each preloaded page, its chunks and its static imports, less what index.html loads anyway, from Vite's manifest. */
function preloadsFrom(manifestPath: string): Record<string, string[]> {
  let manifest: Record<string, ManifestChunk>;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as typeof manifest;
  } catch {
    return {};
  }
  const reach = (key: string, found = new Set<string>()): Set<string> => {
    const chunk = manifest[key];
    if (!chunk || found.has(key)) return found;
    found.add(key);
    for (const imported of chunk.imports ?? []) reach(imported, found);
    return found;
  };
  const firstLoad = reach('index.html');
  return Object.fromEntries(
    Object.entries(PRELOADED_PAGES).map(([pagePath, source]) => [
      pagePath,
      [...reach(source)].filter((key) => !firstLoad.has(key)).map((key) => `/${manifest[key]!.file}`),
    ]),
  );
}

/**
 * The preloads of the current build: the manifest is read and walked once per build (its
 * modification time tells a new one), not at every page load.
 */
function buildPreloads(distDir: string): () => Record<string, string[]> {
  const manifestPath = path.join(distDir, '.vite', 'manifest.json');
  let read: { builtAt: number; preloads: Record<string, string[]> } | undefined;
  return () => {
    const builtAt = statSync(manifestPath, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    if (read?.builtAt !== builtAt) read = { builtAt, preloads: preloadsFrom(manifestPath) };
    return read.preloads;
  };
}

/**
 * The web panel at `/`: the built files, and `index.html` for every other page path so that
 * client-side routes (`/settings/account`) survive a reload.
 */
export function webPanel(distDir: string = WEB_DIST_DIR): Router {
  const router = Router();
  const indexHtml = path.join(distDir, 'index.html');
  const preloads = buildPreloads(distDir);
  const panelOnly: RequestHandler = (req, _res, next) => {
    if (isApiPath(req.path)) next('router');
    else next();
  };

  // The panel's page, scripts and styles travel compressed (brotli or gzip, as the browser
  // accepts): a third of their size or less. Only the panel's: API answers that carry a secret
  // beside text an attacker chose are left uncompressed (BREACH).
  router.use(panelOnly, panelSecurityPolicy, compression());
  // Vite puts a content hash in every asset name, so an asset never changes under its name.
  // The build writes each asset compressed too (name.br, name.gz at the best levels: web/vite.config.mts);
  // those are sent as they are, and the middleware above leaves an encoded answer alone. The list
  // of compressed files is read when this router is made: files of a later build go through the
  // middleware until the process restarts (npm start builds before it serves).
  router.use(
    '/assets',
    expressStaticGzip(path.join(distDir, 'assets'), {
      enableBrotli: true,
      orderPreference: ['br', 'gz'],
      index: false,
      serveStatic: { immutable: true, maxAge: '1y', index: false },
    }),
  );
  router.use(express.static(distDir, { index: false }));
  // A middleware rather than a route: every GET path that is not a file is a client route.
  router.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      next();
      return;
    }
    if (req.path.startsWith('/assets/') || !req.accepts('html'))
      throw new DomainError('not_found', `No route for ${req.method} ${req.path}`);
    if (!existsSync(indexHtml)) {
      throw new DomainError(
        'service_unavailable',
        'The web panel is not built: run npm run build:web (npm start does it for you)',
      );
    }
    // The page names the current asset hashes: always ask again.
    res.setHeader('Cache-Control', 'no-cache');
    const chunks = preloads()[req.path] ?? [];
    if (chunks.length) res.setHeader('Link', chunks.map((file) => `<${file}>; rel=modulepreload`).join(', '));
    res.sendFile(indexHtml);
  });
  return router;
}
