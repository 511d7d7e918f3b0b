import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Activities } from '../../src/activities';
import { codeFlowStatusQuery } from '../../src/shared/code-flow';
import { ACCOUNT_ID } from '../../src/shared/temporal';
import { emailVerificationWorkflowId } from '../../src/shared/workflow-ids';
import { dataConverterFor } from '../../src/temporal/codec';
import { codeVerificationWorkflow } from '../../src/workflows';
import { testConfig } from '../helpers/config';
import { createTimeSkippingEnv } from '../helpers/time-skipping';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
});
afterAll(() => env?.teardown());

// The activities are the edge here: the workflow's own timing is what these tests are about.
function fakeActivities(issued: string[]): Partial<Activities> {
  return {
    async issueVerificationCode() {
      issued.push('issued');
      return { codeHash: 'a'.repeat(64), codeId: 'code-1' };
    },
    async completeVerification() {
      return 'verified';
    },
  };
}

describe('code verification workflow, with time skipping', () => {
  it('when nobody enters the code, then the flow expires exactly at EMAIL_CODE_TTL', async () => {
    const taskQueue = `tq-${randomUUID()}`;
    const issued: string[] = [];
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: { codePath: inject('workflowBundlePath') },
      activities: fakeActivities(issued),
      dataConverter: dataConverterFor(testConfig()),
    });
    const accountId = randomUUID();
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(codeVerificationWorkflow, {
        workflowId: emailVerificationWorkflowId(accountId),
        taskQueue,
        args: [{ accountId, purpose: 'signup', ttlMs: 10 * 60_000, resendCooldownMs: 60_000 }],
        typedSearchAttributes: [{ key: ACCOUNT_ID, value: accountId }],
      });
      await env.sleep('9m');
      expect((await handle.query(codeFlowStatusQuery)).state).toBe('awaiting_code');
      await env.sleep('2m');
      expect(await handle.result()).toBe('expired');
    });
    expect(issued).toHaveLength(1);
  });
});
