import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { AccountClosureInput } from '../shared/account-closure';
import { ACCOUNT_CLOSURE_STATE, ACCOUNT_ID } from '../shared/temporal';
import { accountClosureWorkflowId } from '../shared/workflow-ids';
import type { accountClosureWorkflow } from '../workflows';

/**
 * Starts the closure flow of an account the API has already closed, with the dates the database
 * holds. Idempotent: a flow already running for the account is joined (USE_EXISTING), so a
 * retried delivery, or one whose answer was lost, starts nothing twice.
 */
export async function startClosureFlow(
  { config, temporal }: { config: Config; temporal: Client },
  closure: { accountId: string; closedAt: number; purgeAt: number },
): Promise<void> {
  const input: AccountClosureInput = {
    accountId: closure.accountId,
    gracePeriodMs: config.durations.closureGracePeriodMs,
    purgeBatchSize: config.purgeBatchSize,
    closedAt: closure.closedAt,
    purgeAt: closure.purgeAt,
  };
  await temporal.workflow.start<typeof accountClosureWorkflow>('accountClosureWorkflow', {
    workflowId: accountClosureWorkflowId(closure.accountId),
    taskQueue: config.temporal.taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: [
      { key: ACCOUNT_ID, value: closure.accountId },
      { key: ACCOUNT_CLOSURE_STATE, value: 'closing' },
    ],
  });
}
