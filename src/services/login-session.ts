import { rememberDevice } from '../db/repositories/device-cookies';
import { createSession } from '../db/repositories/sessions';
import type { RequestContext } from '../db/repositories/audit';
import { lockAccountForLogin, type LoginLockedAccount } from '../db/repositories/closure';
import type { Account } from '../db/database';
import { DomainError } from '../domain/errors';
import { reactivateByLogin } from './closure';
import { assertNotLocked } from './account-lock';
import type { ServiceDeps } from './deps';
import { noticeSignInDevice } from './new-device';
import { isPasswordExpired } from './password-rotation';

export type LoginResult =
  | { status: 'authenticated'; token: string; expiresAt: string; reactivated?: boolean }
  | { status: 'mfa_required'; challengeId: string; method: 'totp' | 'email' }
  | { status: 'password_expired'; token: string; expiresAt: string };

/** The answer to a login step, and the device token the client keeps once it has signed in. */
export interface LoginOutcome {
  result: LoginResult;
  deviceToken?: string;
}

/**
 * What must still hold when the session is written, checked on the account as locked then: the
 * password the login checked is still the password (or, after a second step, the challenge was
 * not ended since). Throws the answer the login gets otherwise.
 */
export type LoginStillValid = (locked: LoginLockedAccount) => void;

/** A password login: the password checked against `account` must still be the account's. */
export function passwordUnchangedSince(account: Pick<Account, 'password_changed_at'>): LoginStillValid {
  const checked = account.password_changed_at.getTime();
  return (locked) => {
    // Changed between the check and now: what was typed is no longer the password.
    if (locked.password_changed_at.getTime() !== checked) throw new DomainError('invalid_credentials');
  };
}

/** A second factor was turned on between a password-only login's check and its session: the login must go on to it. */
export class SecondFactorTurnedOn extends Error {}

/** A login by password alone: the password unchanged, and still no second factor to ask for. */
export function passwordOnlyLoginStillValid(account: Pick<Account, 'password_changed_at'>): LoginStillValid {
  const passwordUnchanged = passwordUnchangedSince(account);
  return (locked) => {
    passwordUnchanged(locked);
    if (locked.two_factor_method !== null) throw new SecondFactorTurnedOn();
  };
}

/**
 * Issues the session once every factor has been checked, and records the client as a known
 * device of the account (its device cookie's token, or a new one). `account` may have been read
 * before a closure, a lock or a password change took effect, so the session is written under the
 * account's lock, and only while the account is active, not locked, and `stillValid` agrees: a
 * login never hands out a token that one of those has already made dead or should have ended. A
 * closed account in its grace period comes back with a successful login; past it (purging,
 * purged), the login fails exactly as for an unknown email.
 */
export async function completeLogin(
  deps: ServiceDeps,
  account: Account,
  context: RequestContext,
  stillValid: LoginStillValid,
): Promise<LoginOutcome> {
  assertNotLocked(account);
  // An expired password gets a session that can do one thing: change the password.
  const expired = isPasswordExpired(deps, account);
  let reactivated = false;
  // Twice at most: once as read, once more after asking the closure flow to reactivate.
  for (let attempt = 0; attempt < 2; attempt++) {
    const session = await deps.db.transaction().execute(async (trx) => {
      const locked = await lockAccountForLogin(trx, account.id);
      if (!locked) return undefined;
      stillValid(locked);
      assertNotLocked(locked);
      if (locked.status !== 'active') return undefined;
      return createSession(trx, {
        accountId: account.id,
        scope: expired ? 'password_change' : 'full',
        ttlMs: expired ? PASSWORD_CHANGE_SESSION_TTL_MS : deps.config.durations.sessionTtlMs,
        context,
        audit: {
          accountId: account.id,
          type: 'login',
          context,
          details: { ...(expired && { passwordExpired: true }), ...(reactivated && { reactivated }) },
        },
      });
    });
    if (session) {
      await noticeSignInDevice(deps, account, context);
      const deviceToken = await rememberDevice(deps.db, account.id, context.deviceToken);
      const expiresAt = session.expiresAt.toISOString();
      if (expired) return { result: { status: 'password_expired', token: session.token, expiresAt }, deviceToken };
      return {
        result: { status: 'authenticated', token: session.token, expiresAt, ...(reactivated && { reactivated }) },
        deviceToken,
      };
    }
    if (attempt > 0) break;
    // False when the flow takes no reactivation: past its grace period, or ended, perhaps because
    // a login racing this one has just reactivated the account. The account as it then stands
    // decides: active, this login gets its session too; still closed, it fails.
    reactivated = await reactivateByLogin(deps, account.id);
  }
  throw new DomainError('invalid_credentials');
}

// Long enough to choose a new password, short enough not to linger.
const PASSWORD_CHANGE_SESSION_TTL_MS = 15 * 60_000;
