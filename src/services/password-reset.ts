import { findAccountByEmail, normalizeEmail } from '../db/repositories/accounts';
import { recordAudit, type RequestContext } from '../db/repositories/audit';
import {
  discardPreparedPasswordChange,
  preparePasswordChange,
  settlePreparedPasswordChange,
} from '../db/repositories/password-reset';
import { issuePasswordResetDecoy, tryPasswordResetDecoy } from '../db/repositories/password-reset-decoys';
import { hashCode } from '../domain/codes';
import { emailRateLimitKey } from '../domain/rate-limit-keys';
import { isDomainError } from '../domain/errors';
import { assertCodeCooldown, startCodeFlow, submitCode, submitCodeForChange, throwUnlessVerified } from './code-flows';
import type { ServiceDeps } from './deps';
import { MAX_CODE_ATTEMPTS } from '../shared/code-flow';
import { isRecentPasswordInConstantWork } from './password';

export interface PasswordResetConfirmation {
  email: string;
  code: string;
  newPassword: string;
}

/**
 * The address's own rate-limit key, known or not, so the limit itself reveals nothing; the
 * shared code-entry limits count requests and confirmations alike. Never the email in clear.
 */
async function countResetAttempt(deps: ServiceDeps, email: string, context: RequestContext): Promise<void> {
  await deps.rateLimits.consumeCodeAttempt(`password-reset:${emailRateLimitKey(email)}`, context.ip);
}

/**
 * "Forgot password": mails a code to the account's address. The answer is the same, in the same
 * time, whether or not the address is registered: the flow (or, for an address without an
 * account, the decoy that confirming then meets) starts after the answer is decided, and a
 * request inside the re-send cooldown is dropped silently rather than refused.
 */
export async function requestPasswordReset(deps: ServiceDeps, email: string, context: RequestContext): Promise<void> {
  await countResetAttempt(deps, email, context);
  const account = await findAccountByEmail(deps.db, email);
  const started =
    account === undefined
      ? issuePasswordResetDecoy(deps.db, decoyKey(deps, email), {
          ttlMs: deps.config.durations.passwordResetTtlMs,
          cooldownMs: deps.config.durations.emailCodeResendCooldownMs,
        })
      : startResetFlow(deps, account.id, context);
  void started.catch((error: unknown) =>
    deps.logger.error(
      { err: { message: (error as Error).message }, ...(account && { accountId: account.id }) },
      'could not start the password reset',
    ),
  );
}

/** The decoy's key: an HMAC of the address under the server's key, so the table never names anyone. */
function decoyKey(deps: ServiceDeps, email: string): string {
  return hashCode(deps.config.secretKey, 'password-reset-decoy', normalizeEmail(email));
}

async function startResetFlow(deps: ServiceDeps, accountId: string, context: RequestContext): Promise<void> {
  try {
    await assertCodeCooldown(deps, accountId, 'password_reset');
  } catch (error) {
    if (isDomainError(error, 'rate_limited')) return;
    throw error;
  }
  await recordAudit(deps.db, { accountId, type: 'password_reset_requested', context });
  await startCodeFlow(deps, accountId, 'password_reset');
}

/**
 * Sets a new password with the mailed code (the policy was checked at the edge). A password
 * among the last five is refused only once the code is known to be right, so the history is
 * no oracle for someone without the code; the code then stays open for a better choice.
 * Otherwise the new hash is prepared in the database and the flow's activity applies it with
 * the code, in one transaction: every session revoked, the owner told. Two-factor is untouched.
 */
export async function confirmPasswordReset(
  deps: ServiceDeps,
  input: PasswordResetConfirmation,
  context: RequestContext,
): Promise<void> {
  await countResetAttempt(deps, input.email, context);
  const account = await findAccountByEmail(deps.db, input.email);
  if (account === undefined) {
    // The work a registered address does before its flow answers (a check against the password
    // history, then the new hash), and the answer its open reset would give a wrong code.
    await isRecentPasswordInConstantWork(deps, undefined, input.newPassword);
    await deps.passwords.hash(input.newPassword);
    const triesLeft = await tryPasswordResetDecoy(deps.db, decoyKey(deps, input.email), MAX_CODE_ATTEMPTS);
    throwUnlessVerified(triesLeft === undefined ? { result: 'expired' } : { result: 'invalid', triesLeft });
    return;
  }
  if (await isRecentPasswordInConstantWork(deps, account.id, input.newPassword)) {
    throwUnlessVerified(
      await submitCode(deps, account.id, 'password_reset', input.code, { refusal: 'password_reused' }),
    );
    return;
  }
  const passwordHash = await deps.passwords.hash(input.newPassword);
  const changeId = await preparePasswordChange(deps.db, account.id, passwordHash);
  try {
    throwUnlessVerified(
      await submitCodeForChange(
        deps,
        account.id,
        'password_reset',
        input.code,
        () => settlePreparedPasswordChange(deps.db, { accountId: account.id, changeId, passwordHash }),
        { changeId },
      ),
    );
  } finally {
    // Applied rows are gone already; a refused one must not linger.
    await discardPreparedPasswordChange(deps.db, changeId);
  }
  // The rotation cycle restarts through the outbox row the reset committed (applyPasswordReset).
}
