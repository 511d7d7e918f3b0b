import { checkPasswordPolicyWithList } from '../domain/common-passwords';
import { DomainError } from '../domain/errors';
import { PASSWORD_HISTORY_DEPTH, type PasswordViolation } from '../domain/password-policy';
import { recordAudit, type RequestContext } from '../db/repositories/audit';
import { enqueueSecurityMail } from '../db/repositories/security-mail';
import { recentPasswordHashes, setPassword } from '../db/repositories/passwords';
import { revokeAccountSessions } from '../db/repositories/sessions';
import { mailsIn } from '../mail/copy';
import type { Auth } from './caller';
import { loadAccount } from './account';
import { verifyCurrentPassword } from './current-password';
import type { ServiceDeps } from './deps';
import { lockForSessionWrite } from './session-writes';
import { deliverCommitted, queueTemporalCommand } from './temporal-outbox';

export interface PasswordChange {
  oldPassword: string;
  newPassword: string;
  newPasswordConfirm: string;
}

// Re-exported for the actions that confirm with the password; it lives apart so that
// account.ts can use it without an import circle (this module needs loadAccount).
export { verifyCurrentPassword };

/** True when `password` is one of the account's last PASSWORD_HISTORY_DEPTH passwords. */
export async function isRecentPassword(deps: ServiceDeps, accountId: string, password: string): Promise<boolean> {
  const hashes = await recentPasswordHashes(deps.db, accountId);
  const verdicts = await Promise.all(hashes.map((hash) => deps.passwords.verify(hash, password)));
  return verdicts.some(Boolean);
}

// The nil UUID: no account has it (ids come from gen_random_uuid()).
const NO_ACCOUNT_ID = '00000000-0000-0000-0000-000000000000';

/**
 * As isRecentPassword, in the same work whatever the history: PASSWORD_HISTORY_DEPTH
 * verifications, those the history lacks spent on nothing, and all of them for an address without
 * an account (`accountId` undefined). For the password reset, where the time must tell neither
 * how long an account's history is nor whether the account exists.
 */
export async function isRecentPasswordInConstantWork(
  deps: ServiceDeps,
  accountId: string | undefined,
  password: string,
): Promise<boolean> {
  // An address without an account reads the history of no account: the same query, the same round trip.
  const hashes = await recentPasswordHashes(deps.db, accountId ?? NO_ACCOUNT_ID);
  const burns = Array.from({ length: PASSWORD_HISTORY_DEPTH - hashes.length }, () =>
    deps.passwords.burnVerification(password).then(() => false),
  );
  const verdicts = await Promise.all([...hashes.map((hash) => deps.passwords.verify(hash, password)), ...burns]);
  return verdicts.some(Boolean);
}

const FIELD_OF: Partial<Record<PasswordViolation['code'], string>> = { mismatch: 'newPasswordConfirm' };

/**
 * Changes the password: the current one must be right, the new one must meet the policy and
 * differ from the last five. Every other session is revoked (a restricted password-change
 * session too), the rotation cycle restarts, and the merchant is told by mail.
 */
export async function changePassword(
  deps: ServiceDeps,
  auth: Auth,
  change: PasswordChange,
  context: RequestContext,
): Promise<void> {
  const account = await loadAccount(deps, auth.accountId);
  await verifyCurrentPassword(deps, account, change.oldPassword, context, 'password_change');

  const violations = checkPasswordPolicyWithList(change.newPassword, change.newPasswordConfirm);
  if (await isRecentPassword(deps, account.id, change.newPassword)) {
    violations.push({ code: 'reused', message: `must differ from the last ${PASSWORD_HISTORY_DEPTH} passwords` });
  }
  if (violations.length > 0) {
    throw new DomainError('validation_failed', 'The new password does not meet the policy', {
      errors: violations.map((violation) => ({ field: FIELD_OF[violation.code] ?? 'newPassword', ...violation })),
    });
  }

  const passwordHash = await deps.passwords.hash(change.newPassword);
  const changedAt = new Date();
  const rotation = await deps.db.transaction().execute(async (trx) => {
    await lockForSessionWrite(trx, account.id, context, 'update');
    // Also ends every open login challenge: a second step begun with the old password is over.
    await setPassword(trx, account.id, passwordHash, changedAt);
    // A restricted session exists only to get here; once used, it goes too.
    await revokeAccountSessions(trx, account.id, auth.scope === 'full' ? auth.sessionId : undefined);
    await recordAudit(trx, { accountId: account.id, type: 'password_changed', context });
    await enqueueSecurityMail(trx, {
      publicUrl: deps.config.publicUrl,
      accountId: account.id,
      key: `password-changed:${account.id}:${changedAt.getTime()}`,
      to: account.email,
      language: account.language,
      content: mailsIn(account.language).passwordChanged(),
    });
    // The rotation cycle restarts from this change, whether or not Temporal answers right now.
    return queueTemporalCommand(trx, deps.config, {
      kind: 'password_changed',
      accountId: account.id,
      changedAt: changedAt.getTime(),
    });
  });
  await deliverCommitted(deps, [rotation]);
}
