import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../src/db/repositories/demo-data';
import { accountClosureWorkflowId } from '../../src/shared/workflow-ids';
import { signUp } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';
import { WorkerProcess } from '../helpers/worker-process';

let stack: TestStack;
const workers: WorkerProcess[] = [];
beforeAll(async () => {
  // A one-second grace period on the dev server; the worker runs in a child process we can kill.
  stack = await startStack({ worker: false, env: { CLOSURE_GRACE_PERIOD: '1s', PURGE_BATCH_SIZE: '2000' } });
});
afterAll(async () => {
  for (const worker of workers) await worker.stop();
  await stack?.stop();
});

async function productCount(accountId: string): Promise<number> {
  const row = await stack.database.db.selectFrom('products').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', accountId).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('purge after a crash', () => {
  it('when the worker is killed in the middle of a 200k-product purge, then a new worker finishes it; nothing is left and no other account is touched', async () => {
    const first = await WorkerProcess.start(stack.config, stack.database.url);
    workers.push(first);
    const merchant = await signUp(stack);
    const bystander = await signUp(stack);
    await seedDemoData(stack.database.db, merchant.accountId, { integrations: 2, products: 200_000, orders: 20_000 });
    await seedDemoData(stack.database.db, bystander.accountId, { integrations: 1, products: 1_000, orders: 100 });

    const closure = await stack.http.post('/v1/account/closure', { password: merchant.password, acknowledgeWarnings: true, deleteAllData: true }, merchant.token);
    expect(closure.status).toBe(202);

    // Kill the worker as soon as the purge has deleted some, but not all, of the products.
    let seen = 200_000;
    const deadline = Date.now() + 60_000;
    while (seen === 200_000 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen = await productCount(merchant.accountId);
    }
    await first.kill();
    const afterKill = await productCount(merchant.accountId);
    expect(afterKill).toBeGreaterThan(0);
    expect(afterKill).toBeLessThan(200_000);
    // Nothing moves while no worker runs.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await productCount(merchant.accountId)).toBe(afterKill);

    workers.push(await WorkerProcess.start(stack.config, stack.database.url));
    expect(await stack.temporal.workflow.getHandle(accountClosureWorkflowId(merchant.accountId)).result()).toBe('purged');
    expect(await productCount(merchant.accountId)).toBe(0);
    const left = await stack.database.db.selectFrom('orders').select('id').where('account_id', '=', merchant.accountId).execute();
    expect(left).toHaveLength(0);
    expect(await productCount(bystander.accountId)).toBe(1_000);
    const bystanderOrders = await stack.database.db.selectFrom('orders').select('id').where('account_id', '=', bystander.accountId).execute();
    expect(bystanderOrders).toHaveLength(100);
  }, 120_000);
});
