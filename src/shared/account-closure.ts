import { defineQuery, defineUpdate } from '@temporalio/workflow';

export interface AccountClosureInput {
  accountId: string;
  gracePeriodMs: number;
  /** Rows deleted per statement during the purge; small enough to keep locks short. */
  purgeBatchSize: number;
  /**
   * Set when the API closed the account (and fixed the purge date) before the flow was asked to
   * start, through the Temporal outbox: the flow may start late, and keeps these (epoch ms), not
   * dates of its own. Absent in flows started before the account was closed (older runs).
   */
  closedAt?: number;
  purgeAt?: number;
}

/** `closing` covers the first steps (integrations off, sessions revoked, mail) before the grace period. */
export type AccountClosureState = 'closing' | 'grace' | 'held' | 'purging' | 'purged' | 'reactivated';

export interface AccountClosureStatus {
  accountId: string;
  state: AccountClosureState;
  closedAt: number;
  purgeAt: number;
  holds: string[];
  purged: PurgedCounts;
}

/** The closure's answer to a message it will not take in its current state. */
export const CLOSURE_NOT_IN_GRACE = 'The account is not in its closure grace period';
/** The `type` of the ApplicationFailure the validators reject with then; callers branch on it, never on the message. */
export const CLOSURE_NOT_IN_GRACE_TYPE = 'ClosureNotInGrace';

export const reactivateUpdate = defineUpdate<{ reactivated: true }, []>('reactivate');
export const placeHoldUpdate = defineUpdate<{ holds: number }, [{ holdId: string }]>('placeRecoveryHold');
export const releaseHoldsUpdate = defineUpdate<{ released: number }, []>('releaseRecoveryHolds');
export const accountClosureStatusQuery = defineQuery<AccountClosureStatus>('status');

export const PURGED_TABLES = ['products', 'orders', 'integrations'] as const;
export type PurgedTable = (typeof PURGED_TABLES)[number];
/** Rows the purge deleted, per table. */
export type PurgedCounts = Record<PurgedTable, number>;
