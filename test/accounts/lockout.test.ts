import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/domain/codes';
import { signUp, STRONG_PASSWORD, type Merchant } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';

// OWASP's lockout guidance: keep the attacker's budget, but let the owner in. A client that has
// signed in to the account before carries a device cookie; its password attempts are counted on
// its own budget, so strangers' failures (per account or per address) cannot lock it out.

const FAILURES_PER_ACCOUNT = 3;
const FAILURES_PER_IP = 6;

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({
    env: {
      RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: String(FAILURES_PER_ACCOUNT),
      RATE_LIMIT_LOGIN_FAILURES_PER_IP: String(FAILURES_PER_IP),
    },
  });
});
afterAll(() => stack?.stop());

let nextClient = 1;
const newClientIp = () => `198.51.100.${nextClient++}`;

/** A login from a client address, with the device cookie the client holds (if any). */
const login = (email: string, password: string, client: { ip: string; device?: string }) =>
  stack.http.request('POST', '/v1/auth/login', {
    body: { email, password },
    headers: { 'x-forwarded-for': client.ip, ...(client.device && { cookie: `cp_device=${client.device}` }) },
  });

function deviceCookieOf(response: { headers: Headers }): { token: string; attributes: string } {
  const header = response.headers.getSetCookie().find((cookie) => cookie.startsWith('cp_device='));
  if (!header) throw new Error('no device cookie');
  const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
  return { token: pair.slice('cp_device='.length), attributes: attributes.join('; ') };
}

/** The owner signs in once from their browser, which keeps the device cookie. */
async function ownerWithDevice(): Promise<{ merchant: Merchant; device: string; ip: string }> {
  const merchant = await signUp(stack);
  const ip = newClientIp();
  const first = await login(merchant.email, merchant.password, { ip });
  expect(first.status).toBe(200);
  return { merchant, device: deviceCookieOf(first).token, ip };
}

async function lockOutStrangers(email: string) {
  const attacker = { ip: newClientIp() };
  for (let index = 0; index < FAILURES_PER_ACCOUNT; index++) {
    expect((await login(email, 'Wr0ng!Guess', attacker)).status).toBe(401);
  }
  expect((await login(email, 'Wr0ng!Guess', attacker)).status).toBe(429);
}

describe('lockout that spares the owner', () => {
  it('when a login succeeds, then the client gets an HttpOnly, SameSite=Strict device cookie for the sign-in routes, stored only as a hash', async () => {
    const merchant = await signUp(stack);
    const response = await login(merchant.email, merchant.password, { ip: newClientIp() });
    const { token, attributes } = deviceCookieOf(response);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(attributes).toMatch(/HttpOnly/);
    expect(attributes).toMatch(/SameSite=Strict/);
    expect(attributes).toMatch(/Path=\/v1\/auth/);
    const stored = await stack.database.db
      .selectFrom('device_cookies')
      .select('token_hash')
      .where('account_id', '=', merchant.accountId)
      .execute();
    expect(stored.map((row) => row.token_hash.toString('hex'))).toContain(hashToken(token).toString('hex'));
    expect(stored.every((row) => !row.token_hash.toString('utf8').includes(token))).toBe(true);
  });

  it('when strangers have locked the account with wrong passwords, then the owner’s known device still signs in, while a stranger with the right password is still refused', async () => {
    const { merchant, device, ip } = await ownerWithDevice();
    await lockOutStrangers(merchant.email);
    const stranger = await login(merchant.email, merchant.password, { ip: newClientIp() });
    expect(stranger.status).toBe(429);
    expect(Number(stranger.headers.get('retry-after'))).toBeGreaterThan(0);
    const owner = await login(merchant.email, merchant.password, { ip, device });
    expect(owner.status).toBe(200);
    expect(owner.body.status).toBe('authenticated');
    // The same cookie again: one record, refreshed.
    expect(
      await stack.database.db
        .selectFrom('device_cookies')
        .select('id')
        .where('account_id', '=', merchant.accountId)
        .where('token_hash', '=', hashToken(device))
        .execute(),
    ).toHaveLength(1);
    // From another network too: the device is what is known, not the address.
    expect((await login(merchant.email, merchant.password, { ip: newClientIp(), device })).status).toBe(200);
  });

  it('when a known device types wrong passwords, then it has a budget of its own: past it that device is refused too', async () => {
    const { merchant, device, ip } = await ownerWithDevice();
    for (let index = 0; index < FAILURES_PER_ACCOUNT; index++) {
      expect((await login(merchant.email, 'Wr0ng!Guess', { ip, device })).status).toBe(401);
    }
    expect((await login(merchant.email, merchant.password, { ip, device })).status).toBe(429);
    // Its failures were not the account's: a stranger's first try still gets an answer.
    expect((await login(merchant.email, merchant.password, { ip: newClientIp() })).status).toBe(200);
  });

  it('when the cookie is forged or belongs to another account, then it counts as a stranger', async () => {
    const { merchant } = await ownerWithDevice();
    const other = await ownerWithDevice();
    await lockOutStrangers(merchant.email);
    expect((await login(merchant.email, merchant.password, { ip: newClientIp(), device: 'A'.repeat(43) })).status).toBe(
      429,
    );
    expect((await login(merchant.email, merchant.password, { ip: newClientIp(), device: other.device })).status).toBe(
      429,
    );
  });

  it('when one address has failed past the per-address limit, then a known device behind it still signs in and unknown clients there are refused', async () => {
    const shared = newClientIp(); // an office behind one NAT address
    const { merchant, device } = await ownerWithDevice();
    const colleague = await signUp(stack);
    for (let index = 0; index < FAILURES_PER_IP; index++) {
      // Spread over throwaway emails so no account limit is reached first.
      expect((await login(`nobody-${index}-${nextClient}@shop.example`, 'Wr0ng!Guess', { ip: shared })).status).toBe(
        401,
      );
    }
    expect((await login(colleague.email, STRONG_PASSWORD, { ip: shared })).status).toBe(429);
    expect((await login(merchant.email, merchant.password, { ip: shared, device })).status).toBe(200);
  });

  it('when strangers have locked the account, then the signed-in owner can still confirm with the password and change it', async () => {
    const merchant = await signUp(stack);
    await lockOutStrangers(merchant.email);
    const changed = await stack.http.post(
      '/v1/account/password',
      { oldPassword: merchant.password, newPassword: 'N3w!Secret', newPasswordConfirm: 'N3w!Secret' },
      merchant.token,
    );
    expect(changed.status).toBe(204);
  });
});
