import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeIn, nextCodeMail, signUp, STRONG_PASSWORD, uniqueEmail } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';

// A code lifetime no one would type into a mail by hand: the mail must take it from the configuration.
let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ env: { EMAIL_CODE_TTL: '7m' } });
});
afterAll(() => stack?.stop());

async function registerWith(acceptLanguage: string | undefined) {
  const email = uniqueEmail('lang');
  const headers: Record<string, string> = acceptLanguage === undefined ? {} : { 'accept-language': acceptLanguage };
  const registered = await stack.http.request('POST', '/v1/auth/register', {
    body: { email, password: STRONG_PASSWORD },
    headers,
  });
  expect(registered.status).toBe(201);
  const login = await stack.http.post('/v1/auth/login', { email, password: STRONG_PASSWORD });
  const account = await stack.http.get('/v1/account', login.body.token);
  return { email, token: login.body.token as string, language: account.body.language };
}

describe('the account language', () => {
  it('when a Turkish browser signs up, then the account is Turkish and its verification mail is Turkish, with the configured lifetime', async () => {
    const merchant = await registerWith('tr-TR,tr;q=0.9,en-US;q=0.8,en;q=0.7');
    expect(merchant.language).toBe('tr');
    const mail = await stack.smtp.waitFor((received) => received.to === merchant.email);
    expect(mail.subject).toMatch(/^ConnectProf doğrulama kodunuz: \d{6}$/);
    expect(mail.text).toContain('Kod 7 dakika geçerlidir');
    // The code in it works like any other.
    expect((await stack.http.post('/v1/account/email/verify', { code: codeIn(mail) }, merchant.token)).status).toBe(
      200,
    );
  });

  it('when Accept-Language prefers another language, names none we write, or is absent, then the account is English', async () => {
    expect((await registerWith('de-DE,de;q=0.9,en;q=0.5,tr;q=0.4')).language).toBe('en');
    expect((await registerWith('fr')).language).toBe('en');
    const english = await registerWith(undefined);
    expect(english.language).toBe('en');
    const mail = await nextCodeMail(stack, english.email);
    expect(mail.subject).toMatch(/^Your ConnectProf verification code: \d{6}$/);
    expect(mail.text).toContain('It expires in 7 minutes');
  });

  it('when a German browser still lists Turkish above English, then the account is Turkish', async () => {
    expect((await registerWith('de;q=1, tr;q=0.8, en;q=0.5')).language).toBe('tr');
  });

  it('when the language is patched to tr and back to en, then GET /v1/account shows each, and mails follow it', async () => {
    const merchant = await signUp(stack);
    const toTurkish = await stack.http.patch('/v1/account', { language: 'tr' }, merchant.token);
    expect(toTurkish.status).toBe(200);
    expect(toTurkish.body.language).toBe('tr');
    expect((await stack.http.get('/v1/account', merchant.token)).body.language).toBe('tr');

    const changed = await stack.http.post(
      '/v1/account/password',
      { oldPassword: merchant.password, newPassword: 'Yen1!Sifre', newPasswordConfirm: 'Yen1!Sifre' },
      merchant.token,
    );
    expect(changed.status).toBe(204);
    await stack.smtp.waitFor(
      (mail) => mail.to === merchant.email && mail.subject === 'ConnectProf şifreniz değiştirildi',
    );

    const back = await stack.http.patch('/v1/account', { language: 'en' }, merchant.token);
    expect(back.body.language).toBe('en');
    expect((await stack.http.get('/v1/account', merchant.token)).body.language).toBe('en');
  });

  it('when the language is not one we write, or null, then PATCH answers 400 naming the field and nothing changes', async () => {
    const merchant = await signUp(stack);
    for (const language of ['de', null, 'TR']) {
      const refused = await stack.http.patch('/v1/account', { language }, merchant.token);
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('validation_failed');
      expect(refused.body.errors.map((error: { field: string }) => error.field)).toEqual(['language']);
    }
    expect((await stack.http.get('/v1/account', merchant.token)).body.language).toBe('en');
  });
});
