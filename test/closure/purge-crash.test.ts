import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../src/db/repositories/demo-data';
import { accountClosureStatusQuery } from '../../src/shared/account-closure';
import { accountClosureWorkflowId } from '../../src/shared/workflow-ids';
import { signUp } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';
import { until } from '../helpers/wait';
import { WorkerProcess } from '../helpers/worker-process';

const BATCH = 2_000;
let stack: TestStack;
const workers: WorkerProcess[] = [];
// Lets the purge past the test's lock; afterAll calls it too, so a failed test never leaves a worker stuck.
let unlock: () => void = () => undefined;
beforeAll(async () => {
  // A one-second grace period on the dev server; the worker runs in a child process we can kill.
  stack = await startStack({ worker: false, env: { CLOSURE_GRACE_PERIOD: '1s', PURGE_BATCH_SIZE: String(BATCH) } });
});
afterAll(async () => {
  unlock();
  for (const worker of workers) await worker.stop();
  await stack?.stop();
});

async function productCount(accountId: string): Promise<number> {
  const row = await stack.database.db
    .selectFrom('products')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The worker's database connections, told apart by their application_name, and what each waits for. */
async function backendsOf(applicationName: string): Promise<Array<{ waiting: string | null; query: string }>> {
  const { rows } = await sql<{ waiting: string | null; query: string }>`
    select wait_event_type as waiting, query from pg_stat_activity where application_name = ${applicationName}`.execute(
    stack.database.db,
  );
  return rows;
}

describe('purge after a crash', () => {
  it('when the worker is killed in the middle of a 200k-product purge, then a new worker finishes it with exact counts; nothing is left and no other account is touched', async () => {
    const killed = 'purge-worker-killed';
    const first = await WorkerProcess.start(stack.config, `${stack.database.url}?application_name=${killed}`);
    workers.push(first);
    const merchant = await signUp(stack);
    const bystander = await signUp(stack);
    await seedDemoData(stack.database.db, merchant.accountId, { integrations: 2, products: 200_000, orders: 20_000 });
    await seedDemoData(stack.database.db, bystander.accountId, { integrations: 1, products: 1_000, orders: 100 });

    // Stop the purge at a known place: the test locks the first product of batch 11, so batches
    // 1 to 10 commit and batch 11's DELETE waits on the lock.
    let locked!: () => void;
    const unlocked = new Promise<void>((resolve) => (unlock = resolve));
    const holding = new Promise<void>((resolve) => (locked = resolve));
    const firstOfBatch11 = await stack.database.db
      .selectFrom('products')
      .select('id')
      .where('account_id', '=', merchant.accountId)
      .orderBy('id')
      .offset(10 * BATCH)
      .limit(1)
      .executeTakeFirstOrThrow();
    const gate = stack.database.db.transaction().execute(async (trx) => {
      // That row alone (FOR UPDATE under an OFFSET would lock every row skipped too).
      await trx.selectFrom('products').select('id').where('id', '=', firstOfBatch11.id).forUpdate().execute();
      locked();
      await unlocked;
      throw new Error('rolled back on purpose');
    });
    const gateDone = gate.catch(() => undefined);
    await holding;

    const closure = await stack.http.post(
      '/v1/account/closure',
      { password: merchant.password, acknowledgeWarnings: true, deleteAllData: true },
      merchant.token,
    );
    expect(closure.status).toBe(202);
    const purgeWaits = async () =>
      (await backendsOf(killed)).some(
        (backend) => backend.waiting === 'Lock' && /delete from "?products/.test(backend.query),
      );
    await until(purgeWaits, 60_000);
    expect(await productCount(merchant.accountId)).toBe(200_000 - 10 * BATCH);

    // Killed while batch 11 waits: the kill takes no heartbeat with it, and that batch's
    // statement, already sent, still commits on its own once the lock goes.
    await first.kill();
    unlock();
    await gateDone;
    // Read only once none of the dead worker's connections is left: nothing can move after that.
    await until(async () => (await backendsOf(killed)).length === 0);
    expect(await productCount(merchant.accountId)).toBe(200_000 - 11 * BATCH);

    workers.push(await WorkerProcess.start(stack.config, stack.database.url));
    const handle = stack.temporal.workflow.getHandle(accountClosureWorkflowId(merchant.accountId));
    expect(await handle.result()).toBe('purged');
    // Every row counted once: the counts commit with the batches, whatever the heartbeat said.
    expect((await handle.query(accountClosureStatusQuery)).purged).toEqual({
      products: 200_000,
      orders: 20_000,
      integrations: 2,
    });
    expect(await productCount(merchant.accountId)).toBe(0);
    const left = await stack.database.db
      .selectFrom('orders')
      .select('id')
      .where('account_id', '=', merchant.accountId)
      .execute();
    expect(left).toHaveLength(0);
    expect(await productCount(bystander.accountId)).toBe(1_000);
    const bystanderOrders = await stack.database.db
      .selectFrom('orders')
      .select('id')
      .where('account_id', '=', bystander.accountId)
      .execute();
    expect(bystanderOrders).toHaveLength(100);
  }, 120_000);
});
