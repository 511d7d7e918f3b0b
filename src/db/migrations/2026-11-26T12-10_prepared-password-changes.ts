import { type Kysely, sql } from 'kysely';

// Frozen in time.
// - prepared_password_changes: the argon2 hash of a new password chosen in a password reset,
//   waiting for the mailed code that confirms it. The flow's activity applies the row the
//   submission names (by id, so no password or hash passes through workflow history); the row
//   goes once applied or refused.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('prepared_password_changes')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('account_id', 'uuid', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('password_hash', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('prepared_password_changes_account_idx')
    .on('prepared_password_changes')
    .column('account_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('prepared_password_changes').ifExists().execute();
}
