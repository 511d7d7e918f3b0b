import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator, scanQrCode } from '../helpers/authenticator';
import { MAX_CODE_ATTEMPTS } from '../../src/shared/code-flow';
import { enrolTotp as enrolTotpWith, type Merchant, signUp } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';
import { holdPasswordChange, liveSessionCount, untilWaitingOnLock } from '../helpers/row-locks';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ env: { TOTP_SETUP_TTL: '2s', LOGIN_CHALLENGE_TTL: '3s' } });
});
afterAll(() => stack?.stop());

const enrolTotp = (merchant: Merchant) => enrolTotpWith(stack, merchant);

async function passwordStep(merchant: Merchant) {
  const response = await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password });
  expect(response.status).toBe(200);
  return response.body as { status: string; challengeId: string; method: string; token?: string };
}

describe('Google Authenticator', () => {
  it('when TOTP is confirmed, then it is on, 10 recovery codes come back once, the secret is encrypted, and a notice is mailed', async () => {
    const merchant = await signUp(stack);
    const { app, recoveryCodes } = await enrolTotp(merchant);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect((await stack.http.get('/v1/account', merchant.token)).body.twoFactor).toEqual({
      method: 'totp',
      recoveryCodesLeft: 10,
    });
    const stored = await stack.database.db
      .selectFrom('totp_credentials')
      .select('secret_encrypted')
      .where('account_id', '=', merchant.accountId)
      .executeTakeFirstOrThrow();
    expect(stored.secret_encrypted).not.toContain(app.secret);
    const hashes = await stack.database.db
      .selectFrom('recovery_codes')
      .select('code_hash')
      .where('account_id', '=', merchant.accountId)
      .execute();
    expect(hashes.map((row) => row.code_hash)).not.toContain(recoveryCodes[0]);
    await stack.smtp.waitFor((mail) => mail.to === merchant.email && /Authenticator is on/.test(mail.subject));
  });

  it('when TOTP is on, then login asks for it and a current code completes it; the same code cannot be replayed', async () => {
    const merchant = await signUp(stack);
    const { app } = await enrolTotp(merchant);
    const first = await passwordStep(merchant);
    expect(first).toMatchObject({ status: 'mfa_required', method: 'totp', challengeId: expect.any(String) });
    expect(first.token).toBeUndefined();
    // The enrolment used this step; the next one is inside the window.
    const code = app.code(1);
    const verified = await stack.http.post('/v1/auth/login/verify', { challengeId: first.challengeId, code });
    expect(verified.status).toBe(200);
    expect(verified.body.status).toBe('authenticated');
    expect((await stack.http.get('/v1/account', verified.body.token)).status).toBe(200);

    // A second login in the same step, with the same code: refused.
    const second = await passwordStep(merchant);
    const replay = await stack.http.post('/v1/auth/login/verify', { challengeId: second.challengeId, code });
    expect(replay.status).toBe(400);
    expect(replay.body.code).toBe('code_invalid');
  });

  it('when a recovery code is used, then it logs in once and never again', async () => {
    const merchant = await signUp(stack);
    const { recoveryCodes } = await enrolTotp(merchant);
    const challenge = await passwordStep(merchant);
    const used = await stack.http.post('/v1/auth/login/verify', {
      challengeId: challenge.challengeId,
      code: recoveryCodes[3],
    });
    expect(used.status).toBe(200);
    const again = await passwordStep(merchant);
    const reuse = await stack.http.post('/v1/auth/login/verify', {
      challengeId: again.challengeId,
      code: recoveryCodes[3],
    });
    expect(reuse.status).toBe(400);
    const events = await stack.http.get('/v1/account/events', used.body.token);
    expect(events.body.items.map((event: { type: string }) => event.type)).toContain('recovery_code_used');
  });

  it('when the setup is not confirmed before TOTP_SETUP_TTL, then it is refused with 410 and 2FA stays off', async () => {
    const merchant = await signUp(stack);
    const setup = await stack.http.post('/v1/account/2fa/totp', {}, merchant.token);
    const app = new Authenticator(scanQrCode(setup.body.qrCode));
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, Date.parse(setup.body.expiresAt) - Date.now() + 50)),
    );
    const late = await stack.http.post('/v1/account/2fa/totp/confirm', { code: app.code() }, merchant.token);
    expect(late.status).toBe(410);
    expect((await stack.http.get('/v1/account', merchant.token)).body.twoFactor).toEqual({
      method: null,
      recoveryCodesLeft: 0,
    });
    expect((await passwordStep(merchant)).status).toBe('authenticated');
  });

  it('when a wrong code is entered five times, then the sixth, even right, is refused with 410', async () => {
    const merchant = await signUp(stack);
    const { app } = await enrolTotp(merchant);
    const challenge = await passwordStep(merchant);
    const wrong = app.code(1) === '000000' ? '111111' : '000000';
    for (let attempt = 1; attempt <= MAX_CODE_ATTEMPTS; attempt++) {
      const response = await stack.http.post('/v1/auth/login/verify', {
        challengeId: challenge.challengeId,
        code: wrong,
      });
      expect(response.status).toBe(400);
      expect(response.body.triesLeft).toBe(MAX_CODE_ATTEMPTS - attempt);
    }
    const sixth = await stack.http.post('/v1/auth/login/verify', {
      challengeId: challenge.challengeId,
      code: app.code(1),
    });
    expect(sixth.status).toBe(410);
  });

  it('when the challenge is older than LOGIN_CHALLENGE_TTL, then 410', async () => {
    const merchant = await signUp(stack);
    const { app } = await enrolTotp(merchant);
    const challenge = await passwordStep(merchant);
    // The flow closes itself at expiry: wait for that, not for a guessed time.
    const state = await stack.temporal.workflow.getHandle(`login-challenge-${challenge.challengeId}`).result();
    expect(state).toBe('expired');
    const late = await stack.http.post('/v1/auth/login/verify', {
      challengeId: challenge.challengeId,
      code: app.code(1),
    });
    expect(late.status).toBe(410);
  });

  it('when TOTP is on, then turning on mail authentication answers 409 two_factor_conflict', async () => {
    const merchant = await signUp(stack, { verify: true });
    await enrolTotp(merchant);
    const response = await stack.http.post('/v1/account/2fa/email', {}, merchant.token);
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('two_factor_conflict');
    expect((await stack.http.post('/v1/account/2fa/totp', {}, merchant.token)).status).toBe(409);
  });

  it('when 2FA is turned off with the password and a recovery code, then login no longer asks for it; a wrong password is refused', async () => {
    const merchant = await signUp(stack);
    const { recoveryCodes } = await enrolTotp(merchant);
    const wrongPassword = await stack.http.delete(
      '/v1/account/2fa',
      { password: 'Wr0ng!Pass', code: recoveryCodes[0] },
      merchant.token,
    );
    expect(wrongPassword.status).toBe(401);
    const missingCode = await stack.http.delete('/v1/account/2fa', { password: merchant.password }, merchant.token);
    expect(missingCode.status).toBe(400);
    const off = await stack.http.delete(
      '/v1/account/2fa',
      { password: merchant.password, code: recoveryCodes[0] },
      merchant.token,
    );
    expect(off.status).toBe(200);
    expect((await stack.http.get('/v1/account', merchant.token)).body.twoFactor).toEqual({
      method: null,
      recoveryCodesLeft: 0,
    });
    expect((await passwordStep(merchant)).status).toBe('authenticated');
    await stack.smtp.waitFor((mail) => mail.to === merchant.email && /is off/.test(mail.subject));
  });

  it('when the password changes in another session while a login waits for its second factor, then that challenge cannot complete (410 login_challenge_revoked)', async () => {
    const merchant = await signUp(stack);
    const { app } = await enrolTotp(merchant);
    const pending = await passwordStep(merchant);
    expect(pending.status).toBe('mfa_required');
    const changed = await stack.http.post(
      '/v1/account/password',
      { oldPassword: merchant.password, newPassword: 'N3w!Secret', newPasswordConfirm: 'N3w!Secret' },
      merchant.token,
    );
    expect(changed.status).toBe(204);

    const refused = await stack.http.post('/v1/auth/login/verify', {
      challengeId: pending.challengeId,
      code: app.code(1),
    });
    expect(refused.status).toBe(410);
    expect(refused.body.code).toBe('login_challenge_revoked');
    // A login begun with the new password completes as usual.
    const fresh = await passwordStep({ ...merchant, password: 'N3w!Secret' });
    const verified = await stack.http.post('/v1/auth/login/verify', {
      challengeId: fresh.challengeId,
      code: app.code(1),
    });
    expect(verified.status).toBe(200);
  });

  it('when a login checks the old password just before a password change commits, then its challenge is ended too, though it began after the change’s time', async () => {
    const merchant = await signUp(stack);
    const { app } = await enrolTotp(merchant);
    // The change is timed now but commits only after the login has read and checked the old password.
    const change = await holdPasswordChange(stack, merchant.accountId, 'N3w!Secret');
    const pending = await passwordStep(merchant);
    expect(pending.status).toBe('mfa_required');
    await change.commit();

    const refused = await stack.http.post('/v1/auth/login/verify', {
      challengeId: pending.challengeId,
      code: app.code(1),
    });
    expect(refused.status).toBe(410);
    expect(refused.body.code).toBe('login_challenge_revoked');
    expect(await liveSessionCount(stack, merchant.accountId)).toBe(0);
  });

  it('when a password change commits while a passed challenge’s session is being written, then no session comes of it (410 login_challenge_revoked)', async () => {
    const merchant = await signUp(stack);
    const { app } = await enrolTotp(merchant);
    const pending = await passwordStep(merchant);
    expect(pending.status).toBe('mfa_required');
    // The change holds the account, uncommitted: the second step gets as far as writing its
    // session (every read before it still sees the old password) and waits there.
    const change = await holdPasswordChange(stack, merchant.accountId, 'N3w!Secret');
    const verify = stack.http.post('/v1/auth/login/verify', { challengeId: pending.challengeId, code: app.code(1) });
    await untilWaitingOnLock(stack.database.db);
    await change.commit();

    const refused = await verify;
    expect(refused.status).toBe(410);
    expect(refused.body.code).toBe('login_challenge_revoked');
    expect(await liveSessionCount(stack, merchant.accountId)).toBe(0);
  });
});
