import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowUpdateStage } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activities } from '../../src/activities';
import { codeFlowStatusQuery, resendCodeUpdate, submitCodeUpdate } from '../../src/shared/code-flow';
import { emailVerificationWorkflowId } from '../../src/shared/workflow-ids';
import { type CodeFlowHandle, createTimeSkippingEnv, runCodeFlow } from '../helpers/time-skipping';

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

/** A sign-up code flow with a 10-minute TTL. */
const runFlow = (
  activities: Partial<Activities>,
  resendCooldownMs: number,
  body: (handle: CodeFlowHandle) => Promise<void>,
) =>
  runCodeFlow(
    env,
    activities,
    { workflowId: emailVerificationWorkflowId, purpose: 'signup', ttlMs: 10 * 60_000, resendCooldownMs },
    body,
  );

describe('code verification workflow, with time skipping', () => {
  it('when nobody enters the code, then the flow expires exactly at EMAIL_CODE_TTL', async () => {
    const issued: string[] = [];
    await runFlow(fakeActivities(issued), 60_000, async (handle) => {
      await env.sleep('9m');
      expect((await handle.query(codeFlowStatusQuery)).state).toBe('awaiting_code');
      await env.sleep('2m');
      expect(await handle.result()).toBe('expired');
    });
    expect(issued).toHaveLength(1);
  });

  // The code's mail is queued in the issuing activity's transaction, so it can reach the merchant
  // before the workflow has the activity's result. The activity here holds its result until the
  // test has submitted the code it "mailed".
  function heldIssues() {
    const hashes = ['a'.repeat(64), 'b'.repeat(64)];
    const waiting: Array<() => void> = [];
    let issued = 0;
    const activities: Partial<Activities> = {
      async issueVerificationCode() {
        const codeHash = hashes[issued++]!;
        await new Promise<void>((release) => waiting.push(release));
        return { codeHash, codeId: `code-${issued}` };
      },
      async completeVerification() {
        return 'verified';
      },
    };
    return {
      activities,
      mailed: (count: number) => issued >= count && waiting.length > 0,
      release: () => waiting.shift()!(),
    };
  }

  async function untilTrue(check: () => boolean) {
    while (!check()) await new Promise((resolve) => setImmediate(resolve));
  }

  it('when the mailed code is entered before the flow has the issuing result, then it is verified, not "expired"', async () => {
    const held = heldIssues();
    await runFlow(held.activities, 0, async (handle) => {
      await untilTrue(() => held.mailed(1));
      // Accepted: the workflow has the submission in its handler before the issuing result lands.
      const submitted = await handle.startUpdate(submitCodeUpdate, {
        args: [{ codeHash: 'a'.repeat(64) }],
        waitForStage: WorkflowUpdateStage.ACCEPTED,
      });
      held.release();
      expect(await submitted.result()).toEqual({ result: 'verified' });
    });
  });

  it('when a re-sent code is entered before the flow has its hash, then it is verified, not "invalid"', async () => {
    const held = heldIssues();
    await runFlow(held.activities, 0, async (handle) => {
      await untilTrue(() => held.mailed(1));
      held.release();
      const resent = handle.executeUpdate(resendCodeUpdate);
      await untilTrue(() => held.mailed(2));
      const submitted = await handle.startUpdate(submitCodeUpdate, {
        args: [{ codeHash: 'b'.repeat(64) }],
        waitForStage: WorkflowUpdateStage.ACCEPTED,
      });
      held.release();
      expect(await resent).toMatchObject({ result: 'sent' });
      expect(await submitted.result()).toEqual({ result: 'verified' });
    });
  });
});
