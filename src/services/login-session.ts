import { rememberDevice } from '../db/repositories/device-cookies';
import { createSession } from '../db/repositories/sessions';
import type { RequestContext } from '../db/repositories/audit';
import { lockActiveAccount } from '../db/repositories/closure';
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
 * Issues the session once every factor has been checked, and records the client as a known
 * device of the account (its device cookie's token, or a new one). `account` may have been read
 * before a closure took effect, so the session is written under the account's lock and only
 * while it is active: a login never hands out a token that a closure has already made dead. A
 * closed account in its grace period comes back with a successful login; past it (purging,
 * purged), the login fails exactly as for an unknown email.
 */
export async function completeLogin(
  deps: ServiceDeps,
  account: Account,
  context: RequestContext,
): Promise<LoginOutcome> {
  assertNotLocked(account);
  // An expired password gets a session that can do one thing: change the password.
  const expired = isPasswordExpired(deps, account);
  let reactivated = false;
  // Twice at most: once as read, once more after reactivating a closed account.
  for (let attempt = 0; attempt < 2; attempt++) {
    const session = await deps.db.transaction().execute(async (trx) => {
      if (!(await lockActiveAccount(trx, account.id))) return undefined;
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
    if (reactivated || !(await reactivateByLogin(deps, account.id))) break;
    reactivated = true;
  }
  throw new DomainError('invalid_credentials');
}

// Long enough to choose a new password, short enough not to linger.
const PASSWORD_CHANGE_SESSION_TTL_MS = 15 * 60_000;
