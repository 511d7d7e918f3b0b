import { DomainError } from '../domain/errors';
import type { Language } from '../domain/language';
import type { Account } from '../db/database';
import { findAccountById, findAccountSettled, normalizeEmail } from '../db/repositories/accounts';
import { recordAudit, type RequestContext } from '../db/repositories/audit';
import { maskEmail } from '../mail/mask-email';
import { type ProfileField, type ProfilePatch, missingForSupport } from '../domain/profile';
import { passwordExpiry } from './password-rotation';
import { assertCodeCooldown, mailNewCode, resendCode, submitCodeForChange, throwUnlessVerified } from './code-flows';
import { verifyCurrentPassword } from './current-password';
import type { ServiceDeps } from './deps';
import { lockForSessionWrite } from './session-writes';
import { deliverCommitted, queueTemporalCommand } from './temporal-outbox';

export interface AccountView {
  id: string;
  email: string;
  emailVerified: boolean;
  pendingEmail: string | null;
  fullName: string | null;
  tradeName: string | null;
  country: string | null;
  city: string | null;
  dateOfBirth: string | null;
  phone: string | null;
  status: 'active' | 'closed';
  roles: string[];
  twoFactor: { method: 'totp' | 'email' | null; recoveryCodesLeft: number };
  passwordChangedAt: string;
  passwordExpiresAt: string;
  language: Language;
  createdAt: string;
}

export async function loadAccount(deps: ServiceDeps, accountId: string): Promise<Account> {
  const account = await findAccountById(deps.db, accountId);
  if (!account) throw new DomainError('not_found', 'The account does not exist');
  return account;
}

/** The profile fields under their API names. */
function profileOf(account: Account): Record<ProfileField, string | null> {
  return {
    fullName: account.full_name,
    tradeName: account.trade_name,
    country: account.country,
    city: account.city,
    dateOfBirth: account.date_of_birth,
    phone: account.phone,
  };
}

/** What the API shows besides the account row, read with the caller's session. */
export interface SessionExtras {
  roles: readonly string[];
  recoveryCodesLeft: number;
}

/** The account as the API shows it; roles and the recovery-code count come with the caller's session. */
export function accountView(
  deps: ServiceDeps,
  account: Account,
  { roles, recoveryCodesLeft }: SessionExtras,
): AccountView {
  return {
    id: account.id,
    email: account.email,
    emailVerified: account.email_verified_at !== null,
    pendingEmail: account.pending_email,
    ...profileOf(account),
    status: account.status,
    roles: [...roles],
    twoFactor: { method: account.two_factor_method, recoveryCodesLeft },
    passwordChangedAt: account.password_changed_at.toISOString(),
    passwordExpiresAt: passwordExpiry(deps, account).toISOString(),
    language: account.language,
    createdAt: account.created_at.toISOString(),
  };
}

const COLUMNS: Record<ProfileField, 'full_name' | 'trade_name' | 'country' | 'city' | 'date_of_birth' | 'phone'> = {
  fullName: 'full_name',
  tradeName: 'trade_name',
  country: 'country',
  city: 'city',
  dateOfBirth: 'date_of_birth',
  phone: 'phone',
};

export async function updateProfile(
  deps: ServiceDeps,
  accountId: string,
  patch: ProfilePatch,
  context: RequestContext,
): Promise<Account> {
  const { language, ...profile } = patch;
  const fields = Object.keys(profile) as ProfileField[];
  return deps.db.transaction().execute(async (trx) => {
    await lockForSessionWrite(trx, accountId, context, 'update');
    const changes = Object.fromEntries(fields.map((field) => [COLUMNS[field], profile[field] ?? null]));
    const account = await trx
      .updateTable('accounts')
      .set({ ...changes, ...(language && { language }), updated_at: new Date() })
      .where('id', '=', accountId)
      .returningAll()
      .executeTakeFirstOrThrow();
    // The names of the fields, never their values: the trail must not copy personal data.
    const changed = language ? [...fields, 'language'] : fields;
    if (changed.length > 0)
      await recordAudit(trx, { accountId, type: 'profile_updated', context, details: { fields: changed } });
    return account;
  });
}

/**
 * Starts verification of a new address. The current address stays in force (login, mail) until
 * the code sent to the new one is entered. The current password is required: a stolen session
 * alone cannot move the account to another address. The answer is the same whether or not the
 * address belongs to another account (the flow then tells that account's owner instead of
 * mailing a code), so the request cannot be used to find out who is registered.
 */
export async function requestEmailChange(
  deps: ServiceDeps,
  accountId: string,
  request: { email: string; password: string },
  context: RequestContext,
): Promise<void> {
  const newEmail = normalizeEmail(request.email);
  const account = await loadAccount(deps, accountId);
  await verifyCurrentPassword(deps, account, request.password, context, 'email_change');
  if (newEmail === account.email) throw new DomainError('conflict', 'This is already the email of the account');
  // Each request mails an address the merchant names: the cooldown keeps that from becoming a
  // way to flood someone's mailbox (and the recipient cap, across accounts).
  await assertCodeCooldown(deps, accountId, 'email_change');
  const verification = await deps.db.transaction().execute(async (trx) => {
    await lockForSessionWrite(trx, accountId, context, 'update');
    await trx
      .updateTable('accounts')
      .set({ pending_email: newEmail, updated_at: new Date() })
      .where('id', '=', accountId)
      .execute();
    await recordAudit(trx, {
      accountId,
      type: 'email_change_requested',
      context,
      details: { to: maskEmail(newEmail) },
    });
    // The pending address and the flow that verifies it are committed together.
    return queueTemporalCommand(trx, deps.config, { kind: 'start_code_flow', accountId, purpose: 'email_change' });
  });
  await deliverCommitted(deps, [verification]);
}

/** Which purpose the account's address flow serves right now: a pending change, or the sign-up check. */
function addressPurpose(account: Account): 'email_change' | 'signup' | undefined {
  if (account.pending_email !== null) return 'email_change';
  if (account.email_verified_at === null) return 'signup';
  return undefined;
}

/** Submits the code to the flow verifying the account's new or unverified address (`account` as read with the session). */
export async function verifyEmail(deps: ServiceDeps, account: Account, code: string): Promise<void> {
  const purpose = addressPurpose(account);
  if (purpose === undefined) throw new DomainError('code_expired', 'There is no address waiting for verification');
  const verdict = await submitCodeForChange(deps, account.id, purpose, code, async () => {
    const now = await findAccountSettled(deps.db, account.id);
    if (now === undefined) return false;
    if (purpose === 'signup') return now.email_verified_at !== null;
    return now.email === account.pending_email && now.pending_email === null;
  });
  throwUnlessVerified(verdict);
}

/** Re-sends the code, or starts a new flow when the last one has ended (expired or used up). */
export async function resendEmailCode(deps: ServiceDeps, accountId: string): Promise<void> {
  const account = await loadAccount(deps, accountId);
  const purpose = addressPurpose(account);
  if (purpose === undefined) throw new DomainError('conflict', 'There is no address waiting for verification');
  const outcome = await resendCode(deps, accountId, purpose);
  if (outcome.result === 'sent') return;
  if (outcome.result === 'cooldown') {
    const seconds = Math.ceil(outcome.retryAfterMs / 1000);
    throw new DomainError('rate_limited', `A new code can be sent in ${seconds} s`, { retryAfterSeconds: seconds });
  }
  // The flow has ended: a new one, once the last code's cooldown has passed.
  await mailNewCode(deps, accountId, purpose);
}

export async function supportReadiness(deps: ServiceDeps, accountId: string): Promise<string[]> {
  const account = await loadAccount(deps, accountId);
  return missingForSupport({ ...profileOf(account), emailVerified: account.email_verified_at !== null });
}
