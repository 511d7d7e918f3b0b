import type { Account } from '../db/database';
import { recordAudit, type RequestContext } from '../db/repositories/audit';
import { DomainError } from '../domain/errors';
import type { ServiceDeps } from './deps';

/**
 * Checks the account's current password where a signed-in merchant confirms an action. A wrong
 * one is a failed login: guessing it here is no cheaper than at the login form. It counts on the
 * session's own budget, not the account's: strangers' failed logins must not keep the signed-in
 * owner from changing the password or closing the account, and one session gets one budget.
 */
export async function verifyCurrentPassword(
  deps: ServiceDeps,
  account: Pick<Account, 'id' | 'email' | 'password_hash'>,
  password: string,
  context: RequestContext,
  action: string,
): Promise<void> {
  const client = context.sessionId === undefined ? undefined : { sessionId: context.sessionId };
  await deps.rateLimits.beginPasswordAttempt(account.email, context.ip, client);
  if (!(await deps.passwords.verify(account.password_hash, password))) {
    await recordAudit(deps.db, { accountId: account.id, type: 'login_failed', context, details: { reason: action } });
    throw new DomainError('invalid_credentials', 'The password is not right');
  }
  await deps.rateLimits.passwordAccepted(account.email, context.ip, client);
}
