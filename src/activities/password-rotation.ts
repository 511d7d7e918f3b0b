import type { ActivityDeps } from '.';
import { recordAudit } from '../db/repositories/audit';
import { enqueueMail } from '../db/repositories/outbox';
import { mailsIn } from '../mail/copy';

export function createPasswordRotationActivities({ db, config }: ActivityDeps) {
  /** The account, if its password is still the one set at `changedAt` (epoch ms). */
  const accountInCycle = (trx: typeof db, accountId: string, changedAt: number) =>
    trx
      .selectFrom('accounts')
      .select(['id', 'email', 'language', 'password_changed_at'])
      .where('id', '=', accountId)
      .where('password_changed_at', '=', new Date(changedAt))
      .executeTakeFirst();

  return {
    /**
     * Mails one reminder of the cycle. Exactly once per point: the outbox key names the account,
     * the cycle and the point. A cycle that a change has already ended gets no reminder, even
     * when the workflow has not heard of the change yet.
     */
    async sendPasswordReminder(input: {
      accountId: string;
      changedAt: number;
      beforeMs: number;
      expiresAt: number;
    }): Promise<void> {
      const account = await accountInCycle(db, input.accountId, input.changedAt);
      if (!account) return;
      await enqueueMail(db, {
        key: `password-reminder:${input.accountId}:${input.changedAt}:${input.beforeMs}`,
        to: account.email,
        ...mailsIn(account.language).passwordReminder({
          expiresAt: new Date(input.expiresAt),
          beforeMs: input.beforeMs,
        }),
      });
    },

    /** Marks the cycle's password expired and tells the merchant, once. */
    async markPasswordExpired(input: { accountId: string; changedAt: number }): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const account = await accountInCycle(trx, input.accountId, input.changedAt);
        if (!account) return;
        const updated = await trx
          .updateTable('accounts')
          .set({ password_expired_at: new Date() })
          .where('id', '=', account.id)
          // Only this cycle's password: a change committed since the read above is left alone.
          .where('password_changed_at', '=', new Date(input.changedAt))
          .where('password_expired_at', 'is', null)
          .executeTakeFirst();
        if (updated.numUpdatedRows === 0n) return;
        await recordAudit(trx, { accountId: account.id, type: 'password_expired' });
        await enqueueMail(trx, {
          key: `password-expired:${input.accountId}:${input.changedAt}`,
          to: account.email,
          ...mailsIn(account.language).passwordExpired({ maxAgeMs: config.durations.passwordMaxAgeMs }),
        });
      });
    },
  };
}
