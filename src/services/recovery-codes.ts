import { DomainError } from '../domain/errors';
import type { Auth } from './caller';
import { recordAudit, type RequestContext } from '../db/repositories/audit';
import { enqueueSecurityMail } from '../db/repositories/security-mail';
import { replaceRecoveryCodes } from '../db/repositories/two-factor';
import { mailsIn } from '../mail/copy';
import { loadAccount } from './account';
import type { ServiceDeps } from './deps';
import { lockForSessionWrite } from './session-writes';
import { verifyCurrentPassword } from './password';
import { assertSecondFactor } from './step-up';

/**
 * A new set of recovery codes, with the password and a second factor (a recovery code counts).
 * The old set dies in the same transaction the new one is written in: from the answer on,
 * only the new codes work. Returned in clear this once.
 */
export async function regenerateRecoveryCodes(
  deps: ServiceDeps,
  auth: Auth,
  input: { password: string; code?: string },
  context: RequestContext,
): Promise<string[]> {
  const account = await loadAccount(deps, auth.accountId);
  await verifyCurrentPassword(deps, account, input.password, context, 'recovery_codes');
  if (account.two_factor_method === null)
    throw new DomainError('conflict', 'Two-factor authentication is not on: there are no recovery codes to replace');
  await assertSecondFactor(deps, account, input.code, context, 'replace_recovery_codes');
  return deps.db.transaction().execute(async (trx) => {
    await lockForSessionWrite(trx, account.id, context, 'update');
    const codes = await replaceRecoveryCodes(trx, deps.config.secretKey, account.id);
    await recordAudit(trx, { accountId: account.id, type: 'recovery_codes_replaced', context });
    await enqueueSecurityMail(trx, {
      publicUrl: deps.config.publicUrl,
      accountId: account.id,
      key: `recovery-codes-replaced:${account.id}:${Date.now()}`,
      to: account.email,
      language: account.language,
      content: mailsIn(account.language).recoveryCodesReplaced(),
    });
    return codes;
  });
}
