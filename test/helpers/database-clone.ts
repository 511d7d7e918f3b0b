import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { createDb } from '../../src/db/connection';
import type { Database } from '../../src/db/database';
import { withDatabase } from './shared-services';

export interface TestDatabase {
  url: string;
  db: Kysely<Database>;
  drop(): Promise<void>;
}

/** A database of its own, cloned from the migrated template in milliseconds (no vitest here: Playwright uses it too). */
export async function cloneTemplateDatabase(adminUrl: string, template: string): Promise<TestDatabase> {
  const name = `${template.replace('_tpl_', '_t')}_${randomBytes(3).toString('hex')}`.slice(0, 63);
  await adminQuery(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  const url = withDatabase(adminUrl, name);
  const db = createDb(url, 5);
  return {
    url,
    db,
    async drop() {
      await db.destroy();
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
