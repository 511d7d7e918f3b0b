import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRONG_PASSWORD, uniqueEmail } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';

// The per-client limits and the audit trail go by the client address that TRUST_PROXY lets a
// proxy name in X-Forwarded-For. Here only 10.0.0.0/8 may: a request from loopback naming
// another address is counted, and recorded, as loopback's own.

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ env: { TRUST_PROXY: '10.0.0.0/8', RATE_LIMIT_SIGNUPS_PER_IP: '2' } });
});
afterAll(() => stack?.stop());

const register = (forwardedFor: string, email = uniqueEmail('hop')) =>
  stack.http.request('POST', '/v1/auth/register', {
    body: { email, password: STRONG_PASSWORD },
    headers: { 'x-forwarded-for': forwardedFor },
  });

describe('client address behind proxies', () => {
  it('when a hop that TRUST_PROXY does not name sends X-Forwarded-For, then the header is ignored: the limits and the trail see that hop', async () => {
    const email = uniqueEmail('trail');
    expect((await register('203.0.113.1', email)).status).toBe(201);
    expect((await register('203.0.113.2')).status).toBe(201);
    // A third "client" is the same loopback client: past RATE_LIMIT_SIGNUPS_PER_IP.
    const third = await register('203.0.113.3');
    expect(third.status).toBe(429);
    expect(third.body.code).toBe('rate_limited');

    const login = await stack.http.request('POST', '/v1/auth/login', {
      body: { email, password: STRONG_PASSWORD },
      headers: { 'x-forwarded-for': '203.0.113.4' },
    });
    const events = await stack.http.get('/v1/account/events', login.body.token);
    const signedIn = events.body.items.find((event: { type: string }) => event.type === 'login');
    expect(signedIn.ip).toMatch(/127\.0\.0\.1/);
  });
});
