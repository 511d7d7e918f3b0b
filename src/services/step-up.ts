import type { Account } from '../db/database';
import type { RequestContext } from '../db/repositories/audit';
import { DomainError } from '../domain/errors';
import type { CodePurpose } from '../shared/workflow-ids';
import { mailNewCode } from './code-flows';
import type { ServiceDeps } from './deps';
import { verifySecondFactor } from './second-factor';

/** The actions a signed-in merchant confirms with the second factor, each with its own mailed code. */
export type StepUpPurpose = Extract<CodePurpose, 'confirm_closure' | 'replace_recovery_codes'>;

/**
 * Asks a signed-in merchant with 2FA on for a second factor before a sensitive action: a current
 * TOTP, a recovery code, or (mail authentication) a code mailed for this purpose. Without a code,
 * mail authentication first mails one; either way the answer names the missing `code` field.
 */
export async function assertSecondFactor(
  deps: ServiceDeps,
  account: Account,
  code: string | undefined,
  context: RequestContext,
  purpose: StepUpPurpose,
): Promise<void> {
  if (account.two_factor_method === null) return;
  if (code === undefined) {
    // With mail authentication, the code to confirm with is mailed now.
    if (account.two_factor_method === 'email') await mailNewCode(deps, account.id, purpose);
    throw new DomainError('validation_failed', 'Two-factor authentication is on: a code is required', {
      errors: [
        {
          field: 'code',
          code: 'required',
          message:
            account.two_factor_method === 'email'
              ? 'enter the code just mailed to you'
              : 'enter the code from your authenticator app',
        },
      ],
    });
  }
  await deps.rateLimits.consumeCodeAttempt(account.id, context.ip);
  await verifySecondFactor(deps, account, code, purpose, context);
}
