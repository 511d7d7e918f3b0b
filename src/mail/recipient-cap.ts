import { sql, type Transaction } from 'kysely';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { emailRateLimitKey } from '../domain/rate-limit-keys';
import { enqueueMail, type OutgoingMail } from '../db/repositories/outbox';

/*
 * The recipient cap: how many unsolicited mails one address receives per window, counted across every process:
 * mails that anyone can cause by naming an address they have not proven is theirs (the sign-up
 * code, the code for an email change, "someone tried to use your address"). Past the cap they are
 * dropped, so sign-ups, re-sends and email changes aimed at someone else's mailbox cannot flood
 * it. Mails to an account's own verified address on its owner's request (sign-in codes, security
 * notices) are not counted, so nobody can spend the owner's share to silence them
 * (RATE_LIMIT_MAILS_PER_ADDRESS per RATE_LIMIT_WINDOW).
 */
type RecipientCap = Pick<Config['rateLimits'], 'windowMs' | 'mailsPerAddress'>;

/**
 * Enqueues an unsolicited mail within the caller's transaction, unless the address has had its
 * share for this window. A mail folded into an earlier one by its key (a retry, an hourly
 * notice) is not counted again. Returns whether the mail will go out.
 *
 * The count is a row of the rate_limits table (the layout rate-limiter-flexible uses, whose
 * limiters also delete the expired rows), written by the caller's own transaction: it rolls back
 * with the mail, and it needs no second connection while the transaction holds one, which under
 * a burst would exhaust the pool and deadlock.
 */
export async function enqueueUnsolicitedMail(
  trx: Transaction<Database>,
  cap: RecipientCap,
  mail: OutgoingMail,
): Promise<boolean> {
  const queued = await trx
    .selectFrom('mail_outbox')
    .select('id')
    .where('idempotency_key', '=', mail.key)
    .executeTakeFirst();
  if (queued) return true;
  const now = Date.now();
  const { rows } = await sql<{ points: number }>`
    insert into rate_limits (key, points, expire) values (${`mail-recipient:${emailRateLimitKey(mail.to)}`}, 1, ${now + cap.windowMs})
    on conflict (key) do update set
      points = case when rate_limits.expire <= ${now} then 1 else rate_limits.points + 1 end,
      expire = case when rate_limits.expire <= ${now} then excluded.expire else rate_limits.expire end
    returning points`.execute(trx);
  if (rows[0]!.points > cap.mailsPerAddress) return false;
  await enqueueMail(trx, mail);
  return true;
}
