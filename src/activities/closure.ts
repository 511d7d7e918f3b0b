import { Context } from '@temporalio/activity';
import type { ActivityDeps } from '.';
import { recordAudit } from '../db/repositories/audit';
import { enqueueMail } from '../db/repositories/outbox';
import { deletePurgeBatch } from '../db/repositories/purge';
import { revokeAccountSessions } from '../db/repositories/sessions';
import { mailsIn } from '../mail/copy';
import type { PurgedTable } from '../shared/account-closure';
import { currentExecution } from './context';

/** A purge's progress, heartbeated after each batch. */
interface PurgeProgress {
  deleted: number;
  after: string | null;
  sweeping: boolean;
}

function purgeProgress(details: unknown): PurgeProgress {
  // Workers before keyset batches heartbeated the count alone.
  if (typeof details === 'number') return { deleted: details, after: null, sweeping: false };
  const progress = details as Partial<PurgeProgress> | undefined;
  return { deleted: progress?.deleted ?? 0, after: progress?.after ?? null, sweeping: progress?.sweeping ?? false };
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

    /** Closes the account, revokes its sessions and mails the confirmation with the purge date; once. */
    async closeAccount(input: { accountId: string; purgeAt: number }): Promise<void> {
      const { workflowId, idempotencyKey } = currentExecution();
      await db.transaction().execute(async (trx) => {
        const account = await trx.selectFrom('accounts').select(['id', 'email', 'language', 'status']).where('id', '=', input.accountId).forUpdate().executeTakeFirst();
        if (!account) return;
        await trx
          .updateTable('accounts')
          .set({ status: 'closed', closed_at: new Date(), purge_at: new Date(input.purgeAt), updated_at: new Date() })
          .where('id', '=', account.id)
          .execute();
        await revokeAccountSessions(trx, account.id);
        if (account.status === 'closed') return; // a retry after the commit: already announced
        await recordAudit(trx, { accountId: account.id, type: 'account_closed', details: { purgeAt: new Date(input.purgeAt).toISOString(), workflowId } });
        await enqueueMail(trx, {
          key: `account-closed:${idempotencyKey}`,
          to: account.email,
          ...mailsIn(account.language).accountClosed({ purgeAt: new Date(input.purgeAt) }),
        });
      });
    },

    /** Back to active after a login in the grace period. Integrations stay off: the merchant turns each one back on. */
    async reactivateAccount(input: { accountId: string }): Promise<void> {
      const { idempotencyKey } = currentExecution();
      await db.transaction().execute(async (trx) => {
        const account = await trx.selectFrom('accounts').select(['id', 'email', 'language', 'status']).where('id', '=', input.accountId).forUpdate().executeTakeFirst();
        if (!account || account.status === 'active') return;
        await trx
          .updateTable('accounts')
          .set({ status: 'active', closed_at: null, purge_at: null, updated_at: new Date() })
          .where('id', '=', account.id)
          .execute();
        await recordAudit(trx, { accountId: account.id, type: 'account_reactivated' });
        await enqueueMail(trx, {
          key: `account-reactivated:${idempotencyKey}`,
          to: account.email,
          ...mailsIn(account.language).accountReactivated({ gracePeriodMs: config.durations.closureGracePeriodMs }),
        });
      });
    },

    /**
     * Deletes the account's rows of one table for good, a batch at a time in id order. Each batch
     * commits on its own and the activity heartbeats its progress (rows deleted, last id), so a
     * worker killed mid-purge loses nothing: the retry goes on after the last id (deleting a
     * deleted row is a no-op), and only rows of this account are ever touched. Once the walk
     * reaches the account's last row, one more walk from the start catches any row a concurrent
     * write left behind the cursor; normally it finds none.
     */
    async purgeAccountRows(input: { accountId: string; table: PurgedTable; batchSize: number }): Promise<number> {
      const context = Context.current();
      let { deleted, after, sweeping } = purgeProgress(context.info.heartbeatDetails);
      for (;;) {
        const batch = await deletePurgeBatch(db, input.table, input.accountId, after, input.batchSize);
        deleted += batch.deleted;
        after = batch.last ?? after;
        if (batch.selected < input.batchSize) {
          if (sweeping) return deleted;
          sweeping = true;
          after = null;
        }
        context.heartbeat({ deleted, after, sweeping } satisfies PurgeProgress);
        // Lets a cancellation (or a worker shutdown) interrupt between batches.
        if (context.cancellationSignal.aborted) throw context.cancellationSignal.reason;
      }
    },

    /**
     * Deletes the account and its personal data (sessions, codes, secrets, password history,
     * roles, support requests, holds cascade with it). The audit trail stays, without personal
     * data. A last mail confirms the deletion.
     */
    async deleteAccount(input: { accountId: string }): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const account = await trx.selectFrom('accounts').select(['id', 'email', 'language']).where('id', '=', input.accountId).forUpdate().executeTakeFirst();
        if (!account) return;
        await trx.updateTable('audit_events').set({ ip: null, user_agent: null, details: '{}' }).where('account_id', '=', account.id).execute();
        // Delivered mail keeps no address; undelivered mail (the goodbye below) still goes out.
        await trx.updateTable('mail_outbox').set({ to_address: '[purged]', text_body: null }).where('to_address', '=', account.email).where('sent_at', 'is not', null).execute();
        await trx.deleteFrom('accounts').where('id', '=', account.id).execute();
        await recordAudit(trx, { accountId: account.id, actorId: null, type: 'account_purged' });
        await enqueueMail(trx, {
          key: `account-purged:${account.id}`,
          to: account.email,
          ...mailsIn(account.language).accountPurged(),
        });
      });
    },
  };
}
