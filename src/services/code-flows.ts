import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { DomainError } from '../domain/errors';
import type { Config } from '../config';
import type { ServiceDeps } from './deps';
import { codeScope, hashCode } from '../domain/codes';
import { PASSWORD_HISTORY_DEPTH } from '../domain/password-policy';
import {
  type CodeFlowInput,
  type ResendResult,
  type SubmitCodeInput,
  resendCodeUpdate,
  type SubmitCodeResult,
  submitCodeUpdate,
} from '../shared/code-flow';
import { ACCOUNT_ID, EMAIL_VERIFICATION_STATE } from '../shared/temporal';
import { type CodePurpose, codeFlowWorkflowId } from '../shared/workflow-ids';
import type { codeVerificationWorkflow } from '../workflows';
import { isTemporalUnavailable } from './temporal-errors';

interface Deps {
  config: Config;
  temporal: Client;
}

/**
 * Starts the code flow for the account and purpose. A flow already running for the same
 * account (an earlier email change, say) is replaced: the newest request is the one that counts.
 */
export async function startCodeFlow(
  { config, temporal }: Deps,
  accountId: string,
  purpose: CodePurpose,
): Promise<void> {
  const input: CodeFlowInput = {
    accountId,
    purpose,
    ttlMs: purpose === 'password_reset' ? config.durations.passwordResetTtlMs : config.durations.emailCodeTtlMs,
    resendCooldownMs: config.durations.emailCodeResendCooldownMs,
  };
  await temporal.workflow.start<typeof codeVerificationWorkflow>('codeVerificationWorkflow', {
    workflowId: codeFlowWorkflowId(accountId, purpose),
    taskQueue: config.temporal.taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'TERMINATE_EXISTING',
    typedSearchAttributes: [
      { key: ACCOUNT_ID, value: accountId },
      { key: EMAIL_VERIFICATION_STATE, value: 'awaiting_code' },
    ],
  });
}

/**
 * Refuses a new code while the last one for this purpose is younger than the re-send cooldown,
 * whatever flow mailed it: restarting a flow (a new email change, a flow locked by wrong codes)
 * never buys an immediate new mail.
 */
export async function assertCodeCooldown(
  deps: Deps & { db: ServiceDeps['db'] },
  accountId: string,
  purpose: CodePurpose,
): Promise<void> {
  const last = await deps.db
    .selectFrom('verification_codes')
    .select('created_at')
    .where('account_id', '=', accountId)
    .where('purpose', '=', purpose)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  const wait = last ? last.created_at.getTime() + deps.config.durations.emailCodeResendCooldownMs - Date.now() : 0;
  if (wait > 0) {
    const seconds = Math.ceil(wait / 1000);
    throw new DomainError('rate_limited', `A new code can be sent in ${seconds} s`, { retryAfterSeconds: seconds });
  }
}

/** Mails a new code for `purpose` (a new flow), once the last code's re-send cooldown has passed. */
export async function mailNewCode(
  deps: Deps & { db: ServiceDeps['db'] },
  accountId: string,
  purpose: CodePurpose,
): Promise<void> {
  await assertCodeCooldown(deps, accountId, purpose);
  await startCodeFlow(deps, accountId, purpose);
}

/**
 * A flow that has ended (or never ran) answers "expired": there is no code left to enter. The
 * client reports an Update to a closed workflow as WorkflowNotFoundError too. An outage is not
 * "gone": it stays an error, and the caller answers 503.
 */
const isFlowGone = (error: unknown) => error instanceof WorkflowNotFoundError;

/** Sends the HMAC of the code (with what it confirms, for a password reset) to the flow and returns its verdict. */
export async function submitCode(
  { config, temporal }: Deps,
  accountId: string,
  purpose: CodePurpose,
  code: string,
  confirms: Omit<SubmitCodeInput, 'codeHash'> = {},
): Promise<SubmitCodeResult> {
  return submitCodeTo({ config, temporal }, codeFlowWorkflowId(accountId, purpose), purpose, code, confirms);
}

/** As submitCode, to the flow of `workflowId`. */
export async function submitCodeTo(
  { config, temporal }: Deps,
  workflowId: string,
  purpose: CodePurpose,
  code: string,
  confirms: Omit<SubmitCodeInput, 'codeHash'> = {},
): Promise<SubmitCodeResult> {
  try {
    return await temporal.workflow.getHandle(workflowId).executeUpdate(submitCodeUpdate, {
      args: [{ codeHash: hashCode(config.secretKey, codeScope(workflowId, purpose), code), ...confirms }],
    });
  } catch (error) {
    if (isFlowGone(error)) return { result: 'expired' };
    throw error;
  }
}

/**
 * As submitCode, for a code whose flow makes a change in the database (an address verified or
 * changed, mail authentication on, a password reset). Should the flow's answer be lost to an
 * outage (the call's deadline passed, perhaps after the flow had acted), `madeChange` looks at
 * the database: when the change is in force, the verdict is `verified`, as a change that was made
 * is never answered with a failure. Otherwise the outage stands (503).
 */
export async function submitCodeForChange(
  deps: Deps,
  accountId: string,
  purpose: CodePurpose,
  code: string,
  madeChange: () => Promise<boolean>,
  confirms: Omit<SubmitCodeInput, 'codeHash'> = {},
): Promise<SubmitCodeResult> {
  try {
    return await submitCode(deps, accountId, purpose, code, confirms);
  } catch (error) {
    if (isTemporalUnavailable(error) && (await madeChange())) return { result: 'verified' };
    throw error;
  }
}

/** Asks the running flow for a new code; `not_running` when there is none to ask. */
export async function resendCode(
  { temporal }: Deps,
  accountId: string,
  purpose: CodePurpose,
): Promise<ResendResult | { result: 'not_running' }> {
  try {
    return await temporal.workflow.getHandle(codeFlowWorkflowId(accountId, purpose)).executeUpdate(resendCodeUpdate);
  } catch (error) {
    if (isFlowGone(error)) return { result: 'not_running' };
    throw error;
  }
}

/** Turns a code flow's verdict into the caller's outcome: nothing when verified, a domain error otherwise. */
export function throwUnlessVerified(verdict: SubmitCodeResult): void {
  switch (verdict.result) {
    case 'verified':
      return;
    case 'invalid':
      throw new DomainError('code_invalid', `The code is not right; ${verdict.triesLeft} tries left`, {
        triesLeft: verdict.triesLeft,
      });
    case 'expired':
      throw new DomainError('code_expired', 'The code has expired or was used up; ask for a new one');
    case 'email_taken':
      throw new DomainError('email_taken');
    case 'two_factor_conflict':
      throw new DomainError('two_factor_conflict');
    case 'password_reused':
      throw new DomainError('validation_failed', 'The new password does not meet the policy', {
        errors: [
          {
            field: 'newPassword',
            code: 'reused',
            message: `must differ from the last ${PASSWORD_HISTORY_DEPTH} passwords`,
          },
        ],
      });
  }
}
