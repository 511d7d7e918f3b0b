import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WorkflowNotFoundError } from '@temporalio/client';
import { passwordResetDecoyKey } from '../../src/db/repositories/password-reset-decoys';
import { startClosureFlow } from '../../src/services/closure-flow';
import { accountClosureStatusQuery } from '../../src/shared/account-closure';
import { passwordRotationStatusQuery } from '../../src/shared/password-rotation';
import { accountClosureWorkflowId, passwordRotationWorkflowId } from '../../src/shared/workflow-ids';
import type { HttpResponse } from '../helpers/http';
import { codeIn, enrolTotp, type Merchant, mailsTo, nextCodeMail, signUp, uniqueEmail } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';
import { TcpProxy } from '../helpers/tcp-proxy';
import { ANSWER_BOUND_MS, CALL_TIMEOUT_MS, expectUnavailable, timedDuring } from '../helpers/outage';
import { until } from '../helpers/wait';

// The API reaches Temporal through a proxy the tests can cut (connections refused) or freeze (a
// frontend process stopped with SIGSTOP: connections open, nothing answers). The worker and the
// test's own client go direct, so flows keep running and the tests can look at them.

let proxy: TcpProxy;
let stack: TestStack;

beforeAll(async () => {
  const [host, port] = inject('temporalAddress').split(':');
  proxy = await TcpProxy.start(host!, Number(port));
});
beforeAll(async () => {
  stack = await startStack({
    serviceTemporalAddress: () => `127.0.0.1:${proxy.port}`,
    env: { TEMPORAL_CALL_TIMEOUT: `${CALL_TIMEOUT_MS}ms` },
  });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await proxy?.close();
});

const activeIntegrations = (target: TestStack, accountId: string) =>
  target.database.db
    .selectFrom('integrations')
    .select('id')
    .where('account_id', '=', accountId)
    .where('active', '=', true)
    .execute();

/** Runs `request` with Temporal frozen, then thaws it; returns the answer and how long it took. */
const whileFrozen = (request: () => Promise<HttpResponse>) =>
  timedDuring({ stop: () => proxy.freeze(), resume: () => proxy.restore() }, request);

describe('Temporal frontend unresponsive: every route that needs it answers 503 with Retry-After within the deadline', () => {
  it('when the second step of a login cannot reach Temporal, then 503 (not 410), and the same code works once it is back', async () => {
    const merchant = await signUp(stack);
    const { app } = await enrolTotp(stack, merchant);
    const login = await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password });
    expect(login.body.status).toBe('mfa_required');
    expectUnavailable(
      await whileFrozen(() =>
        stack.http.post('/v1/auth/login/verify', { challengeId: login.body.challengeId, code: app.code(1) }),
      ),
    );
    const verified = await stack.http.post('/v1/auth/login/verify', {
      challengeId: login.body.challengeId,
      code: app.code(1),
    });
    expect(verified.status).toBe(200);
  });

  it('when a login needs a second factor and Temporal is unreachable, then 503', async () => {
    const merchant = await signUp(stack);
    await enrolTotp(stack, merchant);
    expectUnavailable(
      await whileFrozen(() =>
        stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password }),
      ),
    );
  });

  it('when an email code is entered or re-sent with Temporal unreachable, then 503', async () => {
    const merchant = await signUp(stack);
    await nextCodeMail(stack, merchant.email);
    expectUnavailable(
      await whileFrozen(() => stack.http.post('/v1/account/email/verify', { code: '123456' }, merchant.token)),
    );
    expectUnavailable(await whileFrozen(() => stack.http.post('/v1/account/email/resend', {}, merchant.token)));
  });

  it('when a wrong reset code is entered with Temporal unreachable, then a registered address and an unknown one both answer 503 with Retry-After, and the decoy counts no try', async () => {
    const merchant = await signUp(stack);
    const unknown = uniqueEmail('nobody');
    for (const email of [merchant.email, unknown])
      expect((await stack.http.post('/v1/auth/password-reset', { email })).status).toBe(202);
    // Both open: the registered reset's code mailed, the unknown address's decoy written.
    await stack.smtp.waitFor((mail) => mail.to === merchant.email && /new password/.test(mail.text));
    const decoy = () =>
      stack.database.db
        .selectFrom('password_reset_decoys')
        .select('attempts')
        .where('address_key', '=', passwordResetDecoyKey(stack.config.secretKey, unknown))
        .executeTakeFirst();
    await until(async () => (await decoy()) !== undefined);
    const wrong = codeIn(mailsTo(stack, merchant.email).at(-1)!) === '000000' ? '111111' : '000000';
    const confirm = (email: string) =>
      stack.http.post('/v1/auth/password-reset/confirm', {
        email,
        code: wrong,
        newPassword: 'R3set!Secret',
        newPasswordConfirm: 'R3set!Secret',
      });
    const registered = await whileFrozen(() => confirm(merchant.email));
    const stranger = await whileFrozen(() => confirm(unknown));
    expectUnavailable(registered);
    expectUnavailable(stranger);
    expect({ ...stranger.response.body, requestId: undefined }).toEqual({
      ...registered.response.body,
      requestId: undefined,
    });
    expect((await decoy())?.attempts).toBe(0);
  });

  it('when mail authentication is turned on with Temporal unreachable, then 503', async () => {
    const merchant = await signUp(stack, { verify: true });
    expectUnavailable(await whileFrozen(() => stack.http.post('/v1/account/2fa/email', {}, merchant.token)));
  });

  it('when mail authentication is already on and a wrong confirmation code meets a frozen Temporal, then 409 and no recovery codes, the owner’s still valid', async () => {
    const merchant = await signUp(stack, { verify: true });
    const before = mailsTo(stack, merchant.email).length;
    expect((await stack.http.post('/v1/account/2fa/email', {}, merchant.token)).status).toBe(202);
    const code = codeIn(await nextCodeMail(stack, merchant.email, before));
    const enabled = await stack.http.post('/v1/account/2fa/email/confirm', { code }, merchant.token);
    expect(enabled.status).toBe(200);
    const wrong = code === '000000' ? '111111' : '000000';
    const { response } = await whileFrozen(() =>
      stack.http.post('/v1/account/2fa/email/confirm', { code: wrong }, merchant.token),
    );
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ code: 'two_factor_conflict' });
    expect(response.body.recoveryCodes).toBeUndefined();
    const account = await stack.http.get('/v1/account', merchant.token);
    expect(account.body.twoFactor).toEqual({ method: 'email', recoveryCodesLeft: 10 });
  });

  it('when support reads a closure with Temporal unreachable, then 503 (not 404)', async () => {
    const agent = await signUp(stack);
    await stack.database.db
      .insertInto('account_roles')
      .values({ account_id: agent.accountId, role: 'support' })
      .execute();
    const merchant = await signUp(stack);
    const closed = await stack.http.post(
      '/v1/account/closure',
      { password: merchant.password, acknowledgeWarnings: true, deleteAllData: true },
      merchant.token,
    );
    expect(closed.status).toBe(202);
    expectUnavailable(
      await whileFrozen(() => stack.http.get(`/v1/support/accounts/${merchant.accountId}/closure`, agent.token)),
    );
  });
});

describe('a change made while Temporal is out of reach is kept, and its flow catches up', () => {
  it('when the password is changed with Temporal cut off, then 204, the new password is in force, and the rotation flow restarts from it once Temporal is back', async () => {
    const merchant = await signUp(stack);
    const rotation = stack.temporal.workflow.getHandle(passwordRotationWorkflowId(merchant.accountId));
    await until(
      async () => (await stack.database.db.selectFrom('temporal_outbox').select('id').execute()).length === 0,
    );
    proxy.cut();
    let changed: HttpResponse;
    try {
      changed = await stack.http.post(
        '/v1/account/password',
        { oldPassword: merchant.password, newPassword: 'N3w!Secret', newPasswordConfirm: 'N3w!Secret' },
        merchant.token,
      );
      expect(changed.status).toBe(204);
      expect((await stack.http.post('/v1/auth/login', { email: merchant.email, password: 'N3w!Secret' })).status).toBe(
        200,
      );
      expect(
        (await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password })).status,
      ).toBe(401);
    } finally {
      proxy.restore();
    }
    const account = await stack.database.db
      .selectFrom('accounts')
      .select('password_changed_at')
      .where('id', '=', merchant.accountId)
      .executeTakeFirstOrThrow();
    await until(
      async () =>
        (await rotation.query(passwordRotationStatusQuery)).changedAt === account.password_changed_at.getTime(),
    );
    await until(
      async () => (await stack.database.db.selectFrom('temporal_outbox').select('id').execute()).length === 0,
    );
  });

  it('when the email change is asked with Temporal frozen, then 202 within the deadline, and the code reaches the new address once Temporal is back', async () => {
    const merchant = await signUp(stack, { verify: true });
    const newEmail = `moved-${merchant.email}`;
    const { response, tookMs } = await whileFrozen(async () => {
      const answer = await stack.http.post(
        '/v1/account/email',
        { email: newEmail, password: merchant.password },
        merchant.token,
      );
      // Still frozen: the pending address is saved, no code could go out yet.
      expect(mailsTo(stack, newEmail)).toHaveLength(0);
      return answer;
    });
    expect(tookMs).toBeLessThan(ANSWER_BOUND_MS);
    expect(response.status).toBe(202);
    const code = codeIn(await nextCodeMail(stack, newEmail));
    const verified = await stack.http.post('/v1/account/email/verify', { code }, merchant.token);
    expect(verified.status).toBe(200);
    expect(verified.body.email).toBe(newEmail);
    // Delivered once: one code, not one per retry.
    expect(mailsTo(stack, newEmail).filter((mail) => /code/i.test(mail.subject))).toHaveLength(1);
  });
});

describe('a closure made while Temporal is out of reach stands, and its flow starts later with its dates', () => {
  const closure = (merchant: Merchant) =>
    stack.http.post(
      '/v1/account/closure',
      { password: merchant.password, acknowledgeWarnings: true, deleteAllData: true },
      merchant.token,
    );
  const closureFlow = (merchant: Merchant) =>
    stack.temporal.workflow.getHandle(accountClosureWorkflowId(merchant.accountId));
  const accountOf = (merchant: Merchant) =>
    stack.database.db
      .selectFrom('accounts')
      .select(['status', 'purge_at'])
      .where('id', '=', merchant.accountId)
      .executeTakeFirstOrThrow();
  const pendingStarts = async (merchant: Merchant) =>
    (
      await stack.database.db
        .selectFrom('temporal_outbox')
        .select('id')
        .where('workflow_id', '=', accountClosureWorkflowId(merchant.accountId))
        .execute()
    ).length;
  const closedMails = (merchant: Merchant) =>
    mailsTo(stack, merchant.email).filter((mail) => /account is closed/.test(mail.subject));

  /** The closure in force, as a 202 promises: account closed with the purge date answered, session and integrations dead. */
  async function expectClosedAsAnswered(merchant: Merchant, purgeAt: string) {
    expect(await accountOf(merchant)).toEqual({ status: 'closed', purge_at: new Date(purgeAt) });
    expect((await stack.http.get('/v1/integrations', merchant.token)).status).toBe(401);
    expect(await activeIntegrations(stack, merchant.accountId)).toEqual([]);
  }

  /** The flow runs its grace period towards the purge date the 202 answered; the outbox is done; one mail. */
  async function expectFlowOn(merchant: Merchant, purgeAt: string) {
    await until(async () => {
      try {
        return (await closureFlow(merchant).query(accountClosureStatusQuery)).state === 'grace';
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return false;
        throw error;
      }
    });
    expect((await closureFlow(merchant).query(accountClosureStatusQuery)).purgeAt).toBe(Date.parse(purgeAt));
    await until(async () => (await pendingStarts(merchant)) === 0);
    await until(async () => closedMails(merchant).length > 0);
    expect(closedMails(merchant)).toHaveLength(1);
  }

  async function withIntegration(merchant: Merchant) {
    const created = await stack.http.post(
      '/v1/integrations',
      { marketplace: 'Trendyol', name: 'Main' },
      merchant.token,
    );
    expect(created.status).toBe(201);
  }

  it('when the account is closed with Temporal cut off, then 202 within the deadline, the closure is in force, and its flow starts once Temporal is back, with the purge date answered', async () => {
    const merchant = await signUp(stack);
    await withIntegration(merchant);
    const { response, tookMs } = await timedDuring({ stop: () => proxy.cut(), resume: () => undefined }, () =>
      closure(merchant),
    );
    try {
      expect(tookMs).toBeLessThan(ANSWER_BOUND_MS);
      expect(response.status).toBe(202);
      await expectClosedAsAnswered(merchant, response.body.purgeAt);
      // Nothing reached Temporal: the start waits in the outbox.
      expect(await pendingStarts(merchant)).toBe(1);
      await expect(closureFlow(merchant).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    } finally {
      proxy.restore();
    }
    await expectFlowOn(merchant, response.body.purgeAt);
  });

  it('when the account is closed and Temporal’s answer to the start never comes back, then 202, the closure is in force, and the flow that started keeps the purge date answered', async () => {
    const merchant = await signUp(stack);
    await withIntegration(merchant);
    proxy.holdReplies();
    let response: HttpResponse;
    try {
      response = await closure(merchant);
      expect(response.status).toBe(202);
      await expectClosedAsAnswered(merchant, response.body.purgeAt);
    } finally {
      proxy.restore();
    }
    await expectFlowOn(merchant, response.body.purgeAt);
  });

  it('when the merchant signs in before the closure’s flow has started, then the login starts it and reactivates the account through it, and a late delivery of the start closes nothing', async () => {
    const merchant = await signUp(stack);
    proxy.cut();
    let closed: HttpResponse;
    try {
      closed = await closure(merchant);
      expect(closed.status).toBe(202);
      // The drainer has not come to it yet: the flow does not exist when the login comes.
      await stack.database.db
        .updateTable('temporal_outbox')
        .set({ next_attempt_at: new Date(Date.now() + 3_600_000), locked_until: null })
        .where('workflow_id', '=', accountClosureWorkflowId(merchant.accountId))
        .execute();
    } finally {
      proxy.restore();
    }
    await expect(closureFlow(merchant).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);

    // The service's connection back first (it was cut): the login is not about reconnecting.
    await until(async () => {
      try {
        await stack.serviceTemporal.workflowService.getSystemInfo({});
        return true;
      } catch {
        return false;
      }
    });
    const login = await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password });
    expect(login.status).toBe(200);
    expect(login.body.reactivated).toBe(true);
    expect((await accountOf(merchant)).status).toBe('active');
    expect(await closureFlow(merchant).result()).toBe('reactivated');
    expect(await pendingStarts(merchant)).toBe(0);

    // The same start, still in the outbox from before the flow ran (a retry whose first answer
    // was lost): the drainer sees a run begun since it was written and starts nothing.
    const command = { accountId: merchant.accountId, closedAt: Date.now(), purgeAt: Date.parse(closed.body.purgeAt) };
    const reactivatedRun = (await closureFlow(merchant).describe()).runId;
    await stack.database.db
      .insertInto('temporal_outbox')
      .values({
        workflow_id: accountClosureWorkflowId(merchant.accountId),
        command: { kind: 'start_closure', ...command },
        created_at: new Date(command.closedAt - 60_000),
      })
      .execute();
    await until(async () => (await pendingStarts(merchant)) === 0);
    expect((await closureFlow(merchant).describe()).runId).toBe(reactivatedRun);

    // Delivered all the same (past that check): the new run finds the account active and ends at
    // once; nothing is closed, nothing mailed.
    await startClosureFlow({ config: stack.config, temporal: stack.temporal }, command);
    expect((await closureFlow(merchant).describe()).runId).not.toBe(reactivatedRun);
    expect(await closureFlow(merchant).result()).toBe('reactivated');
    expect((await accountOf(merchant)).status).toBe('active');
    expect((await stack.http.get('/v1/account', login.body.token)).status).toBe(200);
    expect(closedMails(merchant)).toHaveLength(1);
  });
});

describe('the answer is lost after the flow made the change', () => {
  /** Runs `request` with Temporal's answers held (its requests still go through), then lets them pass. */
  async function answersLost(request: () => Promise<HttpResponse>): Promise<HttpResponse> {
    proxy.holdReplies();
    try {
      return await request();
    } finally {
      proxy.restore();
    }
  }
  const codeMails = (address: string) => mailsTo(stack, address).filter((mail) => /code/i.test(mail.subject)).length;

  it('when a password reset is confirmed and Temporal’s answer never comes back, then 204, as the new password is in force', async () => {
    // Verified first, so the sign-up's code mail is in before counting.
    const merchant = await signUp(stack, { verify: true });
    const mailed = codeMails(merchant.email);
    expect((await stack.http.post('/v1/auth/password-reset', { email: merchant.email })).status).toBe(202);
    const code = codeIn(await nextCodeMail(stack, merchant.email, mailed));
    const confirmed = await answersLost(() =>
      stack.http.post('/v1/auth/password-reset/confirm', {
        email: merchant.email,
        code,
        newPassword: 'R3set!Pass',
        newPasswordConfirm: 'R3set!Pass',
      }),
    );
    expect(confirmed.status).toBe(204);
    expect((await stack.http.post('/v1/auth/login', { email: merchant.email, password: 'R3set!Pass' })).status).toBe(
      200,
    );
  });

  it('when an email change’s code is entered and Temporal’s answer never comes back, then 200 with the new address in force', async () => {
    const merchant = await signUp(stack, { verify: true });
    const newEmail = `moved-${merchant.email}`;
    expect(
      (await stack.http.post('/v1/account/email', { email: newEmail, password: merchant.password }, merchant.token))
        .status,
    ).toBe(202);
    const code = codeIn(await nextCodeMail(stack, newEmail));
    const verified = await answersLost(() => stack.http.post('/v1/account/email/verify', { code }, merchant.token));
    expect(verified.status).toBe(200);
    expect((await stack.http.get('/v1/account', merchant.token)).body.email).toBe(newEmail);
  });
});

describe('no worker polling', () => {
  let idle: TestStack;
  beforeAll(async () => {
    idle = await startStack({ worker: false, env: { TEMPORAL_CALL_TIMEOUT: `${CALL_TIMEOUT_MS}ms` } });
  }, 120_000);
  afterAll(() => idle?.stop());

  it('when no worker polls the task queue, then entering an email code answers 503 within the deadline', async () => {
    const merchant = await signUp(idle);
    await until(async () => (await idle.database.db.selectFrom('temporal_outbox').select('id').execute()).length === 0);
    const started = Date.now();
    const response = await idle.http.post('/v1/account/email/verify', { code: '123456' }, merchant.token);
    expectUnavailable({ response, tookMs: Date.now() - started });
  });

  it('when no worker polls, then a login’s second step and a login that would reactivate a closed account answer 503 within the deadline', async () => {
    const merchant = await signUp(idle);
    await enrolTotp(idle, merchant);
    const login = await idle.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password });
    expect(login.body.status).toBe('mfa_required');
    const started = Date.now();
    const verify = await idle.http.post('/v1/auth/login/verify', {
      challengeId: login.body.challengeId,
      code: '123456',
    });
    expectUnavailable({ response: verify, tookMs: Date.now() - started });

    const closing = await signUp(idle);
    const closed = await idle.http.post(
      '/v1/account/closure',
      { password: closing.password, acknowledgeWarnings: true, deleteAllData: true },
      closing.token,
    );
    expect(closed.status).toBe(202);
    const reactivating = Date.now();
    const comeback = await idle.http.post('/v1/auth/login', { email: closing.email, password: closing.password });
    expectUnavailable({ response: comeback, tookMs: Date.now() - reactivating });
  });

  it('when no worker polls, then an email change and a closure, which wait for none, answer 202 within the deadline, and the closure has taken effect', async () => {
    const merchant = await signUp(idle);
    await until(async () => (await idle.database.db.selectFrom('temporal_outbox').select('id').execute()).length === 0);
    const integration = await idle.http.post(
      '/v1/integrations',
      { marketplace: 'Trendyol', name: 'Main' },
      merchant.token,
    );
    expect(integration.status).toBe(201);

    let started = Date.now();
    const changed = await idle.http.post(
      '/v1/account/email',
      { email: `moved-${merchant.email}`, password: merchant.password },
      merchant.token,
    );
    expect(Date.now() - started).toBeLessThan(ANSWER_BOUND_MS);
    expect(changed.status).toBe(202);

    started = Date.now();
    const closed = await idle.http.post(
      '/v1/account/closure',
      { password: merchant.password, acknowledgeWarnings: true, deleteAllData: true },
      merchant.token,
    );
    expect(Date.now() - started).toBeLessThan(ANSWER_BOUND_MS);
    expect(closed.status).toBe(202);
    // In force before any worker has run a step of the flow.
    expect((await idle.http.get('/v1/integrations', merchant.token)).status).toBe(401);
    const account = await idle.database.db
      .selectFrom('accounts')
      .select('status')
      .where('id', '=', merchant.accountId)
      .executeTakeFirstOrThrow();
    expect(account.status).toBe('closed');
    expect(await activeIntegrations(idle, merchant.accountId)).toEqual([]);
  });
});
