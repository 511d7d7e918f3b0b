import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { listen } from '../../src/api/server';
import { dataConverterFor } from '../../src/temporal/codec';
import { HttpClient } from '../helpers/http';
import { type Merchant, signUp, uniqueEmail } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';
import { completeMerchant, contactOf, merchantWithSecrets, openRequest, supportAgent } from '../helpers/support-desk';
import { TcpProxy } from '../helpers/tcp-proxy';
import { until } from '../helpers/wait';

let stack: TestStack;
let agent: Merchant;
beforeAll(async () => {
  stack = await startStack();
  agent = await supportAgent(stack);
});
afterAll(() => stack?.stop());

const lookup = (email: string, token = agent.token) =>
  stack.http.get(`/v1/support/accounts?email=${encodeURIComponent(email)}`, token);

async function closedAccount(merchant: Merchant): Promise<string> {
  const closure = await stack.http.post(
    '/v1/account/closure',
    { password: merchant.password, acknowledgeWarnings: true, deleteAllData: true },
    merchant.token,
  );
  expect(closure.status).toBe(202);
  // The closing steps run in the flow: wait until it is in its grace period.
  await until(
    async () =>
      (await stack.http.get(`/v1/support/accounts/${merchant.accountId}/closure`, agent.token)).body.state === 'grace',
  );
  return closure.body.purgeAt;
}

describe('finding a merchant by email', () => {
  it('when the address matches, whatever its case and surrounding spaces, then the summary comes back with the contact details', async () => {
    const merchant = await completeMerchant(stack);
    const response = await lookup(`  ${merchant.email.toUpperCase()} `);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('no-store');
    expect(response.body).toEqual({ items: [contactOf(merchant)] });
  });

  it('when the address is only nearly right (a letter short, a LIKE wildcard, a longer domain) or not an address, then nothing is found', async () => {
    const merchant = await signUp(stack);
    const [local, domain] = merchant.email.split('@') as [string, string];
    for (const nearMiss of [
      `${local}@${domain.slice(0, -1)}`,
      `${local.slice(0, -1)}_@${domain}`,
      `${local}@${domain}.tr`,
    ]) {
      const response = await lookup(nearMiss);
      expect(response.status, nearMiss).toBe(200);
      expect(response.body.items, nearMiss).toEqual([]);
    }
    for (const notAnAddress of [local, `${local}@`, '']) {
      const response = await lookup(notAnAddress);
      expect(response.status, notAnAddress).toBe(400);
      expect(response.body.code).toBe('validation_failed');
    }
  });

  it('when the address carries a wildcard (% _ *), another case of a non-ASCII letter or a look-alike Unicode form, then it finds nothing', async () => {
    const merchant = await signUp(stack, { email: uniqueEmail('kim') });
    const [local, domain] = merchant.email.split('@') as [string, string];
    const wildcards = [
      `%@${domain}`,
      `${local.slice(0, 3)}%@${domain}`,
      `${local.slice(0, -1)}%@${domain}`,
      `${local}@%`,
      `*@${domain}`,
      `${local.slice(0, -1)}*@${domain}`,
      `${'_'.repeat(local.length)}@${domain}`,
      `${local}@${domain.replace(/./g, '_')}`,
    ];
    const lookAlikes = [
      `\u212Aim${local.slice(3)}@${domain}`, // KELVIN SIGN, lower-cased by Unicode to "k"
      `\uFF4Bim${local.slice(3)}@${domain}`, // FULLWIDTH k, "k" after NFKC
      `k\u0131m${local.slice(3)}@${domain}`, // dotless ı, upper-cased "I"
      `${local}\u200B@${domain}`, // zero-width space
      `${local}@${domain}\u0301`, // a combining accent
    ];
    for (const probe of [...wildcards, ...lookAlikes]) {
      const response = await lookup(probe);
      // Refused as not an address, or looked up and not found: never the merchant.
      expect([200, 400], probe).toContain(response.status);
      expect(response.body.items ?? [], probe).toEqual([]);
    }
    expect((await lookup(`KİM${local.slice(3)}@${domain.toUpperCase()}`)).body.items ?? []).toEqual([]);
    expect((await lookup(`KIM${local.slice(3)}@${domain.toUpperCase()}`)).body.items).toEqual([
      expect.objectContaining({ id: merchant.accountId }),
    ]);
  });

  it('when the account is closing, then the summary shows the flow’s state, purge date and holds as they change', async () => {
    const merchant = await signUp(stack);
    const purgeAt = await closedAccount(merchant);
    const grace = await lookup(merchant.email);
    expect(grace.body.items[0]).toMatchObject({ status: 'closed', closure: { state: 'grace', purgeAt, holds: [] } });

    const hold = await stack.http.post(
      `/v1/support/accounts/${merchant.accountId}/recovery-hold`,
      { reason: 'merchant asked for orders' },
      agent.token,
    );
    expect(hold.status).toBe(201);
    const held = await lookup(merchant.email);
    expect(held.body.items[0].closure).toEqual({ state: 'held', purgeAt, holds: [hold.body.holdId] });
  });

  it('when the account never closed or was reactivated by a login, then the summary has no closure', async () => {
    const never = await signUp(stack);
    expect((await lookup(never.email)).body.items[0]).not.toHaveProperty('closure');

    const back = await signUp(stack);
    await closedAccount(back);
    const login = await stack.http.post('/v1/auth/login', { email: back.email, password: back.password });
    expect(login.body.reactivated).toBe(true);
    const summary = (await lookup(back.email)).body.items[0];
    expect(summary.status).toBe('active');
    expect(summary).not.toHaveProperty('closure');
  });

  it('when an agent looks a merchant up, then the merchant’s trail records it with the agent as actor; a miss is recorded too', async () => {
    const agent = await supportAgent(stack);
    const merchant = await signUp(stack);
    await lookup(merchant.email, agent.token);
    const events = await stack.http.get('/v1/account/events', merchant.token);
    expect(events.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'support_account_looked_up', details: { matched: 1 } })]),
    );
    const row = await stack.database.db
      .selectFrom('audit_events')
      .select(['actor_id'])
      .where('account_id', '=', merchant.accountId)
      .where('type', '=', 'support_account_looked_up')
      .executeTakeFirstOrThrow();
    expect(row.actor_id).toBe(agent.accountId);

    await lookup(uniqueEmail('nobody'), agent.token);
    const misses = await stack.database.db
      .selectFrom('audit_events')
      .select(['account_id', 'details'])
      .where('actor_id', '=', agent.accountId)
      .where('type', '=', 'support_account_looked_up')
      .where('account_id', 'is', null)
      .execute();
    expect(misses).toEqual([{ account_id: null, details: { matched: 0 } }]);
  });
});

describe('who may use the desk', () => {
  it('when a merchant (no support role) or an anonymous caller calls a desk route, then 403 forbidden or 401', async () => {
    const merchant = await completeMerchant(stack);
    const requestId = await openRequest(stack, merchant);
    for (const [method, path, body] of [
      ['GET', `/v1/support/accounts?email=${encodeURIComponent(merchant.email)}`, undefined],
      ['GET', '/v1/support/requests', undefined],
      ['PATCH', `/v1/support/requests/${requestId}`, { status: 'resolved', reply: 'Done myself' }],
    ] as const) {
      const asMerchant = await stack.http.request(method, path, { token: merchant.token, body });
      expect(asMerchant.status, `${method} ${path}`).toBe(403);
      expect(asMerchant.body.code).toBe('forbidden');
      const anonymous = await stack.http.request(method, path, { body });
      expect(anonymous.status, `${method} ${path}`).toBe(401);
    }
    const request = await stack.database.db
      .selectFrom('support_requests')
      .select('status')
      .where('id', '=', requestId)
      .executeTakeFirstOrThrow();
    expect(request.status).toBe('open');
  });
});

describe('secrets', () => {
  it('when an agent reads a merchant with 2FA, recovery codes and sessions, then no desk answer carries a hash, secret, code or token', async () => {
    const { merchant, requestId, secrets } = await merchantWithSecrets(stack, agent);

    const answers = [
      await lookup(merchant.email),
      await stack.http.get('/v1/support/requests?limit=100', agent.token),
      await stack.http.patch(
        `/v1/support/requests/${requestId}`,
        { status: 'in_progress', reply: 'Looking into it.' },
        agent.token,
      ),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      const json = JSON.stringify(answer.body);
      expect(json).toContain(merchant.email);
      for (const secret of secrets) expect(json).not.toContain(secret);
      expect(json).not.toMatch(/argon2|password|secret|token|recovery|totp/i);
    }
  });
});

describe('when Temporal is out of reach', () => {
  it('then a lookup answers 503 rather than a summary without the closure', async () => {
    const merchant = await signUp(stack);
    await closedAccount(merchant);
    // An API whose Temporal client goes through a proxy this test can cut.
    const [host, port] = inject('temporalAddress').split(':') as [string, string];
    const proxy = await TcpProxy.start(host, Number(port));
    const temporal = new Client({
      connection: await Connection.connect({ address: `127.0.0.1:${proxy.port}` }),
      namespace: stack.config.temporal.namespace,
      dataConverter: dataConverterFor(stack.config),
    });
    const server = await listen(
      createApp({ config: stack.config, db: stack.database.db, temporal, logger: stack.logger }),
      0,
      '127.0.0.1',
    );
    try {
      const http = new HttpClient(server.url);
      const before = await http.get(`/v1/support/accounts?email=${encodeURIComponent(merchant.email)}`, agent.token);
      expect(before.body.items[0].closure.state).toBe('grace');

      proxy.cut();
      const during = await http.get(`/v1/support/accounts?email=${encodeURIComponent(merchant.email)}`, agent.token);
      expect(during.status).toBe(503);
      expect(during.body.code).toBe('service_unavailable');
      expect(during.headers.get('retry-after')).toBeTruthy();
    } finally {
      // Back in reach first, so the client closes a live connection rather than one in backoff.
      proxy.restore();
      await server.close();
      await temporal.connection.close();
      await proxy.close();
    }
  }, 30_000);
});
