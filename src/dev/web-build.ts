import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger';
import { PROJECT_ROOT } from '../temporal/binaries';

const WEB_DIR = path.join(PROJECT_ROOT, 'web');
const BUILT_PAGE = path.join(WEB_DIR, 'dist', 'index.html');
/** What the build is made from: the panel's own files and the shared rules it imports. */
const SOURCES = [
  path.join(WEB_DIR, 'src'),
  path.join(WEB_DIR, 'index.html'),
  path.join(WEB_DIR, 'vite.config.mts'),
  path.join(PROJECT_ROOT, 'src', 'domain'),
];

function newestChange(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(entry).map((name) => newestChange(path.join(entry, name))));
}

/** True when web/dist is missing or older than any of its sources. */
export function webBuildIsStale(): boolean {
  if (!existsSync(BUILT_PAGE)) return true;
  const built = statSync(BUILT_PAGE).mtimeMs;
  return SOURCES.some((source) => newestChange(source) > built);
}

/** `npm start`: builds the panel with Vite when the build is missing or behind its sources. */
export async function ensureWebBuild(logger: Logger): Promise<void> {
  if (!webBuildIsStale()) return;
  logger.info('building the web panel (web/dist is missing or older than web/src)');
  const { build } = await import('vite');
  await build({ configFile: path.join(WEB_DIR, 'vite.config.mts'), logLevel: 'warn' });
}
