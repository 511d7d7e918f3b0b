import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { grantRole } from '../../src/db/repositories/accounts';
import { seedDemoData } from '../../src/db/repositories/demo-data';
import { accountClosureStatusQuery } from '../../src/shared/account-closure';
import { accountClosureWorkflowId } from '../../src/shared/workflow-ids';
import { type Merchant, signUp, STRONG_PASSWORD, uniqueEmail } from '../helpers/merchant';
import type { TestStack } from '../helpers/stack';
import { startTimeSkippingStack, stopTimeSkippingStack } from '../helpers/time-skipping';

// The whole service on the time-skipping server: the 30-day grace period passes in seconds.
let env: TestWorkflowEnvironment;
let stack: TestStack;
beforeEach(async () => {
  ({ env, stack } = await startTimeSkippingStack());
});
afterEach(() => stopTimeSkippingStack({ env, stack }));

const DAY = 86_400_000;
const withoutRequestId = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });

async function counts(accountId: string) {
  const count = async (table: 'integrations' | 'products' | 'orders') =>
    Number(
      (
        await stack.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .where('account_id', '=', accountId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    integrations: await count('integrations'),
    products: await count('products'),
    orders: await count('orders'),
  };
}

async function closeAccount(merchant: Merchant) {
  const response = await stack.http.post(
    '/v1/account/closure',
    { password: merchant.password, acknowledgeWarnings: true, deleteAllData: true },
    merchant.token,
  );
  expect(response.status).toBe(202);
  return env.client.workflow.getHandle(accountClosureWorkflowId(merchant.accountId));
}

async function supportAgent(): Promise<Merchant> {
  const agent = await signUp(stack);
  await grantRole(stack.database.db, agent.accountId, 'support');
  return agent;
}

describe('account closure flow, with time skipping', () => {
  it('when the merchant logs in on day 29, then the account is reactivated and nothing is purged', async () => {
    const merchant = await signUp(stack);
    await seedDemoData(stack.database.db, merchant.accountId, { integrations: 2, products: 30, orders: 10 });
    const handle = await closeAccount(merchant);
    await env.sleep(29 * DAY);
    const login = await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password });
    expect(login.body).toMatchObject({ status: 'authenticated', reactivated: true });
    expect(await handle.result()).toBe('reactivated');
    expect(await counts(merchant.accountId)).toEqual({ integrations: 2, products: 30, orders: 10 });
    await env.sleep(5 * DAY);
    expect(await counts(merchant.accountId)).toEqual({ integrations: 2, products: 30, orders: 10 });
  });

  it('when day 30 passes, then products, orders, integrations and the account are gone, and the email is free again', async () => {
    const merchant = await signUp(stack);
    const bystander = await signUp(stack);
    await seedDemoData(stack.database.db, merchant.accountId, { integrations: 3, products: 120, orders: 45 });
    await seedDemoData(stack.database.db, bystander.accountId, { integrations: 1, products: 7, orders: 3 });
    const handle = await closeAccount(merchant);

    await env.sleep(29 * DAY + 23 * 3_600_000);
    expect((await handle.query(accountClosureStatusQuery)).state).toBe('grace');
    expect(await counts(merchant.accountId)).toEqual({ integrations: 3, products: 120, orders: 45 });

    expect(await handle.result()).toBe('purged');
    expect((await handle.query(accountClosureStatusQuery)).purged).toEqual({
      products: 120,
      orders: 45,
      integrations: 3,
    });
    expect(await counts(merchant.accountId)).toEqual({ integrations: 0, products: 0, orders: 0 });
    expect(await counts(bystander.accountId)).toEqual({ integrations: 1, products: 7, orders: 3 });
    expect(
      await stack.database.db
        .selectFrom('accounts')
        .select('id')
        .where('id', '=', merchant.accountId)
        .executeTakeFirst(),
    ).toBeUndefined();
    // Personal data went with it; the audit trail keeps the events, without it.
    const trail = await stack.database.db
      .selectFrom('audit_events')
      .select(['type', 'ip', 'user_agent'])
      .where('account_id', '=', merchant.accountId)
      .execute();
    expect(trail.map((event) => event.type)).toEqual(
      expect.arrayContaining(['signup', 'account_closed', 'account_purged']),
    );
    expect(trail.every((event) => event.ip === null && event.user_agent === null)).toBe(true);

    const old = await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password });
    const unknown = await stack.http.post('/v1/auth/login', {
      email: uniqueEmail('never'),
      password: merchant.password,
    });
    expect(old.status).toBe(unknown.status);
    expect(withoutRequestId(old.body)).toEqual(withoutRequestId(unknown.body));
    await stack.smtp.waitFor((mail) => mail.to === merchant.email && /has been deleted/.test(mail.subject));

    expect(
      (await stack.http.post('/v1/auth/register', { email: merchant.email, password: STRONG_PASSWORD })).status,
    ).toBe(201);
    expect(
      (await stack.http.post('/v1/auth/login', { email: merchant.email, password: STRONG_PASSWORD })).body.status,
    ).toBe('authenticated');
  });

  it('when support holds on day 10 and releases on day 40, then the purge waits for the release and follows it', async () => {
    const agent = await supportAgent();
    const merchant = await signUp(stack);
    await seedDemoData(stack.database.db, merchant.accountId, { integrations: 1, products: 50, orders: 5 });
    const handle = await closeAccount(merchant);

    await env.sleep(10 * DAY);
    const hold = await stack.http.post(
      `/v1/support/accounts/${merchant.accountId}/recovery-hold`,
      { reason: 'customer needs order history' },
      agent.token,
    );
    expect(hold.status).toBe(201);

    await env.sleep(29 * DAY); // day 39: past the grace period, still held
    expect((await handle.query(accountClosureStatusQuery)).state).toBe('held');
    expect(await counts(merchant.accountId)).toEqual({ integrations: 1, products: 50, orders: 5 });
    // Still closed: the hold keeps the data, not the account.
    expect(
      (await stack.http.get(`/v1/support/accounts/${merchant.accountId}/export`, agent.token)).body.products,
    ).toHaveLength(50);

    await env.sleep(1 * DAY); // day 40
    const release = await stack.http.delete(
      `/v1/support/accounts/${merchant.accountId}/recovery-hold`,
      { reason: 'history exported' },
      agent.token,
    );
    expect(release.status).toBe(200);
    expect(await handle.result()).toBe('purged');
    expect(await counts(merchant.accountId)).toEqual({ integrations: 0, products: 0, orders: 0 });
    expect(
      (
        await stack.http.post(
          `/v1/support/accounts/${merchant.accountId}/recovery-hold`,
          { reason: 'too late' },
          agent.token,
        )
      ).status,
    ).toBe(409);
  });
});
