import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';
import { holdPasswordChange, liveSessionCount, untilWaitingOnLock } from '../helpers/row-locks';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const change = (token: string, oldPassword: string, newPassword: string, newPasswordConfirm = newPassword) =>
  stack.http.post('/v1/account/password', { oldPassword, newPassword, newPasswordConfirm }, token);

describe('password change', () => {
  it('when the change is valid, then 204, other sessions are revoked, this one kept, a notice mailed and audited', async () => {
    const merchant = await signUp(stack);
    const otherDevice = (
      await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password })
    ).body.token;
    const response = await change(merchant.token, merchant.password, 'N3w!Secret');
    expect(response.status).toBe(204);
    expect((await stack.http.get('/v1/account', merchant.token)).status).toBe(200);
    expect((await stack.http.get('/v1/account', otherDevice)).status).toBe(401);
    expect(
      (await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password })).status,
    ).toBe(401);
    expect((await stack.http.post('/v1/auth/login', { email: merchant.email, password: 'N3w!Secret' })).status).toBe(
      200,
    );
    await stack.smtp.waitFor((mail) => mail.to === merchant.email && /password was changed/.test(mail.subject));
    const events = await stack.http.get('/v1/account/events', merchant.token);
    expect(events.body.items.map((event: { type: string }) => event.type)).toContain('password_changed');
  });

  it('when the old password is wrong, then 401 invalid_credentials', async () => {
    const merchant = await signUp(stack);
    const response = await change(merchant.token, 'Wr0ng!Pass', 'N3w!Secret');
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('invalid_credentials');
  });

  it('when the new password breaks several rules, then all are reported at once', async () => {
    const merchant = await signUp(stack);
    const response = await change(merchant.token, merchant.password, 'weak', 'different');
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      expect.objectContaining({ field: 'newPassword', code: 'too_short' }),
      expect.objectContaining({ field: 'newPassword', code: 'missing_uppercase' }),
      expect.objectContaining({ field: 'newPassword', code: 'missing_digit' }),
      expect.objectContaining({ field: 'newPassword', code: 'missing_special' }),
      expect.objectContaining({ field: 'newPasswordConfirm', code: 'mismatch' }),
      expect.objectContaining({ field: 'newPassword', code: 'common_password' }),
    ]);
  });

  it('when the new password is a common one from the list, whatever its case, then 400 common_password on newPassword', async () => {
    const merchant = await signUp(stack);
    for (const common of ['P@ssw0rd', 'p@SSW0RD', '1qaz!QAZ']) {
      const response = await change(merchant.token, merchant.password, common);
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        expect.objectContaining({ field: 'newPassword', code: 'common_password' }),
      ]);
    }
    expect(
      (await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password })).status,
    ).toBe(200);
  });

  it('when the new password is padded with zero-width spaces or combining accents, then it is refused, not counted long enough', async () => {
    const merchant = await signUp(stack);
    const padded = await change(merchant.token, merchant.password, 'Ab1!\u200B\u200B\u200B\u200B');
    expect(padded.status).toBe(400);
    expect(padded.body.errors.map((error: { code: string }) => error.code)).toEqual(['invalid_characters']);
    const accents = await change(merchant.token, merchant.password, 'Abc1!\u0301\u0301\u0301');
    expect(accents.body.errors.map((error: { code: string }) => error.code)).toEqual(['too_short']);
  });

  it('when the new password is one of the last five, then reused; the sixth-oldest is allowed again', async () => {
    const merchant = await signUp(stack);
    const passwords = [merchant.password, 'Secr3t!One', 'Secr3t!Two', 'Secr3t!Three', 'Secr3t!Four'];
    for (let index = 1; index < passwords.length; index++) {
      expect((await change(merchant.token, passwords[index - 1]!, passwords[index]!)).status).toBe(204);
    }
    const reused = await change(merchant.token, 'Secr3t!Four', merchant.password);
    expect(reused.status).toBe(400);
    expect(reused.body.errors).toEqual([expect.objectContaining({ field: 'newPassword', code: 'reused' })]);
    expect((await change(merchant.token, 'Secr3t!Four', 'Secr3t!Five')).status).toBe(204);
    // The original has now dropped out of the last five.
    expect((await change(merchant.token, 'Secr3t!Five', merchant.password)).status).toBe(204);
  });
});

describe('a login racing a password change', () => {
  it('when the password changes while a login with the old one is writing its session, then that login gets no session (401 invalid_credentials)', async () => {
    const merchant = await signUp(stack);
    // The change holds the account, uncommitted: the login checks the old password (still the
    // committed one), gets as far as writing its session and waits there.
    const changing = await holdPasswordChange(stack, merchant.accountId, 'N3w!Secret');
    const login = stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password });
    await untilWaitingOnLock(stack.database.db);
    await changing.commit();

    const refused = await login;
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('invalid_credentials');
    expect(await liveSessionCount(stack, merchant.accountId)).toBe(0);
  });
});

describe('expired password at login', () => {
  it('when the password has expired, then login gives a token that can only change the password', async () => {
    const merchant = await signUp(stack);
    // The database decides: a password older than PASSWORD_MAX_AGE is expired whatever any flow did.
    await stack.database.db
      .updateTable('accounts')
      .set({ password_changed_at: new Date(Date.now() - 91 * 86_400_000) })
      .where('id', '=', merchant.accountId)
      .execute();
    const login = await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ status: 'password_expired', token: expect.any(String) });
    const restricted = login.body.token as string;

    for (const [method, path] of [
      ['GET', '/v1/account'],
      ['GET', '/v1/account/events'],
      ['GET', '/v1/support-requests'],
    ] as const) {
      const response = await stack.http.request(method, path, { token: restricted });
      expect(response.status, path).toBe(403);
      expect(response.body.code).toBe('password_expired');
    }
    expect((await change(restricted, merchant.password, 'Fr3sh!Start')).status).toBe(204);
    // The restricted token was for this one change only.
    expect((await stack.http.get('/v1/account', restricted)).status).toBe(401);
    const normal = await stack.http.post('/v1/auth/login', { email: merchant.email, password: 'Fr3sh!Start' });
    expect(normal.body.status).toBe('authenticated');
    expect((await stack.http.get('/v1/account', normal.body.token)).status).toBe(200);
  });
});
