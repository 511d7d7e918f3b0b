import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { listen } from '../../src/api/server';
import { passwordResetDecoyKey } from '../../src/db/repositories/password-reset-decoys';
import { hashCode } from '../../src/domain/codes';
import { createPasswordHasher, type PasswordHasher } from '../../src/services/passwords';
import { MAX_CODE_ATTEMPTS } from '../../src/shared/code-flow';
import { passwordRotationStatusQuery } from '../../src/shared/password-rotation';
import { passwordResetWorkflowId, passwordRotationWorkflowId } from '../../src/shared/workflow-ids';
import { Authenticator } from '../helpers/authenticator';
import { HttpClient } from '../helpers/http';
import { codeIn, enrolTotp, type Merchant, mailsTo, signUp, uniqueEmail } from '../helpers/merchant';
import type { ReceivedMail } from '../helpers/smtp';
import { startStack, type TestStack } from '../helpers/stack';
import { until } from '../helpers/wait';

let stack: TestStack;
let shortLived: TestStack;
beforeAll(async () => {
  [stack, shortLived] = await Promise.all([
    startStack(),
    startStack({ env: { PASSWORD_RESET_TTL: '3s', EMAIL_CODE_RESEND_COOLDOWN: '1s' } }),
  ]);
});
afterAll(() => Promise.all([stack?.stop(), shortLived?.stop()]));

const NEW_PASSWORD = 'R3set!Secret';

async function resetCode(target: TestStack, email: string, already = 0): Promise<string> {
  const resetMails = () => mailsTo(target, email).filter((mail: ReceivedMail) => /new password/.test(mail.text));
  await target.smtp.waitFor(() => resetMails().length > already);
  return codeIn(resetMails()[already]!);
}

const confirm = (
  target: TestStack,
  email: string,
  code: string,
  newPassword = NEW_PASSWORD,
  newPasswordConfirm = newPassword,
) => target.http.post('/v1/auth/password-reset/confirm', { email, code, newPassword, newPasswordConfirm });

async function resetPassword(merchant: Merchant, newPassword = NEW_PASSWORD): Promise<void> {
  expect((await stack.http.post('/v1/auth/password-reset', { email: merchant.email })).status).toBe(202);
  expect((await confirm(stack, merchant.email, await resetCode(stack, merchant.email), newPassword)).status).toBe(204);
}

const login = (email: string, password: string) => stack.http.post('/v1/auth/login', { email, password });

describe('password reset', () => {
  it('when a registered and an unknown address ask, then both get the same 202, and only the registered one gets a code', async () => {
    const merchant = await signUp(stack);
    const unknown = uniqueEmail('nobody');
    const known = await stack.http.post('/v1/auth/password-reset', { email: merchant.email });
    const stranger = await stack.http.post('/v1/auth/password-reset', { email: unknown });
    expect(known.status).toBe(202);
    expect(stranger.status).toBe(202);
    expect(stranger.body).toEqual(known.body);
    await resetCode(stack, merchant.email);
    const handle = stack.temporal.workflow.getHandle(passwordResetWorkflowId(merchant.accountId));
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect(mailsTo(stack, unknown)).toEqual([]);
  });

  it('when the right code and a new password are sent, then 204, every session ends, only the new password logs in, and a notice is mailed', async () => {
    const merchant = await signUp(stack);
    const otherDevice = (await login(merchant.email, merchant.password)).body.token as string;
    await resetPassword(merchant);
    for (const token of [merchant.token, otherDevice])
      expect((await stack.http.get('/v1/account', token)).status).toBe(401);
    expect((await login(merchant.email, merchant.password)).status).toBe(401);
    const fresh = await login(merchant.email, NEW_PASSWORD);
    expect(fresh.body.status).toBe('authenticated');
    await stack.smtp.waitFor((mail) => mail.to === merchant.email && /password was reset/.test(mail.subject));
    const events = await stack.http.get('/v1/account/events', fresh.body.token);
    expect(events.body.items.map((event: { type: string }) => event.type)).toEqual(
      expect.arrayContaining(['password_reset_requested', 'password_reset']),
    );
    // The prepared hash does not outlive the reset.
    expect(
      await stack.database.db
        .selectFrom('prepared_password_changes')
        .selectAll()
        .where('account_id', '=', merchant.accountId)
        .execute(),
    ).toEqual([]);
  });

  it('when the code is wrong, then 400 with the tries left, and the right code still works after', async () => {
    const merchant = await signUp(stack);
    await stack.http.post('/v1/auth/password-reset', { email: merchant.email });
    const code = await resetCode(stack, merchant.email);
    const wrong = await confirm(stack, merchant.email, code === '000000' ? '111111' : '000000');
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ code: 'code_invalid', triesLeft: MAX_CODE_ATTEMPTS - 1 });
    expect((await confirm(stack, merchant.email, code)).status).toBe(204);
    // Used once: the same code again finds nothing to confirm.
    expect((await confirm(stack, merchant.email, code, 'An0ther!Secret')).status).toBe(410);
  });

  it('when the new password breaks the policy, then every violation at once; when it is a recent one, then reused and the code stays good', async () => {
    const merchant = await signUp(stack);
    await stack.http.post('/v1/auth/password-reset', { email: merchant.email });
    const code = await resetCode(stack, merchant.email);
    const weak = await confirm(stack, merchant.email, code, 'weak', 'other');
    expect(weak.status).toBe(400);
    expect(weak.body.errors.map((error: { code: string }) => error.code)).toEqual(
      expect.arrayContaining(['too_short', 'missing_uppercase', 'missing_digit', 'missing_special', 'mismatch']),
    );
    const reused = await confirm(stack, merchant.email, code, merchant.password);
    expect(reused.status).toBe(400);
    expect(reused.body.errors).toEqual([expect.objectContaining({ field: 'newPassword', code: 'reused' })]);
    expect((await confirm(stack, merchant.email, code)).status).toBe(204);
  });

  it('when a registered and an unknown address have both asked, then wrong codes get the same answers, body for body: the tries left, a re-request inside the cooldown changing nothing, then 410', async () => {
    const merchant = await signUp(stack);
    const unknown = uniqueEmail('nobody');
    for (const email of [merchant.email, unknown])
      expect((await stack.http.post('/v1/auth/password-reset', { email })).status).toBe(202);
    const code = await resetCode(stack, merchant.email);
    const wrong = code === '000000' ? '111111' : '000000';
    const answers = async (email: string) => {
      const seen: Array<{ status: number; body: Record<string, unknown> }> = [];
      for (let attempt = 0; attempt <= MAX_CODE_ATTEMPTS; attempt++) {
        // Asked again after two wrong codes: inside the re-send cooldown, nothing changes.
        if (attempt === 2) expect((await stack.http.post('/v1/auth/password-reset', { email })).status).toBe(202);
        const response = await confirm(stack, email, wrong);
        seen.push({ status: response.status, body: { ...response.body, requestId: undefined } });
      }
      return seen;
    };
    const registered = await answers(merchant.email);
    expect(registered.map((answer) => [answer.status, answer.body.triesLeft])).toEqual([
      ...Array.from({ length: MAX_CODE_ATTEMPTS }, (_, index) => [400, MAX_CODE_ATTEMPTS - 1 - index]),
      [410, undefined],
    ]);
    expect(await answers(unknown)).toEqual(registered);
  });

  it('when a registered address with a long password history and an unknown one confirm a wrong code, then both cost the same argon2 work', async () => {
    // An API process of its own whose hasher counts what it is asked to do.
    const work = { verify: 0, hash: 0 };
    const argon = createPasswordHasher(stack.config);
    const counting: PasswordHasher = {
      hash(password) {
        work.hash += 1;
        return argon.hash(password);
      },
      verify(hash, password) {
        work.verify += 1;
        return argon.verify(hash, password);
      },
      burnVerification(password) {
        work.verify += 1;
        return argon.burnVerification(password);
      },
    };
    const server = await listen(
      createApp({
        config: stack.config,
        db: stack.database.db,
        temporal: stack.temporal,
        logger: stack.logger,
        passwords: counting,
      }),
      0,
      '127.0.0.1',
    );
    try {
      const http = new HttpClient(server.url);
      const merchant = await signUp(stack);
      let password = merchant.password;
      for (const next of ['Hist0ry!One', 'Hist0ry!Two', 'Hist0ry!Thr']) {
        const changed = await stack.http.post(
          '/v1/account/password',
          { oldPassword: password, newPassword: next, newPasswordConfirm: next },
          merchant.token,
        );
        expect(changed.status).toBe(204);
        password = next;
      }
      const unknown = uniqueEmail('nobody');
      for (const email of [merchant.email, unknown])
        expect((await stack.http.post('/v1/auth/password-reset', { email })).status).toBe(202);
      const code = await resetCode(stack, merchant.email);
      const decoyKey = hashCode(stack.config.secretKey, 'password-reset-decoy', unknown);
      await until(
        async () =>
          (await stack.database.db
            .selectFrom('password_reset_decoys')
            .select('address_key')
            .where('address_key', '=', decoyKey)
            .executeTakeFirst()) !== undefined,
      );
      const workOf = async (email: string) => {
        Object.assign(work, { verify: 0, hash: 0 });
        const response = await http.post('/v1/auth/password-reset/confirm', {
          email,
          code: code === '000000' ? '111111' : '000000',
          newPassword: NEW_PASSWORD,
          newPasswordConfirm: NEW_PASSWORD,
        });
        expect(response.status).toBe(400);
        return { ...work };
      };
      const registered = await workOf(merchant.email);
      expect(await workOf(unknown)).toEqual(registered);
    } finally {
      await server.close();
    }
  });

  const decoyCount = async () =>
    (await shortLived.database.db.selectFrom('password_reset_decoys').select('address_key').execute()).length;

  it('when an unknown address asked and PASSWORD_RESET_TTL has passed, then a code is refused with 410, as for a registered one', async () => {
    const unknown = uniqueEmail('nobody');
    const before = await decoyCount();
    expect((await shortLived.http.post('/v1/auth/password-reset', { email: unknown })).status).toBe(202);
    // Written after the answer, as a registered address's flow starts after it.
    await until(async () => (await decoyCount()) > before);
    const first = await confirm(shortLived, unknown, '000000');
    expect(first.body).toMatchObject({ code: 'code_invalid', triesLeft: MAX_CODE_ATTEMPTS - 1 });
    const decoy = await shortLived.database.db
      .selectFrom('password_reset_decoys')
      .select('expires_at')
      .orderBy('issued_at', 'desc')
      .executeTakeFirstOrThrow();
    await until(async () => Date.now() > decoy.expires_at.getTime() + 100);
    const late = await confirm(shortLived, unknown, '000000');
    expect(late.status).toBe(410);
    expect(late.body.code).toBe('code_expired');
  });

  const decoyOf = (email: string) =>
    shortLived.database.db
      .selectFrom('password_reset_decoys')
      .select(['issued_at', 'expires_at', 'attempts'])
      .where('address_key', '=', passwordResetDecoyKey(shortLived.config.secretKey, email))
      .executeTakeFirst();

  it('when a registered and an unknown address ask again past the re-send cooldown, then both start afresh: the same tries left as a first request', async () => {
    const merchant = await signUp(shortLived);
    const unknown = uniqueEmail('nobody');
    /** Asks, waits until `opened` sees the reset open (it returns the code, when it knows one), and so on. */
    const answers = async (email: string, opened: (asked: number) => Promise<string | undefined>) => {
      const seen: Array<[number, unknown]> = [];
      let code: string | undefined;
      // Returns when the reset was seen open: its code (or decoy) is no younger than that.
      const ask = async (asked: number) => {
        expect((await shortLived.http.post('/v1/auth/password-reset', { email })).status).toBe(202);
        code = await opened(asked);
        return Date.now();
      };
      const wrongCode = async () => {
        const response = await confirm(shortLived, email, code === '000000' ? '111111' : '000000');
        seen.push([response.status, response.body.triesLeft]);
      };
      const openedAt = await ask(0);
      await wrongCode();
      await wrongCode();
      await until(async () => Date.now() > openedAt + shortLived.config.durations.emailCodeResendCooldownMs);
      await ask(1);
      await wrongCode();
      return seen;
    };
    const registered = await answers(merchant.email, (asked) => resetCode(shortLived, merchant.email, asked));
    expect(registered).toEqual([
      [400, MAX_CODE_ATTEMPTS - 1],
      [400, MAX_CODE_ATTEMPTS - 2],
      [400, MAX_CODE_ATTEMPTS - 1],
    ]);
    let lastIssued = 0;
    const stranger = await answers(unknown, async () => {
      await until(async () => ((await decoyOf(unknown))?.issued_at.getTime() ?? 0) > lastIssued);
      lastIssued = (await decoyOf(unknown))!.issued_at.getTime();
      return undefined;
    });
    expect(stranger).toEqual(registered);
  });

  it('when the decoy of an unknown address has expired, then the sweep in every worker deletes it, with no further request', async () => {
    const unknown = uniqueEmail('nobody');
    expect((await shortLived.http.post('/v1/auth/password-reset', { email: unknown })).status).toBe(202);
    await until(async () => (await decoyOf(unknown)) !== undefined);
    const { expires_at: expiresAt } = (await decoyOf(unknown))!;
    await until(async () => (await decoyOf(unknown)) === undefined);
    // Not before its time: until then it answers as an open reset.
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt.getTime());
  });

  it('when the address is unknown, then confirming answers 410 like an expired code', async () => {
    const response = await confirm(stack, uniqueEmail('nobody'), '123456');
    expect(response.status).toBe(410);
    expect(response.body.code).toBe('code_expired');
  });

  it('when two-factor is on, then the login after a reset still asks for the second factor', async () => {
    const merchant = await signUp(stack);
    const setup = await stack.http.post('/v1/account/2fa/totp', {}, merchant.token);
    const app = new Authenticator(setup.body.otpauthUri);
    expect((await stack.http.post('/v1/account/2fa/totp/confirm', { code: app.code() }, merchant.token)).status).toBe(
      200,
    );
    await resetPassword(merchant);
    const next = await login(merchant.email, NEW_PASSWORD);
    expect(next.body).toMatchObject({ status: 'mfa_required', method: 'totp' });
    expect(next.body.token).toBeUndefined();
  });

  it('when a login waits for its second factor and the password is reset, then that challenge cannot complete, and the rotation flow restarts from the reset', async () => {
    const merchant = await signUp(stack);
    const { app } = await enrolTotp(stack, merchant);
    const pending = await login(merchant.email, merchant.password);
    expect(pending.body.status).toBe('mfa_required');
    await resetPassword(merchant);
    const refused = await stack.http.post('/v1/auth/login/verify', {
      challengeId: pending.body.challengeId,
      code: app.code(1),
    });
    expect(refused.status).toBe(410);
    expect(refused.body.code).toBe('login_challenge_revoked');
    const { password_changed_at: changedAt } = await stack.database.db
      .selectFrom('accounts')
      .select('password_changed_at')
      .where('id', '=', merchant.accountId)
      .executeTakeFirstOrThrow();
    const rotation = stack.temporal.workflow.getHandle(passwordRotationWorkflowId(merchant.accountId));
    await until(async () => (await rotation.query(passwordRotationStatusQuery)).changedAt === changedAt.getTime());
  });

  it('when the password has expired, then a reset replaces it and the next login is a full one', async () => {
    const merchant = await signUp(stack);
    await stack.database.db
      .updateTable('accounts')
      .set({ password_changed_at: new Date(Date.now() - 91 * 86_400_000), password_expired_at: new Date() })
      .where('id', '=', merchant.accountId)
      .execute();
    expect((await login(merchant.email, merchant.password)).body.status).toBe('password_expired');
    await resetPassword(merchant);
    expect((await login(merchant.email, NEW_PASSWORD)).body.status).toBe('authenticated');
  });

  it('when a closed account in its grace period is reset, then the login afterwards reactivates it', async () => {
    const merchant = await signUp(stack);
    const closure = await stack.http.post(
      '/v1/account/closure',
      { password: merchant.password, acknowledgeWarnings: true, deleteAllData: true },
      merchant.token,
    );
    expect(closure.status).toBe(202);
    await resetPassword(merchant);
    const back = await login(merchant.email, NEW_PASSWORD);
    expect(back.body).toMatchObject({ status: 'authenticated', reactivated: true });
    expect((await stack.http.get('/v1/account', back.body.token)).body.status).toBe('active');
  });

  it('when one address asks too often, then 429 with Retry-After, the same for an unknown address', async () => {
    for (const email of [(await signUp(stack)).email, uniqueEmail('nobody')]) {
      const answers: number[] = [];
      for (let index = 0; index <= stack.config.rateLimits.codeAttemptsPerAccount; index++) {
        answers.push((await stack.http.post('/v1/auth/password-reset', { email })).status);
      }
      expect(answers.slice(0, -1).every((status) => status === 202)).toBe(true);
      const limited = await stack.http.post('/v1/auth/password-reset', { email });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    }
  });

  it('when one client address asks for many addresses, then 429 with Retry-After past RATE_LIMIT_CODE_ATTEMPTS_PER_IP, and another client is still served', async () => {
    const limited = await startStack({ env: { RATE_LIMIT_CODE_ATTEMPTS_PER_IP: '5' } });
    try {
      const ask = (ip: string) =>
        limited.http.request('POST', '/v1/auth/password-reset', {
          body: { email: uniqueEmail('nobody') },
          headers: { 'x-forwarded-for': ip },
        });
      for (let index = 0; index < 5; index++) expect((await ask('203.0.113.7')).status).toBe(202);
      const refused = await ask('203.0.113.7');
      expect(refused.status).toBe(429);
      expect(refused.body.code).toBe('rate_limited');
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await ask('198.51.100.9')).status).toBe(202);
    } finally {
      await limited.stop();
    }
  });

  it('when PASSWORD_RESET_TTL has passed, then the code is refused with 410 and the password is unchanged', async () => {
    const merchant = await signUp(shortLived);
    await shortLived.http.post('/v1/auth/password-reset', { email: merchant.email });
    const code = await resetCode(shortLived, merchant.email);
    const handle = shortLived.temporal.workflow.getHandle(passwordResetWorkflowId(merchant.accountId));
    await until(async () => (await handle.describe()).status.name === 'COMPLETED');
    expect(await handle.result()).toBe('expired');
    const late = await confirm(shortLived, merchant.email, code);
    expect(late.status).toBe(410);
    expect(late.body.code).toBe('code_expired');
    expect(
      (await shortLived.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password })).status,
    ).toBe(200);
  });
});
