import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CODE_ATTEMPTS } from '../../src/shared/code-flow';
import { emailVerificationWorkflowId } from '../../src/shared/workflow-ids';
import { codeIn, nextCodeMail, signUp, uniqueEmail } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
beforeAll(async () => {
  // Short, configured durations stand in for 10 minutes and 60 seconds; the tests wait on
  // conditions (a mail arriving, the flow closing), never on a guessed sleep.
  stack = await startStack({ env: { EMAIL_CODE_TTL: '4s', EMAIL_CODE_RESEND_COOLDOWN: '1s' } });
});
afterAll(() => stack?.stop());

/** A code that is certainly not the mailed one. */
const otherThan = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

async function flowResult(accountId: string): Promise<string> {
  return stack.temporal.workflow.getHandle(emailVerificationWorkflowId(accountId)).result();
}

describe('email verification at sign-up', () => {
  it('when the mailed code is entered, then 200 and the email is verified', async () => {
    const merchant = await signUp(stack);
    const code = codeIn(await nextCodeMail(stack, merchant.email));
    const response = await stack.http.post('/v1/account/email/verify', { code }, merchant.token);
    expect(response.status).toBe(200);
    expect(response.body.emailVerified).toBe(true);
    expect(await flowResult(merchant.accountId)).toBe('verified');
  });

  it('when a code was accepted, then entering it again answers 410', async () => {
    const merchant = await signUp(stack);
    const code = codeIn(await nextCodeMail(stack, merchant.email));
    expect((await stack.http.post('/v1/account/email/verify', { code }, merchant.token)).status).toBe(200);
    const again = await stack.http.post('/v1/account/email/verify', { code }, merchant.token);
    expect(again.status).toBe(410);
    expect(again.body.code).toBe('code_expired');
  });

  it('when a wrong code is entered, then 400 with the tries left; after the fifth, even the right code is refused with 410', async () => {
    const merchant = await signUp(stack);
    const code = codeIn(await nextCodeMail(stack, merchant.email));
    for (let attempt = 1; attempt <= MAX_CODE_ATTEMPTS; attempt++) {
      const wrong = await stack.http.post('/v1/account/email/verify', { code: otherThan(code) }, merchant.token);
      expect(wrong.status).toBe(400);
      expect(wrong.body).toMatchObject({ code: 'code_invalid', triesLeft: MAX_CODE_ATTEMPTS - attempt });
    }
    const sixth = await stack.http.post('/v1/account/email/verify', { code }, merchant.token);
    expect(sixth.status).toBe(410);
    expect(await flowResult(merchant.accountId)).toBe('locked');
    expect((await stack.http.get('/v1/account', merchant.token)).body.emailVerified).toBe(false);
  });

  it('when the code has expired, then 410 code_expired', async () => {
    const merchant = await signUp(stack);
    const code = codeIn(await nextCodeMail(stack, merchant.email));
    // The flow closes itself when the code expires (EMAIL_CODE_TTL = 4s here).
    expect(await flowResult(merchant.accountId)).toBe('expired');
    const response = await stack.http.post('/v1/account/email/verify', { code }, merchant.token);
    expect(response.status).toBe(410);
    expect(response.body.code).toBe('code_expired');
  });

  it('when a re-send comes within the cooldown, then 429 with Retry-After; after it, a new code replaces the old', async () => {
    const merchant = await signUp(stack);
    const first = codeIn(await nextCodeMail(stack, merchant.email));
    const early = await stack.http.post('/v1/account/email/resend', {}, merchant.token);
    expect(early.status).toBe(429);
    expect(early.body.code).toBe('rate_limited');
    expect(Number(early.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    // Wait out the cooldown the server named, then ask again.
    await new Promise((resolve) => setTimeout(resolve, Number(early.headers.get('retry-after')) * 1000));
    const resent = await stack.http.post('/v1/account/email/resend', {}, merchant.token);
    expect(resent.status).toBe(202);
    const second = codeIn(await nextCodeMail(stack, merchant.email, 1));

    if (second !== first) {
      const old = await stack.http.post('/v1/account/email/verify', { code: first }, merchant.token);
      expect(old.status).toBe(400);
    }
    expect((await stack.http.post('/v1/account/email/verify', { code: second }, merchant.token)).status).toBe(200);
  });

  it('when the flow has ended, then a re-send starts a new one with a new code', async () => {
    const merchant = await signUp(stack);
    await nextCodeMail(stack, merchant.email);
    expect(await flowResult(merchant.accountId)).toBe('expired');
    expect((await stack.http.post('/v1/account/email/resend', {}, merchant.token)).status).toBe(202);
    const code = codeIn(await nextCodeMail(stack, merchant.email, 1));
    expect((await stack.http.post('/v1/account/email/verify', { code }, merchant.token)).status).toBe(200);
  });

  it('when the flow runs, then operators find it by AccountId and state, and its history holds no code', async () => {
    const merchant = await signUp(stack);
    const code = codeIn(await nextCodeMail(stack, merchant.email));
    const handle = stack.temporal.workflow.getHandle(emailVerificationWorkflowId(merchant.accountId));
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get({ name: 'AccountId', type: 'KEYWORD' } as never)).toBe(
      merchant.accountId,
    );
    await stack.http.post('/v1/account/email/verify', { code }, merchant.token);
    await handle.result();
    const history = JSON.stringify(await handle.fetchHistory());
    expect(history).not.toContain(code);
    expect(history).not.toContain(merchant.email);
    const state = (await handle.describe()).typedSearchAttributes.get({
      name: 'EmailVerificationState',
      type: 'KEYWORD',
    } as never);
    expect(state).toBe('verified');
  });
});

describe('email change', () => {
  it('when a new address is verified, then it replaces the old one, which is told; until then the old one stays', async () => {
    const merchant = await signUp(stack, { verify: true });
    const newEmail = uniqueEmail('renamed');
    expect(
      (await stack.http.post('/v1/account/email', { email: newEmail, password: merchant.password }, merchant.token))
        .status,
    ).toBe(202);

    // Until verified: the old address is the login, the new one is not.
    const pending = await stack.http.get('/v1/account', merchant.token);
    expect(pending.body).toMatchObject({ email: merchant.email, pendingEmail: newEmail });
    expect((await stack.http.post('/v1/auth/login', { email: newEmail, password: merchant.password })).status).toBe(
      401,
    );
    expect(
      (await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password })).status,
    ).toBe(200);

    const code = codeIn(await nextCodeMail(stack, newEmail));
    const verified = await stack.http.post('/v1/account/email/verify', { code }, merchant.token);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ email: newEmail, pendingEmail: null, emailVerified: true });
    expect((await stack.http.post('/v1/auth/login', { email: newEmail, password: merchant.password })).status).toBe(
      200,
    );
    expect(
      (await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password })).status,
    ).toBe(401);
    await stack.smtp.waitFor((mail) => mail.to === merchant.email && /was changed/.test(mail.subject));

    const events = await stack.http.get('/v1/account/events', merchant.token);
    expect(events.body.items.map((event: { type: string }) => event.type)).toEqual(
      expect.arrayContaining(['email_change_requested', 'email_changed']),
    );
  });

  it('when the address is changed twice, then the old address is told each time', async () => {
    const merchant = await signUp(stack, { verify: true });
    let current = merchant.email;
    for (const round of [1, 2]) {
      const next = uniqueEmail(`round${round}`);
      let requested = await stack.http.post(
        '/v1/account/email',
        { email: next, password: merchant.password },
        merchant.token,
      );
      if (requested.status === 429) {
        // The re-send cooldown also spaces out email changes: wait what the server says.
        await new Promise((resolve) => setTimeout(resolve, Number(requested.headers.get('retry-after')) * 1000));
        requested = await stack.http.post(
          '/v1/account/email',
          { email: next, password: merchant.password },
          merchant.token,
        );
      }
      expect(requested.status).toBe(202);
      const code = codeIn(await nextCodeMail(stack, next));
      expect((await stack.http.post('/v1/account/email/verify', { code }, merchant.token)).status).toBe(200);
      const previous = current;
      await stack.smtp.waitFor((mail) => mail.to === previous && /was changed/.test(mail.subject));
      current = next;
    }
  });

  it('when a second change replaces a pending one, then the first address’s code no longer applies', async () => {
    const merchant = await signUp(stack, { verify: true });
    const first = uniqueEmail('first');
    expect(
      (await stack.http.post('/v1/account/email', { email: first, password: merchant.password }, merchant.token))
        .status,
    ).toBe(202);
    const firstCode = codeIn(await nextCodeMail(stack, first));
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the 1 s cooldown of this file
    const second = uniqueEmail('second');
    expect(
      (await stack.http.post('/v1/account/email', { email: second, password: merchant.password }, merchant.token))
        .status,
    ).toBe(202);
    expect((await stack.http.post('/v1/account/email/verify', { code: firstCode }, merchant.token)).status).not.toBe(
      200,
    );
    const secondCode = codeIn(await nextCodeMail(stack, second));
    const verified = await stack.http.post('/v1/account/email/verify', { code: secondCode }, merchant.token);
    expect(verified.body.email).toBe(second);
  });
});
