import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { createClosureActivities } from '../../src/activities/closure';
import { seedDemoData } from '../../src/db/repositories/demo-data';
import { createLogger } from '../../src/logger';
import type { PurgedTable } from '../../src/shared/account-closure';
import { testConfig } from '../helpers/config';
import { useTestDatabase } from '../helpers/db';

const database = useTestDatabase();

async function countRows(table: PurgedTable, accountId: string): Promise<number> {
  const row = await database()
    .db.selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The activity as the worker runs it; `heartbeatDetails` is what a retry after a crash starts from. */
async function purge(table: PurgedTable, accountId: string, batchSize: number, heartbeatDetails?: unknown) {
  const activities = createClosureActivities({
    db: database().db,
    config: testConfig(),
    logger: createLogger('silent'),
  });
  const env = new MockActivityEnvironment(heartbeatDetails === undefined ? {} : { heartbeatDetails });
  const heartbeats: unknown[] = [];
  env.on('heartbeat', (details: unknown) => heartbeats.push(details));
  type Purge = typeof activities.purgeAccountRows;
  const deleted = await env.run<Parameters<Purge>, number, Purge>(activities.purgeAccountRows, {
    accountId,
    table,
    batchSize,
  });
  return { deleted, heartbeats };
}

describe('purge batches', () => {
  it('when an account has rows in several tables, then each is deleted in id-ordered batches and other accounts keep theirs', async () => {
    const [closed, other] = [randomUUID(), randomUUID()];
    await seedDemoData(database().db, closed, { integrations: 7, products: 2_500, orders: 1_000 });
    await seedDemoData(database().db, other, { integrations: 2, products: 300, orders: 300 });

    const products = await purge('products', closed, 1_000);
    expect(products.deleted).toBe(2_500);
    // Three batches (1,000, 1,000, 500), then one walk from the start that finds nothing.
    const cursors = products.heartbeats.map((details) => (details as { after: string | null }).after);
    expect(cursors).toHaveLength(3);
    expect(Number(cursors[1])).toBeGreaterThan(Number(cursors[0]));
    expect(cursors[2]).toBeNull();

    expect((await purge('orders', closed, 1_000)).deleted).toBe(1_000);
    // uuid ids: the same keyset walk over a type with no natural order of insertion.
    expect((await purge('integrations', closed, 3)).deleted).toBe(7);

    for (const table of ['products', 'orders', 'integrations'] as const) expect(await countRows(table, closed)).toBe(0);
    expect(await countRows('products', other)).toBe(300);
    expect(await countRows('orders', other)).toBe(300);
    expect(await countRows('integrations', other)).toBe(2);
  });

  it('when a retry resumes past rows that still exist, then the walk from the start deletes them too', async () => {
    const accountId = randomUUID();
    await seedDemoData(database().db, accountId, { integrations: 0, products: 1_200, orders: 0 });
    const ids = await database()
      .db.selectFrom('products')
      .select('id')
      .where('account_id', '=', accountId)
      .orderBy('id')
      .execute();
    // A heartbeat that claims 500 rows gone with the cursor at the 500th, while all 1,200 remain.
    const resumed = await purge('products', accountId, 400, {
      deleted: 500,
      after: String(ids[499]!.id),
      sweeping: false,
    });
    expect(await countRows('products', accountId)).toBe(0);
    // The count goes on from the heartbeat's and adds every row this run deleted.
    expect(resumed.deleted - 500).toBe(1_200);
  });

  it('when the heartbeat is the older plain count, then the purge starts from the beginning and adds to it', async () => {
    const accountId = randomUUID();
    await seedDemoData(database().db, accountId, { integrations: 0, products: 0, orders: 50 });
    const resumed = await purge('orders', accountId, 20, 10);
    expect(resumed.deleted).toBe(60);
    expect(await countRows('orders', accountId)).toBe(0);
  });
});
