import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, TemporalCommand } from '../database';

type Db = Kysely<Database> | Transaction<Database>;

export interface PendingCommand {
  id: string;
  command: TemporalCommand;
  attempts: number;
  created_at: Date;
}

/**
 * Writes a command inside the caller's transaction: it exists exactly when the change it follows
 * from does. Leased to the writer for `leaseMs`, which delivers it right after the commit; the
 * drainer takes it over only if that attempt fails or the writer dies.
 */
export async function enqueueTemporalCommand(
  db: Db,
  workflowId: string,
  command: TemporalCommand,
  leaseMs: number,
): Promise<string> {
  const row = await db
    .insertInto('temporal_outbox')
    .values({
      workflow_id: workflowId,
      command,
      locked_until: sql<Date>`now() + ${`${leaseMs} milliseconds`}::interval`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Leases the due commands, oldest first. A command that a newer one for the same workflow
 * supersedes is dropped first: for every command we send, only the latest state counts (the
 * newest code flow replaces the older; the latest password change restarts the cycle).
 */
export async function leaseDueCommands(
  db: Kysely<Database>,
  limit: number,
  leaseMs: number,
): Promise<PendingCommand[]> {
  return db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('temporal_outbox as older')
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('temporal_outbox as newer')
            .select('newer.id')
            .whereRef('newer.workflow_id', '=', 'older.workflow_id')
            .whereRef('newer.id', '>', 'older.id'),
        ),
      )
      .execute();
    const due = await trx
      .selectFrom('temporal_outbox')
      .select(['id', 'command', 'attempts', 'created_at'])
      .where('next_attempt_at', '<=', sql<Date>`now()`)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', sql<Date>`now()`)]))
      .orderBy('id')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length > 0) {
      await trx
        .updateTable('temporal_outbox')
        .set({ locked_until: sql`now() + ${`${leaseMs} milliseconds`}::interval` })
        .where(
          'id',
          'in',
          due.map((row) => row.id),
        )
        .execute();
    }
    return due;
  });
}

/** The newest command waiting for this workflow, leased or not; undefined when none is. */
export async function findPendingCommand(
  db: Db,
  workflowId: string,
): Promise<{ id: string; command: TemporalCommand } | undefined> {
  return db
    .selectFrom('temporal_outbox')
    .select(['id', 'command'])
    .where('workflow_id', '=', workflowId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Delivered: the row has done its job. */
export async function completeCommand(db: Db, id: string): Promise<void> {
  await db.deleteFrom('temporal_outbox').where('id', '=', id).execute();
}

/** Not delivered: released for another try after `backoffMs`. */
export async function retryCommandLater(db: Db, id: string, backoffMs: number, error: string): Promise<void> {
  await db
    .updateTable('temporal_outbox')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      last_error: error.slice(0, 500),
      locked_until: null,
      next_attempt_at: sql`now() + ${`${backoffMs} milliseconds`}::interval`,
    }))
    .where('id', '=', id)
    .execute();
}
