import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { listen, type RunningServer } from '../../src/api/server';
import { HttpClient } from '../helpers/http';
import { signUp, uniqueEmail } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let second: RunningServer;
let secondApi: HttpClient;
beforeAll(async () => {
  stack = await startStack({
    env: {
      RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '5',
      RATE_LIMIT_LOGIN_FAILURES_PER_IP: '24',
      RATE_LIMIT_CODE_ATTEMPTS_PER_ACCOUNT: '7',
    },
  });
  // A second API process on the same database: the counts must be shared.
  second = await listen(
    createApp({ config: stack.config, db: stack.database.db, temporal: stack.serviceTemporal, logger: stack.logger }),
    0,
    '127.0.0.1',
  );
  secondApi = new HttpClient(second.url);
});
afterAll(async () => {
  await second?.close();
  await stack?.stop();
});

describe('rate limits', () => {
  it('when an account has 5 failed logins across two API instances, then the next answers 429 with Retry-After, even with the right password', async () => {
    const merchant = await signUp(stack);
    for (let attempt = 0; attempt < 5; attempt++) {
      const api = attempt % 2 === 0 ? stack.http : secondApi;
      expect((await api.post('/v1/auth/login', { email: merchant.email, password: 'Wr0ng!Pass' })).status).toBe(401);
    }
    for (const api of [stack.http, secondApi]) {
      const blocked = await api.post('/v1/auth/login', { email: merchant.email, password: merchant.password });
      expect(blocked.status).toBe(429);
      expect(blocked.body.code).toBe('rate_limited');
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  it('when many wrong passwords arrive at once, then no more than the limit are even checked', async () => {
    const merchant = await signUp(stack);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        (index % 2 === 0 ? stack.http : secondApi).post('/v1/auth/login', {
          email: merchant.email,
          password: 'Wr0ng!Pass',
        }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(7);
  });

  it('when the email is unknown, then it is limited the same way, so the limit reveals nothing', async () => {
    const nobody = uniqueEmail('nobody');
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await secondApi.post('/v1/auth/login', { email: nobody, password: 'Wr0ng!Pass' })).status).toBe(401);
    }
    expect((await stack.http.post('/v1/auth/login', { email: nobody, password: 'Wr0ng!Pass' })).status).toBe(429);
  });

  it('when codes are entered past the limit, then 429, across instances', async () => {
    const merchant = await signUp(stack);
    for (let attempt = 0; attempt < 7; attempt++) {
      const api = attempt % 2 === 0 ? stack.http : secondApi;
      expect((await api.post('/v1/account/email/verify', { code: '000000' }, merchant.token)).status).not.toBe(429);
    }
    const blocked = await stack.http.post('/v1/account/email/verify', { code: '000000' }, merchant.token);
    expect(blocked.status).toBe(429);
  });

  it('when one client address fails logins for many accounts, then it is limited per address', async () => {
    // Last in the file: after it, this address cannot log in. One failure per email, so no
    // account limit is ever reached: only the address's own count (24) can stop it.
    let refusedAfter = -1;
    for (let attempt = 0; attempt < 30 && refusedAfter < 0; attempt++) {
      const api = attempt % 2 === 0 ? stack.http : secondApi;
      const response = await api.post('/v1/auth/login', { email: uniqueEmail('spray'), password: 'Wr0ng!Pass' });
      if (response.status === 429) refusedAfter = attempt;
      else expect(response.status).toBe(401);
    }
    expect(refusedAfter).toBeGreaterThanOrEqual(0);
    // An account that never failed is refused from this address now, right password or not.
    const fresh = uniqueEmail('fresh');
    expect((await stack.http.post('/v1/auth/register', { email: fresh, password: 'Str0ng!Pass' })).status).toBe(201);
    const blocked = await secondApi.post('/v1/auth/login', { email: fresh, password: 'Str0ng!Pass' });
    expect(blocked.status).toBe(429);
  });
});
