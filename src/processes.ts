import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { type Config, ConfigError, loadConfig } from './config';
import { createDb } from './db/connection';
import type { Database } from './db/database';
import { migrateToLatest } from './db/migrate';
import { createLogger, type Logger } from './logger';
import { connectClient, TemporalConnectionError } from './temporal/connection';

/** What every process needs: a migrated database and a Temporal client with the search attributes. */
export interface Foundation {
  config: Config;
  logger: Logger;
  db: Kysely<Database>;
  temporal: Client;
}

export async function prepareFoundation(config: Config, logger: Logger, databaseUrl: string): Promise<Foundation> {
  const db = createDb(databaseUrl, config.databasePoolSize, logger);
  const applied = await migrateToLatest(db);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  const temporal = await connectClient(config);
  return { config, logger, db, temporal };
}

/** Runs `stop` once on SIGINT or SIGTERM, then exits. */
export function onShutdownSignal(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

/** Ends a process whose start-up failed: a known cause as its message alone, anything else with its stack. */
export function exitOnStartupFailure(error: unknown): never {
  const known = error instanceof ConfigError || error instanceof TemporalConnectionError;
  process.stderr.write(`${known ? error.message : ((error as Error).stack ?? String(error))}\n`);
  process.exit(1);
}

export function startupConfig(role: string): { config: Config; logger: Logger; databaseUrl: string } {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel).child({ role });
  if (config.databaseUrl === undefined) {
    process.stderr.write(
      `DATABASE_URL is required to run the ${role} alone (npm start provides an embedded PostgreSQL)\n`,
    );
    process.exit(1);
  }
  return { config, logger, databaseUrl: config.databaseUrl };
}
