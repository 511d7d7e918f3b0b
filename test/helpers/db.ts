import { afterAll, beforeAll, inject } from 'vitest';
import { cloneTemplateDatabase, type TestDatabase } from './database-clone';

export type { TestDatabase };

/** A database of its own for one test file, cloned from the migrated template in milliseconds. */
export function createTestDatabase(): Promise<TestDatabase> {
  return cloneTemplateDatabase(inject('adminDatabaseUrl'), inject('templateDatabase'));
}

/**
 * A database of its own for the calling test file: created before its tests, dropped after
 * them. Call at the file's top level; the returned function gives the database inside tests.
 */
export function useTestDatabase(): () => TestDatabase {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());
  return () => {
    if (database === undefined) throw new Error('useTestDatabase: the database exists only while the tests run');
    return database;
  };
}
