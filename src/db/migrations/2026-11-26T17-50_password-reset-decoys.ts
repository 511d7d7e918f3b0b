import { type Kysely, sql } from 'kysely';

// Frozen in time. password_reset_decoys: what a forgotten-password request for an address
// without an account leaves, so that confirming it answers as a registered address's open reset
// would (wrong code with the tries left, then expired). Keyed by an HMAC of the address, never
// the address; a row lives as long as a reset code would.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('password_reset_decoys')
    .addColumn('address_key', 'text', (col) => col.primaryKey())
    .addColumn('issued_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('password_reset_decoys_expires_idx')
    .on('password_reset_decoys')
    .column('expires_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('password_reset_decoys').ifExists().execute();
}
