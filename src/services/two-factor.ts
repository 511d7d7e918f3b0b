import QRCode from 'qrcode';
import type { Account } from '../db/database';
import { findAccountSettled } from '../db/repositories/accounts';
import { recordAudit, type RequestContext } from '../db/repositories/audit';
import { enqueueSecurityMail } from '../db/repositories/security-mail';
import { claimTotpStep, replaceRecoveryCodes, turnOffTwoFactor } from '../db/repositories/two-factor';
import { DomainError } from '../domain/errors';
import { open, seal } from '../domain/secret-box';
import { matchTotp, newTotpSecret, totpUri } from '../domain/totp';
import { mailsIn } from '../mail/copy';
import { loadAccount } from './account';
import type { Auth } from './caller';
import { mailNewCode, submitCodeForChange, throwUnlessVerified } from './code-flows';
import type { ServiceDeps } from './deps';
import { verifyCurrentPassword } from './password';
import { factorKind, totpKey, verifySecondFactor } from './second-factor';
import { lockForSessionWrite } from './session-writes';

function assertNoMethod(account: Account): void {
  if (account.two_factor_method !== null) {
    throw new DomainError(
      'two_factor_conflict',
      `Two-factor authentication by ${account.two_factor_method} is already on; turn it off first`,
    );
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
      oc.column('account_id').doUpdateSet({
        secret_encrypted: (eb) => eb.ref('excluded.secret_encrypted'),
        setup_expires_at: expiresAt,
        confirmed_at: null,
        last_used_step: null,
      }),
    )
    .execute();
  const otpauthUri = totpUri(secret, account.email);
  return {
    otpauthUri,
    secret,
    qrCode: await QRCode.toDataURL(otpauthUri, { errorCorrectionLevel: 'M' }),
    expiresAt: expiresAt.toISOString(),
  };
}

/** Turns TOTP on with a first valid code, and hands out the recovery codes (this once). */
export async function confirmTotp(
  deps: ServiceDeps,
  accountId: string,
  code: string,
  context: RequestContext,
): Promise<string[]> {
  return deps.db.transaction().execute(async (trx) => {
    await lockForSessionWrite(trx, accountId, context, 'update');
    const account = await trx
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', accountId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    assertNoMethod(account);
    const credential = await trx
      .selectFrom('totp_credentials')
      .selectAll()
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!credential || credential.setup_expires_at.getTime() <= Date.now()) {
      throw new DomainError('code_expired', 'There is no TOTP setup waiting, or it has expired; start again');
    }
    const step = matchTotp(open(totpKey(deps), credential.secret_encrypted), code);
    if (step === undefined || !(await claimTotpStep(trx, accountId, step))) throw new DomainError('code_invalid');
    await trx
      .updateTable('totp_credentials')
      .set({ confirmed_at: new Date() })
      .where('account_id', '=', accountId)
      .execute();
    await trx
      .updateTable('accounts')
      .set({ two_factor_method: 'totp', updated_at: new Date() })
      .where('id', '=', accountId)
      .execute();
    await recordAudit(trx, { accountId, type: 'two_factor_enabled', context, details: { method: 'totp' } });
    await enqueueSecurityMail(trx, {
      publicUrl: deps.config.publicUrl,
      accountId,
      key: `two-factor-enabled:totp:${accountId}:${step}`,
      to: account.email,
      language: account.language,
      content: mailsIn(account.language).authenticatorEnabled(),
    });
    return replaceRecoveryCodes(trx, deps.config.secretKey, accountId);
  });
}

// ---- Mail authentication ----

export async function startMailAuthentication(deps: ServiceDeps, accountId: string): Promise<void> {
  const account = await loadAccount(deps, accountId);
  assertNoMethod(account);
  if (account.email_verified_at === null)
    throw new DomainError('conflict', 'Verify your email address before turning on mail authentication');
  await mailNewCode(deps, accountId, 'two_factor_email');
}

export async function confirmMailAuthentication(deps: ServiceDeps, accountId: string, code: string): Promise<string[]> {
  // Recovery codes come only with the confirmation that turns mail authentication on. With a
  // method already on there is nothing to confirm, and the check for an answer lost past the
  // deadline ("the method is now email") would hold for an account that turned it on long ago:
  // a wrong code during an outage would mint a new set and kill the owner's.
  assertNoMethod(await loadAccount(deps, accountId));
  throwUnlessVerified(
    await submitCodeForChange(
      deps,
      accountId,
      'two_factor_email',
      code,
      async () => (await findAccountSettled(deps.db, accountId))?.two_factor_method === 'email',
    ),
  );
  // Issued here, not in the flow: recovery codes in clear must never pass through history.
  return replaceRecoveryCodes(deps.db, deps.config.secretKey, accountId);
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
  if (account.two_factor_method === null) throw new DomainError('conflict', 'Two-factor authentication is not on');

  if (input.code === undefined) {
    if (account.two_factor_method !== 'email')
      throw new DomainError('validation_failed', 'A code is required', {
        errors: [{ field: 'code', code: 'required', message: 'is required' }],
      });
    await mailNewCode(deps, account.id, 'two_factor_disable');
    return 'code_sent';
  }
  await verifySecondFactor(deps, account, input.code, 'two_factor_disable', context);
  // A mailed code's flow has turned it off already (its activity does, once the code is right).
  if (factorKind(account.two_factor_method, input.code) === 'stored') {
    await deps.db.transaction().execute(async (trx) => {
      await lockForSessionWrite(trx, account.id, context, 'update');
      await turnOffTwoFactor(
        trx,
        account,
        { key: `two-factor-disabled:${account.id}:${Date.now()}`, publicUrl: deps.config.publicUrl },
        context,
      );
    });
  }
  return 'disabled';
}
