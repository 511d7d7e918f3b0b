import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/wait';
import { codeIn, mailsTo, nextCodeMail, signUp, uniqueEmail, type Merchant } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';

// POST /v1/account/email must not tell a signed-in caller whether an address is registered:
// not by its status, its body, the cooldown that follows, or what GET /v1/account shows. The
// owner of a taken address hears of the attempt by mail instead, and no code goes anywhere.

let stack: TestStack;
beforeAll(async () => {
  // A real cooldown, long enough that "asked again at once" is surely within it.
  stack = await startStack({ env: { EMAIL_CODE_RESEND_COOLDOWN: '60s' } });
});
afterAll(() => stack?.stop());

const requestChange = (merchant: Merchant, email: string, password = merchant.password) =>
  stack.http.post('/v1/account/email', { email, password }, merchant.token);
const withoutRequestId = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });
const codesIssued = async (accountId: string) =>
  (
    await stack.database.db
      .selectFrom('verification_codes')
      .select('id')
      .where('account_id', '=', accountId)
      .where('purpose', '=', 'email_change')
      .execute()
  ).length;

describe('email change to a registered address', () => {
  it('when the address belongs to another account, then every answer is the one a free address gets, and its owner is told by mail instead of getting a code', async () => {
    const owner = await signUp(stack);
    await nextCodeMail(stack, owner.email);
    const toTaken = await signUp(stack, { verify: true });
    const toFree = await signUp(stack, { verify: true });
    const free = uniqueEmail('free');

    const taken = await requestChange(toTaken, owner.email.toUpperCase());
    const freed = await requestChange(toFree, free);
    expect(taken.status).toBe(202);
    expect(freed.status).toBe(202);
    expect(withoutRequestId(taken.body)).toEqual(withoutRequestId(freed.body));

    // Both flows issue a code (the cooldown starts for both); only the free address receives one.
    await until(
      async () => (await codesIssued(toTaken.accountId)) === 1 && (await codesIssued(toFree.accountId)) === 1,
    );
    await nextCodeMail(stack, free);

    // Asked again at once: the same 429 with Retry-After either way, the same body but for the
    // request id and the seconds left (the two were asked a moment apart).
    const takenAgain = await requestChange(toTaken, owner.email);
    const freeAgain = await requestChange(toFree, free);
    expect([takenAgain.status, freeAgain.status]).toEqual([429, 429]);
    expect([takenAgain.body.code, freeAgain.body.code]).toEqual(['rate_limited', 'rate_limited']);
    for (const answer of [takenAgain, freeAgain])
      expect(answer.headers.get('retry-after')).toEqual(expect.stringMatching(/^\d+$/));
    const withoutTiming = (body: Record<string, unknown>) => ({
      ...withoutRequestId(body),
      detail: undefined,
      retryAfterSeconds: undefined,
    });
    expect(withoutTiming(takenAgain.body)).toEqual(withoutTiming(freeAgain.body));

    // The account reads the same: the address is pending in both.
    expect((await stack.http.get('/v1/account', toTaken.token)).body.pendingEmail).toBe(owner.email);
    expect((await stack.http.get('/v1/account', toFree.token)).body.pendingEmail).toBe(free);

    // The owner is told, and receives no code on the other merchant's behalf.
    await stack.smtp.waitFor(
      (mail) => mail.to === owner.email && /another ConnectProf account to your address/.test(mail.subject),
    );
    await until(
      async () =>
        (await stack.database.db.selectFrom('mail_outbox').select('id').where('sent_at', 'is', null).execute())
          .length === 0,
    );
    expect(mailsTo(stack, owner.email).filter((mail) => /code/i.test(mail.subject))).toHaveLength(1); // its own sign-up code
    expect(mailsTo(stack, owner.email).every((mail) => !mail.text.includes(toTaken.email))).toBe(true);

    // Nobody has the code, so a guess is only a wrong code, as for any address.
    const guess = await stack.http.post('/v1/account/email/verify', { code: '000000' }, toTaken.token);
    expect(guess.status).toBe(400);
    expect(guess.body.code).toBe('code_invalid');
    expect((await stack.http.get('/v1/account', toTaken.token)).body.email).toBe(toTaken.email);
  });

  it('when the real owner of a free address enters the code, then the change still goes through', async () => {
    const merchant = await signUp(stack, { verify: true });
    const next = uniqueEmail('next');
    expect((await requestChange(merchant, next)).status).toBe(202);
    const code = codeIn(await nextCodeMail(stack, next));
    const verified = await stack.http.post('/v1/account/email/verify', { code }, merchant.token);
    expect(verified.status).toBe(200);
    expect(verified.body.email).toBe(next);
  });
});

describe('email change needs the current password', () => {
  it('when the password is missing, then 400 names it and nothing is pending', async () => {
    const merchant = await signUp(stack, { verify: true });
    const response = await stack.http.post('/v1/account/email', { email: uniqueEmail() }, merchant.token);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'password' })]);
    expect((await stack.http.get('/v1/account', merchant.token)).body.pendingEmail).toBeNull();
  });

  it('when the password is wrong, then 401 invalid_credentials, no code is mailed and the attempt is audited as a failed login', async () => {
    const merchant = await signUp(stack, { verify: true });
    const target = uniqueEmail('stolen-session');
    const response = await requestChange(merchant, target, 'Wr0ng!Pass');
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('invalid_credentials');
    expect((await stack.http.get('/v1/account', merchant.token)).body.pendingEmail).toBeNull();
    expect(await codesIssued(merchant.accountId)).toBe(0);
    const events = await stack.http.get('/v1/account/events', merchant.token);
    expect(events.body.items[0]).toMatchObject({ type: 'login_failed', details: { reason: 'email_change' } });
  });
});
