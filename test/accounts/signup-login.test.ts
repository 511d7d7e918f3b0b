import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/stack';
import { codeIn, nextCodeMail, signUp, STRONG_PASSWORD, uniqueEmail } from '../helpers/merchant';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ env: { SESSION_TTL: '3s' } });
});
afterAll(() => stack?.stop());

const withoutRequestId = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });

describe('sign-up', () => {
  it('when a merchant signs up, then 201 and a 6-digit code is mailed to the address', async () => {
    const email = uniqueEmail();
    const response = await stack.http.post('/v1/auth/register', { email, password: STRONG_PASSWORD });
    expect(response.status).toBe(201);
    const mail = await nextCodeMail(stack, email);
    expect(codeIn(mail)).toMatch(/^\d{6}$/);
    const stored = await stack.database.db
      .selectFrom('accounts')
      .select(['password_hash', 'email_verified_at'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);
    expect(stored.email_verified_at).toBeNull();
  });

  it('when the address is taken, then the answer is the same 201 and the owner is told by mail', async () => {
    const owner = await signUp(stack);
    const first = await stack.http.post('/v1/auth/register', { email: uniqueEmail(), password: STRONG_PASSWORD });
    const again = await stack.http.post('/v1/auth/register', {
      email: owner.email.toUpperCase(),
      password: 'Other!Pass9',
    });
    expect(again.status).toBe(first.status);
    expect(withoutRequestId(again.body)).toEqual(withoutRequestId(first.body));
    await stack.smtp.waitFor((mail) => mail.to === owner.email && /tried to create/.test(mail.subject));
    const accounts = await stack.database.db
      .selectFrom('accounts')
      .select('id')
      .where('email', '=', owner.email)
      .execute();
    expect(accounts).toHaveLength(1);
  });

  it('when the password breaks the policy, then 400 lists every violation by code', async () => {
    const response = await stack.http.post('/v1/auth/register', { email: uniqueEmail(), password: 'short' });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    expect(response.body.errors.map((error: { code: string }) => error.code).sort()).toEqual(
      ['missing_digit', 'missing_special', 'missing_uppercase', 'too_short', 'common_password'].sort(),
    );
    expect(response.body.errors.every((error: { field: string }) => error.field === 'password')).toBe(true);
  });

  it('when the password is a common one or holds invisible characters, then 400 names each with its code', async () => {
    const common = await stack.http.post('/v1/auth/register', { email: uniqueEmail(), password: 'P@ssw0rd' });
    expect(common.status).toBe(400);
    expect(common.body.errors).toEqual([expect.objectContaining({ field: 'password', code: 'common_password' })]);
    const invisible = await stack.http.post('/v1/auth/register', {
      email: uniqueEmail(),
      password: 'Str0ng!\u200BPass',
    });
    expect(invisible.body.errors).toEqual([expect.objectContaining({ field: 'password', code: 'invalid_characters' })]);
  });

  it('when the email is malformed, then 400 names the field', async () => {
    const response = await stack.http.post('/v1/auth/register', { email: 'not-an-email', password: STRONG_PASSWORD });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'email' })]);
  });
});

describe('login and sessions', () => {
  it('when the credentials are right, then a bearer token opens the account', async () => {
    const merchant = await signUp(stack);
    expect(merchant.token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits, base64url
    const account = await stack.http.get('/v1/account', merchant.token);
    expect(account.status).toBe(200);
    expect(account.body).toMatchObject({
      email: merchant.email,
      emailVerified: false,
      status: 'active',
      twoFactor: { method: null },
    });
    const stored = await stack.database.db
      .selectFrom('sessions')
      .select('token_hash')
      .where('account_id', '=', merchant.accountId)
      .execute();
    // Only a hash is stored, never the token.
    expect(stored.every((row) => !row.token_hash.toString('utf8').includes(merchant.token))).toBe(true);
  });

  it('when the email is unknown or the password wrong, then the answers are identical', async () => {
    const merchant = await signUp(stack);
    const unknown = await stack.http.post('/v1/auth/login', {
      email: uniqueEmail('nobody'),
      password: STRONG_PASSWORD,
    });
    const wrong = await stack.http.post('/v1/auth/login', { email: merchant.email, password: 'Wr0ng!Pass' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(withoutRequestId(unknown.body)).toEqual(withoutRequestId(wrong.body));
    expect(wrong.body.code).toBe('invalid_credentials');
  });

  it('when a merchant logs out, then the token no longer works', async () => {
    const merchant = await signUp(stack);
    expect((await stack.http.post('/v1/auth/logout', {}, merchant.token)).status).toBe(204);
    const after = await stack.http.get('/v1/account', merchant.token);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('unauthenticated');
  });

  it('when SESSION_TTL has passed, then the session is refused', async () => {
    const merchant = await signUp(stack);
    expect((await stack.http.get('/v1/account', merchant.token)).status).toBe(200);
    const session = await stack.database.db
      .selectFrom('sessions')
      .select('expires_at')
      .where('account_id', '=', merchant.accountId)
      .executeTakeFirstOrThrow();
    // Wait on the condition (the stored expiry), not on a guess.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, session.expires_at.getTime() - Date.now() + 50)));
    expect((await stack.http.get('/v1/account', merchant.token)).status).toBe(401);
  });

  it('when no token is sent, then 401 problem+json', async () => {
    const response = await stack.http.get('/v1/account');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('when login events happen, then they are in the audit trail, newest first', async () => {
    const merchant = await signUp(stack);
    await stack.http.post('/v1/auth/login', { email: merchant.email, password: 'Wr0ng!Pass' });
    const events = await stack.http.get('/v1/account/events', merchant.token);
    expect(events.status).toBe(200);
    expect(events.body.items.map((event: { type: string }) => event.type)).toEqual(['login_failed', 'login', 'signup']);
    expect(events.body.items[0]).toMatchObject({ ip: expect.any(String), userAgent: expect.any(String) });
    const page = await stack.http.get('/v1/account/events?limit=2', merchant.token);
    expect(page.body.items).toHaveLength(2);
    const rest = await stack.http.get(`/v1/account/events?limit=2&cursor=${page.body.nextCursor}`, merchant.token);
    expect(rest.body.items.map((event: { type: string }) => event.type)).toEqual(['signup']);
    expect(rest.body.nextCursor).toBeNull();
  });
});
