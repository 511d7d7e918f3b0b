import type { Kysely, Transaction } from 'kysely';
import { generateRecoveryCodes, hashRecoveryCode } from '../../domain/recovery-codes';
import type { Language } from '../../domain/language';
import { mailsIn } from '../../mail/copy';
import type { Database } from '../database';
import { type RequestContext, recordAudit } from './audit';
import { enqueueSecurityMail } from './security-mail';

type Db = Kysely<Database> | Transaction<Database>;

/** Replaces the account's recovery codes with 10 new ones; returns them in clear, once. */
export async function replaceRecoveryCodes(db: Db, secretKey: Buffer, accountId: string): Promise<string[]> {
  const codes = generateRecoveryCodes();
  await db.deleteFrom('recovery_codes').where('account_id', '=', accountId).execute();
  await db
    .insertInto('recovery_codes')
    .values(codes.map((code) => ({ account_id: accountId, code_hash: hashRecoveryCode(secretKey, code) })))
    .execute();
  return codes;
}

/** An unused recovery code of the account, without using it. */
export async function findUnusedRecoveryCode(
  db: Db,
  secretKey: Buffer,
  accountId: string,
  code: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('recovery_codes')
    .select('id')
    .where('account_id', '=', accountId)
    .where('code_hash', '=', hashRecoveryCode(secretKey, code))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return row?.id;
}

/** Uses a recovery code, atomically: of two concurrent uses, one wins. */
export async function useRecoveryCode(db: Db, id: string): Promise<boolean> {
  const result = await db
    .updateTable('recovery_codes')
    .set({ used_at: new Date() })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/**
 * Records `step` as the last accepted TOTP step, atomically and only forwards: a code is
 * accepted once, also across two logins racing in the same 30 seconds.
 */
export async function claimTotpStep(db: Db, accountId: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('totp_credentials')
    .set({ last_used_step: String(step) })
    .where('account_id', '=', accountId)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', String(step))]))
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Turns two-factor authentication off: method, TOTP secret and recovery codes go; the merchant is told. */
export async function turnOffTwoFactor(
  trx: Transaction<Database>,
  account: { id: string; email: string; language: Language; two_factor_method: string | null },
  notice: { key: string; publicUrl: string },
  context?: RequestContext,
): Promise<void> {
  if (account.two_factor_method === null) return;
  await trx
    .updateTable('accounts')
    .set({ two_factor_method: null, updated_at: new Date() })
    .where('id', '=', account.id)
    .execute();
  await trx.deleteFrom('totp_credentials').where('account_id', '=', account.id).execute();
  await trx.deleteFrom('recovery_codes').where('account_id', '=', account.id).execute();
  await recordAudit(trx, {
    accountId: account.id,
    type: 'two_factor_disabled',
    context,
    details: { method: account.two_factor_method },
  });
  await enqueueSecurityMail(trx, {
    publicUrl: notice.publicUrl,
    accountId: account.id,
    key: notice.key,
    to: account.email,
    language: account.language,
    content: mailsIn(account.language).twoFactorDisabled(),
  });
}
