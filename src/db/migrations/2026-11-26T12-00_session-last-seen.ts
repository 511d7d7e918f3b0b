import type { Kysely } from 'kysely';

// Frozen in time.
// - sessions.last_seen_at: when the session was last used, written at most once a minute per
//   session (see touchSession) so the merchant's session list can show it without a write on
//   every request.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('last_seen_at', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('last_seen_at').execute();
}
