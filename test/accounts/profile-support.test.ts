import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPLETE_PROFILE, signUp } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

function isoDateYearsAgo(years: number, dayOffset = 0): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate() + dayOffset))
    .toISOString()
    .slice(0, 10);
}

describe('profile', () => {
  it('when every field is valid, then it is saved and the phone is stored in E.164', async () => {
    const merchant = await signUp(stack);
    const response = await stack.http.patch('/v1/account', COMPLETE_PROFILE, merchant.token);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ ...COMPLETE_PROFILE, phone: '+902125551212' });
    expect((await stack.http.get('/v1/account', merchant.token)).body.dateOfBirth).toBe('1985-04-23');
  });

  it('when a national phone number comes with its country, then it is read in that country', async () => {
    const merchant = await signUp(stack);
    const response = await stack.http.patch('/v1/account', { country: 'de', phone: '030 901820' }, merchant.token);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ country: 'DE', phone: '+4930901820' });
  });

  it('when several fields are invalid, then 400 reports every one by field and code', async () => {
    const merchant = await signUp(stack);
    const response = await stack.http.patch(
      '/v1/account',
      { fullName: '', country: 'XX', dateOfBirth: '2001-02-30', phone: '+90 12', city: 'x'.repeat(101) },
      merchant.token,
    );
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    const byField = Object.fromEntries(
      response.body.errors.map((error: { field: string; code: string }) => [error.field, error.code]),
    );
    expect(byField).toEqual({
      fullName: 'too_small',
      country: 'invalid_country',
      dateOfBirth: 'invalid_date',
      city: 'too_big',
      phone: 'invalid_phone',
    });
    expect(response.body.errors).toHaveLength(5);
  });

  it('when the country, phone and date of birth are all bad, then one answer reports all three', async () => {
    const merchant = await signUp(stack);
    const response = await stack.http.patch(
      '/v1/account',
      { country: 'ZZ', phone: 'not a phone', dateOfBirth: '1990-13-01' },
      merchant.token,
    );
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'country',
      'dateOfBirth',
      'phone',
    ]);
  });

  it('when a field has the wrong type or an unknown value beside a bad phone, then the phone is reported in the same answer', async () => {
    const merchant = await signUp(stack);
    const response = await stack.http.patch(
      '/v1/account',
      { fullName: 42, language: 'xx', phone: 'not a phone' },
      merchant.token,
    );
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'fullName',
      'language',
      'phone',
    ]);
  });

  it('when only the phone is bad, then it alone is reported and nothing is saved', async () => {
    const merchant = await signUp(stack);
    const response = await stack.http.patch('/v1/account', { city: 'İzmir', phone: '+90 12' }, merchant.token);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'phone', code: 'invalid_phone' })]);
    expect((await stack.http.get('/v1/account', merchant.token)).body.city).toBeNull();
  });

  it.each([
    ['a line break', 'Yılmaz\r\nBcc: victim@example.com'],
    ['a tab', 'Yılmaz\tTekstil'],
    ['a right-to-left override', 'Yılmaz \u202Egpj.exe'],
    ['a bidi isolate', 'Yılmaz \u2067Tekstil'],
    ['an escape character', 'Yılmaz \u001b[31mTekstil'],
    ['a Unicode line separator', 'Yılmaz\u2028Tekstil'],
  ])('when a name or trade name holds %s, then 400 invalid_characters on each field', async (_what, value) => {
    const merchant = await signUp(stack);
    const response = await stack.http.patch(
      '/v1/account',
      { fullName: value, tradeName: value, city: value },
      merchant.token,
    );
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual(
      ['fullName', 'tradeName', 'city'].map((field) => expect.objectContaining({ field, code: 'invalid_characters' })),
    );
  });

  it('when a name mixes scripts with letters, marks and spaces, then it is accepted as typed', async () => {
    const merchant = await signUp(stack);
    const response = await stack.http.patch(
      '/v1/account',
      { fullName: 'Zoë Ağaoğlu-Şen', tradeName: 'מסחר \u200Fשלום Ltd.' },
      merchant.token,
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ fullName: 'Zoë Ağaoğlu-Şen', tradeName: 'מסחר \u200Fשלום Ltd.' });
  });

  it('when the date of birth is in the future or the merchant under 18, then it is refused', async () => {
    const merchant = await signUp(stack);
    const future = await stack.http.patch('/v1/account', { dateOfBirth: isoDateYearsAgo(-1) }, merchant.token);
    expect(future.body.errors).toEqual([expect.objectContaining({ field: 'dateOfBirth', code: 'not_in_past' })]);
    const young = await stack.http.patch('/v1/account', { dateOfBirth: isoDateYearsAgo(18, 1) }, merchant.token);
    expect(young.body.errors).toEqual([expect.objectContaining({ field: 'dateOfBirth', code: 'too_young' })]);
    const adult = await stack.http.patch('/v1/account', { dateOfBirth: isoDateYearsAgo(18) }, merchant.token);
    expect(adult.status).toBe(200);
  });

  it('when a field holds a NUL character, then 400 invalid_characters (PostgreSQL could not store it)', async () => {
    const merchant = await signUp(stack);
    const response = await stack.http.patch('/v1/account', { city: 'İz\u0000mir' }, merchant.token);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'city', code: 'invalid_characters' })]);
  });

  it('when an unknown field is sent, then 400 rather than silently ignoring it', async () => {
    const merchant = await signUp(stack);
    const response = await stack.http.patch('/v1/account', { email: 'x@y.z' }, merchant.token);
    expect(response.status).toBe(400);
  });
});

describe('support requests', () => {
  it('when the account information is incomplete, then 409 lists what is missing', async () => {
    const merchant = await signUp(stack);
    await stack.http.patch('/v1/account', { fullName: 'Ayşe Yılmaz', city: 'İzmir' }, merchant.token);
    const response = await stack.http.post(
      '/v1/support-requests',
      { subject: 'Help', message: 'Orders stuck' },
      merchant.token,
    );
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('account_incomplete');
    expect(response.body.missing).toEqual(['tradeName', 'country', 'dateOfBirth', 'phone', 'emailVerified']);
  });

  it('when the profile is complete but the email unverified, then 409 names only the email', async () => {
    const merchant = await signUp(stack);
    await stack.http.patch('/v1/account', COMPLETE_PROFILE, merchant.token);
    const response = await stack.http.post(
      '/v1/support-requests',
      { subject: 'Help', message: 'Orders stuck' },
      merchant.token,
    );
    expect(response.status).toBe(409);
    expect(response.body.missing).toEqual(['emailVerified']);
  });

  it('when everything is complete, then the request is created and listed as the merchant’s own', async () => {
    const merchant = await signUp(stack, { verify: true });
    const other = await signUp(stack, { verify: true });
    await stack.http.patch('/v1/account', COMPLETE_PROFILE, merchant.token);
    await stack.http.patch('/v1/account', COMPLETE_PROFILE, other.token);
    await stack.http.post('/v1/support-requests', { subject: 'Other', message: 'Not mine' }, other.token);

    const created = await stack.http.post(
      '/v1/support-requests',
      { subject: 'Help', message: 'Orders stuck' },
      merchant.token,
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ subject: 'Help', message: 'Orders stuck', status: 'open' });
    const list = await stack.http.get('/v1/support-requests', merchant.token);
    expect(list.body.items).toEqual([expect.objectContaining({ id: created.body.id })]);
  });

  it('when a support message holds an escape sequence or a direction override, then 400 invalid_characters; line breaks and tabs stay', async () => {
    const merchant = await signUp(stack, { verify: true });
    await stack.http.patch('/v1/account', COMPLETE_PROFILE, merchant.token);
    for (const message of [
      'Orders \u001b[2Jstuck',
      'Invoice \u202Efdp.exe',
      'Orders \u2066stuck\u2069',
      'Bell\u0007',
    ]) {
      const refused = await stack.http.post('/v1/support-requests', { subject: 'Help', message }, merchant.token);
      expect(refused.status, JSON.stringify(message)).toBe(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'message', code: 'invalid_characters' })]);
    }
    const lines = 'Orders stuck since Monday.\r\nOrder:\t1042\nThanks';
    const created = await stack.http.post('/v1/support-requests', { subject: 'Help', message: lines }, merchant.token);
    expect(created.status).toBe(201);
    expect(created.body.message).toBe(lines);
  });
});
