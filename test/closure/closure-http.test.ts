import { randomUUID } from 'node:crypto';
import { formatDate } from '../../src/mail/copy/format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantRole } from '../../src/db/repositories/accounts';
import { deletePurgeBatch } from '../../src/db/repositories/purge';
import { accountClosureStatusQuery } from '../../src/shared/account-closure';
import { accountClosureWorkflowId } from '../../src/shared/workflow-ids';
import { Authenticator, scanQrCode } from '../helpers/authenticator';
import { type Merchant, signUp } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let agent: Merchant;
beforeAll(async () => {
  stack = await startStack();
  agent = await signUp(stack);
  await grantRole(stack.database.db, agent.accountId, 'support');
});
afterAll(() => stack?.stop());

const CONFIRMED = { acknowledgeWarnings: true, deleteAllData: true };

async function withIntegrations(merchant: Merchant, count = 2): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const created = await stack.http.post(
      '/v1/integrations',
      { marketplace: 'Trendyol', name: `Store ${index}` },
      merchant.token,
    );
    expect(created.status).toBe(201);
    ids.push(created.body.id);
  }
  return ids;
}

async function closed(merchant: Merchant): Promise<string> {
  const response = await stack.http.post(
    '/v1/account/closure',
    { password: merchant.password, ...CONFIRMED },
    merchant.token,
  );
  expect(response.status).toBe(202);
  // The closing steps run in the flow: wait for them, on the flow's own state.
  for (let tries = 0; tries < 400; tries++) {
    const status = await stack.http.get(`/v1/support/accounts/${merchant.accountId}/closure`, agent.token);
    if (status.body.state !== 'closing') break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return response.body.purgeAt;
}

describe('closing an account', () => {
  it('when a confirmation is missing, then 400 names each unticked box', async () => {
    const merchant = await signUp(stack);
    const none = await stack.http.post('/v1/account/closure', { password: merchant.password }, merchant.token);
    expect(none.status).toBe(400);
    expect(none.body.errors.map((error: { field: string; code: string }) => [error.field, error.code])).toEqual([
      ['acknowledgeWarnings', 'confirmation_required'],
      ['deleteAllData', 'confirmation_required'],
    ]);
    const one = await stack.http.post(
      '/v1/account/closure',
      { password: merchant.password, acknowledgeWarnings: true, deleteAllData: false },
      merchant.token,
    );
    expect(one.body.errors).toEqual([
      expect.objectContaining({ field: 'deleteAllData', code: 'confirmation_required' }),
    ]);
    expect((await stack.http.get('/v1/account', merchant.token)).body.status).toBe('active');
  });

  it('when the password is wrong, then 401 and nothing closes', async () => {
    const merchant = await signUp(stack);
    const response = await stack.http.post(
      '/v1/account/closure',
      { password: 'Wr0ng!Pass', ...CONFIRMED },
      merchant.token,
    );
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('invalid_credentials');
    expect((await stack.http.get('/v1/account', merchant.token)).body.status).toBe('active');
  });

  it('when 2FA is on and no code is sent, then 400 asks for it; with the code it closes', async () => {
    const merchant = await signUp(stack);
    const setup = await stack.http.post('/v1/account/2fa/totp', {}, merchant.token);
    const app = new Authenticator(scanQrCode(setup.body.qrCode));
    const { body } = await stack.http.post('/v1/account/2fa/totp/confirm', { code: app.code() }, merchant.token);
    const missing = await stack.http.post(
      '/v1/account/closure',
      { password: merchant.password, ...CONFIRMED },
      merchant.token,
    );
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'code', code: 'required' })]);
    const wrong = await stack.http.post(
      '/v1/account/closure',
      { password: merchant.password, code: '000000', ...CONFIRMED },
      merchant.token,
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('code_invalid');
    const ok = await stack.http.post(
      '/v1/account/closure',
      { password: merchant.password, code: body.recoveryCodes[0], ...CONFIRMED },
      merchant.token,
    );
    expect(ok.status).toBe(202);
  });

  it('when closed, then integrations are off, sessions revoked, and a mail names the purge date 30 days out', async () => {
    const merchant = await signUp(stack);
    await withIntegrations(merchant);
    const before = Date.now();
    const purgeAt = await closed(merchant);
    expect(Date.parse(purgeAt) - before).toBeGreaterThan(29.9 * 86_400_000);
    expect(Date.parse(purgeAt) - before).toBeLessThan(30.1 * 86_400_000);

    expect((await stack.http.get('/v1/account', merchant.token)).status).toBe(401);
    const integrations = await stack.database.db
      .selectFrom('integrations')
      .select('active')
      .where('account_id', '=', merchant.accountId)
      .execute();
    expect(integrations.map((row) => row.active)).toEqual([false, false]);
    const mail = await stack.smtp.waitFor(
      (received) => received.to === merchant.email && /account is closed/.test(received.subject),
    );
    expect(mail.text).toContain(formatDate(new Date(purgeAt), 'en'));
  });

  it('when two closure requests arrive at once, then one flow runs and both answer the same purge date', async () => {
    const merchant = await signUp(stack);
    const body = { password: merchant.password, ...CONFIRMED };
    const [first, second] = await Promise.all([
      stack.http.post('/v1/account/closure', body, merchant.token),
      stack.http.post('/v1/account/closure', body, merchant.token),
    ]);
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(first.body.purgeAt).toBe(second.body.purgeAt);
    const runs = [];
    for await (const run of stack.temporal.workflow.list({
      query: `WorkflowId = '${accountClosureWorkflowId(merchant.accountId)}'`,
    }))
      runs.push(run);
    expect(runs.length).toBeLessThanOrEqual(1);
  });

  it('when the merchant logs in during the grace period, then the account is back, with integrations still off', async () => {
    const merchant = await signUp(stack);
    const [integrationId] = await withIntegrations(merchant, 1);
    await closed(merchant);
    const login = await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ status: 'authenticated', reactivated: true });
    const token = login.body.token;
    expect((await stack.http.get('/v1/account', token)).body.status).toBe('active');
    const list = await stack.http.get('/v1/integrations', token);
    expect(list.body.items).toEqual([expect.objectContaining({ id: integrationId, active: false })]);
    const activated = await stack.http.post(`/v1/integrations/${integrationId}/activate`, {}, token);
    expect(activated.body.active).toBe(true);
    expect(await stack.temporal.workflow.getHandle(accountClosureWorkflowId(merchant.accountId)).result()).toBe(
      'reactivated',
    );
    await stack.smtp.waitFor((mail) => mail.to === merchant.email && /active again/.test(mail.subject));

    // A hold after the reactivation is refused.
    const hold = await stack.http.post(
      `/v1/support/accounts/${merchant.accountId}/recovery-hold`,
      { reason: 'customer asked' },
      agent.token,
    );
    expect(hold.status).toBe(409);
  });
});

describe('support routes', () => {
  it('when a merchant without the support role calls them, then 403 forbidden', async () => {
    const merchant = await signUp(stack);
    for (const [method, path] of [
      ['POST', `/v1/support/accounts/${merchant.accountId}/recovery-hold`],
      ['DELETE', `/v1/support/accounts/${merchant.accountId}/recovery-hold`],
      ['GET', `/v1/support/accounts/${merchant.accountId}/closure`],
      ['GET', `/v1/support/accounts/${merchant.accountId}/export`],
    ] as const) {
      const body = method === 'GET' ? undefined : { reason: 'just looking' };
      const response = await stack.http.request(method, path, { token: merchant.token, body });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.body.code).toBe('forbidden');
    }
  });

  it('when a hold or release reason holds a control character or a direction override, then 400 invalid_characters and no hold', async () => {
    const merchant = await signUp(stack);
    await closed(merchant);
    for (const reason of ['customer asked \u202Etxt.exe', 'customer \u001b[8masked']) {
      for (const method of ['POST', 'DELETE']) {
        const response = await stack.http.request(method, `/v1/support/accounts/${merchant.accountId}/recovery-hold`, {
          body: { reason },
          token: agent.token,
        });
        expect(response.status, `${method} ${JSON.stringify(reason)}`).toBe(400);
        expect(response.body.errors).toEqual([
          expect.objectContaining({ field: 'reason', code: 'invalid_characters' }),
        ]);
      }
    }
    const holds = await stack.database.db
      .selectFrom('recovery_holds')
      .select('id')
      .where('account_id', '=', merchant.accountId)
      .execute();
    expect(holds).toEqual([]);
    const twoLines = await stack.http.post(
      `/v1/support/accounts/${merchant.accountId}/recovery-hold`,
      { reason: 'Customer asked for\norders of March' },
      agent.token,
    );
    expect(twoLines.status).toBe(201);
  });

  it('when the account is active, then a hold is refused with 409', async () => {
    const merchant = await signUp(stack);
    const response = await stack.http.post(
      `/v1/support/accounts/${merchant.accountId}/recovery-hold`,
      { reason: 'customer asked' },
      agent.token,
    );
    expect(response.status).toBe(409);
    expect(
      await stack.database.db
        .selectFrom('recovery_holds')
        .select('id')
        .where('account_id', '=', merchant.accountId)
        .execute(),
    ).toEqual([]);
  });

  it('when an agent holds a closing account, then the flow is held, data can be exported, and the release is audited', async () => {
    const merchant = await signUp(stack);
    await withIntegrations(merchant, 1);
    await stack.http.post('/v1/integrations', { marketplace: 'Amazon', name: 'EU' }, merchant.token);
    await closed(merchant);

    const hold = await stack.http.post(
      `/v1/support/accounts/${merchant.accountId}/recovery-hold`,
      { reason: 'customer asked for orders' },
      agent.token,
    );
    expect(hold.status).toBe(201);
    const state = await stack.http.get(`/v1/support/accounts/${merchant.accountId}/closure`, agent.token);
    expect(state.body).toMatchObject({ state: 'held', holds: [hold.body.holdId] });

    const exported = await stack.http.get(`/v1/support/accounts/${merchant.accountId}/export`, agent.token);
    expect(exported.status).toBe(200);
    expect(exported.body.integrations).toHaveLength(2);
    expect(exported.body.account.status).toBe('closed');

    const release = await stack.http.delete(
      `/v1/support/accounts/${merchant.accountId}/recovery-hold`,
      { reason: 'orders sent' },
      agent.token,
    );
    expect(release.status).toBe(200);
    expect(release.body.released).toBe(1);
    const after = await stack.http.get(`/v1/support/accounts/${merchant.accountId}/closure`, agent.token);
    expect(after.body).toMatchObject({ state: 'grace', holds: [] });
    const events = await stack.database.db
      .selectFrom('audit_events')
      .select(['type', 'actor_id'])
      .where('account_id', '=', merchant.accountId)
      .execute();
    expect(events).toEqual(
      expect.arrayContaining([
        { type: 'recovery_hold_placed', actor_id: agent.accountId },
        { type: 'recovery_hold_released', actor_id: agent.accountId },
      ]),
    );
  });

  it('when the merchant comes back while support holds the account, then the holds are released, audited, and the flow and database agree', async () => {
    const merchant = await signUp(stack);
    await closed(merchant);
    const hold = await stack.http.post(
      `/v1/support/accounts/${merchant.accountId}/recovery-hold`,
      { reason: 'customer asked for orders' },
      agent.token,
    );
    expect(hold.status).toBe(201);

    const login = await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password });
    expect(login.body).toMatchObject({ status: 'authenticated', reactivated: true });
    const handle = stack.temporal.workflow.getHandle(accountClosureWorkflowId(merchant.accountId));
    expect(await handle.result()).toBe('reactivated');
    expect((await handle.query(accountClosureStatusQuery)).holds).toEqual([]);
    const holds = await stack.database.db
      .selectFrom('recovery_holds')
      .select(['id', 'released_at', 'release_reason'])
      .where('account_id', '=', merchant.accountId)
      .execute();
    expect(holds).toEqual([
      { id: hold.body.holdId, released_at: expect.any(Date), release_reason: 'account reactivated' },
    ]);
    const release = await stack.database.db
      .selectFrom('audit_events')
      .select(['actor_id', 'details'])
      .where('account_id', '=', merchant.accountId)
      .where('type', '=', 'recovery_hold_released')
      .execute();
    expect(release).toEqual([
      { actor_id: null, details: { reason: 'account reactivated', holdIds: [hold.body.holdId] } },
    ]);
  });

  it('when an agent asks for an active account’s data, then 409 and nothing is handed over', async () => {
    const merchant = await signUp(stack);
    await withIntegrations(merchant, 1);
    const exported = await stack.http.get(`/v1/support/accounts/${merchant.accountId}/export`, agent.token);
    expect(exported.status).toBe(409);
    expect(exported.body.code).toBe('conflict');
    expect(exported.body.integrations).toBeUndefined();
  });

  it('when the purge has begun or the account is gone, then the export is refused (409, then 404) and nothing is recorded', async () => {
    const merchant = await signUp(stack);
    await withIntegrations(merchant, 2);
    await closed(merchant);
    // The purge's first batch, as its activity runs it: one integration gone, the count committed with it.
    await deletePurgeBatch(stack.database.db, 'integrations', merchant.accountId, null, 1);
    const partial = await stack.http.get(`/v1/support/accounts/${merchant.accountId}/export`, agent.token);
    expect(partial.status).toBe(409);
    expect(partial.body.code).toBe('conflict');
    expect(partial.body.integrations).toBeUndefined();
    const gone = await stack.http.get(`/v1/support/accounts/${randomUUID()}/export`, agent.token);
    expect(gone.status).toBe(404);
    expect(gone.body.code).toBe('not_found');
    const recorded = await stack.database.db
      .selectFrom('audit_events')
      .select('id')
      .where('account_id', '=', merchant.accountId)
      .where('type', '=', 'account_data_exported')
      .execute();
    expect(recorded).toEqual([]);
  });

  it('when an agent exports a closed account’s data, then the merchant’s audit trail shows the export, by support, and when', async () => {
    const merchant = await signUp(stack);
    await withIntegrations(merchant, 2);
    await closed(merchant);
    const before = Date.now();
    const exported = await stack.http.request('GET', `/v1/support/accounts/${merchant.accountId}/export`, {
      token: agent.token,
      headers: { 'user-agent': 'SupportDesk/1' },
    });
    expect(exported.status).toBe(200);
    expect(exported.body.integrations).toHaveLength(2);

    const row = await stack.database.db
      .selectFrom('audit_events')
      .select(['actor_id', 'user_agent'])
      .where('account_id', '=', merchant.accountId)
      .where('type', '=', 'account_data_exported')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ actor_id: agent.accountId, user_agent: 'SupportDesk/1' });
    // The merchant, back, reads it in their own trail: who (support, not which agent or from where) and when.
    const login = await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password });
    const events = await stack.http.get('/v1/account/events', login.body.token);
    const event = events.body.items.find((item: { type: string }) => item.type === 'account_data_exported');
    expect(event).toMatchObject({
      actor: 'support',
      ip: null,
      userAgent: null,
      details: { integrations: 2, products: 0, orders: 0 },
    });
    expect(Date.parse(event.at)).toBeGreaterThanOrEqual(before - 1_000);
  });

  it('when the account never closed, then its closure state is 404', async () => {
    const merchant = await signUp(stack);
    expect((await stack.http.get(`/v1/support/accounts/${merchant.accountId}/closure`, agent.token)).status).toBe(404);
  });
});

describe('account data', () => {
  it('when the merchant asks, then the counts a closure would purge come back', async () => {
    const merchant = await signUp(stack);
    await withIntegrations(merchant, 3);
    const response = await stack.http.get('/v1/account/data', merchant.token);
    expect(response.body).toEqual({ integrations: 3, products: 0, orders: 0 });
  });
});
