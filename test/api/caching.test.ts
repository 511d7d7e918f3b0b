import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantRole } from '../../src/db/repositories/accounts';
import { Authenticator } from '../helpers/authenticator';
import { signUp, STRONG_PASSWORD, type Merchant } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';

// Every authenticated or secret-bearing answer must say `Cache-Control: no-store`, so no
// browser cache, shared proxy or CDN keeps a copy of a token, a TOTP secret or account data,
// and none carries a validator (ETag) a cache could key it on.

let stack: TestStack;
let agent: Merchant;
beforeAll(async () => {
  stack = await startStack();
  agent = await signUp(stack);
  await grantRole(stack.database.db, agent.accountId, 'support');
});
afterAll(() => stack?.stop());

function expectNotStored(response: { status: number; headers: Headers }, what: string) {
  expect({ what, cacheControl: response.headers.get('cache-control') }).toEqual({
    what,
    cacheControl: expect.stringMatching(/\bno-store\b/),
  });
  expect({ what, etag: response.headers.get('etag') }).toEqual({ what, etag: null });
}

describe('Cache-Control on secret-bearing answers', () => {
  it('when a merchant signs up, logs in, reads and patches the account, then every answer is no-store without an ETag', async () => {
    const merchant = await signUp(stack);
    const login = await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password });
    expect(login.status).toBe(200);
    expectNotStored(login, 'login (token)');
    const account = await stack.http.get('/v1/account', merchant.token);
    expect(account.status).toBe(200);
    expectNotStored(account, 'GET /v1/account');
    // Asked again with a validator, the answer is the data again, not a 304 from a cached copy.
    const again = await stack.http.request('GET', '/v1/account', {
      token: merchant.token,
      headers: { 'if-none-match': '*' },
    });
    expect(again.status).toBe(200);
    expectNotStored(again, 'GET /v1/account again');
    expectNotStored(await stack.http.patch('/v1/account', { city: 'İzmir' }, merchant.token), 'PATCH /v1/account');
    expectNotStored(await stack.http.get('/v1/account/events', merchant.token), 'events');
  });

  it('when TOTP is set up and confirmed, then the secret, the QR code and the recovery codes are no-store', async () => {
    const merchant = await signUp(stack);
    const setup = await stack.http.post('/v1/account/2fa/totp', {}, merchant.token);
    expect(setup.status).toBe(200);
    expect(setup.body.secret).toEqual(expect.any(String));
    expectNotStored(setup, 'TOTP setup (secret, QR code)');
    const confirm = await stack.http.post(
      '/v1/account/2fa/totp/confirm',
      { code: new Authenticator(setup.body.otpauthUri).code() },
      merchant.token,
    );
    expect(confirm.status).toBe(200);
    expect(confirm.body.recoveryCodes).toHaveLength(10);
    expectNotStored(confirm, 'recovery codes');
    const login = await stack.http.post('/v1/auth/login', { email: merchant.email, password: STRONG_PASSWORD });
    expect(login.body.status).toBe('mfa_required');
    expectNotStored(login, 'login challenge');
  });

  it('when any documented API route answers, success or error, authenticated or not, then it is no-store without an ETag', async () => {
    const document = (await stack.http.get('/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/v1/') && path !== '/v1/auth/logout')
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })));
    expect(operations.length).toBeGreaterThan(25);
    const sample = '00000000-0000-4000-8000-000000000000';
    const failures: string[] = [];
    for (const { method, path } of operations) {
      for (const token of [agent.token, undefined]) {
        const response = await stack.http.request(method, path.replace(/\{[^}]+\}/g, sample), {
          token,
          ...(method !== 'GET' && { body: {} }),
        });
        if (
          !/\bno-store\b/.test(response.headers.get('cache-control') ?? '') ||
          response.headers.get('etag') !== null
        ) {
          failures.push(
            `${method} ${path} (${token ? 'signed in' : 'anonymous'}) → ${response.status} ${response.headers.get('cache-control')}`,
          );
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
