import type { Account } from '../db/database';
import { type PasswordRotationInput, passwordChangedSignal } from '../shared/password-rotation';
import { ACCOUNT_ID, PASSWORD_ROTATION_STATE } from '../shared/temporal';
import { passwordRotationWorkflowId } from '../shared/workflow-ids';
import type { passwordRotationWorkflow } from '../workflows';
import type { ServiceDeps } from './deps';

/**
 * Makes sure the account's rotation flow runs and knows the latest password change: starts it
 * when missing (sign-up, or an account from before the flow existed), signals it otherwise.
 */
export async function notifyPasswordRotation(
  deps: Pick<ServiceDeps, 'config' | 'temporal'>,
  account: Pick<Account, 'id' | 'password_changed_at'>,
): Promise<void> {
  const changedAt = account.password_changed_at.getTime();
  const input: PasswordRotationInput = {
    accountId: account.id,
    changedAt,
    maxAgeMs: deps.config.durations.passwordMaxAgeMs,
    remindersMs: deps.config.durations.passwordRemindersMs,
  };
  await deps.temporal.workflow.signalWithStart<typeof passwordRotationWorkflow, [{ changedAt: number }]>(
    'passwordRotationWorkflow',
    {
      workflowId: passwordRotationWorkflowId(account.id),
      taskQueue: deps.config.temporal.taskQueue,
      args: [input],
      signal: passwordChangedSignal,
      signalArgs: [{ changedAt }],
      typedSearchAttributes: [
        { key: ACCOUNT_ID, value: account.id },
        { key: PASSWORD_ROTATION_STATE, value: 'current' },
      ],
    },
  );
}

/** Expired when the flow said so, or when the clock says so: the database decides, even if the flow lags. */
export function isPasswordExpired(
  deps: ServiceDeps,
  account: Pick<Account, 'password_changed_at' | 'password_expired_at'>,
  now = Date.now(),
): boolean {
  return (
    account.password_expired_at !== null ||
    account.password_changed_at.getTime() + deps.config.durations.passwordMaxAgeMs <= now
  );
}

export function passwordExpiry(deps: ServiceDeps, account: Pick<Account, 'password_changed_at'>): Date {
  return new Date(account.password_changed_at.getTime() + deps.config.durations.passwordMaxAgeMs);
}
