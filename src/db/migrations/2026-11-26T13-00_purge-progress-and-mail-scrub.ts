import { type Kysely, sql } from 'kysely';

// Frozen in time.
// - purge_progress: rows a purge has deleted per account and table, written by the statement
//   that deletes them, so the count survives a worker killed between a batch and its heartbeat.
// - mail_outbox.to_address and subject become nullable: a delivered mail keeps neither the
//   address nor a subject that may carry a code, as its body already did not.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('purge_progress')
    // No foreign key: the count outlives the batches it counts, until the account itself goes.
    .addColumn('account_id', 'uuid', (col) => col.notNull())
    .addColumn('table_name', 'text', (col) => col.notNull())
    .addColumn('deleted', 'bigint', (col) => col.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('purge_progress_pk', ['account_id', 'table_name'])
    .execute();
  await db.schema
    .alterTable('mail_outbox')
    .alterColumn('to_address', (col) => col.dropNotNull())
    .execute();
  await db.schema
    .alterTable('mail_outbox')
    .alterColumn('subject', (col) => col.dropNotNull())
    .execute();
  // Mail delivered before this migration: scrubbed as new deliveries are.
  await sql`update mail_outbox set to_address = null, subject = null, text_body = null where sent_at is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`update mail_outbox set to_address = '', subject = '' where to_address is null or subject is null`.execute(
    db,
  );
  await db.schema
    .alterTable('mail_outbox')
    .alterColumn('subject', (col) => col.setNotNull())
    .execute();
  await db.schema
    .alterTable('mail_outbox')
    .alterColumn('to_address', (col) => col.setNotNull())
    .execute();
  await db.schema.dropTable('purge_progress').execute();
}
