import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountClosureStatusQuery } from '../../src/shared/account-closure';
import { accountClosureWorkflowId } from '../../src/shared/workflow-ids';
import type { HttpResponse } from '../helpers/http';
import type { Merchant } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';
import { completeMerchant, merchantWithSecrets, openRequest, supportAgent } from '../helpers/support-desk';
import { until } from '../helpers/wait';

// What the desk leaves behind: every call in the merchant's trail under the agent's id, and in
// what the merchant reads of it, that support acted and when, not who, from where or why.

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const AGENT_BROWSER = 'SupportDesk/2.0 (agent workstation 7)';
const HOLD_REASON = 'Legal asked to keep the 2025 invoices (ticket LEG-4411)';
const RELEASE_REASON = 'LEG-4411 closed by legal';
/** What workTheDesk leaves in the merchant's trail, in order: one event per desk call. */
const DESK_EVENTS = [
  'support_account_looked_up',
  'support_requests_viewed',
  'support_request_updated',
  'support_closure_viewed',
  'recovery_hold_placed',
  'account_data_exported',
  'recovery_hold_released',
];

/** Closes the merchant's account (with their authenticator code when 2FA is on) and waits for the grace period. */
async function closeAccount(merchant: Merchant, code?: string): Promise<void> {
  const closure = await stack.http.post(
    '/v1/account/closure',
    { password: merchant.password, acknowledgeWarnings: true, deleteAllData: true, ...(code && { code }) },
    merchant.token,
  );
  expect(closure.status).toBe(202);
  // Read on the flow itself, not through the desk, so the wait leaves nothing in the trail.
  const flow = stack.temporal.workflow.getHandle(accountClosureWorkflowId(merchant.accountId));
  await until(async () => (await flow.query(accountClosureStatusQuery)).state === 'grace');
}

/** Every desk route an agent can call about one merchant, in the order an agent would work. */
async function workTheDesk(agent: Merchant, merchant: Merchant, requestId: string, closeWith?: () => Promise<void>) {
  const as = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown) =>
    stack.http.request(method, path, { token: agent.token, body, headers: { 'user-agent': AGENT_BROWSER } });
  const answers: Record<string, HttpResponse> = {};
  answers.lookup = await as('GET', `/v1/support/accounts?email=${encodeURIComponent(merchant.email)}`);
  answers.queue = await as('GET', '/v1/support/requests?status=open&limit=100');
  answers.reply = await as('PATCH', `/v1/support/requests/${requestId}`, {
    status: 'in_progress',
    reply: 'We are looking into it.',
  });
  await (closeWith ?? (() => closeAccount(merchant)))();
  const account = `/v1/support/accounts/${merchant.accountId}`;
  answers.closure = await as('GET', `${account}/closure`);
  answers.hold = await as('POST', `${account}/recovery-hold`, { reason: HOLD_REASON });
  answers.export = await as('GET', `${account}/export`);
  answers.release = await as('DELETE', `${account}/recovery-hold`, { reason: RELEASE_REASON });
  for (const [name, answer] of Object.entries(answers)) expect(answer.status, name).toBeLessThan(300);
  return answers;
}

describe('the desk’s trail', () => {
  it('when an agent looks a merchant up, reads the queue, replies, reads the closure, holds, exports and releases, then each call is an event in the merchant’s trail with the agent’s id, address and browser', async () => {
    const agent = await supportAgent(stack);
    const merchant = await completeMerchant(stack);
    const requestId = await openRequest(stack, merchant);
    await workTheDesk(agent, merchant, requestId);

    const trail = await stack.database.db
      .selectFrom('audit_events')
      .select(['type', 'actor_id', 'user_agent', 'ip'])
      .where('account_id', '=', merchant.accountId)
      .where('actor_id', '=', agent.accountId)
      .orderBy('id')
      .execute();
    expect(trail.map((event) => event.type)).toEqual(DESK_EVENTS);
    for (const event of trail) expect(event, event.type).toMatchObject({ user_agent: AGENT_BROWSER, ip: '127.0.0.1' });
  });

  it('when the merchant reads their own trail, then support’s events say “support” and when, without the agent’s id, address, browser or reasons', async () => {
    const agent = await supportAgent(stack);
    const merchant = await completeMerchant(stack);
    const requestId = await openRequest(stack, merchant);
    await workTheDesk(agent, merchant, requestId);
    // The merchant comes back (a login in the grace period reactivates the account) and reads.
    const login = await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password });
    expect(login.body).toMatchObject({ status: 'authenticated', reactivated: true });
    const events = await stack.http.get('/v1/account/events?limit=100', login.body.token);
    expect(events.status).toBe(200);

    const bySupport = events.body.items.filter((event: { actor: string }) => event.actor === 'support');
    expect(bySupport.map((event: { type: string }) => event.type).sort()).toEqual([...DESK_EVENTS].sort());
    for (const event of bySupport) expect(event, event.type).toMatchObject({ ip: null, userAgent: null });
    const read = JSON.stringify(events.body);
    for (const internal of [agent.accountId, agent.email, AGENT_BROWSER, HOLD_REASON, RELEASE_REASON])
      expect(read).not.toContain(internal);
    // What happened stays readable: the hold, its release and the export are there, with their facts.
    expect(bySupport.find((event: { type: string }) => event.type === 'account_data_exported').details).toEqual({
      integrations: 0,
      products: 0,
      orders: 0,
    });
    // The service's own records keep the agent's reasons.
    const reasons = await stack.database.db
      .selectFrom('recovery_holds')
      .select(['reason', 'release_reason'])
      .where('account_id', '=', merchant.accountId)
      .execute();
    expect(reasons).toEqual([{ reason: HOLD_REASON, release_reason: RELEASE_REASON }]);
  });
});

describe('secrets', () => {
  it('when an agent works a closing merchant with 2FA and recovery codes, then no answer of the closure, hold, export or release routes carries a hash, secret, code or token', async () => {
    const agent = await supportAgent(stack);
    const { merchant, app, requestId, secrets } = await merchantWithSecrets(stack, agent);
    // The confirmation spent this step's code: the closure takes the next one (within the window).
    const answers = await workTheDesk(agent, merchant, requestId, () => closeAccount(merchant, app.code(1)));
    for (const [name, answer] of Object.entries(answers)) {
      const json = JSON.stringify(answer.body);
      for (const secret of secrets) expect(json, name).not.toContain(secret);
      expect(json, name).not.toMatch(/argon2|password|secret|token|totp/i);
    }
  });
});
