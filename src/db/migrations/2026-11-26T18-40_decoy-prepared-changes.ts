import { type Kysely, sql } from 'kysely';

// Frozen in time. prepared_password_changes.account_id may be null: a password reset confirmed
// for an address without an account writes and deletes a row of no account, the same database
// work as a registered address's prepared change. No flow ever names such a row, so none is
// applied; the decoy sweeper deletes any a crash left behind.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table prepared_password_changes alter column account_id drop not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from prepared_password_changes where account_id is null`.execute(db);
  await sql`alter table prepared_password_changes alter column account_id set not null`.execute(db);
}
