import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activities } from '../../src/activities';
import { codeFlowStatusQuery, submitCodeUpdate } from '../../src/shared/code-flow';
import { passwordResetWorkflowId } from '../../src/shared/workflow-ids';
import { type CodeFlowHandle, createTimeSkippingEnv, runCodeFlow } from '../helpers/time-skipping';
import { randomUUID } from 'node:crypto';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
});
afterAll(() => env?.teardown());

const RIGHT = 'a'.repeat(64);
const WRONG = 'b'.repeat(64);
const FIFTEEN_MINUTES = 15 * 60_000;

// The activities are the edge: what the flow hands them and when is what these tests are about.
async function withResetFlow(test: (handle: CodeFlowHandle, completed: unknown[]) => Promise<void>) {
  const completed: unknown[] = [];
  const activities: Partial<Activities> = {
    async issueVerificationCode() {
      return { codeHash: RIGHT, codeId: 'code-1' };
    },
    async completeVerification(input) {
      completed.push(input);
      return 'verified';
    },
  };
  const flow = {
    workflowId: passwordResetWorkflowId,
    purpose: 'password_reset',
    ttlMs: FIFTEEN_MINUTES,
    resendCooldownMs: 60_000,
  } as const;
  await runCodeFlow(env, activities, flow, (handle) => test(handle, completed));
}

describe('password reset flow, with time skipping', () => {
  it('when the right code comes with a refusal, then it is answered without being used or counted, and a later submission applies the prepared change', async () => {
    await withResetFlow(async (handle, completed) => {
      expect(await handle.executeUpdate(submitCodeUpdate, { args: [{ codeHash: WRONG }] })).toEqual({
        result: 'invalid',
        triesLeft: 4,
      });
      expect(
        await handle.executeUpdate(submitCodeUpdate, { args: [{ codeHash: RIGHT, refusal: 'password_reused' }] }),
      ).toEqual({ result: 'password_reused' });
      expect(await handle.query(codeFlowStatusQuery)).toMatchObject({ state: 'awaiting_code', attempts: 1 });
      expect(completed).toEqual([]);
      const changeId = randomUUID();
      expect(await handle.executeUpdate(submitCodeUpdate, { args: [{ codeHash: RIGHT, changeId }] })).toEqual({
        result: 'verified',
      });
      expect(completed).toEqual([expect.objectContaining({ purpose: 'password_reset', codeId: 'code-1', changeId })]);
      expect(await handle.result()).toBe('verified');
    });
  });

  it('when nobody enters the code, then the flow expires at PASSWORD_RESET_TTL', async () => {
    await withResetFlow(async (handle) => {
      await env.sleep('14m');
      expect((await handle.query(codeFlowStatusQuery)).state).toBe('awaiting_code');
      await env.sleep('2m');
      expect(await handle.result()).toBe('expired');
    });
  });

  it('when a changeId is not a UUID, then the Update is rejected before it reaches the flow', async () => {
    await withResetFlow(async (handle, completed) => {
      await expect(
        handle.executeUpdate(submitCodeUpdate, { args: [{ codeHash: RIGHT, changeId: 'drop table' }] }),
      ).rejects.toThrow();
      expect(completed).toEqual([]);
      expect((await handle.query(codeFlowStatusQuery)).state).toBe('awaiting_code');
    });
  });
});
