import { defineQuery, defineSignal } from '@temporalio/workflow';

export interface PasswordRotationInput {
  accountId: string;
  /** When the current password was set (epoch ms, as stored in accounts.password_changed_at). */
  changedAt: number;
  maxAgeMs: number;
  /** How long before expiry each reminder goes out, e.g. [14d, 7d, 1d] in ms. */
  remindersMs: number[];
}

export type PasswordRotationState = 'current' | 'reminded' | 'expired';

export interface PasswordRotationStatus {
  state: PasswordRotationState;
  changedAt: number;
  expiresAt: number;
  /** The next reminder's time, or null when none is left in this cycle. */
  nextReminderAt: number | null;
}

/** Sent on every password change: the cycle restarts from `changedAt`. */
export const passwordChangedSignal = defineSignal<[{ changedAt: number }]>('passwordChanged');
export const passwordRotationStatusQuery = defineQuery<PasswordRotationStatus>('status');
