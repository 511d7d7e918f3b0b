import type { Transaction } from 'kysely';
import { PASSWORD_HISTORY_DEPTH } from '../../domain/password-policy';
import type { Database } from '../database';
import { endLoginChallenges } from './accounts';

/** The account's last PASSWORD_HISTORY_DEPTH password hashes, newest first (the current one among them). */
export async function recentPasswordHashes(
  db: Pick<Transaction<Database>, 'selectFrom'>,
  accountId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('password_history')
    .select('password_hash')
    .where('account_id', '=', accountId)
    .orderBy('id', 'desc')
    .limit(PASSWORD_HISTORY_DEPTH)
    .execute();
  return rows.map((row) => row.password_hash);
}

/**
 * Makes `passwordHash` the account's password from `changedAt`: clears an expiry, ends every open
 * login challenge (a second step begun with the old password), and keeps only the last few hashes in the history (older ones are data we no
 * longer need). Sessions, audit, mail and telling the rotation flow are the caller's, as they differ between a change and a reset.
 */
export async function setPassword(
  trx: Transaction<Database>,
  accountId: string,
  passwordHash: string,
  changedAt: Date,
): Promise<void> {
  await trx
    .updateTable('accounts')
    .set({
      password_hash: passwordHash,
      password_changed_at: changedAt,
      password_expired_at: null,
      updated_at: changedAt,
    })
    .where('id', '=', accountId)
    .execute();
  await endLoginChallenges(trx, accountId, changedAt);
  await trx.insertInto('password_history').values({ account_id: accountId, password_hash: passwordHash }).execute();
  await trx
    .deleteFrom('password_history')
    .where('account_id', '=', accountId)
    .where('id', 'not in', (eb) =>
      eb
        .selectFrom('password_history')
        .select('id')
        .where('account_id', '=', accountId)
        .orderBy('id', 'desc')
        .limit(PASSWORD_HISTORY_DEPTH),
    )
    .execute();
}
