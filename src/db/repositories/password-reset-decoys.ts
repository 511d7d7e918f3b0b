import { type Kysely, sql, type Transaction } from 'kysely';
import { hashCode } from '../../domain/codes';
import type { Database } from '../database';
import { normalizeEmail } from './accounts';

/*
 * A forgotten-password request for an address without an account leaves a decoy: confirming it
 * then answers as a registered address's open reset does (400 with the tries left, then 410 once
 * the tries are spent or the code would have expired), so a wrong guess cannot tell the two
 * apart. The decoy keeps the code flow's rules: a request inside the re-send cooldown changes
 * nothing; a later one starts afresh, as a new flow would. Every worker sweeps expired decoys
 * away; a purge deletes those of the account's addresses.
 */

/** The decoy's key: an HMAC of the address under the server's key, so the table never names anyone. */
export function passwordResetDecoyKey(secretKey: Buffer, email: string): string {
  return hashCode(secretKey, 'password-reset-decoy', normalizeEmail(email));
}

/** Records (or renews, past the cooldown) the decoy for `addressKey`. */
export async function issuePasswordResetDecoy(
  db: Kysely<Database>,
  addressKey: string,
  { ttlMs, cooldownMs }: { ttlMs: number; cooldownMs: number },
): Promise<void> {
  await sql`
    insert into password_reset_decoys (address_key, issued_at, expires_at, attempts)
    values (${addressKey}, now(), now() + ${`${ttlMs} milliseconds`}::interval, 0)
    on conflict (address_key) do update
      set issued_at = excluded.issued_at, expires_at = excluded.expires_at, attempts = 0
      where password_reset_decoys.issued_at <= now() - ${`${cooldownMs} milliseconds`}::interval`.execute(db);
}

/**
 * Counts one wrong code against the decoy, atomically. Returns the tries left, or undefined when
 * there is no decoy to try (none, expired, or its tries spent): the answer is then "expired".
 */
export async function tryPasswordResetDecoy(
  db: Kysely<Database>,
  addressKey: string,
  maxAttempts: number,
): Promise<number | undefined> {
  const row = await db
    .updateTable('password_reset_decoys')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('address_key', '=', addressKey)
    .where('expires_at', '>', sql<Date>`now()`)
    .where('attempts', '<', maxAttempts)
    .returning('attempts')
    .executeTakeFirst();
  return row === undefined ? undefined : maxAttempts - row.attempts;
}

/**
 * Deletes up to `limit` decoys whose code would have expired (they answer nothing any more);
 * returns how many went. Run by every worker's sweeper, whether or not anyone asks again.
 */
export async function deleteExpiredPasswordResetDecoys(db: Kysely<Database>, limit: number): Promise<number> {
  const result = await sql`
    delete from password_reset_decoys
    where address_key in (
      select address_key from password_reset_decoys where expires_at <= now() limit ${limit}
    )`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Deletes the decoys of these addresses (an account's own, when it is purged). */
export async function deletePasswordResetDecoysOf(
  db: Kysely<Database> | Transaction<Database>,
  secretKey: Buffer,
  emails: string[],
): Promise<void> {
  if (emails.length === 0) return;
  await db
    .deleteFrom('password_reset_decoys')
    .where(
      'address_key',
      'in',
      emails.map((email) => passwordResetDecoyKey(secretKey, email)),
    )
    .execute();
}
