import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { PROJECT_ROOT } from '../../src/temporal/binaries';

export const WEB_DIST = path.join(PROJECT_ROOT, 'web', 'dist');

/** `npm run build:web`, as a deploy builds the panel; returns how long it took (s). */
export function buildPanel(): number {
  const started = Date.now();
  execFileSync('npm', ['run', 'build:web'], { cwd: PROJECT_ROOT, stdio: 'ignore' });
  return (Date.now() - started) / 1000;
}

interface ManifestChunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
  isEntry?: boolean;
}
type Manifest = Record<string, ManifestChunk>;

export interface BuiltFile {
  file: string;
  bytes: number;
  /** At zlib's default level, as the `compression` middleware sends it. */
  gzip: number;
  brotli: number;
}

export function readManifest(): Manifest {
  return JSON.parse(readFileSync(path.join(WEB_DIST, '.vite', 'manifest.json'), 'utf8')) as Manifest;
}

export function sizeOf(file: string): BuiltFile {
  const content = readFileSync(path.join(WEB_DIST, file));
  return {
    file,
    bytes: content.length,
    gzip: gzipSync(content).length,
    brotli: brotliCompressSync(content).length,
  };
}

/** The JavaScript files a manifest entry loads before it runs: its own and its static imports, transitively. */
export function staticClosure(manifest: Manifest, key: string, seen = new Set<string>()): Set<string> {
  const chunk = manifest[key];
  if (!chunk) throw new Error(`the Vite manifest has no ${key}`);
  if (seen.has(chunk.file)) return seen;
  seen.add(chunk.file);
  for (const imported of chunk.imports ?? []) staticClosure(manifest, imported, seen);
  return seen;
}

/** The scripts the built index.html itself fetches: its module script and its modulepreload links. */
export function scriptsOfIndexHtml(): Set<string> {
  const html = readFileSync(path.join(WEB_DIST, 'index.html'), 'utf8');
  const files = new Set<string>();
  for (const match of html.matchAll(/<script[^>]*\ssrc="\/([^"]+\.js)"/g)) files.add(match[1]!);
  for (const match of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\/([^"]+\.js)"/g)) files.add(match[1]!);
  return files;
}

export const sum = (files: BuiltFile[], pick: (file: BuiltFile) => number) =>
  files.reduce((total, file) => total + pick(file), 0);
