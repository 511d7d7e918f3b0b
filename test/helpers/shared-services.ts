import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import pg from 'pg';
import { createDb } from '../../src/db/connection';
import { migrateToLatest } from '../../src/db/migrate';
import { startEmbeddedPostgres } from '../../src/dev/embedded-postgres';
import { createLogger } from '../../src/logger';
import { bundleWorkflows } from '../../src/temporal/bundle';
import { findTemporalBinary, PROJECT_ROOT, TEMPORAL_CLI, TEMPORAL_TEST_SERVER } from '../../src/temporal/binaries';
import { registerSearchAttributes } from '../../src/temporal/search-attributes';

/** What every test file of a run shares; vitest hands it out with provide/inject, Playwright through the environment. */
export interface SharedServices {
  /** The server's maintenance database, for creating and dropping per-file databases. */
  adminDatabaseUrl: string;
  /** A migrated database that each test file clones (CREATE DATABASE … TEMPLATE). */
  templateDatabase: string;
  temporalAddress: string;
  temporalTestServerPath: string;
  workflowBundlePath: string;
}

function required(binary: typeof TEMPORAL_CLI): string {
  const found = findTemporalBinary(binary);
  if (found === undefined) {
    throw new Error(`Tests need ${binary.command}: set ${binary.envVar}, put it on PATH, or run npm run tools:install`);
  }
  return found;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * Starts what every test file shares, once per run: PostgreSQL (DATABASE_URL, or the embedded
 * one), a migrated template database, the workflow bundle, and a Temporal dev server. A missing
 * service fails the run with a message; no test is skipped for it.
 */
export async function startSharedServices(): Promise<{ services: SharedServices; stop(): Promise<void> }> {
  const logger = createLogger('warn');
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step();
  };

  let adminDatabaseUrl = process.env.DATABASE_URL;
  if (!adminDatabaseUrl) {
    const embedded = await startEmbeddedPostgres(path.join(PROJECT_ROOT, '.data', 'test'), logger);
    stops.push(embedded.stop);
    adminDatabaseUrl = embedded.url;
  }
  const admin = new pg.Client({ connectionString: adminDatabaseUrl });
  await admin.connect().catch((error: unknown) => {
    throw new Error(`Tests need PostgreSQL at DATABASE_URL (${adminDatabaseUrl}): ${(error as Error).message}`);
  });
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const templateDatabase = `connectprof_tpl_${runId}`;
  await admin.query(`CREATE DATABASE ${templateDatabase}`);
  const templateDb = createDb(withDatabase(adminDatabaseUrl, templateDatabase), 2);
  await migrateToLatest(templateDb);
  await templateDb.destroy();
  stops.push(async () => {
    // Per-file databases are dropped by their files; this catches any a crashed file left.
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
      `connectprof_%${runId}%`,
    ]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await admin.end();
  });

  const bundleDir = mkdtempSync(path.join(tmpdir(), 'connectprof-bundle-'));
  const workflowBundlePath = path.join(bundleDir, 'workflows.js');
  writeFileSync(workflowBundlePath, (await bundleWorkflows()).code);
  stops.push(async () => rmSync(bundleDir, { recursive: true, force: true }));

  const devServer = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: required(TEMPORAL_CLI) },
      log: { format: 'json', level: 'error' },
    },
  });
  stops.push(() => devServer.teardown());
  await registerSearchAttributes(devServer.connection, 'default');

  return {
    services: {
      adminDatabaseUrl,
      templateDatabase,
      temporalAddress: devServer.address,
      temporalTestServerPath: required(TEMPORAL_TEST_SERVER),
      workflowBundlePath,
    },
    stop,
  };
}
