import { expect } from 'vitest';
import { grantRole } from '../../src/db/repositories/accounts';
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
