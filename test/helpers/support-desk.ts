import { expect } from 'vitest';
import { grantRole } from '../../src/db/repositories/accounts';
import { Authenticator, scanQrCode } from './authenticator';
import { COMPLETE_PROFILE, type Merchant, signUp } from './merchant';
import type { TestStack } from './stack';

/** An account with the `support` role, logged in. */
export async function supportAgent(stack: TestStack): Promise<Merchant> {
  const agent = await signUp(stack);
  await grantRole(stack.database.db, agent.accountId, 'support');
  return agent;
}

/** A merchant whose account information is complete, so they may open support requests. */
export async function completeMerchant(stack: TestStack): Promise<Merchant> {
  const merchant = await signUp(stack, { verify: true });
  expect((await stack.http.patch('/v1/account', COMPLETE_PROFILE, merchant.token)).status).toBe(200);
  return merchant;
}

/** Opens a support request as the merchant; its id. */
export async function openRequest(
  stack: TestStack,
  merchant: Merchant,
  subject = 'Orders not arriving',
): Promise<string> {
  const created = await stack.http.post(
    '/v1/support-requests',
    { subject, message: 'Trendyol orders stopped syncing yesterday.' },
    merchant.token,
  );
  expect(created.status).toBe(201);
  return created.body.id;
}

/** The contact details the desk shows for a merchant made by completeMerchant. */
export function contactOf(merchant: Merchant) {
  return {
    id: merchant.accountId,
    email: merchant.email,
    fullName: COMPLETE_PROFILE.fullName,
    tradeName: COMPLETE_PROFILE.tradeName,
    phone: '+902125551212',
    country: COMPLETE_PROFILE.country,
    city: COMPLETE_PROFILE.city,
    status: 'active',
    createdAt: expect.any(String),
  };
}

/**
 * A complete merchant with Google Authenticator on and a support request open, and every secret
 * of theirs and the agent's that no desk answer may carry: hashes, the TOTP secret, recovery codes
 * in clear and hashed, session tokens and the password.
 */
export async function merchantWithSecrets(
  stack: TestStack,
  agent: Merchant,
): Promise<{ merchant: Merchant; app: Authenticator; requestId: string; secrets: string[] }> {
  const merchant = await completeMerchant(stack);
  const setup = await stack.http.post('/v1/account/2fa/totp', {}, merchant.token);
  const app = new Authenticator(scanQrCode(setup.body.qrCode));
  const confirmed = await stack.http.post('/v1/account/2fa/totp/confirm', { code: app.code() }, merchant.token);
  expect(confirmed.status).toBe(200);
  const requestId = await openRequest(stack, merchant);
  const stored = await stack.database.db
    .selectFrom('accounts')
    .innerJoin('totp_credentials', 'totp_credentials.account_id', 'accounts.id')
    .select(['accounts.password_hash', 'totp_credentials.secret_encrypted'])
    .where('accounts.id', '=', merchant.accountId)
    .executeTakeFirstOrThrow();
  const recoveryHashes = await stack.database.db
    .selectFrom('recovery_codes')
    .select('code_hash')
    .where('account_id', '=', merchant.accountId)
    .execute();
  const secrets = [
    stored.password_hash,
    stored.secret_encrypted,
    setup.body.secret,
    ...confirmed.body.recoveryCodes,
    ...recoveryHashes.map((row) => row.code_hash),
    merchant.token,
    agent.token,
    merchant.password,
  ];
  return { merchant, app, requestId, secrets };
}
