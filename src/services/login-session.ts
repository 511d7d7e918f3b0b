import { createSession } from '../db/repositories/sessions';
import type { RequestContext } from '../db/repositories/audit';
import type { Account } from '../db/database';
import { DomainError } from '../domain/errors';
import { reactivateByLogin } from './closure';
import type { ServiceDeps } from './deps';
import { isPasswordExpired } from './password-rotation';

export type LoginResult =
  | { status: 'authenticated'; token: string; expiresAt: string; reactivated?: boolean }
  | { status: 'mfa_required'; challengeId: string; method: 'totp' | 'email' }
  | { status: 'password_expired'; token: string; expiresAt: string };

/** Issues the session once every factor has been checked. */
export async function completeLogin(deps: ServiceDeps, account: Account, context: RequestContext): Promise<LoginResult> {
  // A closed account in its grace period comes back with a successful login; past it (purging),
  // the login fails exactly as for an unknown email.
  let reactivated = false;
  if (account.status === 'closed') {
    if (!(await reactivateByLogin(deps, account.id))) throw new DomainError('invalid_credentials');
    reactivated = true;
  }
  // An expired password gets a session that can do one thing: change the password.
  const expired = isPasswordExpired(deps, account);
  const session = await createSession(deps.db, {
    accountId: account.id,
    scope: expired ? 'password_change' : 'full',
    ttlMs: expired ? PASSWORD_CHANGE_SESSION_TTL_MS : deps.config.durations.sessionTtlMs,
    context,
    audit: { accountId: account.id, type: 'login', context, details: expired ? { passwordExpired: true } : {} },
  });
  const expiresAt = session.expiresAt.toISOString();
  if (expired) return { status: 'password_expired', token: session.token, expiresAt };
  return { status: 'authenticated', token: session.token, expiresAt, ...(reactivated && { reactivated }) };
}

// Long enough to choose a new password, short enough not to linger.
const PASSWORD_CHANGE_SESSION_TTL_MS = 15 * 60_000;
