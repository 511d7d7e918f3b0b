import { findAccountByEmail } from '../db/repositories/accounts';
import { recordAudit, type RequestContext } from '../db/repositories/audit';
import {
  deleteLeftoverDecoyPasswordChanges,
  discardPreparedPasswordChange,
  preparePasswordChange,
  settlePreparedPasswordChange,
} from '../db/repositories/password-reset';
import {
  deleteExpiredPasswordResetDecoys,
  issuePasswordResetDecoy,
  passwordResetDecoyKey,
  tryPasswordResetDecoy,
} from '../db/repositories/password-reset-decoys';
import { emailRateLimitKey } from '../domain/rate-limit-keys';
import { isDomainError } from '../domain/errors';
import {
  assertCodeCooldown,
  startCodeFlow,
  submitCode,
  submitCodeForChange,
  submitCodeTo,
  throwUnlessVerified,
} from './code-flows';
import type { ServiceDeps } from './deps';
import { type Poller, startPoller } from '../poller';
import { MAX_CODE_ATTEMPTS } from '../shared/code-flow';
import { passwordResetDecoyWorkflowId } from '../shared/workflow-ids';
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
      ? issuePasswordResetDecoy(deps.db, passwordResetDecoyKey(deps.config.secretKey, email), {
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
    await confirmDecoyReset(deps, input);
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

/**
 * The confirmation for an address without an account, in the shape of a registered address's
 * with an open reset: the password-history read and the same argon2 work, then the flow's Update,
 * sent to a flow that never runs. Temporal's "not found" lets the decoy answer as the flow would
 * (the tries left, or expired); an outage answers 503 as the flow's call would, and counts no try.
 */
async function confirmDecoyReset(deps: ServiceDeps, input: PasswordResetConfirmation): Promise<void> {
  const key = passwordResetDecoyKey(deps.config.secretKey, input.email);
  await isRecentPasswordInConstantWork(deps, undefined, input.newPassword);
  const passwordHash = await deps.passwords.hash(input.newPassword);
  // A prepared change of no account: written and deleted as a registered address's is, never applied.
  const changeId = await preparePasswordChange(deps.db, null, passwordHash);
  let triesLeft: number | undefined;
  try {
    // Nothing runs under this ID: the answer is "not found" (expired), and the decoy has the say.
    await submitCodeTo(deps, passwordResetDecoyWorkflowId(key), 'password_reset', input.code, { changeId });
    triesLeft = await tryPasswordResetDecoy(deps.db, key, MAX_CODE_ATTEMPTS);
  } finally {
    await discardPreparedPasswordChange(deps.db, changeId);
  }
  throwUnlessVerified(triesLeft === undefined ? { result: 'expired' } : { result: 'invalid', triesLeft });
}

// Expired decoys answer nothing: gone within a minute (or one PASSWORD_RESET_TTL, if shorter).
const DECOY_SWEEP_INTERVAL_MS = 60_000;
const DECOY_SWEEP_BATCH = 500;

/**
 * Runs in every worker process: deletes expired decoys, whether or not anyone asks again, and any
 * decoy prepared change a crash left behind.
 */
export function startPasswordResetDecoySweeper(deps: Pick<ServiceDeps, 'config' | 'db' | 'logger'>): Poller {
  return startPoller({
    handleBatch: async () =>
      (await deleteExpiredPasswordResetDecoys(deps.db, DECOY_SWEEP_BATCH)) +
      (await deleteLeftoverDecoyPasswordChanges(deps.db, DECOY_SWEEP_INTERVAL_MS)),
    batchSize: DECOY_SWEEP_BATCH,
    intervalMs: Math.min(DECOY_SWEEP_INTERVAL_MS, deps.config.durations.passwordResetTtlMs),
    onError: (error) =>
      deps.logger.error({ err: { message: (error as Error).message } }, 'password reset decoy sweep failed'),
  });
}
