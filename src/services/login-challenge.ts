import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Account } from '../db/database';
import { recordAudit, type RequestContext } from '../db/repositories/audit';
import { codeScope, hashCode } from '../domain/codes';
import { DomainError } from '../domain/errors';
import {
  type LoginChallengeInput,
  loginChallengeStatusQuery,
  type LoginChallengeStatus,
  type LoginFactor,
  type LoginFactorResult,
  submitLoginFactorUpdate,
} from '../shared/login-challenge';
import { ACCOUNT_ID, LOGIN_CHALLENGE_STATE } from '../shared/temporal';
import { loginChallengeWorkflowId } from '../shared/workflow-ids';
import type { loginChallengeWorkflow } from '../workflows';
import { loadAccount } from './account';
import type { ServiceDeps } from './deps';
import { completeLogin, type LoginOutcome, type LoginResult } from './login-session';
import { auditStoredFactor, checkStoredFactor, factorKind } from './second-factor';

const signInAgain = () => new DomainError('code_expired', 'The sign-in has expired or was completed; sign in again');

/** The second step of a login: a challenge flow that lives LOGIN_CHALLENGE_TTL (and mails the code, for mail authentication). */
export async function beginLoginChallenge(deps: ServiceDeps, account: Account): Promise<LoginResult> {
  const method = account.two_factor_method!;
  const challengeId = randomUUID();
  const input: LoginChallengeInput = {
    challengeId,
    accountId: account.id,
    method,
    ttlMs: deps.config.durations.loginChallengeTtlMs,
    issuedAt: Date.now(),
    // The password as checked: not a secret (GET /v1/account shows it), and exact where
    // issuedAt is not (a change committed while this login read the old password).
    passwordChangedAt: account.password_changed_at.getTime(),
  };
  await deps.temporal.workflow.start<typeof loginChallengeWorkflow>('loginChallengeWorkflow', {
    workflowId: loginChallengeWorkflowId(challengeId),
    taskQueue: deps.config.temporal.taskQueue,
    args: [input],
    typedSearchAttributes: [
      { key: ACCOUNT_ID, value: account.id },
      { key: LOGIN_CHALLENGE_STATE, value: 'pending' },
    ],
  });
  return { status: 'mfa_required', challengeId, method };
}

/** The challenge as its flow tells it; undefined when there is no such flow (never started, or gone). */
async function challengeStatus(deps: ServiceDeps, challengeId: string): Promise<LoginChallengeStatus | undefined> {
  try {
    return await deps.temporal.workflow
      .getHandle(loginChallengeWorkflowId(challengeId))
      .query(loginChallengeStatusQuery);
  } catch (error) {
    // Only "no such workflow" means the sign-in is over; an outage stays an outage (503).
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}

async function submitFactor(deps: ServiceDeps, challengeId: string, factor: LoginFactor): Promise<LoginFactorResult> {
  try {
    return await deps.temporal.workflow
      .getHandle(loginChallengeWorkflowId(challengeId))
      .executeUpdate(submitLoginFactorUpdate, { args: [factor] });
  } catch (error) {
    // The flow ended between the status read and this Update (expired, or passed by a twin request).
    if (error instanceof WorkflowNotFoundError) return { result: 'expired' };
    throw error;
  }
}

/**
 * A password change (or reset) since the challenge began ends it: the first step was passed with
 * a password that no longer holds. Told by the password the first step checked; challenges begun
 * before the challenge named it count from when they were issued (or from their expiry back).
 */
function assertNotEnded(
  deps: ServiceDeps,
  account: Pick<Account, 'password_changed_at' | 'login_challenges_valid_after'>,
  status: LoginChallengeStatus,
): void {
  if (status.passwordChangedAt !== undefined) {
    if (account.password_changed_at.getTime() !== status.passwordChangedAt)
      throw new DomainError('login_challenge_revoked');
    return;
  }
  const validAfter = account.login_challenges_valid_after?.getTime();
  const issuedAt = status.issuedAt ?? status.expiresAt - deps.config.durations.loginChallengeTtlMs;
  if (validAfter !== undefined && issuedAt <= validAfter) throw new DomainError('login_challenge_revoked');
}

/** Completes a login with the challenge's code (TOTP, mailed, or recovery), then issues the session. */
export async function verifyLoginChallenge(
  deps: ServiceDeps,
  challengeId: string,
  code: string,
  context: RequestContext,
): Promise<LoginOutcome> {
  const status = await challengeStatus(deps, challengeId);
  if (!status || status.state !== 'pending') throw signInAgain();
  await deps.rateLimits.consumeCodeAttempt(status.accountId, context.ip);
  const account = await loadAccount(deps, status.accountId);
  assertNotEnded(deps, account, status);

  const mailed = factorKind(status.method, code) === 'mailed';
  const stored = mailed ? undefined : await checkStoredFactor(deps, account, code);
  const workflowId = loginChallengeWorkflowId(challengeId);
  const factor: LoginFactor = stored
    ? { kind: 'checked', valid: stored.valid }
    : { kind: 'mailed_code', codeHash: hashCode(deps.config.secretKey, codeScope(workflowId, 'login'), code) };
  const verdict = await submitFactor(deps, challengeId, factor);

  if (verdict.result === 'invalid') {
    await recordAudit(deps.db, {
      accountId: account.id,
      type: 'two_factor_failed',
      context,
      details: { triesLeft: verdict.triesLeft },
    });
    throw new DomainError('code_invalid', `The code is not right; ${verdict.triesLeft} tries left`, {
      triesLeft: verdict.triesLeft,
    });
  }
  if (verdict.result === 'expired') throw signInAgain();
  // Passed: make the code's use final. A replay that raced us loses here.
  if (stored && !(await stored.commit())) throw new DomainError('code_invalid', 'This code was already used');
  if (stored) await auditStoredFactor(deps, account.id, stored, true, context);
  // Read again, and checked once more under the account's lock as the session is written: a
  // password change committed at any point before that ends the challenge too.
  const current = await loadAccount(deps, account.id);
  return completeLogin(deps, current, context, (locked) => assertNotEnded(deps, locked, status));
}
