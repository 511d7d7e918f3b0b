import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger';
import { Authenticator, scanQrCode } from '../helpers/authenticator';
import { codeIn, nextCodeMail, signUp, STRONG_PASSWORD, uniqueEmail } from '../helpers/merchant';
import { until } from '../helpers/wait';
import { startStack, type TestStack } from '../helpers/stack';

const lines: string[] = [];
let stack: TestStack;
beforeAll(async () => {
  const capture = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  // Everything the service logs, at the most talkative level, into memory.
  stack = await startStack({ logger: createLogger('trace', capture) });
});
afterAll(() => stack?.stop());

describe('logs', () => {
  it('when a merchant goes through every flow, then no log line holds a password, code, token, secret or email', async () => {
    const merchant = await signUp(stack);
    const secrets = [merchant.password, merchant.token, merchant.email];

    const code = codeIn(await nextCodeMail(stack, merchant.email));
    secrets.push(code);
    await stack.http.post('/v1/account/email/verify', { code }, merchant.token);

    const setup = await stack.http.post('/v1/account/2fa/totp', {}, merchant.token);
    const app = new Authenticator(scanQrCode(setup.body.qrCode));
    const totp = app.code();
    const confirmed = await stack.http.post('/v1/account/2fa/totp/confirm', { code: totp }, merchant.token);
    secrets.push(app.secret, totp, ...confirmed.body.recoveryCodes);

    const challenge = await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password });
    const verified = await stack.http.post('/v1/auth/login/verify', {
      challengeId: challenge.body.challengeId,
      code: confirmed.body.recoveryCodes[0],
    });
    secrets.push(verified.body.token);

    const newPassword = 'Rotated!Pass7';
    secrets.push(newPassword);
    await stack.http.post(
      '/v1/account/password',
      { oldPassword: merchant.password, newPassword, newPasswordConfirm: newPassword },
      verified.body.token,
    );
    // Failures log too: a wrong password, malformed JSON carrying a password, an oversized body.
    await stack.http.post('/v1/auth/login', { email: merchant.email, password: 'Wr0ng!Guess' });
    secrets.push('Wr0ng!Guess');
    await stack.http.request('POST', '/v1/auth/login', {
      rawBody: `{"email":"${merchant.email}","password":"Leaked!Pass1"`,
    });
    secrets.push('Leaked!Pass1');
    await stack.http.post(
      '/v1/account/closure',
      { password: newPassword, code: confirmed.body.recoveryCodes[1], acknowledgeWarnings: true, deleteAllData: true },
      verified.body.token,
    );
    await stack.smtp.waitFor((mail) => mail.to === merchant.email && /account is closed/.test(mail.subject));

    expect(lines.length).toBeGreaterThan(10);
    const leaks = lines.filter((line) => secrets.some((secret) => line.includes(secret)));
    expect(leaks).toEqual([]);
    // The logs still say what happened: request lines with ids.
    expect(lines.some((line) => line.includes('"url":"/v1/auth/login"') && line.includes('"id":'))).toBe(true);
  });

  it.each(['postfix', 'sendmail'] as const)(
    'when a %s-style SMTP server refuses a recipient and names it in its reply, then neither a log line nor the waiting outbox row repeats the address or its local part',
    async (style) => {
      const email = uniqueEmail(`refused-${style}`);
      const localPart = email.split('@')[0]!;
      stack.smtp.rejectedRecipients.set(email, style);
      expect((await stack.http.post('/v1/auth/register', { email, password: STRONG_PASSWORD })).status).toBe(201);
      const failed = () =>
        stack.database.db
          .selectFrom('mail_outbox')
          .select('last_error')
          .where('to_address', '=', email)
          .where('last_error', 'is not', null)
          .executeTakeFirst();
      await until(async () => (await failed()) !== undefined);
      expect((await failed())!.last_error).toMatch(/550|rejected|User unknown/);
      expect((await failed())!.last_error).not.toContain(localPart);
      expect(lines.filter((line) => /rejected|User unknown/.test(line)).length).toBeGreaterThan(0);
      expect(lines.filter((line) => line.includes(localPart))).toEqual([]);
      stack.smtp.rejectedRecipients.delete(email);
    },
  );
});
