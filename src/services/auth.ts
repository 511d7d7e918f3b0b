import { DomainError } from '../domain/errors';
import { findAccountByEmail, findAccountById, insertAccount } from '../db/repositories/accounts';
import { findKnownDevice } from '../db/repositories/device-cookies';
import { recordAudit, type RequestContext } from '../db/repositories/audit';
import { revokeSession } from '../db/repositories/sessions';
import type { Language } from '../domain/language';
import { mailsIn } from '../mail/copy';
import { enqueueUnsolicitedMail } from '../mail/recipient-cap';
import { assertNotLocked } from './account-lock';
import type { ServiceDeps } from './deps';
import { beginLoginChallenge } from './login-challenge';
import { completeLogin, type LoginOutcome, passwordOnlyLoginStillValid, SecondFactorTurnedOn } from './login-session';
import { deliverCommitted, queueTemporalCommand } from './temporal-outbox';

/**
 * Sign-up. The answer is the same whether or not the address already has an account, so the
 * endpoint cannot be used to find out who is registered: an existing owner gets a mail instead.
 */
export async function register(
  deps: ServiceDeps,
  input: { email: string; password: string; language: Language },
  context: RequestContext,
): Promise<void> {
  // Before the hash, the costliest step: a refused burst costs the service next to nothing.
  await deps.rateLimits.beginSignup(context.ip);
  const passwordHash = await deps.passwords.hash(input.password);
  const flows = await deps.db.transaction().execute(async (trx) => {
    const created = await insertAccount(trx, { email: input.email, passwordHash, language: input.language });
    if (created) {
      await recordAudit(trx, { accountId: created.id, type: 'signup', context });
      // The address check and the rotation cycle are committed with the account: should Temporal
      // be out of reach, they start once it is back.
      return Promise.all([
        queueTemporalCommand(trx, deps.config, { kind: 'start_code_flow', accountId: created.id, purpose: 'signup' }),
        queueTemporalCommand(trx, deps.config, {
          kind: 'password_changed',
          accountId: created.id,
          changedAt: created.password_changed_at.getTime(),
        }),
      ]);
    }
    const existing = await findAccountByEmail(trx, input.email);
    if (existing) {
      // One notice per address and hour is plenty; the key folds repeats together.
      const hour = new Date().toISOString().slice(0, 13);
      await enqueueUnsolicitedMail(trx, deps.config.rateLimits, {
        key: `signup-attempt:${existing.id}:${hour}`,
        to: existing.email,
        ...mailsIn(existing.language).signupAttempt(),
      });
    }
    return [];
  });
  // Delivered after the answer is decided and without delaying it: a new address and a taken one
  // must take the same time, or the timing would tell them apart.
  void deliverCommitted(deps, flows);
}

/**
 * Password login. Unknown email and wrong password get the same answer in comparable time. A
 * client that has signed in to the account before (its device cookie names a known device) is
 * counted on its own budget: strangers' failures cannot lock the owner out (see README, Lockout).
 */
export async function login(
  deps: ServiceDeps,
  input: { email: string; password: string },
  context: RequestContext,
): Promise<LoginOutcome> {
  const knownDevice =
    context.deviceToken === undefined ? undefined : await findKnownDevice(deps.db, input.email, context.deviceToken);
  const client = knownDevice && { knownDeviceId: knownDevice.id };
  // Counted by the email as typed, known or not, so the limit itself reveals nothing.
  await deps.rateLimits.beginPasswordAttempt(input.email, context.ip, client);
  const account = await findAccountByEmail(deps.db, input.email);
  if (!account) {
    await deps.passwords.burnVerification(input.password);
    throw new DomainError('invalid_credentials');
  }
  if (!(await deps.passwords.verify(account.password_hash, input.password))) {
    await recordAudit(deps.db, {
      accountId: account.id,
      type: 'login_failed',
      context,
      details: { reason: 'password' },
    });
    throw new DomainError('invalid_credentials');
  }
  await deps.rateLimits.passwordAccepted(input.email, context.ip, client);
  // Only past the password: a lock is no business of someone who does not know it.
  assertNotLocked(account);
  if (account.two_factor_method !== null) return { result: await beginLoginChallenge(deps, account) };
  try {
    return await completeLogin(deps, account, context, passwordOnlyLoginStillValid(account));
  } catch (error) {
    if (!(error instanceof SecondFactorTurnedOn)) throw error;
    // Turned on while this login was on its way: the password is right, the new factor is still owed.
    const now = await findAccountById(deps.db, account.id);
    // On and off again within this login's few milliseconds (or the account gone): it starts over.
    if (now === undefined || now.two_factor_method === null) throw new DomainError('invalid_credentials');
    return { result: await beginLoginChallenge(deps, now) };
  }
}

export async function logout(
  deps: ServiceDeps,
  auth: { accountId: string; sessionId: string },
  context: RequestContext,
): Promise<void> {
  await revokeSession(deps.db, auth.sessionId);
  await recordAudit(deps.db, { accountId: auth.accountId, type: 'logout', context });
}
