import { randomUUID } from 'node:crypto';
import QRCode from 'qrcode';
import { ProblemError } from '../api/errors';
import type { Auth } from '../api/middleware/auth';
import { codeScope, hashCode } from '../domain/codes';
import { normalizeRecoveryCode } from '../domain/recovery-codes';
import { deriveKey, open, seal } from '../domain/secret-box';
import { matchTotp, newTotpSecret, totpUri } from '../domain/totp';
import type { Account } from '../db/database';
import { recordAudit, type RequestContext } from '../db/repositories/audit';
import { enqueueMail } from '../db/repositories/outbox';
import {
  claimTotpStep,
  findUnusedRecoveryCode,
  replaceRecoveryCodes,
  turnOffTwoFactor,
  useRecoveryCode,
} from '../db/repositories/two-factor';
import { noticeMail } from '../mail/templates';
import {
  type LoginChallengeInput,
  loginChallengeStatusQuery,
  type LoginFactor,
  submitLoginFactorUpdate,
} from '../shared/login-challenge';
import { ACCOUNT_ID, LOGIN_CHALLENGE_STATE } from '../shared/temporal';
import { loginChallengeWorkflowId } from '../shared/workflow-ids';
import type { loginChallengeWorkflow } from '../workflows';
import { loadAccount, throwUnlessVerified } from './account';
import { completeLogin, type LoginResult } from './auth';
import { assertCodeCooldown, startCodeFlow, submitCode } from './code-flows';
import type { ServiceDeps } from './deps';
import { verifyCurrentPassword } from './password';

const totpKey = (deps: ServiceDeps) => deriveKey(deps.config.secretKey, 'totp-secret');

function assertNoMethod(account: Account): void {
  if (account.two_factor_method !== null) {
    throw new ProblemError('two_factor_conflict', `Two-factor authentication by ${account.two_factor_method} is already on; turn it off first`);
  }
}

// ---- Google Authenticator (TOTP) ----

export interface TotpSetup {
  otpauthUri: string;
  secret: string;
  qrCode: string;
  expiresAt: string;
}

/** Starts (or restarts) a TOTP setup; it stays off until confirmed with a code before it expires. */
export async function startTotpSetup(deps: ServiceDeps, accountId: string): Promise<TotpSetup> {
  const account = await loadAccount(deps, accountId);
  assertNoMethod(account);
  const secret = newTotpSecret();
  const expiresAt = new Date(Date.now() + deps.config.durations.totpSetupTtlMs);
  await deps.db
    .insertInto('totp_credentials')
    .values({ account_id: accountId, secret_encrypted: seal(totpKey(deps), secret), setup_expires_at: expiresAt })
    .onConflict((oc) =>
      oc.column('account_id').doUpdateSet({ secret_encrypted: (eb) => eb.ref('excluded.secret_encrypted'), setup_expires_at: expiresAt, confirmed_at: null, last_used_step: null }),
    )
    .execute();
  const otpauthUri = totpUri(secret, account.email);
  return { otpauthUri, secret, qrCode: await QRCode.toDataURL(otpauthUri, { errorCorrectionLevel: 'M' }), expiresAt: expiresAt.toISOString() };
}

/** Turns TOTP on with a first valid code, and hands out the recovery codes (this once). */
export async function confirmTotp(deps: ServiceDeps, accountId: string, code: string, context: RequestContext): Promise<string[]> {
  return deps.db.transaction().execute(async (trx) => {
    const account = await trx.selectFrom('accounts').selectAll().where('id', '=', accountId).forUpdate().executeTakeFirstOrThrow();
    assertNoMethod(account);
    const credential = await trx.selectFrom('totp_credentials').selectAll().where('account_id', '=', accountId).executeTakeFirst();
    if (!credential || credential.setup_expires_at.getTime() <= Date.now()) {
      throw new ProblemError('code_expired', 'There is no TOTP setup waiting, or it has expired; start again');
    }
    const step = matchTotp(open(totpKey(deps), credential.secret_encrypted), code);
    if (step === undefined || !(await claimTotpStep(trx, accountId, step))) throw new ProblemError('code_invalid');
    await trx.updateTable('totp_credentials').set({ confirmed_at: new Date() }).where('account_id', '=', accountId).execute();
    await trx.updateTable('accounts').set({ two_factor_method: 'totp', updated_at: new Date() }).where('id', '=', accountId).execute();
    await recordAudit(trx, { accountId, type: 'two_factor_enabled', context, details: { method: 'totp' } });
    await enqueueMail(trx, {
      key: `two-factor-enabled:totp:${accountId}:${step}`,
      to: account.email,
      ...noticeMail('Google Authenticator is on', 'From now on, signing in to ConnectProf asks for the code from your authenticator app.'),
    });
    return replaceRecoveryCodes(trx, deps.config.secretKey, accountId);
  });
}

// ---- Mail authentication ----

export async function startMailAuthentication(deps: ServiceDeps, accountId: string): Promise<void> {
  const account = await loadAccount(deps, accountId);
  assertNoMethod(account);
  if (account.email_verified_at === null) throw new ProblemError('conflict', 'Verify your email address before turning on mail authentication');
  await assertCodeCooldown(deps, accountId, 'two_factor_email');
  await startCodeFlow(deps, accountId, 'two_factor_email');
}

export async function confirmMailAuthentication(deps: ServiceDeps, accountId: string, code: string): Promise<string[]> {
  throwUnlessVerified(await submitCode(deps, accountId, 'two_factor_email', code));
  // Issued here, not in the flow: recovery codes in clear must never pass through history.
  return replaceRecoveryCodes(deps.db, deps.config.secretKey, accountId);
}

// ---- Checking a second factor ----

interface CheckedFactor {
  valid: boolean;
  /** Makes the acceptance final (claims the TOTP step, uses the recovery code); false if another request won. */
  commit(): Promise<boolean>;
  usedRecoveryCode: boolean;
}

/** Checks a TOTP or recovery code against the database, without using it yet. */
async function checkStoredFactor(deps: ServiceDeps, account: Account, code: string): Promise<CheckedFactor> {
  const recovery = normalizeRecoveryCode(code);
  if (recovery !== undefined) {
    const id = await findUnusedRecoveryCode(deps.db, deps.config.secretKey, account.id, recovery);
    return { valid: id !== undefined, usedRecoveryCode: true, commit: async () => id !== undefined && useRecoveryCode(deps.db, id) };
  }
  if (account.two_factor_method === 'totp') {
    const credential = await deps.db.selectFrom('totp_credentials').selectAll().where('account_id', '=', account.id).executeTakeFirst();
    const afterStep = credential?.last_used_step ? Number(credential.last_used_step) : undefined;
    const step = credential?.confirmed_at ? matchTotp(open(totpKey(deps), credential.secret_encrypted), code, { afterStep }) : undefined;
    return { valid: step !== undefined, usedRecoveryCode: false, commit: async () => step !== undefined && claimTotpStep(deps.db, account.id, step) };
  }
  return { valid: false, usedRecoveryCode: false, commit: async () => false };
}

/**
 * Checks a second factor outside a login (turning 2FA off, closing the account): a current
 * TOTP, or a recovery code. Uses it when valid.
 */
export async function verifyStoredFactor(deps: ServiceDeps, account: Account, code: string, context: RequestContext): Promise<boolean> {
  const factor = await checkStoredFactor(deps, account, code);
  const ok = factor.valid && (await factor.commit());
  if (ok && factor.usedRecoveryCode) await recordAudit(deps.db, { accountId: account.id, type: 'recovery_code_used', context });
  if (!ok) await recordAudit(deps.db, { accountId: account.id, type: 'two_factor_failed', context });
  return ok;
}

// ---- Turning it off ----

/**
 * Turns 2FA off with the password and a code: a current TOTP or recovery code, or, for mail
 * authentication, a mailed code. Without a code, mail authentication first mails one.
 */
export async function disableTwoFactor(
  deps: ServiceDeps,
  auth: Auth,
  input: { password: string; code?: string },
  context: RequestContext,
): Promise<'disabled' | 'code_sent'> {
  const account = await loadAccount(deps, auth.accountId);
  await verifyCurrentPassword(deps, account, input.password, context, 'two_factor_disable');
  if (account.two_factor_method === null) throw new ProblemError('conflict', 'Two-factor authentication is not on');

  if (input.code === undefined) {
    if (account.two_factor_method !== 'email') throw new ProblemError('validation_failed', 'A code is required', { errors: [{ field: 'code', code: 'required', message: 'is required' }] });
    await assertCodeCooldown(deps, account.id, 'two_factor_disable');
    await startCodeFlow(deps, account.id, 'two_factor_disable');
    return 'code_sent';
  }
  if (account.two_factor_method === 'email' && /^\d{6}$/.test(input.code)) {
    // The flow's activity turns it off once the mailed code is right.
    throwUnlessVerified(await submitCode(deps, account.id, 'two_factor_disable', input.code));
    return 'disabled';
  }
  if (!(await verifyStoredFactor(deps, account, input.code, context))) throw new ProblemError('code_invalid');
  await deps.db.transaction().execute((trx) => turnOffTwoFactor(trx, account, `two-factor-disabled:${account.id}:${Date.now()}`, context));
  return 'disabled';
}

// ---- Login challenges ----

export async function beginLoginChallenge(deps: ServiceDeps, account: Account): Promise<LoginResult> {
  const method = account.two_factor_method!;
  const challengeId = randomUUID();
  const input: LoginChallengeInput = { challengeId, accountId: account.id, method, ttlMs: deps.config.durations.loginChallengeTtlMs };
  await deps.temporal.workflow.start<typeof loginChallengeWorkflow>('loginChallengeWorkflow', {
    workflowId: loginChallengeWorkflowId(challengeId),
    taskQueue: deps.config.temporal.taskQueue,
    args: [input],
    typedSearchAttributes: [
      { key: ACCOUNT_ID, value: account.id },
      { key: LOGIN_CHALLENGE_STATE, value: 'pending' },
    ],
  });
  return { status: 'mfa_required', challengeId, method };
}

/** Completes a login with the challenge's code (TOTP, mailed, or recovery), then issues the session. */
export async function verifyLoginChallenge(deps: ServiceDeps, challengeId: string, code: string, context: RequestContext): Promise<LoginResult> {
  const workflowId = loginChallengeWorkflowId(challengeId);
  const handle = deps.temporal.workflow.getHandle(workflowId);
  const status = await handle.query(loginChallengeStatusQuery).catch(() => undefined);
  if (!status || status.state !== 'pending') throw new ProblemError('code_expired', 'The sign-in has expired or was completed; sign in again');
  await deps.rateLimits.consumeCodeAttempt(status.accountId, context.ip);
  const account = await loadAccount(deps, status.accountId);

  const mailed = status.method === 'email' && /^\d{6}$/.test(code);
  const stored = mailed ? undefined : await checkStoredFactor(deps, account, code);
  const factor: LoginFactor = mailed ? { kind: 'mailed_code', codeHash: hashCode(deps.config.secretKey, codeScope(workflowId, 'login'), code) } : { kind: 'checked', valid: stored!.valid };
  const verdict = await handle.executeUpdate(submitLoginFactorUpdate, { args: [factor] }).catch(() => ({ result: 'expired' as const }));

  if (verdict.result === 'invalid') {
    await recordAudit(deps.db, { accountId: account.id, type: 'two_factor_failed', context, details: { triesLeft: verdict.triesLeft } });
    throw new ProblemError('code_invalid', `The code is not right; ${verdict.triesLeft} tries left`, { triesLeft: verdict.triesLeft });
  }
  if (verdict.result === 'expired') throw new ProblemError('code_expired', 'The sign-in has expired or was completed; sign in again');
  // Passed: make the code's use final. A replay that raced us loses here.
  if (stored && !(await stored.commit())) throw new ProblemError('code_invalid', 'This code was already used');
  if (stored?.usedRecoveryCode) await recordAudit(deps.db, { accountId: account.id, type: 'recovery_code_used', context });
  return completeLogin(deps, account, context);
}
