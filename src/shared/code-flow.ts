import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CodePurpose } from './workflow-ids';

// The one-time code flows (email verification, mail authentication, login by mail) share these
// messages. The API never sends a plain code: it sends an HMAC of it (see domain/codes.ts), so
// workflow history holds nothing a reader could type in.

/** A code may be tried this many times; the next try finds the code used up. */
export const MAX_CODE_ATTEMPTS = 5;

export interface CodeFlowInput {
  accountId: string;
  purpose: CodePurpose;
  ttlMs: number;
  resendCooldownMs: number;
}

export type CodeFlowState = 'awaiting_code' | 'verified' | 'expired' | 'locked' | 'rejected';

/**
 * What the API submits: the code's HMAC, and for a password reset either the id of the prepared
 * change the code confirms (a row id, never the password or its hash) or the refusal the API
 * already knows it must give (then a right code is checked, not used: the merchant picks
 * another password and enters the same code).
 */
export interface SubmitCodeInput {
  codeHash: string;
  changeId?: string;
  refusal?: 'password_reused';
}

export type SubmitCodeResult =
  | { result: 'verified' }
  | { result: 'password_reused' }
  | { result: 'invalid'; triesLeft: number }
  | { result: 'expired' }
  | { result: 'email_taken' }
  | { result: 'two_factor_conflict' };

export type ResendResult =
  { result: 'sent'; expiresAt: number } | { result: 'cooldown'; retryAfterMs: number } | { result: 'expired' };

export interface CodeFlowStatus {
  state: CodeFlowState;
  purpose: CodePurpose;
  expiresAt: number;
  attempts: number;
}

export const submitCodeUpdate = defineUpdate<SubmitCodeResult, [SubmitCodeInput]>('submitCode');
export const resendCodeUpdate = defineUpdate<ResendResult, []>('resendCode');
export const codeFlowStatusQuery = defineQuery<CodeFlowStatus>('status');
