import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { createDb } from './connection';
import { migrateToLatest } from './migrate';

/** `npm run migrate`: brings DATABASE_URL to the latest migration and exits. */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.databaseUrl === undefined) throw new Error('DATABASE_URL is required for npm run migrate');
  const logger = createLogger(config.logLevel);
  const db = createDb(config.databaseUrl, 1, logger);
  try {
    const applied = await migrateToLatest(db);
    logger.info({ applied }, applied.length > 0 ? 'migrations applied' : 'database already up to date');
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
