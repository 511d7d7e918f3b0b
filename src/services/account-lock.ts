import { sql } from 'kysely';
import type { Transaction } from 'kysely';
import type { Account, Database } from '../db/database';
import { emailInUse } from '../db/repositories/accounts';
import { recordAudit, type RequestContext } from '../db/repositories/audit';
import { LOCK_LINK_TTL_MS, useLockToken } from '../db/repositories/security-mail';
import { revokeAccountSessions } from '../db/repositories/sessions';
import { DomainError } from '../domain/errors';
import type { ServiceDeps } from './deps';

/**
 * "This wasn't me": the link in a security mail locks the account. In one transaction: the token
 * is used (single-use), every session is revoked, an email change of the last 7 days goes back to
 * the address it came from, and login is refused until the password is reset.
 */
export async function lockAccount(deps: ServiceDeps, token: string, context: RequestContext): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const accountId = await useLockToken(trx, token);
    if (accountId === undefined) throw new DomainError('link_expired');
    const account = await trx
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', accountId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const revoked = await revokeAccountSessions(trx, accountId);
    const revertedTo = await revertRecentEmailChange(trx, account);
    await trx
      .updateTable('accounts')
      .set({ locked_at: new Date(), updated_at: new Date() })
      .where('id', '=', accountId)
      .execute();
    await recordAudit(trx, {
      accountId,
      type: 'account_locked',
      context,
      details: { revokedSessions: revoked, emailReverted: revertedTo !== undefined },
    });
  });
}

/**
 * Moves the account back to the address it had before its email changes of the last
 * LOCK_LINK_TTL_MS (the oldest such change: an intruder may have changed it twice). Left alone
 * when another account has taken that address since.
 */
async function revertRecentEmailChange(trx: Transaction<Database>, account: Account): Promise<string | undefined> {
  const since = new Date(Date.now() - LOCK_LINK_TTL_MS);
  const oldest = await trx
    .selectFrom('email_changes')
    .select(['id', 'old_email'])
    .where('account_id', '=', account.id)
    .where('reverted_at', 'is', null)
    .where('changed_at', '>', since)
    .orderBy('changed_at', 'asc')
    .executeTakeFirst();
  if (oldest === undefined || oldest.old_email === account.email) return undefined;
  if (await emailInUse(trx, oldest.old_email, account.id)) return undefined;
  await trx
    .updateTable('accounts')
    .set({
      email: oldest.old_email,
      pending_email: null,
      email_verified_at: sql`coalesce(email_verified_at, now())`,
      updated_at: new Date(),
    })
    .where('id', '=', account.id)
    .execute();
  await trx
    .updateTable('email_changes')
    .set({ reverted_at: new Date() })
    .where('account_id', '=', account.id)
    .where('changed_at', '>', since)
    .where('reverted_at', 'is', null)
    .execute();
  await recordAudit(trx, { accountId: account.id, type: 'email_change_reverted' });
  return oldest.old_email;
}

/** A locked account signs in again only after a password reset. */
export function assertNotLocked(account: Pick<Account, 'locked_at'>): void {
  if (account.locked_at !== null)
    throw new DomainError(
      'account_locked',
      'The account was locked from a security mail: reset the password to sign in again',
    );
}
