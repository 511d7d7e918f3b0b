import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { listen, type RunningServer } from '../../src/api/server';
import { HttpClient } from '../helpers/http';
import { STRONG_PASSWORD, uniqueEmail } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';
import { until } from '../helpers/wait';

// Sign-up hashes a password and mails an address the caller chose: it is limited per client
// address and in total, across every API process (the counts live in PostgreSQL), and the
// mails anyone can aim at one address are capped.

const SIGNUPS_PER_IP = 3;
const SIGNUPS_TOTAL = 10;
const MAILS_PER_ADDRESS = 2;

let stack: TestStack;
let secondProcess: RunningServer;
let second: HttpClient;
beforeAll(async () => {
  stack = await startStack({
    env: {
      RATE_LIMIT_SIGNUPS_PER_IP: String(SIGNUPS_PER_IP),
      RATE_LIMIT_SIGNUPS_TOTAL: String(SIGNUPS_TOTAL),
      RATE_LIMIT_MAILS_PER_ADDRESS: String(MAILS_PER_ADDRESS),
    },
  });
  // Another API process on the same database, as a second replica would be.
  secondProcess = await listen(
    createApp({ config: stack.config, db: stack.database.db, temporal: stack.temporal, logger: stack.logger }),
    0,
    '127.0.0.1',
  );
  second = new HttpClient(secondProcess.url);
});
afterAll(async () => {
  await secondProcess?.close();
  await stack?.stop();
});

let nextClient = 1;
/** A client address of its own (the API trusts X-Forwarded-For from its loopback proxy). */
const newClientIp = () => `203.0.113.${nextClient++}`;
const register = (http: HttpClient, email: string, ip: string) =>
  http.request('POST', '/v1/auth/register', {
    body: { email, password: STRONG_PASSWORD },
    headers: { 'x-forwarded-for': ip },
  });
const accountCount = async () =>
  Number(
    (
      await stack.database.db
        .selectFrom('accounts')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const outboxDrained = async () =>
  (await stack.database.db.selectFrom('mail_outbox').select('id').where('sent_at', 'is', null).execute()).length === 0;

// The tests share one budget (the total), so they run in order and account for what they spend.
describe('sign-up limits', () => {
  it('when mails are aimed at one address from several accounts, then it receives at most RATE_LIMIT_MAILS_PER_ADDRESS of them', async () => {
    const target = uniqueEmail('victim');
    const senders = [];
    for (let index = 0; index < 3; index++) {
      const email = uniqueEmail('sender');
      expect((await register(stack.http, email, newClientIp())).status).toBe(201);
      const login = await stack.http.post('/v1/auth/login', { email, password: STRONG_PASSWORD });
      senders.push({ token: login.body.token as string });
    }
    for (const sender of senders) {
      expect(
        (await stack.http.post('/v1/account/email', { email: target, password: STRONG_PASSWORD }, sender.token)).status,
      ).toBe(202);
    }
    // Every flow issued its code; the mails that were allowed have gone out.
    await until(
      async () =>
        (
          await stack.database.db
            .selectFrom('verification_codes')
            .select('id')
            .where('target_email', '=', target)
            .execute()
        ).length === 3,
    );
    await until(outboxDrained);
    expect(stack.smtp.messages.filter((mail) => mail.to === target)).toHaveLength(MAILS_PER_ADDRESS);
  });

  it('when one client address signs up past RATE_LIMIT_SIGNUPS_PER_IP, then 429 with Retry-After, no account and no mail; another address is unaffected', async () => {
    const ip = newClientIp();
    for (let index = 0; index < SIGNUPS_PER_IP; index++) {
      expect((await register(stack.http, uniqueEmail('burst'), ip)).status).toBe(201);
    }
    const refusedEmail = uniqueEmail('refused');
    const refused = await register(stack.http, refusedEmail, ip);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
    // The other process counts the same address too.
    expect((await register(second, uniqueEmail('refused'), ip)).status).toBe(429);
    expect(
      await stack.database.db.selectFrom('accounts').select('id').where('email', '=', refusedEmail).executeTakeFirst(),
    ).toBeUndefined();
    expect((await register(stack.http, uniqueEmail('neighbour'), newClientIp())).status).toBe(201);
    await until(outboxDrained);
    expect(stack.smtp.messages.filter((mail) => mail.to === refusedEmail)).toEqual([]);
  });

  it('when sign-ups from many addresses reach RATE_LIMIT_SIGNUPS_TOTAL across two API processes, then the next is 429 on either', async () => {
    const accepted: string[] = [];
    let refusal: { status: number; headers: Headers } | undefined;
    for (let index = 0; index < 2 * SIGNUPS_TOTAL && refusal === undefined; index++) {
      const http = index % 2 === 0 ? stack.http : second;
      const response = await register(http, uniqueEmail('crowd'), newClientIp());
      if (response.status === 201) accepted.push(http.baseUrl);
      else refusal = response;
    }
    expect(refusal?.status).toBe(429);
    expect(Number(refusal?.headers.get('retry-after'))).toBeGreaterThan(0);
    // Both processes took sign-ups, and together they stopped at the one total.
    expect(new Set(accepted).size).toBe(2);
    expect(await accountCount()).toBe(SIGNUPS_TOTAL);
    expect((await register(stack.http, uniqueEmail('late'), newClientIp())).status).toBe(429);
    expect((await register(second, uniqueEmail('late'), newClientIp())).status).toBe(429);
  });
});
