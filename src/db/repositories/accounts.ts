import type { Language } from '../../domain/language';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Account, Database } from '../database';

type Db = Kysely<Database> | Transaction<Database>;

/** Emails are compared and stored lower-cased and trimmed. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function findAccountByEmail(db: Db, email: string): Promise<Account | undefined> {
  return db.selectFrom('accounts').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
}

export function findAccountById(db: Db, id: string): Promise<Account | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Creates the account and its first password-history entry. Undefined when the email is taken. */
export async function insertAccount(
  trx: Transaction<Database>,
  input: { email: string; passwordHash: string; language?: Language },
): Promise<Account | undefined> {
  const account = await trx
    .insertInto('accounts')
    .values({
      email: normalizeEmail(input.email),
      password_hash: input.passwordHash,
      language: input.language,
      // Set here, at millisecond precision, so the rotation flow can name this exact password.
      password_changed_at: new Date(),
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (account === undefined) return undefined;
  await trx
    .insertInto('password_history')
    .values({ account_id: account.id, password_hash: input.passwordHash })
    .execute();
  return account;
}

export async function grantRole(db: Db, accountId: string, role: 'support'): Promise<void> {
  await db
    .insertInto('account_roles')
    .values({ account_id: accountId, role })
    .onConflict((oc) => oc.columns(['account_id', 'role']).doNothing())
    .execute();
}

/** True when another account already uses the address (as its email). */
export async function emailInUse(db: Db, email: string, exceptAccountId: string): Promise<boolean> {
  const row = await db
    .selectFrom('accounts')
    .select(sql<number>`1`.as('one'))
    .where('email', '=', normalizeEmail(email))
    .where('id', '!=', exceptAccountId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Ends every open login challenge of the account: one begun at or before `at` can no longer
 * complete. A password change calls it in its transaction; a password reset must too.
 */
export async function endLoginChallenges(db: Db, accountId: string, at: Date): Promise<void> {
  await db.updateTable('accounts').set({ login_challenges_valid_after: at }).where('id', '=', accountId).execute();
}

/**
 * The account as committed once no other transaction holds it for update (a flow's activity
 * changing it): one statement, FOR SHARE, released at once.
 */
export function findAccountSettled(db: Db, id: string): Promise<Account | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).forShare().executeTakeFirst();
}
