import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeIn, mailsTo, signUp } from '../helpers/merchant';
import type { ReceivedMail } from '../helpers/smtp';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

async function nextMail(to: string, subject: RegExp, already: number): Promise<ReceivedMail> {
  const matching = () => mailsTo(stack, to).filter((mail) => subject.test(mail.subject));
  await stack.smtp.waitFor(() => matching().length > already);
  return matching()[already]!;
}

describe('mail authentication', () => {
  it('when the email is not verified, then it cannot be turned on', async () => {
    const merchant = await signUp(stack);
    const response = await stack.http.post('/v1/account/2fa/email', {}, merchant.token);
    expect(response.status).toBe(409);
  });

  it('when turned on with the mailed code, then every login mails a code that completes it', async () => {
    const merchant = await signUp(stack, { verify: true });
    expect((await stack.http.post('/v1/account/2fa/email', {}, merchant.token)).status).toBe(202);
    const enable = codeIn(await nextMail(merchant.email, /verification code/, 1));
    const confirmed = await stack.http.post('/v1/account/2fa/email/confirm', { code: enable }, merchant.token);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    expect((await stack.http.get('/v1/account', merchant.token)).body.twoFactor).toEqual({
      method: 'email',
      recoveryCodesLeft: 10,
    });

    const login = await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password });
    expect(login.body).toMatchObject({ status: 'mfa_required', method: 'email' });
    const code = codeIn(await nextMail(merchant.email, /sign-in code/, 0));
    const verified = await stack.http.post('/v1/auth/login/verify', { challengeId: login.body.challengeId, code });
    expect(verified.status).toBe(200);
    expect(verified.body.status).toBe('authenticated');
    // The challenge is single-use.
    const again = await stack.http.post('/v1/auth/login/verify', { challengeId: login.body.challengeId, code });
    expect(again.status).toBe(410);
  });

  it('when turning it off, then a code is mailed first, and the password with that code turns it off', async () => {
    const merchant = await signUp(stack, { verify: true });
    await stack.http.post('/v1/account/2fa/email', {}, merchant.token);
    const enable = codeIn(await nextMail(merchant.email, /verification code/, 1));
    await stack.http.post('/v1/account/2fa/email/confirm', { code: enable }, merchant.token);

    const ask = await stack.http.delete('/v1/account/2fa', { password: merchant.password }, merchant.token);
    expect(ask.status).toBe(202);
    const code = codeIn(await nextMail(merchant.email, /verification code/, 2));
    const off = await stack.http.delete('/v1/account/2fa', { password: merchant.password, code }, merchant.token);
    expect(off.status).toBe(200);
    expect((await stack.http.get('/v1/account', merchant.token)).body.twoFactor).toEqual({
      method: null,
      recoveryCodesLeft: 0,
    });
    const login = await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password });
    expect(login.body.status).toBe('authenticated');
  });

  it('when a code mailed to confirm a closure is entered to turn mail authentication off, then it is refused and it stays on', async () => {
    const merchant = await signUp(stack, { verify: true });
    await stack.http.post('/v1/account/2fa/email', {}, merchant.token);
    const enable = codeIn(await nextMail(merchant.email, /verification code/, 1));
    await stack.http.post('/v1/account/2fa/email/confirm', { code: enable }, merchant.token);

    // Both purposes run on the account's one mail-authentication flow: the code is bound to its purpose.
    const closure = await stack.http.post(
      '/v1/account/closure',
      { password: merchant.password, acknowledgeWarnings: true, deleteAllData: true },
      merchant.token,
    );
    expect(closure.status).toBe(400);
    const closureCode = codeIn(await nextMail(merchant.email, /verification code/, 2));
    const off = await stack.http.delete(
      '/v1/account/2fa',
      { password: merchant.password, code: closureCode },
      merchant.token,
    );
    expect(off.status).toBe(400);
    expect(off.body.code).toBe('code_invalid');
    expect((await stack.http.get('/v1/account', merchant.token)).body.twoFactor).toEqual({
      method: 'email',
      recoveryCodesLeft: 10,
    });
  });
});
