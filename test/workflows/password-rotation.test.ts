import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { passwordRotationStatusQuery } from '../../src/shared/password-rotation';
import { passwordRotationWorkflowId } from '../../src/shared/workflow-ids';
import { signUp } from '../helpers/merchant';
import type { TestStack } from '../helpers/stack';
import { startTimeSkippingStack, stopTimeSkippingStack } from '../helpers/time-skipping';

// The whole service, with its worker on the time-skipping server: 90 days pass in seconds.
// Each test gets a server of its own, so its workflow clock starts level with the real clock
// that stamps password changes in the database.
let env: TestWorkflowEnvironment;
let stack: TestStack;
beforeEach(async () => {
  ({ env, stack } = await startTimeSkippingStack());
});
afterEach(() => stopTimeSkippingStack({ env, stack }));

const DAY = 86_400_000;

/** The outbox keys of the account's rotation mails, in the order written. */
async function rotationMails(accountId: string): Promise<string[]> {
  const rows = await stack.database.db
    .selectFrom('mail_outbox')
    .select('idempotency_key')
    .where(
      sql<boolean>`idempotency_key like ${`password-reminder:${accountId}:%`} or idempotency_key like ${`password-expired:${accountId}:%`}`,
    )
    .orderBy('id')
    .execute();
  return rows.map((row) => row.idempotency_key);
}

/** Waits until the flow has written `count` rotation mails (the activity runs after the timer fires). */
async function untilRotationMails(accountId: string, count: number): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const mails = await rotationMails(accountId);
    if (mails.length >= count || Date.now() > deadline) return mails;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The flow's status; sign-up starts the flow just after answering, so wait for it to exist. */
async function status(accountId: string) {
  const handle = env.client.workflow.getHandle(passwordRotationWorkflowId(accountId));
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      return await handle.query(passwordRotationStatusQuery);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

describe('password rotation flow', () => {
  it('when 90 days pass without a change, then reminders go out 14, 7 and 1 day before, then the password expires', async () => {
    const merchant = await signUp(stack);
    const changedAt = (await status(merchant.accountId)).changedAt;
    expect((await status(merchant.accountId)).nextReminderAt).toBe(changedAt + 76 * DAY);

    await env.sleep(76 * DAY + 60_000);
    expect(await untilRotationMails(merchant.accountId, 1)).toEqual([
      `password-reminder:${merchant.accountId}:${changedAt}:${14 * DAY}`,
    ]);
    await env.sleep(7 * DAY);
    expect(await untilRotationMails(merchant.accountId, 2)).toHaveLength(2);
    await env.sleep(6 * DAY);
    expect(await untilRotationMails(merchant.accountId, 3)).toEqual([
      `password-reminder:${merchant.accountId}:${changedAt}:${14 * DAY}`,
      `password-reminder:${merchant.accountId}:${changedAt}:${7 * DAY}`,
      `password-reminder:${merchant.accountId}:${changedAt}:${1 * DAY}`,
    ]);
    expect((await rotationMails(merchant.accountId)).some((key) => key.startsWith('password-expired'))).toBe(false);

    await env.sleep(1 * DAY);
    expect((await untilRotationMails(merchant.accountId, 4))[3]).toBe(
      `password-expired:${merchant.accountId}:${changedAt}`,
    );
    expect((await status(merchant.accountId)).state).toBe('expired');
    const account = await stack.database.db
      .selectFrom('accounts')
      .select('password_expired_at')
      .where('id', '=', merchant.accountId)
      .executeTakeFirstOrThrow();
    expect(account.password_expired_at).not.toBeNull();

    // The database now refuses a normal login: only the password can be changed.
    const login = await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password });
    expect(login.body.status).toBe('password_expired');
    expect(
      (
        await stack.http.post(
          '/v1/account/password',
          { oldPassword: merchant.password, newPassword: 'N3w!Cycle', newPasswordConfirm: 'N3w!Cycle' },
          login.body.token,
        )
      ).status,
    ).toBe(204);
    expect(
      (await stack.http.post('/v1/auth/login', { email: merchant.email, password: 'N3w!Cycle' })).body.status,
    ).toBe('authenticated');
  });

  it('when the password changes halfway, then the old cycle sends nothing more and a new cycle starts from the change', async () => {
    const merchant = await signUp(stack);
    const firstCycle = (await status(merchant.accountId)).changedAt;
    await env.sleep(50 * DAY);
    expect(
      (
        await stack.http.post(
          '/v1/account/password',
          { oldPassword: merchant.password, newPassword: 'Half!Way5', newPasswordConfirm: 'Half!Way5' },
          merchant.token,
        )
      ).status,
    ).toBe(204);
    // Wait on the condition: the flow has continued as a new run for the new cycle.
    const handle = env.client.workflow.getHandle(passwordRotationWorkflowId(merchant.accountId));
    const firstRun = (await handle.describe()).runId;
    const deadline = Date.now() + 15_000;
    while ((await handle.describe()).runId === firstRun && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 25));
    const secondCycle = (await status(merchant.accountId)).changedAt;
    expect(secondCycle).toBeGreaterThan(firstCycle);
    expect((await status(merchant.accountId)).expiresAt).toBe(secondCycle + 90 * DAY);

    // Day 76 of the first cycle passes: nothing is ever sent for that cycle. (The change was
    // stamped by the real clock, seconds after sign-up, while the workflow clock had skipped 50
    // days; so the new cycle's first reminder falls due in this same stretch, and the outbox
    // keys tell the two cycles apart.)
    await env.sleep(30 * DAY);
    const mails = await untilRotationMails(merchant.accountId, 1);
    expect(mails).toEqual([`password-reminder:${merchant.accountId}:${secondCycle}:${14 * DAY}`]);
    expect(mails.some((key) => key.includes(`:${firstCycle}:`))).toBe(false);
  });

  it('when the worker restarts between reminders, then no reminder is mailed twice', async () => {
    const merchant = await signUp(stack);
    const changedAt = (await status(merchant.accountId)).changedAt;
    await env.sleep(76 * DAY + 60_000);
    expect(await untilRotationMails(merchant.accountId, 1)).toHaveLength(1);
    await stack.restartWorker();
    await env.sleep(7 * DAY);
    expect(await untilRotationMails(merchant.accountId, 2)).toHaveLength(2);
    await stack.restartWorker();
    await env.sleep(6 * DAY);
    const mails = await untilRotationMails(merchant.accountId, 3);
    expect(mails).toEqual([
      `password-reminder:${merchant.accountId}:${changedAt}:${14 * DAY}`,
      `password-reminder:${merchant.accountId}:${changedAt}:${7 * DAY}`,
      `password-reminder:${merchant.accountId}:${changedAt}:${1 * DAY}`,
    ]);
    // And the mails actually delivered: one of each.
    await stack.smtp.waitFor(
      () =>
        stack.smtp.messages.filter((mail) => mail.to === merchant.email && /expires/.test(mail.subject)).length >= 3,
    );
    expect(
      stack.smtp.messages.filter((mail) => mail.to === merchant.email && /expires/.test(mail.subject)),
    ).toHaveLength(3);
  });
});
