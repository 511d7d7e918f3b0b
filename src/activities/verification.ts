import { ApplicationFailure } from '@temporalio/activity';
import type { ActivityDeps } from '.';
import { currentExecution } from './context';
import { codeScope, generateNumericCode, hashCode } from '../domain/codes';
import { emailInUse, findAccountByEmail, findAccountById } from '../db/repositories/accounts';
import { recordAudit } from '../db/repositories/audit';
import { enqueueMail } from '../db/repositories/outbox';
import { applyPasswordReset, findPreparedPasswordChange } from '../db/repositories/password-reset';
import { enqueueSecurityMail } from '../db/repositories/security-mail';
import { turnOffTwoFactor } from '../db/repositories/two-factor';
import { mailsIn } from '../mail/copy';
import { maskEmail } from '../mail/mask-email';
import { enqueueUnsolicitedMail } from '../mail/recipient-cap';
import type { CodePurpose } from '../shared/workflow-ids';

export type CompleteVerificationResult = 'verified' | 'email_taken' | 'two_factor_conflict' | 'superseded';

/** Codes mailed to an address nobody has proven yet: anyone can name it, so they are capped. */
const ADDRESS_NOT_YET_PROVEN: ReadonlySet<CodePurpose | 'login'> = new Set(['signup', 'email_change']);

export function createVerificationActivities({ db, config }: ActivityDeps) {
  return {
    /**
     * Issues a fresh code for the flow and mails it. The code row and the mail are written in
     * one transaction, keyed by this activity's identity: a retry after the commit finds its own
     * row and returns the same hash, so no second code or mail goes out.
     * Returns only the HMAC of the code; the plain code never leaves this function but in the mail.
     */
    async issueVerificationCode(input: {
      accountId: string;
      purpose: CodePurpose | 'login';
      ttlMs: number;
    }): Promise<{ codeHash: string; codeId: string }> {
      const { workflowId: flowId, idempotencyKey: issueKey } = currentExecution();
      return db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom('verification_codes')
          .select(['id', 'code_hash'])
          .where('issue_key', '=', issueKey)
          .executeTakeFirst();
        if (existing) return { codeHash: existing.code_hash, codeId: existing.id };

        const account = await findAccountById(trx, input.accountId);
        const to = input.purpose === 'email_change' ? account?.pending_email : account?.email;
        if (!account || !to) {
          throw ApplicationFailure.nonRetryable('The account has nothing left to verify', 'NothingToVerify');
        }
        const code = generateNumericCode();
        const codeHash = hashCode(config.secretKey, codeScope(flowId, input.purpose), code);
        // The flow keeps only the newest hash, so a re-send replaces the code; rows stay for
        // retries (issue_key) and the re-send cooldown, and go when the flow completes.
        const { id: codeId } = await trx
          .insertInto('verification_codes')
          .values({
            account_id: account.id,
            purpose: input.purpose,
            issue_key: issueKey,
            code_hash: codeHash,
            target_email: to,
            expires_at: new Date(Date.now() + input.ttlMs),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const mails = mailsIn(account.language);
        const mail = { key: `code:${issueKey}`, to };
        if (input.purpose === 'login') {
          await enqueueMail(trx, { ...mail, ...mails.loginCode({ code, ttlMs: input.ttlMs }) });
        } else if (!ADDRESS_NOT_YET_PROVEN.has(input.purpose)) {
          await enqueueMail(trx, {
            ...mail,
            ...mails.verificationCode({ code, purpose: input.purpose, ttlMs: input.ttlMs }),
          });
        } else {
          // The address is the requester's word only. Taken by another account, its owner is
          // told instead (in the owner's language) and nobody gets the code; the flow, the
          // cooldown and the answer stay the same as for a free address, so the request reveals
          // nothing.
          const owner = input.purpose === 'email_change' ? await findAccountByEmail(trx, to) : undefined;
          const hour = new Date().toISOString().slice(0, 13);
          await enqueueUnsolicitedMail(
            trx,
            config.rateLimits,
            owner && owner.id !== account.id
              ? { key: `address-in-use:${owner.id}:${hour}`, to, ...mailsIn(owner.language).addressInUse() }
              : { ...mail, ...mails.verificationCode({ code, purpose: input.purpose, ttlMs: input.ttlMs }) },
          );
        }
        return { codeHash, codeId };
      });
    },

    /**
     * Applies what a verified code proves. Idempotent: a retry finds the change already made.
     */
    async completeVerification(input: {
      accountId: string;
      purpose: CodePurpose;
      codeId: string;
      changeId?: string;
    }): Promise<CompleteVerificationResult> {
      const { idempotencyKey } = currentExecution();
      return db.transaction().execute(async (trx) => {
        const account = await trx
          .selectFrom('accounts')
          .selectAll()
          .where('id', '=', input.accountId)
          .forUpdate()
          .executeTakeFirst();
        if (!account) throw ApplicationFailure.nonRetryable('The account no longer exists', 'AccountGone');
        const issued = await trx
          .selectFrom('verification_codes')
          .select('target_email')
          .where('id', '=', input.codeId)
          .executeTakeFirst();
        await trx
          .deleteFrom('verification_codes')
          .where('account_id', '=', account.id)
          .where('purpose', '=', input.purpose)
          .execute();

        switch (input.purpose) {
          case 'signup':
            if (account.email_verified_at === null) {
              await trx
                .updateTable('accounts')
                .set({ email_verified_at: new Date(), updated_at: new Date() })
                .where('id', '=', account.id)
                .execute();
              await recordAudit(trx, { accountId: account.id, type: 'email_verified' });
            }
            return 'verified';

          case 'email_change': {
            const newEmail = account.pending_email;
            // Applied by an earlier attempt of this activity.
            if (newEmail === null && issued === undefined) return 'verified';
            // The code proves only the address it was mailed to: a newer request replaced it.
            if (newEmail === null || issued?.target_email !== newEmail) return 'superseded';
            if (await emailInUse(trx, newEmail, account.id)) return 'email_taken';
            await trx
              .updateTable('accounts')
              .set({ email: newEmail, pending_email: null, email_verified_at: new Date(), updated_at: new Date() })
              .where('id', '=', account.id)
              .execute();
            // Kept so a "This wasn't me" lock within 7 days can move the account back.
            await trx
              .insertInto('email_changes')
              .values({ account_id: account.id, old_email: account.email, new_email: newEmail })
              .execute();
            await recordAudit(trx, {
              accountId: account.id,
              type: 'email_changed',
              details: { to: maskEmail(newEmail) },
            });
            // The old address hears of it, with the lock link: if the change was not its owner's doing, they can undo it.
            await enqueueSecurityMail(trx, {
              publicUrl: config.publicUrl,
              accountId: account.id,
              key: `email-changed:${idempotencyKey}`,
              to: account.email,
              language: account.language,
              content: mailsIn(account.language).emailChanged({ newEmailMasked: maskEmail(newEmail) }),
            });
            return 'verified';
          }

          case 'two_factor_email':
            if (account.two_factor_method === 'email') return 'verified';
            if (account.two_factor_method !== null) return 'two_factor_conflict';
            await trx
              .updateTable('accounts')
              .set({ two_factor_method: 'email', updated_at: new Date() })
              .where('id', '=', account.id)
              .execute();
            await recordAudit(trx, { accountId: account.id, type: 'two_factor_enabled', details: { method: 'email' } });
            await enqueueSecurityMail(trx, {
              publicUrl: config.publicUrl,
              accountId: account.id,
              key: `two-factor-enabled:${idempotencyKey}`,
              to: account.email,
              language: account.language,
              content: mailsIn(account.language).mailAuthenticationEnabled(),
            });
            return 'verified';

          case 'confirm_closure':
          case 'replace_recovery_codes':
            // Proves the merchant reads the mail; the action itself is the API's next step.
            return 'verified';

          case 'two_factor_disable':
            await turnOffTwoFactor(trx, account, {
              key: `two-factor-disabled:${idempotencyKey}`,
              publicUrl: config.publicUrl,
            });
            return 'verified';

          case 'password_reset': {
            const change =
              input.changeId === undefined
                ? undefined
                : await findPreparedPasswordChange(trx, account.id, input.changeId);
            // Applied by an earlier attempt of this activity (which also deleted the codes).
            if (change === undefined) return issued === undefined ? 'verified' : 'superseded';
            await applyPasswordReset(trx, account, change.password_hash, {
              key: idempotencyKey,
              publicUrl: config.publicUrl,
            });
            return 'verified';
          }
        }
      });
    },
  };
}
