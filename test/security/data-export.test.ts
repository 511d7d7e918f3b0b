import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../src/db/repositories/demo-data';
import { signUp } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const exportOf = (token: string, password: string) => stack.http.post('/v1/account/export', { password }, token);

describe('own data export', () => {
  it('when the password is right, then a versioned JSON attachment holds the profile and every row of the account, in order, and none of another account', async () => {
    const merchant = await signUp(stack);
    const stranger = await signUp(stack);
    // More rows than one read takes, so the keyset batches join up.
    await seedDemoData(stack.database.db, merchant.accountId, { integrations: 2, products: 2_500, orders: 4_100 });
    await seedDemoData(stack.database.db, stranger.accountId, { integrations: 1, products: 10, orders: 10 });

    const response = await exportOf(merchant.token, merchant.password);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="?connectprof-export-\d{4}-\d{2}-\d{2}\.json"?$/,
    );
    expect(response.headers.get('cache-control')).toMatch(/no-store/);
    const document = response.body;
    expect(document).toMatchObject({
      format: 'connectprof-account-export',
      version: 1,
      exportedAt: expect.any(String),
    });
    expect(document.profile).toMatchObject({ id: merchant.accountId, email: merchant.email });
    expect(Object.keys(document)).toEqual([
      'format',
      'version',
      'exportedAt',
      'profile',
      'integrations',
      'products',
      'orders',
      'supportRequests',
      'auditTrail',
    ]);
    expect(document.integrations).toHaveLength(2);
    expect(document.products).toHaveLength(2_500);
    expect(document.orders).toHaveLength(4_100);
    const orderIds = document.orders.map((order: { id: string }) => BigInt(order.id));
    expect(orderIds.every((id: bigint, index: number) => index === 0 || id > orderIds[index - 1])).toBe(true);
    const ownIntegrations = new Set(document.integrations.map((integration: { id: string }) => integration.id));
    expect(document.orders.every((order: { integrationId: string }) => ownIntegrations.has(order.integrationId))).toBe(
      true,
    );
    expect(document.supportRequests).toEqual([]);
    expect(document.auditTrail.map((event: { type: string }) => event.type)).toEqual(
      expect.arrayContaining(['signup', 'login', 'data_exported']),
    );
  });

  it('when the password is wrong, then 401 and no attachment', async () => {
    const merchant = await signUp(stack);
    const response = await exportOf(merchant.token, 'Wr0ng!Pass');
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('invalid_credentials');
    expect(response.headers.get('content-disposition')).toBeNull();
  });
});
