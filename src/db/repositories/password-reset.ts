import type { Kysely, Transaction } from 'kysely';
import { mailsIn } from '../../mail/copy';
import { passwordRotationWorkflowId } from '../../shared/workflow-ids';
import type { Account, Database } from '../database';
import { recordAudit } from './audit';
import { enqueueSecurityMail } from './security-mail';
import { setPassword } from './passwords';
import { revokeAccountSessions } from './sessions';
import { enqueueTemporalCommand } from './temporal-outbox';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Keeps the hash of a password chosen in a reset until the mailed code confirms it; returns the
 * row's id. `accountId` null: the decoy's row, for an address without an account (never applied).
 */
export async function preparePasswordChange(db: Db, accountId: string | null, passwordHash: string): Promise<string> {
  const { id } = await db
    .insertInto('prepared_password_changes')
    .values({ account_id: accountId, password_hash: passwordHash })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export function findPreparedPasswordChange(db: Db, accountId: string, changeId: string) {
  return db
    .selectFrom('prepared_password_changes')
    .select('password_hash')
    .where('id', '=', changeId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}

export async function discardPreparedPasswordChange(db: Db, changeId: string): Promise<void> {
  await db.deleteFrom('prepared_password_changes').where('id', '=', changeId).execute();
}

/**
 * Deletes decoy rows (no account) older than `olderThanMs`: each lives for one confirmation, so
 * only a crash between writing and deleting it leaves one. Returns how many went.
 */
export async function deleteLeftoverDecoyPasswordChanges(db: Db, olderThanMs: number): Promise<number> {
  const result = await db
    .deleteFrom('prepared_password_changes')
    .where('account_id', 'is', null)
    .where('created_at', '<', new Date(Date.now() - olderThanMs))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Settles a prepared change whose flow's answer was lost to an outage: true when the reset has
 * applied it (the account's password is its hash). Otherwise it is discarded in the same
 * transaction, so the flow can no longer apply it: whichever the caller answers is the truth.
 * The reset's activity holds the account for update while it applies, so this waits for it.
 */
export async function settlePreparedPasswordChange(
  db: Kysely<Database>,
  input: { accountId: string; changeId: string; passwordHash: string },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const account = await trx
      .selectFrom('accounts')
      .select('password_hash')
      .where('id', '=', input.accountId)
      .forUpdate()
      .executeTakeFirst();
    if (account?.password_hash === input.passwordHash) return true;
    await discardPreparedPasswordChange(trx, input.changeId);
    return false;
  });
}

/**
 * The password reset itself, in the caller's transaction: the new password (and a new rotation
 * cycle), every session revoked, prepared changes gone, audited, and the owner told. Two-factor
 * stays as it was: the next login still asks for the second factor.
 */
export async function applyPasswordReset(
  trx: Transaction<Database>,
  account: Pick<Account, 'id' | 'email' | 'language'>,
  passwordHash: string,
  notice: { key: string; publicUrl: string },
): Promise<void> {
  const changedAt = new Date();
  await setPassword(trx, account.id, passwordHash, changedAt);
  // The rotation cycle restarts from the reset: committed with it, delivered by the drainer.
  await enqueueTemporalCommand(
    trx,
    passwordRotationWorkflowId(account.id),
    { kind: 'password_changed', accountId: account.id, changedAt: changedAt.getTime() },
    0,
  );
  // The reset a lock asked for: login is allowed again.
  await trx.updateTable('accounts').set({ locked_at: null }).where('id', '=', account.id).execute();
  await trx.deleteFrom('prepared_password_changes').where('account_id', '=', account.id).execute();
  await revokeAccountSessions(trx, account.id);
  await recordAudit(trx, { accountId: account.id, type: 'password_reset' });
  await enqueueSecurityMail(trx, {
    publicUrl: notice.publicUrl,
    accountId: account.id,
    key: `password-reset:${notice.key}`,
    to: account.email,
    language: account.language,
    content: mailsIn(account.language).passwordReset(),
  });
}
