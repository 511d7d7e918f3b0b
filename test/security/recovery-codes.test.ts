import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator } from '../helpers/authenticator';
import { codeIn, type Merchant, mailsTo, signUp } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

async function enrolTotp(merchant: Merchant): Promise<{ app: Authenticator; recoveryCodes: string[] }> {
  const setup = await stack.http.post('/v1/account/2fa/totp', {}, merchant.token);
  const app = new Authenticator(setup.body.otpauthUri);
  const confirmed = await stack.http.post('/v1/account/2fa/totp/confirm', { code: app.code() }, merchant.token);
  expect(confirmed.status).toBe(200);
  return { app, recoveryCodes: confirmed.body.recoveryCodes };
}

async function loginWith(merchant: Merchant, code: string) {
  const login = await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password });
  expect(login.body.status).toBe('mfa_required');
  return stack.http.post('/v1/auth/login/verify', { challengeId: login.body.challengeId, code });
}

const recoveryCodesLeft = async (token: string) =>
  (await stack.http.get('/v1/account', token)).body.twoFactor.recoveryCodesLeft as number;

describe('recovery codes', () => {
  it('when a recovery code is used, then GET /v1/account counts one less', async () => {
    const merchant = await signUp(stack);
    const { recoveryCodes } = await enrolTotp(merchant);
    expect(await recoveryCodesLeft(merchant.token)).toBe(10);
    expect((await loginWith(merchant, recoveryCodes[0]!)).status).toBe(200);
    expect(await recoveryCodesLeft(merchant.token)).toBe(9);
  });

  it('when the merchant replaces them with the password and a TOTP code, then 10 new codes work, every old one is dead at once, and a notice is mailed', async () => {
    const merchant = await signUp(stack);
    const { app, recoveryCodes: old } = await enrolTotp(merchant);
    // The enrolment used the current step; the next one is inside the window.
    const replaced = await stack.http.post(
      '/v1/account/2fa/recovery-codes',
      { password: merchant.password, code: app.code(1) },
      merchant.token,
    );
    expect(replaced.status).toBe(200);
    const fresh = replaced.body.recoveryCodes as string[];
    expect(fresh).toHaveLength(10);
    expect(new Set(fresh).size).toBe(10);
    expect(fresh.filter((code) => old.includes(code))).toEqual([]);
    expect(await recoveryCodesLeft(merchant.token)).toBe(10);

    const stale = await loginWith(merchant, old[1]!);
    expect(stale.status).toBe(400);
    expect(stale.body.code).toBe('code_invalid');
    expect((await loginWith(merchant, fresh[0]!)).status).toBe(200);
    expect(await recoveryCodesLeft(merchant.token)).toBe(9);
    await stack.smtp.waitFor((mail) => mail.to === merchant.email && /recovery codes were replaced/.test(mail.subject));
    const events = await stack.http.get('/v1/account/events', merchant.token);
    expect(events.body.items.map((event: { type: string }) => event.type)).toContain('recovery_codes_replaced');
  });

  it('when a recovery code is the second factor, then it is used up by the replacement and the new set takes over', async () => {
    const merchant = await signUp(stack);
    const { recoveryCodes } = await enrolTotp(merchant);
    const replaced = await stack.http.post(
      '/v1/account/2fa/recovery-codes',
      { password: merchant.password, code: recoveryCodes[3] },
      merchant.token,
    );
    expect(replaced.status).toBe(200);
    expect(await recoveryCodesLeft(merchant.token)).toBe(10);
  });

  it('when the password or the code is wrong, or the code is missing, then nothing is replaced', async () => {
    const merchant = await signUp(stack);
    const { recoveryCodes } = await enrolTotp(merchant);
    const wrongPassword = await stack.http.post(
      '/v1/account/2fa/recovery-codes',
      { password: 'Wr0ng!Pass', code: recoveryCodes[0] },
      merchant.token,
    );
    expect(wrongPassword.status).toBe(401);
    expect(wrongPassword.body.code).toBe('invalid_credentials');
    const wrongCode = await stack.http.post(
      '/v1/account/2fa/recovery-codes',
      { password: merchant.password, code: '000000' },
      merchant.token,
    );
    expect(wrongCode.status).toBe(400);
    expect(wrongCode.body.code).toBe('code_invalid');
    const missing = await stack.http.post(
      '/v1/account/2fa/recovery-codes',
      { password: merchant.password },
      merchant.token,
    );
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'code', code: 'required' })]);
    expect(await recoveryCodesLeft(merchant.token)).toBe(10);
    expect((await loginWith(merchant, recoveryCodes[1]!)).status).toBe(200);
  });

  it('when two-factor is off, then 409 conflict', async () => {
    const merchant = await signUp(stack);
    const response = await stack.http.post(
      '/v1/account/2fa/recovery-codes',
      { password: merchant.password, code: '123456' },
      merchant.token,
    );
    expect(response.status).toBe(409);
  });

  it('when mail authentication is on, then asking without a code mails one, and that code replaces the set', async () => {
    const merchant = await signUp(stack, { verify: true });
    await stack.http.post('/v1/account/2fa/email', {}, merchant.token);
    const codeMails = () => mailsTo(stack, merchant.email).filter((mail) => /verification code/.test(mail.subject));
    await stack.smtp.waitFor(() => codeMails().length >= 2);
    const enabled = await stack.http.post(
      '/v1/account/2fa/email/confirm',
      { code: codeIn(codeMails()[1]!) },
      merchant.token,
    );
    const old = enabled.body.recoveryCodes as string[];

    const ask = await stack.http.post(
      '/v1/account/2fa/recovery-codes',
      { password: merchant.password },
      merchant.token,
    );
    expect(ask.status).toBe(400);
    await stack.smtp.waitFor(() => codeMails().length >= 3);
    const mailed = codeMails()[2]!;
    expect(mailed.text).toMatch(/new recovery codes/);
    const replaced = await stack.http.post(
      '/v1/account/2fa/recovery-codes',
      { password: merchant.password, code: codeIn(mailed) },
      merchant.token,
    );
    expect(replaced.status).toBe(200);
    expect(replaced.body.recoveryCodes.filter((code: string) => old.includes(code))).toEqual([]);
  });
});
