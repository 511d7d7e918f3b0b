import type { Account } from '../db/database';
import { recordAudit, type RequestContext } from '../db/repositories/audit';
import { claimTotpStep, findUnusedRecoveryCode, useRecoveryCode } from '../db/repositories/two-factor';
import { DomainError } from '../domain/errors';
import { normalizeRecoveryCode } from '../domain/recovery-codes';
import { deriveKey, open } from '../domain/secret-box';
import { matchTotp } from '../domain/totp';
import type { CodePurpose } from '../shared/workflow-ids';
import { submitCode, throwUnlessVerified } from './code-flows';
import type { ServiceDeps } from './deps';

// The second factor, checked the same way wherever it is asked for (turning 2FA off, closing the
// account, the second step of a login), like better-auth's verify-two-factor module. This module
// imports no feature that uses it, so the features never import each other.

/** The key TOTP secrets are sealed with at rest. */
export const totpKey = (deps: Pick<ServiceDeps, 'config'>) => deriveKey(deps.config.secretKey, 'totp-secret');

const MAILED_CODE = /^\d{6}$/;

/**
 * Which kind of code this is: with mail authentication on, six digits are the code just mailed
 * (checked by its flow); anything else is a stored factor (a TOTP, or a recovery code, checked
 * against the database). The one place that decides it.
 */
export function factorKind(method: Account['two_factor_method'], code: string): 'mailed' | 'stored' {
  return method === 'email' && MAILED_CODE.test(code) ? 'mailed' : 'stored';
}

export interface CheckedFactor {
  valid: boolean;
  /** Makes the acceptance final (claims the TOTP step, uses the recovery code); false if another request won. */
  commit(): Promise<boolean>;
  usedRecoveryCode: boolean;
}

/** Checks a TOTP or recovery code against the database, without using it yet. */
export async function checkStoredFactor(deps: ServiceDeps, account: Account, code: string): Promise<CheckedFactor> {
  const recovery = normalizeRecoveryCode(code);
  if (recovery !== undefined) {
    const id = await findUnusedRecoveryCode(deps.db, deps.config.secretKey, account.id, recovery);
    return {
      valid: id !== undefined,
      usedRecoveryCode: true,
      commit: async () => id !== undefined && useRecoveryCode(deps.db, id),
    };
  }
  if (account.two_factor_method === 'totp') {
    const credential = await deps.db
      .selectFrom('totp_credentials')
      .selectAll()
      .where('account_id', '=', account.id)
      .executeTakeFirst();
    const afterStep = credential?.last_used_step ? Number(credential.last_used_step) : undefined;
    const step = credential?.confirmed_at
      ? matchTotp(open(totpKey(deps), credential.secret_encrypted), code, { afterStep })
      : undefined;
    return {
      valid: step !== undefined,
      usedRecoveryCode: false,
      commit: async () => step !== undefined && claimTotpStep(deps.db, account.id, step),
    };
  }
  return { valid: false, usedRecoveryCode: false, commit: async () => false };
}

/** Records the outcome of a stored factor's use in the audit trail. */
export async function auditStoredFactor(
  deps: ServiceDeps,
  accountId: string,
  factor: CheckedFactor,
  accepted: boolean,
  context: RequestContext,
): Promise<void> {
  if (accepted && factor.usedRecoveryCode)
    await recordAudit(deps.db, { accountId, type: 'recovery_code_used', context });
  if (!accepted) await recordAudit(deps.db, { accountId, type: 'two_factor_failed', context });
}

/**
 * Checks the second factor of a signed-in merchant confirming an action (turning 2FA off,
 * closing the account): the code mailed for `purpose`, or a current TOTP or recovery code, used
 * once. Throws code_invalid (with tries left for a mailed code) or code_expired.
 */
export async function verifySecondFactor(
  deps: ServiceDeps,
  account: Account,
  code: string,
  purpose: CodePurpose,
  context: RequestContext,
): Promise<void> {
  if (factorKind(account.two_factor_method, code) === 'mailed') {
    throwUnlessVerified(await submitCode(deps, account.id, purpose, code));
    return;
  }
  const factor = await checkStoredFactor(deps, account, code);
  const accepted = factor.valid && (await factor.commit());
  await auditStoredFactor(deps, account.id, factor, accepted, context);
  if (!accepted) throw new DomainError('code_invalid');
}
