import { type Kysely, sql, type Transaction } from 'kysely';
import type { Config } from '../../src/config';
import type { Database } from '../../src/db/database';
import { setPassword } from '../../src/db/repositories/passwords';
import { revokeAccountSessions } from '../../src/db/repositories/sessions';
import { createPasswordHasher } from '../../src/services/passwords';
import { until } from './wait';

export interface HeldTransaction {
  /** Lets the transaction commit, and waits for it. */
  commit(): Promise<void>;
}

/**
 * Runs `work` in a transaction that stays open, holding its row locks, until `commit()`: a
 * concurrent request can be made to meet it at a chosen point, without guessing at timing.
 */
export async function holdUncommitted(
  db: Kysely<Database>,
  work: (trx: Transaction<Database>) => Promise<void>,
): Promise<HeldTransaction> {
  let release!: () => void;
  let done!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const worked = new Promise<void>((resolve) => (done = resolve));
  const transaction = db.transaction().execute(async (trx) => {
    await work(trx);
    done();
    await released;
  });
  await Promise.race([worked, transaction]);
  return {
    commit: async () => {
      release();
      await transaction;
    },
  };
}

/** Waits until `count` sessions of the database wait for a row lock (requests have met a held transaction). */
export async function untilWaitingOnLock(db: Kysely<Database>, count = 1): Promise<void> {
  await until(async () => {
    const { rows } = await sql<{ n: string }>`
      select count(*) as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
    return Number(rows[0]!.n) >= count;
  });
}

/** The account's sessions that are neither revoked nor expired. */
export async function liveSessionCount(stack: { database: { db: Kysely<Database> } }, accountId: string) {
  const rows = await stack.database.db
    .selectFrom('sessions')
    .select('id')
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .execute();
  return rows.length;
}

/**
 * A password change as the service commits it (new password, challenges ended, sessions revoked),
 * timed now and held uncommitted until `commit()`.
 */
export async function holdPasswordChange(
  stack: { database: { db: Kysely<Database> }; config: Config },
  accountId: string,
  newPassword: string,
): Promise<HeldTransaction> {
  const newHash = await createPasswordHasher(stack.config).hash(newPassword);
  return holdUncommitted(stack.database.db, async (trx) => {
    await setPassword(trx, accountId, newHash, new Date());
    await revokeAccountSessions(trx, accountId);
  });
}
