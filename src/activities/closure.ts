import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { sql } from 'kysely';
import type { ActivityDeps } from '.';
import { recordAudit } from '../db/repositories/audit';
import { closeAccountNow, reactivateAccountNow } from '../db/repositories/closure';
import { enqueueMail } from '../db/repositories/outbox';
import { deletePasswordResetDecoysOf } from '../db/repositories/password-reset-decoys';
import { deletePurgeBatch, purgedCounts, seedPurgeProgress } from '../db/repositories/purge';
import { emailRateLimitKey } from '../domain/rate-limit-keys';
import { mailsIn } from '../mail/copy';
import type { PurgedTable } from '../shared/account-closure';
import { currentExecution } from './context';

/** Where a purge walk stands, heartbeated after each batch. The count lives in purge_progress. */
interface PurgeProgress {
  after: string | null;
  sweeping: boolean;
  /** What workers before purge_progress had deleted: they counted in the heartbeat. */
  legacyDeleted: number;
}

function purgeProgress(details: unknown): PurgeProgress {
  // Workers before keyset batches heartbeated the count alone.
  if (typeof details === 'number') return { after: null, sweeping: false, legacyDeleted: details };
  const progress = details as { after?: string | null; sweeping?: boolean; deleted?: number } | undefined;
  return {
    after: progress?.after ?? null,
    sweeping: progress?.sweeping ?? false,
    legacyDeleted: progress?.deleted ?? 0,
  };
}

/** The deletion receipt's outbox key: one receipt per account, whatever retries. */
export function accountPurgedMailKey(accountId: string): string {
  return `account-purged:${accountId}`;
}

export function createClosureActivities({ db, config }: ActivityDeps) {
  return {
    /** Every integration of the account off. Idempotent. */
    async deactivateIntegrations(input: { accountId: string }): Promise<number> {
      const result = await db
        .updateTable('integrations')
        .set({ active: false, updated_at: new Date() })
        .where('account_id', '=', input.accountId)
        .where('active', '=', true)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /**
     * Makes sure the account is closed; returns its purge date (epoch ms). With `alreadyClosed`
     * (flows the API starts after its own transaction closed the account) it only reads: the
     * purge date while the account is closed, undefined once it is not (a login undid the
     * closure) or is gone. Without (runs started before the API closed first), it closes the
     * account should the API's transaction have failed after the flow started (closeAccountNow).
     */
    async closeAccount(input: {
      accountId: string;
      purgeAt: number;
      alreadyClosed?: boolean;
    }): Promise<number | undefined> {
      if (input.alreadyClosed) {
        const account = await db
          .selectFrom('accounts')
          .select(['status', 'purge_at'])
          .where('id', '=', input.accountId)
          .executeTakeFirst();
        return account?.status === 'closed' ? account.purge_at?.getTime() : undefined;
      }
      const { workflowId } = currentExecution();
      const purgeAt = await db.transaction().execute((trx) =>
        closeAccountNow(trx, {
          accountId: input.accountId,
          purgeAt: new Date(input.purgeAt),
          details: { workflowId },
        }),
      );
      return purgeAt?.getTime();
    },

    /** Back to active after a login in the grace period; holds released. Integrations stay off. Once. */
    async reactivateAccount(input: { accountId: string }): Promise<void> {
      const { idempotencyKey } = currentExecution();
      await db.transaction().execute((trx) =>
        reactivateAccountNow(trx, {
          accountId: input.accountId,
          mailKey: `account-reactivated:${idempotencyKey}`,
          gracePeriodMs: config.durations.closureGracePeriodMs,
        }),
      );
    },

    /**
     * Deletes the account's rows of one table for good, a batch at a time in id order; returns
     * how many it deleted in all. Each batch commits on its own, with its count (purge_progress),
     * and the activity heartbeats where it stands (last id), so a worker killed mid-purge loses
     * nothing: the retry goes on after the last heartbeated id (deleting a deleted row is a
     * no-op, and only what a statement deletes is counted), and only rows of this account are
     * ever touched. Once the walk reaches the account's last row, one more walk from the start
     * catches any row a concurrent write left behind the cursor; normally it finds none.
     */
    async purgeAccountRows(input: { accountId: string; table: PurgedTable; batchSize: number }): Promise<number> {
      const context = Context.current();
      const progress = purgeProgress(context.info.heartbeatDetails);
      let { after, sweeping } = progress;
      if (progress.legacyDeleted > 0) await seedPurgeProgress(db, input.table, input.accountId, progress.legacyDeleted);
      for (;;) {
        const batch = await deletePurgeBatch(db, input.table, input.accountId, after, input.batchSize);
        after = batch.last ?? after;
        if (batch.selected < input.batchSize) {
          if (sweeping) return batch.total;
          sweeping = true;
          after = null;
        }
        context.heartbeat({ after, sweeping });
        // Lets a cancellation (or a worker shutdown) interrupt between batches.
        if (context.cancellationSignal.aborted) throw context.cancellationSignal.reason;
      }
    },

    /**
     * Deletes the account and its personal data (sessions, codes, secrets, password history,
     * roles, support requests, holds cascade with it), and every trace of it elsewhere: the
     * audit trail keeps its events without addresses, user agents or details; mail not yet
     * delivered to it is dropped (delivered mail keeps nothing personal already); its
     * rate-limit counters, password-reset decoys and purge counts go. A last mail, the deletion receipt, states the
     * counts, the time and a receipt id, which the `account_purged` audit row keeps with the
     * counts (neither names anyone); once delivered, its row keeps nothing personal either.
     *
     * Idempotent: a retry after the commit finds no account and returns; one before it starts
     * afresh (nothing committed, a new receipt id), and the mail's key is the account's, so the
     * receipt is queued once however the activity is retried.
     */
    async deleteAccount(input: { accountId: string }): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const account = await trx
          .selectFrom('accounts')
          .select(['id', 'email', 'pending_email', 'language'])
          .where('id', '=', input.accountId)
          .forUpdate()
          .executeTakeFirst();
        if (!account) return;
        const addresses = [account.email, ...(account.pending_email === null ? [] : [account.pending_email])];
        await trx
          .updateTable('audit_events')
          .set({ ip: null, user_agent: null, details: '{}' })
          .where('account_id', '=', account.id)
          .execute();
        // What the account did on others' trails (as a support agent) keeps the act, not where it came from.
        await trx
          .updateTable('audit_events')
          .set({ ip: null, user_agent: null })
          .where('actor_id', '=', account.id)
          .execute();
        await trx.deleteFrom('mail_outbox').where('to_address', 'in', addresses).where('sent_at', 'is', null).execute();
        // Keys are `prefix:value` (rate-limiter-flexible's format), the value sometimes scoped
        // itself (`code-account:password-reset:<hash>`): the account's are those whose last part is
        // its id or one of its addresses' hashes (neither holds a colon).
        const rateLimitValues = [account.id, ...addresses.map(emailRateLimitKey)];
        await sql`delete from rate_limits where regexp_replace(key, '^.*:', '') = any(${rateLimitValues})`.execute(trx);
        // A password-reset decoy left for one of its addresses before it was registered.
        await deletePasswordResetDecoysOf(trx, config.secretKey, addresses);
        // Read before they go with the account: the receipt states them.
        const { deleted, at: purgedAt } = await purgedCounts(trx, account.id);
        const receiptId = randomUUID();
        await trx.deleteFrom('purge_progress').where('account_id', '=', account.id).execute();
        await trx.deleteFrom('accounts').where('id', '=', account.id).execute();
        await recordAudit(trx, {
          accountId: account.id,
          actorId: null,
          type: 'account_purged',
          details: { receiptId, ...deleted },
        });
        await enqueueMail(trx, {
          key: accountPurgedMailKey(account.id),
          to: account.email,
          ...mailsIn(account.language).accountPurged({ deleted, purgedAt, receiptId }),
        });
      });
    },
  };
}
