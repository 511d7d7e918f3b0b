import { type Kysely, sql } from 'kysely';

// Frozen in time.
// - accounts.language: the language of the account's panel and mails ('en' or 'tr'); existing
//   accounts read English, as every mail so far was.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('accounts')
    .addColumn('language', 'text', (col) =>
      col
        .notNull()
        .defaultTo('en')
        .check(sql`language in ('en', 'tr')`),
    )
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('accounts').dropColumn('language').execute();
}
