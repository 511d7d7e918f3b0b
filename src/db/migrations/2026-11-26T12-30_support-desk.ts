import { type Kysely, sql } from 'kysely';

// Frozen in time. The support desk:
// - support_requests.status may only hold the three states of the desk's status machine, and
//   updated_at says when an agent last moved or answered a request.
// - The queue is read oldest first, per status or across all, by keyset on (created_at, id).
// - support_request_replies: an agent's answers, shown to the merchant and mailed to them. The
//   author is an agent's account id without a foreign key: a reply outlives its author's account.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('support_requests')
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .alterTable('support_requests')
    .addCheckConstraint('support_requests_status_check', sql`status in ('open', 'in_progress', 'resolved')`)
    .execute();
  await db.schema
    .createIndex('support_requests_queue_idx')
    .on('support_requests')
    .columns(['status', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('support_requests_created_idx')
    .on('support_requests')
    .columns(['created_at', 'id'])
    .execute();

  await db.schema
    .createTable('support_request_replies')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('support_request_id', 'uuid', (col) =>
      col.notNull().references('support_requests.id').onDelete('cascade'),
    )
    .addColumn('author_id', 'uuid', (col) => col.notNull())
    .addColumn('message', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('support_request_replies_request_idx')
    .on('support_request_replies')
    .columns(['support_request_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('support_request_replies').execute();
  await db.schema.dropIndex('support_requests_created_idx').execute();
  await db.schema.dropIndex('support_requests_queue_idx').execute();
  await db.schema.alterTable('support_requests').dropConstraint('support_requests_status_check').execute();
  await db.schema.alterTable('support_requests').dropColumn('updated_at').execute();
}
