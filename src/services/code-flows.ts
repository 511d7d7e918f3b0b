import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { ProblemError } from '../api/errors';
import type { Config } from '../config';
import type { ServiceDeps } from './deps';
import { codeScope, hashCode } from '../domain/codes';
import {
  type CodeFlowInput,
  type ResendResult,
  resendCodeUpdate,
  type SubmitCodeResult,
  submitCodeUpdate,
} from '../shared/code-flow';
import { ACCOUNT_ID, EMAIL_VERIFICATION_STATE } from '../shared/temporal';
import { type CodePurpose, codeFlowWorkflowId } from '../shared/workflow-ids';
import type { codeVerificationWorkflow } from '../workflows';

interface Deps {
  config: Config;
  temporal: Client;
}

/**
 * Starts the code flow for the account and purpose. A flow already running for the same
 * account (an earlier email change, say) is replaced: the newest request is the one that counts.
 */
export async function startCodeFlow({ config, temporal }: Deps, accountId: string, purpose: CodePurpose): Promise<void> {
  const input: CodeFlowInput = {
    accountId,
    purpose,
    ttlMs: config.durations.emailCodeTtlMs,
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
export async function assertCodeCooldown(deps: Deps & { db: ServiceDeps['db'] }, accountId: string, purpose: CodePurpose): Promise<void> {
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
    throw new ProblemError('rate_limited', `A new code can be sent in ${seconds} s`, { retryAfterSeconds: seconds });
  }
}

/** A flow that has ended (or never ran) answers "expired": there is no code left to enter. */
function isFlowGone(error: unknown): boolean {
  if (error instanceof WorkflowNotFoundError) return true;
  // Updating a closed workflow: the server answers NOT_FOUND "workflow execution already completed".
  const message = error instanceof Error ? `${error.message} ${String((error.cause as Error | undefined)?.message ?? '')}` : '';
  return /already completed|not found/i.test(message);
}

/** Sends the HMAC of the code to the flow and returns its verdict. */
export async function submitCode({ config, temporal }: Deps, accountId: string, purpose: CodePurpose, code: string): Promise<SubmitCodeResult> {
  const workflowId = codeFlowWorkflowId(accountId, purpose);
  try {
    return await temporal.workflow
      .getHandle(workflowId)
      .executeUpdate(submitCodeUpdate, { args: [{ codeHash: hashCode(config.secretKey, codeScope(workflowId, purpose), code) }] });
  } catch (error) {
    if (isFlowGone(error)) return { result: 'expired' };
    throw error;
  }
}

/** Asks the running flow for a new code; `not_running` when there is none to ask. */
export async function resendCode({ temporal }: Deps, accountId: string, purpose: CodePurpose): Promise<ResendResult | { result: 'not_running' }> {
  try {
    return await temporal.workflow.getHandle(codeFlowWorkflowId(accountId, purpose)).executeUpdate(resendCodeUpdate);
  } catch (error) {
    if (isFlowGone(error)) return { result: 'not_running' };
    throw error;
  }
}
