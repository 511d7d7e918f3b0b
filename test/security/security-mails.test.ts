import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/domain/codes';
import { codeIn, enrolTotp, type Merchant, nextCodeMail, signUp, uniqueEmail } from '../helpers/merchant';
import type { ReceivedMail } from '../helpers/smtp';
import { startStack, type TestStack } from '../helpers/stack';
import { until } from '../helpers/wait';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ env: { PUBLIC_URL: 'https://panel.connectprof.example' } });
});
afterAll(() => stack?.stop());

const LOCK_LINK = /https:\/\/panel\.connectprof\.example\/lock\?token=([A-Za-z0-9_-]{20,200})/;
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

const mailTo = (to: string, subject: RegExp) =>
  stack.smtp.waitFor((mail) => mail.to === to && subject.test(mail.subject));

function lockTokenIn(mail: ReceivedMail): string {
  const match = LOCK_LINK.exec(mail.text);
  if (!match) throw new Error(`no lock link in "${mail.subject}"`);
  return match[1]!;
}

const login = (email: string, password: string, userAgent?: string) =>
  stack.http.request('POST', '/v1/auth/login', {
    body: { email, password },
    headers: userAgent ? { 'user-agent': userAgent } : {},
  });

async function changePassword(merchant: Merchant, newPassword: string): Promise<ReceivedMail> {
  const changed = await stack.http.post(
    '/v1/account/password',
    { oldPassword: merchant.password, newPassword, newPasswordConfirm: newPassword },
    merchant.token,
  );
  expect(changed.status).toBe(204);
  return mailTo(merchant.email, /password was changed/);
}

async function resetPassword(email: string, newPassword: string): Promise<void> {
  expect((await stack.http.post('/v1/auth/password-reset', { email })).status).toBe(202);
  const mail = await stack.smtp.waitFor((received) => received.to === email && /new password/.test(received.text));
  expect(
    (
      await stack.http.post('/v1/auth/password-reset/confirm', {
        email,
        code: codeIn(mail),
        newPassword,
        newPasswordConfirm: newPassword,
      })
    ).status,
  ).toBe(204);
}

describe('security mails', () => {
  it('when the password is changed, then the mail carries a single-use lock link whose token is stored only as a hash', async () => {
    const merchant = await signUp(stack);
    const mail = await changePassword(merchant, 'Ch4nged!Pass');
    const token = lockTokenIn(mail);
    const rows = await stack.database.db
      .selectFrom('lock_tokens')
      .selectAll()
      .where('account_id', '=', merchant.accountId)
      .execute();
    expect(rows).toEqual([expect.objectContaining({ token_hash: hashToken(token), used_at: null })]);
    expect(Math.abs(rows[0]!.expires_at.getTime() - rows[0]!.created_at.getTime() - 7 * 86_400_000)).toBeLessThan(
      5_000,
    );
    // The outbox keeps no copy of the delivered body.
    const outbox = () =>
      stack.database.db
        .selectFrom('mail_outbox')
        .select(['text_body', 'sent_at'])
        .where('idempotency_key', 'like', `password-changed:${merchant.accountId}:%`)
        .executeTakeFirstOrThrow();
    // The dispatcher records the delivery just after the SMTP server has the mail.
    await until(async () => (await outbox()).sent_at !== null);
    expect(await outbox()).toMatchObject({ text_body: null, sent_at: expect.any(Date) });
  });

  it('when the lock link is used, then 200, every session ends, login answers account_locked until a reset, and the link is dead', async () => {
    const merchant = await signUp(stack);
    const otherDevice = (await login(merchant.email, merchant.password)).body.token as string;
    const mail = await changePassword(merchant, 'Ch4nged!Pass');
    const token = lockTokenIn(mail);

    const locked = await stack.http.post('/v1/auth/lock', { token });
    expect(locked.status).toBe(200);
    for (const session of [merchant.token, otherDevice])
      expect((await stack.http.get('/v1/account', session)).status).toBe(401);
    const refused = await login(merchant.email, 'Ch4nged!Pass');
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('account_locked');
    // A wrong password is still just a wrong password: the lock shows only to who knows it.
    expect((await login(merchant.email, 'Wr0ng!Pass1')).body.code).toBe('invalid_credentials');

    const again = await stack.http.post('/v1/auth/lock', { token });
    expect(again.status).toBe(410);
    expect(again.body.code).toBe('link_expired');

    await resetPassword(merchant.email, 'Aft3r!Lock');
    expect((await login(merchant.email, 'Aft3r!Lock')).body.status).toBe('authenticated');
  });

  it('when the email was changed, then the old address gets the lock link, and locking moves the account back to it', async () => {
    const merchant = await signUp(stack, { verify: true });
    const newEmail = uniqueEmail('intruder');
    expect(
      (await stack.http.post('/v1/account/email', { email: newEmail, password: merchant.password }, merchant.token))
        .status,
    ).toBe(202);
    const code = codeIn(await nextCodeMail(stack, newEmail));
    expect((await stack.http.post('/v1/account/email/verify', { code }, merchant.token)).status).toBe(200);
    const notice = await mailTo(merchant.email, /email address of your ConnectProf account was changed/);

    expect((await stack.http.post('/v1/auth/lock', { token: lockTokenIn(notice) })).status).toBe(200);
    const account = await stack.database.db
      .selectFrom('accounts')
      .select(['email', 'pending_email', 'locked_at'])
      .where('id', '=', merchant.accountId)
      .executeTakeFirstOrThrow();
    expect(account).toMatchObject({ email: merchant.email, pending_email: null, locked_at: expect.any(Date) });
    // The reset goes to the owner's own address; the intruder's address no longer names the account.
    await resetPassword(merchant.email, 'B4ck!Home');
    expect((await login(merchant.email, 'B4ck!Home')).body.status).toBe('authenticated');
    expect((await login(newEmail, 'B4ck!Home')).status).toBe(401);
  });

  it('when the token is expired or made up, then 410 link_expired and nothing is locked', async () => {
    const merchant = await signUp(stack);
    const token = lockTokenIn(await changePassword(merchant, 'Ch4nged!Pass'));
    await stack.database.db
      .updateTable('lock_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('account_id', '=', merchant.accountId)
      .execute();
    expect((await stack.http.post('/v1/auth/lock', { token })).status).toBe(410);
    expect((await stack.http.post('/v1/auth/lock', { token: 'x'.repeat(43) })).status).toBe(410);
    expect((await stack.http.post('/v1/auth/lock', { token: 'short' })).status).toBe(400);
    expect((await stack.http.get('/v1/account', merchant.token)).status).toBe(200);
  });

  it('when two-factor goes on and off and the recovery codes are replaced, then each mail carries a lock link', async () => {
    const merchant = await signUp(stack, { verify: true });
    await stack.http.post('/v1/account/2fa/email', {}, merchant.token);
    const enable = codeIn(await nextCodeMail(stack, merchant.email, 1));
    const confirmed = await stack.http.post('/v1/account/2fa/email/confirm', { code: enable }, merchant.token);
    const recovery = confirmed.body.recoveryCodes as string[];
    lockTokenIn(await mailTo(merchant.email, /Mail authentication is on/));
    const replaced = await stack.http.post(
      '/v1/account/2fa/recovery-codes',
      { password: merchant.password, code: recovery[0] },
      merchant.token,
    );
    expect(replaced.status).toBe(200);
    lockTokenIn(await mailTo(merchant.email, /recovery codes were replaced/));
    const off = await stack.http.delete(
      '/v1/account/2fa',
      { password: merchant.password, code: replaced.body.recoveryCodes[0] },
      merchant.token,
    );
    expect(off.status).toBe(200);
    lockTokenIn(await mailTo(merchant.email, /Two-factor authentication is off/));
  });
});

describe('security mails: every kind carries the lock link', () => {
  it('when the password is reset and Google Authenticator is turned on, then each mail carries a lock link that works', async () => {
    const merchant = await signUp(stack, { verify: true });
    await resetPassword(merchant.email, 'R3set!Pass');
    lockTokenIn(await mailTo(merchant.email, /password was reset/));
    const fresh = await login(merchant.email, 'R3set!Pass');
    expect(fresh.body.status).toBe('authenticated');
    await enrolTotp(stack, { ...merchant, password: 'R3set!Pass', token: fresh.body.token });
    const token = lockTokenIn(await mailTo(merchant.email, /Google Authenticator is on/));
    expect((await stack.http.post('/v1/auth/lock', { token })).status).toBe(200);
    expect((await login(merchant.email, 'R3set!Pass')).body.code).toBe('account_locked');
  });

  it('when the account reads Turkish, then its security mail says "Bu ben değilim" in Turkish with the same working lock link', async () => {
    const merchant = await signUp(stack);
    expect((await stack.http.patch('/v1/account', { language: 'tr' }, merchant.token)).status).toBe(200);
    const changed = await stack.http.post(
      '/v1/account/password',
      { oldPassword: merchant.password, newPassword: 'Yen1!Sifre', newPasswordConfirm: 'Yen1!Sifre' },
      merchant.token,
    );
    expect(changed.status).toBe(204);
    const mail = await mailTo(merchant.email, /şifreniz değiştirildi/);
    expect(mail.text).toContain('Bu ben değilim');
    expect(mail.text).toContain('7 gün');
    expect((await stack.http.post('/v1/auth/lock', { token: lockTokenIn(mail) })).status).toBe(200);
  });
});

describe('new-device mails', () => {
  // By the writer's key: a delivered mail keeps neither address nor subject.
  const newDeviceMails = (merchant: Merchant) =>
    stack.database.db
      .selectFrom('mail_outbox')
      .select('id')
      .where('idempotency_key', 'like', `new-device:${merchant.accountId}:%`)
      .execute();

  it('when a device the account has not seen signs in, then one mail with a lock link, not again for it, and none for a known one', async () => {
    const merchant = await signUp(stack); // the first device, recorded silently
    expect(await newDeviceMails(merchant)).toHaveLength(0);
    expect((await login(merchant.email, merchant.password, IPHONE)).status).toBe(200);
    const mail = await mailTo(merchant.email, /New sign-in/);
    expect(mail.text).toContain('Safari on iOS');
    lockTokenIn(mail);
    expect((await login(merchant.email, merchant.password, IPHONE.replace('17_0', '17_4'))).status).toBe(200);
    expect((await login(merchant.email, merchant.password)).status).toBe(200);
    // Written in the login's own transaction: what the outbox holds is final.
    expect(await newDeviceMails(merchant)).toHaveLength(1);
  });

  it('when a known device has not been seen for 90 days, then it counts as new again', async () => {
    const merchant = await signUp(stack);
    await login(merchant.email, merchant.password, IPHONE);
    await stack.database.db
      .updateTable('known_devices')
      .set({ last_seen_at: new Date(Date.now() - 91 * 86_400_000) })
      .where('account_id', '=', merchant.accountId)
      .where('device_key', 'like', 'Safari%')
      .execute();
    await login(merchant.email, merchant.password, IPHONE);
    expect(await newDeviceMails(merchant)).toHaveLength(2);
  });
});
