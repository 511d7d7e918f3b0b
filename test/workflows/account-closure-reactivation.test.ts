import { randomUUID } from 'node:crypto';
import { WorkflowUpdateStage } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activities } from '../../src/activities';
import { reactivateUpdate } from '../../src/shared/account-closure';
import { ACCOUNT_ID } from '../../src/shared/temporal';
import { accountClosureWorkflowId } from '../../src/shared/workflow-ids';
import { accountClosureWorkflow } from '../../src/workflows';
import { createTimeSkippingEnv, fakeActivitiesWorker } from '../helpers/time-skipping';
import { until } from '../helpers/wait';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
});
afterAll(() => env?.teardown());

const DAY = 86_400_000;

describe('account closure flow: logins racing in the grace period', () => {
  it('when a second login asks to reactivate while the first one’s reactivation is still running, then it joins it: both answer reactivated, and the account is reactivated once', async () => {
    // The activities are the edge: the reactivation holds until the test lets it commit.
    const reactivations: Array<() => void> = [];
    const activities: Partial<Activities> = {
      async deactivateIntegrations() {
        return 0;
      },
      async closeAccount({ purgeAt }) {
        return purgeAt;
      },
      async reactivateAccount() {
        await new Promise<void>((release) => reactivations.push(release));
      },
    };
    const { worker, taskQueue } = await fakeActivitiesWorker(env, activities);
    const accountId = randomUUID();
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(accountClosureWorkflow, {
        workflowId: accountClosureWorkflowId(accountId),
        taskQueue,
        args: [{ accountId, gracePeriodMs: 30 * DAY, purgeBatchSize: 100 }],
        typedSearchAttributes: [{ key: ACCOUNT_ID, value: accountId }],
      });
      const first = await handle.startUpdate(reactivateUpdate, { waitForStage: WorkflowUpdateStage.ACCEPTED });
      await until(async () => reactivations.length === 1);

      // The first login's reactivation has not committed: the account is still closed.
      const second = await handle.startUpdate(reactivateUpdate, { waitForStage: WorkflowUpdateStage.ACCEPTED });
      reactivations[0]!();
      expect(await first.result()).toEqual({ reactivated: true });
      expect(await second.result()).toEqual({ reactivated: true });
      expect(await handle.result()).toBe('reactivated');
    });
    expect(reactivations).toHaveLength(1);
  });
});
