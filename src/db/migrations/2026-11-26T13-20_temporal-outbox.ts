import { type Kysely, sql } from 'kysely';

// Frozen in time.
// - temporal_outbox: commands to Temporal written in the same transaction as the change they
//   follow from (a password change signals the rotation flow, an email change starts its code
//   flow), so a change is never committed without them. Delivered at once after the commit when
//   Temporal answers, otherwise by the worker's drainer; a row is deleted once delivered.
// - accounts.login_challenges_valid_after: login challenges issued at or before this instant can
//   no longer complete (a password change or reset ends every open second step).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('temporal_outbox')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('workflow_id', 'text', (col) => col.notNull())
    .addColumn('command', 'jsonb', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('locked_until', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('temporal_outbox_due').on('temporal_outbox').columns(['next_attempt_at', 'id']).execute();
  await db.schema
    .createIndex('temporal_outbox_workflow')
    .on('temporal_outbox')
    .columns(['workflow_id', 'id'])
    .execute();
  await db.schema.alterTable('accounts').addColumn('login_challenges_valid_after', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('accounts').dropColumn('login_challenges_valid_after').execute();
  await db.schema.dropTable('temporal_outbox').execute();
}
