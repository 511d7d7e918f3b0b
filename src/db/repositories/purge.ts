import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import { PURGED_TABLES, type PurgedCounts, type PurgedTable } from '../../shared/account-closure';
import type { Database } from '../database';

/** What one purge batch did: rows it found, rows it deleted, and the last id it found. */
export interface PurgeBatch {
  selected: number;
  deleted: number;
  /** The highest id of the batch (as text), where the next batch starts; null when it found none. */
  last: string | null;
  /** Rows of this table the account's purge has deleted so far, this batch included. */
  total: number;
}

/**
 * The statement of one purge batch: the account's next `limit` rows after `after` in id order,
 * read through an index (the (account_id, id) one, or the primary key when the account holds
 * most of the table), then deleted by physical address (a TID scan). Keyset batches stay on an
 * index and never revisit what earlier batches deleted; the simpler
 * `id in (select id … limit n)` is planned as a semi-join over a sequential scan of the whole
 * table once an account holds most of it, so each batch cost as much as the table.
 *
 * The same statement adds what it deleted to purge_progress: the count commits with the rows,
 * so it stays exact whenever the worker dies (a heartbeat can lag the last commits).
 */
export function purgeBatchStatement(
  table: PurgedTable,
  accountId: string,
  after: string | null,
  limit: number,
): RawBuilder<{ selected: string; deleted: string; last: string | null; total: string }> {
  const from = after === null ? sql`` : sql`and id > ${after}`;
  return sql`
    with batch as materialized (
      select ctid, id from ${sql.table(table)}
      where account_id = ${accountId} ${from}
      order by id
      limit ${limit}
    ), gone as (
      delete from ${sql.table(table)} where ctid = any(array(select ctid from batch)) returning 1
    ), counted as (
      insert into purge_progress (account_id, table_name, deleted)
      values (${accountId}, ${table}, (select count(*) from gone))
      on conflict (account_id, table_name) do update set deleted = purge_progress.deleted + excluded.deleted
      returning deleted
    )
    select (select count(*) from batch) as selected,
           (select count(*) from gone) as deleted,
           (select id::text from batch order by id desc limit 1) as last,
           (select deleted from counted) as total`;
}

export async function deletePurgeBatch(
  db: Kysely<Database>,
  table: PurgedTable,
  accountId: string,
  after: string | null,
  limit: number,
): Promise<PurgeBatch> {
  const { rows } = await purgeBatchStatement(table, accountId, after, limit).execute(db);
  const row = rows[0]!;
  return { selected: Number(row.selected), deleted: Number(row.deleted), last: row.last, total: Number(row.total) };
}

/**
 * Starts the count of a purge that workers before purge_progress began: their heartbeat holds
 * what they deleted. A no-op once the count exists.
 */
export async function seedPurgeProgress(
  db: Kysely<Database>,
  table: PurgedTable,
  accountId: string,
  deleted: number,
): Promise<void> {
  await db
    .insertInto('purge_progress')
    .values({ account_id: accountId, table_name: table, deleted })
    .onConflict((oc) => oc.columns(['account_id', 'table_name']).doNothing())
    .execute();
}

/**
 * What the account's purge deleted per table (a table it never reached counts 0), and the
 * moment of the caller's transaction (PostgreSQL's now(), which the audit row it writes keeps too).
 */
export async function purgedCounts(
  trx: Transaction<Database>,
  accountId: string,
): Promise<{ deleted: PurgedCounts; at: Date }> {
  const rows = await trx
    .selectFrom('purge_progress')
    .select(['table_name', 'deleted'])
    .where('account_id', '=', accountId)
    .execute();
  const deleted: PurgedCounts = { integrations: 0, products: 0, orders: 0 };
  for (const row of rows) {
    const table = PURGED_TABLES.find((name) => name === row.table_name);
    if (table !== undefined) deleted[table] = Number(row.deleted);
  }
  const { rows: clock } = await sql<{ now: Date }>`select now() as now`.execute(trx);
  return { deleted, at: clock[0]!.now };
}
