import { type Kysely, sql } from 'kysely';

// Frozen in time.
// - accounts.locked_at: a "This wasn't me" lock; login is refused until a password reset.
// - lock_tokens: the single-use links in security mails, stored as SHA-256 only.
// - email_changes: the addresses an account moved from, so a lock can revert a recent change.
// - known_devices: user-agent family and network an account signed in from, for new-device mails.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('accounts').addColumn('locked_at', 'timestamptz').execute();

  await db.schema
    .createTable('lock_tokens')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('account_id', 'uuid', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('token_hash', 'bytea', (col) => col.notNull().unique())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('lock_tokens_account_idx').on('lock_tokens').column('account_id').execute();

  await db.schema
    .createTable('email_changes')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('account_id', 'uuid', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('old_email', 'text', (col) => col.notNull())
    .addColumn('new_email', 'text', (col) => col.notNull())
    .addColumn('changed_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('reverted_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('email_changes_account_idx')
    .on('email_changes')
    .columns(['account_id', 'changed_at'])
    .execute();

  await db.schema
    .createTable('known_devices')
    .addColumn('account_id', 'uuid', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
    // "<browser>/<os>@<network>": no full address, no full user agent.
    .addColumn('device_key', 'text', (col) => col.notNull())
    .addColumn('first_seen_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('known_devices_pk', ['account_id', 'device_key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('known_devices').ifExists().execute();
  await db.schema.dropTable('email_changes').ifExists().execute();
  await db.schema.dropTable('lock_tokens').ifExists().execute();
  await db.schema.alterTable('accounts').dropColumn('locked_at').execute();
}
