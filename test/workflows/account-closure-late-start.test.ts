import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activities } from '../../src/activities';
import { accountClosureStatusQuery } from '../../src/shared/account-closure';
import { ACCOUNT_ID } from '../../src/shared/temporal';
import { accountClosureWorkflowId } from '../../src/shared/workflow-ids';
import { accountClosureWorkflow } from '../../src/workflows';
import { createTimeSkippingEnv, fakeActivitiesWorker } from '../helpers/time-skipping';
import { until } from '../helpers/wait';

// The API closes the account and fixes its purge date before the flow starts (the start goes
// through the Temporal outbox and may come late, after an outage). The flow keeps those dates.

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
});
afterAll(() => env?.teardown());

const DAY = 86_400_000;
const GRACE = 30 * DAY;

/** The edge, recorded: which steps ran and what the account looks like to the flow. */
function edge(account: { closedPurgeAt: number | undefined }) {
  const calls: string[] = [];
  const activities: Partial<Activities> = {
    async deactivateIntegrations() {
      calls.push('deactivateIntegrations');
      return 0;
    },
    async closeAccount({ alreadyClosed }) {
      calls.push(alreadyClosed ? 'closeAccount(read)' : 'closeAccount');
      return account.closedPurgeAt;
    },
    async purgeAccountRows() {
      calls.push('purgeAccountRows');
      return 0;
    },
    async deleteAccount() {
      calls.push('deleteAccount');
    },
  };
  return { calls, activities };
}

async function startClosure(taskQueue: string, accountId: string, dates: { closedAt: number; purgeAt: number }) {
  return env.client.workflow.start(accountClosureWorkflow, {
    workflowId: accountClosureWorkflowId(accountId),
    taskQueue,
    args: [{ accountId, gracePeriodMs: GRACE, purgeBatchSize: 100, ...dates }],
    typedSearchAttributes: [{ key: ACCOUNT_ID, value: accountId }],
  });
}

describe('account closure flow started after the API closed the account', () => {
  it('when the flow starts ten days after the closure, then it purges on the purge date the API fixed, not thirty days after its own start', async () => {
    const closedAt = (await env.currentTimeMs()) - 10 * DAY;
    const purgeAt = closedAt + GRACE;
    const { calls, activities } = edge({ closedPurgeAt: purgeAt });
    const { worker, taskQueue } = await fakeActivitiesWorker(env, activities);
    await worker.runUntil(async () => {
      const handle = await startClosure(taskQueue, randomUUID(), { closedAt, purgeAt });
      const status = await handle.query(accountClosureStatusQuery);
      expect(status).toMatchObject({ closedAt, purgeAt });
      await until(async () => calls.length > 0);
      await env.sleep(20 * DAY - 60_000);
      expect(calls).toEqual(['closeAccount(read)']);
      await env.sleep(2 * 60_000);
      // (The last step, cancelling the rotation flow, never settles on the time-skipping server
      // when there is none: the purge's own steps are what this test is about.)
      await until(async () => calls.includes('deleteAccount'));
    });
    // Only read back: the API's transaction turned the integrations off and closed the account.
    expect(calls).toEqual([
      'closeAccount(read)',
      'purgeAccountRows',
      'purgeAccountRows',
      'purgeAccountRows',
      'deleteAccount',
    ]);
  });

  it('when the account is no longer closed when the flow starts (a login undid the closure), then it ends as reactivated and touches nothing', async () => {
    const closedAt = await env.currentTimeMs();
    const { calls, activities } = edge({ closedPurgeAt: undefined });
    const { worker, taskQueue } = await fakeActivitiesWorker(env, activities);
    await worker.runUntil(async () => {
      const handle = await startClosure(taskQueue, randomUUID(), { closedAt, purgeAt: closedAt + GRACE });
      expect(await handle.result()).toBe('reactivated');
    });
    expect(calls).toEqual(['closeAccount(read)']);
  });
});
