import { type Kysely, Migrator } from 'kysely';
import type { Database } from './database';
import { migrations } from './migrations';

/**
 * Brings the schema to the latest migration. Safe when several processes start at once:
 * Kysely's PostgreSQL adapter holds an advisory lock while it migrates, so the others wait and
 * then find nothing left to do.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results = [] } = await migrator.migrateToLatest();
  const failed = results.find((result) => result.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    const name = failed ? ` (${failed.migrationName})` : '';
    throw new Error(`Database migration failed${name}`, { cause: error });
  }
  return results.map((result) => result.migrationName);
}
