import { sql, type Transaction } from 'kysely';
import { mailsIn } from '../../mail/copy';
import type { Account, Database } from '../database';
import { type RequestContext, recordAudit } from './audit';
import { enqueueMail } from './outbox';
import { revokeAccountSessions } from './sessions';

/**
 * Closes the account in one transaction: integrations off, every session revoked, the account
 * `closed` with its purge date, the closure audited and its confirmation mailed. Both the API
 * (before it answers 202) and the closure flow (in case the API's transaction never committed)
 * call it; whoever comes second finds the account closed and keeps its purge date.
 *
 * The account row is locked first (FOR UPDATE): writers that check the account under FOR SHARE
 * (integrations, new sessions) either commit before this and are undone by it, or wait for it
 * and see the account closed. No interleaving leaves an integration on or a session alive.
 * Returns the purge date the database holds; undefined when the account does not exist.
 */
export async function closeAccountNow(
  trx: Transaction<Database>,
  input: { accountId: string; purgeAt: Date; context?: RequestContext; details?: Record<string, unknown> },
): Promise<Date | undefined> {
  const account = await trx
    .selectFrom('accounts')
    .select(['id', 'email', 'language', 'status', 'purge_at'])
    .where('id', '=', input.accountId)
    .forUpdate()
    .executeTakeFirst();
  if (!account) return undefined;
  if (account.status === 'closed') return account.purge_at ?? input.purgeAt;

  const closedAt = new Date();
  await trx
    .updateTable('integrations')
    .set({ active: false, updated_at: closedAt })
    .where('account_id', '=', account.id)
    .where('active', '=', true)
    .execute();
  await revokeAccountSessions(trx, account.id);
  await trx
    .updateTable('accounts')
    .set({ status: 'closed', closed_at: closedAt, purge_at: input.purgeAt, updated_at: closedAt })
    .where('id', '=', account.id)
    .execute();
  await recordAudit(trx, {
    accountId: account.id,
    type: 'account_closed',
    context: input.context,
    details: { purgeAt: input.purgeAt.toISOString(), ...input.details },
  });
  await enqueueMail(trx, {
    // One confirmation per closure: a later closure (after a reactivation) has its own.
    key: `account-closed:${account.id}:${closedAt.getTime()}`,
    to: account.email,
    ...mailsIn(account.language).accountClosed({ purgeAt: input.purgeAt }),
  });
  return input.purgeAt;
}

/**
 * Locks the account for a write that only an active account may make (FOR SHARE: writers do
 * not wait for each other, only for a closure in progress). False when it is not active: the
 * caller writes nothing.
 */
export async function lockActiveAccount(trx: Transaction<Database>, accountId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('accounts')
    .select('id')
    .where('id', '=', accountId)
    .where('status', '=', 'active')
    .forShare()
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Locks the account for a write made by one of its sessions: the account must be active and the
 * session still live. The session is read after the lock is held, in a statement of its own (a
 * fresh snapshot): a closure revokes the sessions in the transaction that closes the account, so
 * a session that authenticated before a closure cannot write after it, not even once a login has
 * reactivated the account. False when the caller must write nothing. A writer that goes on to
 * update the account row asks for `update` (FOR NO KEY UPDATE, what its UPDATE takes anyway):
 * two such writers holding a shared lock each and then both upgrading would deadlock.
 */
export async function lockActiveSession(
  trx: Transaction<Database>,
  auth: { accountId: string; sessionId: string },
  strength: 'share' | 'update' = 'share',
): Promise<boolean> {
  const account = trx
    .selectFrom('accounts')
    .select('id')
    .where('id', '=', auth.accountId)
    .where('status', '=', 'active');
  const locked = await (strength === 'share' ? account.forShare() : account.forNoKeyUpdate()).executeTakeFirst();
  if (locked === undefined) return false;
  const session = await trx
    .selectFrom('sessions')
    .select('id')
    .where('id', '=', auth.sessionId)
    .where('account_id', '=', auth.accountId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return session !== undefined;
}

/** What a login checks under the account's lock before it writes a session. */
export type LoginLockedAccount = Pick<
  Account,
  'id' | 'status' | 'locked_at' | 'password_changed_at' | 'login_challenges_valid_after' | 'two_factor_method'
>;

/**
 * Locks the account (FOR SHARE) for a login about to write its session, and reads what the login
 * must still hold true: still active, not locked, the password it checked still the password, no
 * second factor turned on since. A closure, a lock, a password change or a second factor turned
 * on takes the row for update, so it either committed before
 * this read (and the login sees it) or waits for the session's transaction (and revokes the
 * session it wrote). Undefined when the account no longer exists.
 */
export function lockAccountForLogin(
  trx: Transaction<Database>,
  accountId: string,
): Promise<LoginLockedAccount | undefined> {
  return trx
    .selectFrom('accounts')
    .select(['id', 'status', 'locked_at', 'password_changed_at', 'login_challenges_valid_after', 'two_factor_method'])
    .where('id', '=', accountId)
    .forShare()
    .executeTakeFirst();
}

/**
 * Back to active after a login in the grace period, once. Integrations stay off: the merchant
 * turns each one back on. The recovery holds support placed during the grace period have
 * nothing left to hold: they are released here, audited, so the database agrees with the flow.
 */
export async function reactivateAccountNow(
  trx: Transaction<Database>,
  input: { accountId: string; mailKey: string; gracePeriodMs: number },
): Promise<void> {
  const account = await trx
    .selectFrom('accounts')
    .select(['id', 'email', 'language', 'status'])
    .where('id', '=', input.accountId)
    .forUpdate()
    .executeTakeFirst();
  if (!account || account.status === 'active') return;
  const now = new Date();
  await trx
    .updateTable('accounts')
    .set({ status: 'active', closed_at: null, purge_at: null, updated_at: now })
    .where('id', '=', account.id)
    .execute();
  await recordAudit(trx, { accountId: account.id, type: 'account_reactivated' });
  const released = await trx
    .updateTable('recovery_holds')
    .set({ released_at: now, released_by: null, release_reason: HOLD_RELEASED_BY_REACTIVATION })
    .where('account_id', '=', account.id)
    .where('released_at', 'is', null)
    .returning('id')
    .execute();
  if (released.length > 0) {
    await recordAudit(trx, {
      accountId: account.id,
      actorId: null,
      type: 'recovery_hold_released',
      details: { reason: HOLD_RELEASED_BY_REACTIVATION, holdIds: released.map((hold) => hold.id) },
    });
  }
  await enqueueMail(trx, {
    key: input.mailKey,
    to: account.email,
    ...mailsIn(account.language).accountReactivated({ gracePeriodMs: input.gracePeriodMs }),
  });
}

/** The release reason of holds that ended because the merchant came back. */
export const HOLD_RELEASED_BY_REACTIVATION = 'account reactivated';
