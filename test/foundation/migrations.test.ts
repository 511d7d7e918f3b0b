import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDb } from '../../src/db/connection';
import { migrateToLatest } from '../../src/db/migrate';
import { migrations } from '../../src/db/migrations';
import { withDatabase } from '../global-setup';

const adminUrl = inject('adminDatabaseUrl');
const name = `connectprof_migrate_${process.pid}_${Date.now().toString(36)}`;

async function admin(statement: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(statement);
  await client.end();
}

afterAll(() => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

describe('migrations', () => {
  it('when several processes migrate an empty database at once, then each succeeds and the schema is whole', async () => {
    await admin(`CREATE DATABASE ${name}`);
    const processes = Array.from({ length: 4 }, () => createDb(withDatabase(adminUrl, name), 2));
    try {
      const applied = await Promise.all(processes.map((db) => migrateToLatest(db)));
      // Exactly one of them applied the migrations; the others found nothing to do.
      expect(applied.flat()).toEqual(Object.keys(migrations).sort());
      expect(applied.flat()[0]).toBe('2026-11-25T00-00_initial');

      const { rows } = await sql<{ table_name: string }>`
        select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(
        processes[0]!,
      );
      expect(rows.map((row) => row.table_name)).toEqual(
        expect.arrayContaining([
          'accounts',
          'account_roles',
          'sessions',
          'verification_codes',
          'totp_credentials',
          'recovery_codes',
          'password_history',
          'integrations',
          'products',
          'orders',
          'support_requests',
          'recovery_holds',
          'audit_events',
          'mail_outbox',
          'purge_progress',
        ]),
      );
      expect(await migrateToLatest(processes[0]!)).toEqual([]);
    } finally {
      await Promise.all(processes.map((db) => db.destroy()));
    }
  });
});
