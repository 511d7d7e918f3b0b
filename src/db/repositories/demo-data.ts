import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';

const MARKETPLACES = ['Trendyol', 'Hepsiburada', 'Amazon', 'N11', 'Çiçeksepeti', 'Pazarama'];

/**
 * Demo integrations, products and orders for an account (in the real panel they arrive from
 * the marketplaces). Rows are generated inside PostgreSQL, so a million takes seconds.
 */
export async function seedDemoData(
  db: Kysely<Database>,
  accountId: string,
  counts: { integrations: number; products: number; orders: number },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const integrationIds: string[] = [];
    if (counts.integrations > 0) {
      const rows = await trx
        .insertInto('integrations')
        .values(
          Array.from({ length: counts.integrations }, (_, index) => ({
            account_id: accountId,
            marketplace: MARKETPLACES[index % MARKETPLACES.length]!,
            name: `${MARKETPLACES[index % MARKETPLACES.length]} store ${index + 1}`,
          })),
        )
        .returning('id')
        .execute();
      integrationIds.push(...rows.map((row) => row.id));
    }
    for (const [table, count, prefix] of [
      ['products', counts.products, 'SKU'],
      ['orders', counts.orders, 'ORD'],
    ] as const) {
      if (count === 0) continue;
      await sql`
        insert into ${sql.table(table)} (account_id, integration_id, reference, title, amount_cents)
        select ${accountId}::uuid,
               (${sql.val(integrationIds)}::uuid[])[1 + (n % greatest(1, ${integrationIds.length}))],
               ${prefix} || '-' || n,
               ${prefix === 'SKU' ? 'Demo product ' : 'Demo order '} || n,
               (n * 137) % 100000
        from generate_series(1, ${count}::int) as n`.execute(trx);
    }
  });
}
