import type { Kysely } from 'kysely';

// Frozen in time.
// - verification_codes.target_email: the address a code was mailed to, so an email change
//   applies only the address that received the code.
// - mail_outbox.locked_until: a dispatcher leases a mail for the time of one SMTP send instead of
//   holding a transaction open across it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('verification_codes').addColumn('target_email', 'text').execute();
  await db.schema.alterTable('mail_outbox').addColumn('locked_until', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('mail_outbox').dropColumn('locked_until').execute();
  await db.schema.alterTable('verification_codes').dropColumn('target_email').execute();
}
