import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { grantRole } from '../../src/db/repositories/accounts';
import { seedDemoData } from '../../src/db/repositories/demo-data';
import { startClosureFlow } from '../../src/services/closure-flow';
import { accountClosureStatusQuery } from '../../src/shared/account-closure';
import {
  accountClosureWorkflowId,
  emailVerificationWorkflowId,
  loginChallengeWorkflowId,
  mailAuthenticationWorkflowId,
  passwordRotationWorkflowId,
} from '../../src/shared/workflow-ids';
import { HISTORY_CODEC_ENV, saveHistory } from '../helpers/histories';
import { codeIn, type Merchant, nextCodeMail, signUp } from '../helpers/merchant';
import type { TestStack } from '../helpers/stack';
import { startTimeSkippingStack, stopTimeSkippingStack } from '../helpers/time-skipping';
import { until } from '../helpers/wait';

// `npm run record-histories`: runs every flow for real (API, worker, PostgreSQL, SMTP) on the
// time-skipping server, stops each at a point worth replaying, and writes its history to
// test/fixtures/histories/. Commit the files: `test/workflows/replay.test.ts` replays them
// against the workflow code of every later commit. Re-record only to add points, never to make
// a changed workflow pass (that would hide the very break the replay exists to catch).

const DAY = 86_400_000;
const MINUTE = 60_000;

let env: TestWorkflowEnvironment;
let stack: TestStack;
beforeEach(async () => {
  ({ env, stack } = await startTimeSkippingStack({ env: HISTORY_CODEC_ENV }));
});
afterEach(() => stopTimeSkippingStack({ env, stack }));

const handle = (workflowId: string, runId?: string) => env.client.workflow.getHandle(workflowId, runId);

type EventFilter = (events: NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>) => boolean;

/** Waits until the workflow is idle (no task or activity outstanding) and its history satisfies `ready`. */
async function settled(workflow: WorkflowHandle, ready: EventFilter = () => true): Promise<void> {
  await until(async () => {
    const events = (await workflow.fetchHistory()).events ?? [];
    const count = (kind: keyof (typeof events)[number]) => events.filter((event) => event[kind] != null).length;
    const lastTaskEvent = events.findLast(
      (event) =>
        event.workflowTaskScheduledEventAttributes ||
        event.workflowTaskStartedEventAttributes ||
        event.workflowTaskCompletedEventAttributes,
    );
    const idle =
      lastTaskEvent?.workflowTaskCompletedEventAttributes != null &&
      count('activityTaskScheduledEventAttributes') === count('activityTaskCompletedEventAttributes');
    return idle && ready(events);
  });
}

const completedActivities =
  (count: number): EventFilter =>
  (events) =>
    events.filter((event) => event.activityTaskCompletedEventAttributes).length >= count;

function wrongCodeFor(code: string): string {
  return code === '000000' ? '111111' : '000000';
}

async function closeAccount(merchant: Merchant): Promise<WorkflowHandle> {
  const closed = await stack.http.post(
    '/v1/account/closure',
    { password: merchant.password, acknowledgeWarnings: true, deleteAllData: true },
    merchant.token,
  );
  expect(closed.status).toBe(202);
  return handle(accountClosureWorkflowId(merchant.accountId));
}

async function enableMailAuthentication(merchant: Merchant): Promise<void> {
  expect((await stack.http.post('/v1/account/2fa/email', {}, merchant.token)).status).toBe(202);
  const code = codeIn(await nextCodeMail(stack, merchant.email, 1));
  expect((await stack.http.post('/v1/account/2fa/email/confirm', { code }, merchant.token)).status).toBe(200);
}

describe('recording workflow histories', () => {
  it('account closure: held past the grace period', async () => {
    const agent = await signUp(stack);
    await grantRole(stack.database.db, agent.accountId, 'support');
    const merchant = await signUp(stack);
    const closure = await closeAccount(merchant);
    await env.sleep(10 * DAY);
    expect(
      (
        await stack.http.post(
          `/v1/support/accounts/${merchant.accountId}/recovery-hold`,
          { reason: 'records' },
          agent.token,
        )
      ).status,
    ).toBe(201);
    await env.sleep(29 * DAY);
    await settled(closure);
    await saveHistory(closure, 'account-closure--held');
  });

  it('account closure: reactivated by a login on day 29', async () => {
    const merchant = await signUp(stack);
    const closure = await closeAccount(merchant);
    await env.sleep(29 * DAY);
    expect(
      (await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password })).body
        .reactivated,
    ).toBe(true);
    expect(await closure.result()).toBe('reactivated');
    await saveHistory(closure, 'account-closure--reactivated');
  });

  it('account closure: purged after a hold was placed and released', async () => {
    const agent = await signUp(stack);
    await grantRole(stack.database.db, agent.accountId, 'support');
    const merchant = await signUp(stack);
    await seedDemoData(stack.database.db, merchant.accountId, { integrations: 2, products: 5, orders: 3 });
    const closure = await closeAccount(merchant);
    await env.sleep(5 * DAY);
    expect(
      (
        await stack.http.post(
          `/v1/support/accounts/${merchant.accountId}/recovery-hold`,
          { reason: 'records' },
          agent.token,
        )
      ).status,
    ).toBe(201);
    expect(
      (
        await stack.http.delete(
          `/v1/support/accounts/${merchant.accountId}/recovery-hold`,
          { reason: 'done' },
          agent.token,
        )
      ).status,
    ).toBe(200);
    expect(await closure.result()).toBe('purged');
    await saveHistory(closure, 'account-closure--purged');
  });

  it('account closure: closed by the API first, its flow started through the outbox, purged on the date the API fixed', async () => {
    const merchant = await signUp(stack);
    await seedDemoData(stack.database.db, merchant.accountId, { integrations: 1, products: 2, orders: 1 });
    const closure = await closeAccount(merchant);
    await env.sleep(31 * DAY);
    expect(await closure.result()).toBe('purged');
    await saveHistory(closure, 'account-closure--closed-first-purged');
  });

  it('account closure: a start delivered after a login undid the closure, which ends at once', async () => {
    const merchant = await signUp(stack);
    const closure = await closeAccount(merchant);
    await settled(closure, completedActivities(1));
    const { closedAt, purgeAt } = await closure.query(accountClosureStatusQuery);
    const login = await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password });
    expect(login.body.reactivated).toBe(true);
    expect(await closure.result()).toBe('reactivated');
    // The same start again, as a retried outbox delivery would send it.
    await startClosureFlow(
      { config: stack.config, temporal: env.client },
      { accountId: merchant.accountId, closedAt, purgeAt },
    );
    const late = handle(accountClosureWorkflowId(merchant.accountId));
    expect(await late.result()).toBe('reactivated');
    await saveHistory(late, 'account-closure--undone-before-start');
  });

  it('password rotation: after a reminder, then continued as new by a password change', async () => {
    const merchant = await signUp(stack);
    const rotation = handle(passwordRotationWorkflowId(merchant.accountId));
    await env.sleep(76 * DAY + MINUTE);
    await settled(rotation, completedActivities(1));
    await saveHistory(rotation, 'password-rotation--reminded');

    const firstRunId = (await rotation.describe()).runId;
    const changed = await stack.http.post(
      '/v1/account/password',
      { oldPassword: merchant.password, newPassword: 'N3w!Passw0rd', newPasswordConfirm: 'N3w!Passw0rd' },
      merchant.token,
    );
    expect(changed.status).toBe(204);
    await until(async () => (await rotation.describe()).runId !== firstRunId);
    await saveHistory(handle(rotation.workflowId, firstRunId), 'password-rotation--continued-as-new');
    await settled(rotation);
    await saveHistory(rotation, 'password-rotation--new-cycle');
  });

  it('password rotation: expired after 90 days', async () => {
    const merchant = await signUp(stack);
    const rotation = handle(passwordRotationWorkflowId(merchant.accountId));
    await env.sleep(90 * DAY + MINUTE);
    await settled(rotation, completedActivities(4));
    await saveHistory(rotation, 'password-rotation--expired');
  });

  it('email verification: expired, after a re-send', async () => {
    const merchant = await signUp(stack);
    const verification = handle(emailVerificationWorkflowId(merchant.accountId));
    await nextCodeMail(stack, merchant.email);
    await env.sleep(2 * MINUTE);
    expect((await stack.http.post('/v1/account/email/resend', {}, merchant.token)).status).toBe(202);
    await nextCodeMail(stack, merchant.email, 1);
    expect(await verification.result()).toBe('expired');
    await saveHistory(verification, 'email-verification--expired');
  });

  it('email verification: locked after 5 wrong tries', async () => {
    const merchant = await signUp(stack);
    const verification = handle(emailVerificationWorkflowId(merchant.accountId));
    const wrong = wrongCodeFor(codeIn(await nextCodeMail(stack, merchant.email)));
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await stack.http.post('/v1/account/email/verify', { code: wrong }, merchant.token)).status).toBe(400);
    }
    expect(await verification.result()).toBe('locked');
    await saveHistory(verification, 'email-verification--locked');
  });

  it('email verification: verified after a wrong try; mail authentication turned on', async () => {
    const merchant = await signUp(stack);
    const code = codeIn(await nextCodeMail(stack, merchant.email));
    expect(
      (await stack.http.post('/v1/account/email/verify', { code: wrongCodeFor(code) }, merchant.token)).status,
    ).toBe(400);
    expect((await stack.http.post('/v1/account/email/verify', { code }, merchant.token)).status).toBe(200);
    await saveHistory(handle(emailVerificationWorkflowId(merchant.accountId)), 'email-verification--verified');
    await enableMailAuthentication(merchant);
    const mailAuthentication = handle(mailAuthenticationWorkflowId(merchant.accountId));
    expect(await mailAuthentication.result()).toBe('verified');
    await saveHistory(mailAuthentication, 'mail-authentication--verified');
  });

  it('login challenge: passed after a wrong mailed code, and one left to expire', async () => {
    const merchant = await signUp(stack, { verify: true });
    await enableMailAuthentication(merchant);
    const signInCodes = () =>
      stack.smtp.messages.filter((mail) => mail.to === merchant.email && /sign-in code/.test(mail.subject));

    const login = await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password });
    await stack.smtp.waitFor(() => signInCodes().length >= 1);
    const code = codeIn(signInCodes()[0]!);
    const challengeId = login.body.challengeId as string;
    expect((await stack.http.post('/v1/auth/login/verify', { challengeId, code: wrongCodeFor(code) })).status).toBe(
      400,
    );
    expect((await stack.http.post('/v1/auth/login/verify', { challengeId, code })).status).toBe(200);
    const passed = handle(loginChallengeWorkflowId(challengeId));
    expect(await passed.result()).toBe('passed');
    await saveHistory(passed, 'login-challenge--passed');

    const abandoned = await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password });
    const expired = handle(loginChallengeWorkflowId(abandoned.body.challengeId as string));
    expect(await expired.result()).toBe('expired');
    await saveHistory(expired, 'login-challenge--expired');
  });
});
