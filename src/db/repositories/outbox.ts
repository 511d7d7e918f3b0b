import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database';

export interface OutgoingMail {
  /** The writer's idempotency key: the same key is written once, however often the writer retries. */
  key: string;
  to: string;
  subject: string;
  text: string;
}

/**
 * Puts a mail in the outbox, inside the caller's transaction: the mail exists exactly when the
 * state it announces does. The dispatcher delivers it later.
 */
export async function enqueueMail(db: Kysely<Database> | Transaction<Database>, mail: OutgoingMail): Promise<void> {
  await db
    .insertInto('mail_outbox')
    .values({ idempotency_key: mail.key, to_address: mail.to, subject: mail.subject, text_body: mail.text })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
}
