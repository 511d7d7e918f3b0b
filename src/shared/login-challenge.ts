import { defineQuery, defineUpdate } from '@temporalio/workflow';

export type LoginMethod = 'totp' | 'email';

export interface LoginChallengeInput {
  challengeId: string;
  accountId: string;
  method: LoginMethod;
  ttlMs: number;
  /** When the API began the challenge (epoch ms); a password change at or after it ends the challenge. Absent in challenges begun before it existed. */
  issuedAt?: number;
  /**
   * The password_changed_at (epoch ms) of the password the first step checked: the challenge
   * completes only while it is still the password. Absent in challenges begun before it existed.
   */
  passwordChangedAt?: number;
}

export type LoginChallengeState = 'pending' | 'passed' | 'expired' | 'locked';

/**
 * A factor to weigh. A mailed code comes as its HMAC, checked here. A TOTP or recovery code is
 * checked by the API against the database (the secret and hashes live there) and arrives as a
 * verdict, so no code in any form enters history.
 */
export type LoginFactor = { kind: 'mailed_code'; codeHash: string } | { kind: 'checked'; valid: boolean };

export type LoginFactorResult = { result: 'passed' } | { result: 'invalid'; triesLeft: number } | { result: 'expired' };

export interface LoginChallengeStatus {
  accountId: string;
  method: LoginMethod;
  state: LoginChallengeState;
  expiresAt: number;
  issuedAt?: number;
  passwordChangedAt?: number;
}

export const submitLoginFactorUpdate = defineUpdate<LoginFactorResult, [LoginFactor]>('submitLoginFactor');
export const loginChallengeStatusQuery = defineQuery<LoginChallengeStatus>('status');
