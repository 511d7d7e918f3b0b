import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimits } from '../../src/services/rate-limits';
import { findAccountByEmail } from '../../src/db/repositories/accounts';
import { createDb } from '../../src/db/connection';
import { closeAccountNow } from '../../src/db/repositories/closure';
import { createIntegration, setIntegrationActive } from '../../src/db/repositories/integrations';
import { hashToken } from '../../src/domain/codes';
import { completeLogin, passwordUnchangedSince } from '../../src/services/login-session';
import type { ServiceDeps } from '../../src/services/deps';
import { createPasswordHasher } from '../../src/services/passwords';
import { accountClosureWorkflowId } from '../../src/shared/workflow-ids';
import { Authenticator } from '../helpers/authenticator';
import { COMPLETE_PROFILE, enrolTotp, type Merchant, signUp } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';
import { holdUncommitted, liveSessionCount, untilWaitingOnLock } from '../helpers/row-locks';
import { until } from '../helpers/wait';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const CONFIRMED = { acknowledgeWarnings: true, deleteAllData: true };
const CONTEXT = { ip: '127.0.0.1', userAgent: 'test' };

function close(merchant: Merchant) {
  return stack.http.post('/v1/account/closure', { password: merchant.password, ...CONFIRMED }, merchant.token);
}

async function accountStatus(accountId: string): Promise<string | undefined> {
  return (
    await stack.database.db.selectFrom('accounts').select('status').where('id', '=', accountId).executeTakeFirst()
  )?.status;
}

/** What must never be seen on a closed account: an integration on, or a session left unrevoked. */
async function liveLeftovers(accountId: string): Promise<{ activeIntegrations: number; liveSessions: number }> {
  const integrations = await stack.database.db
    .selectFrom('integrations')
    .select('id')
    .where('account_id', '=', accountId)
    .where('active', '=', true)
    .execute();
  return { activeIntegrations: integrations.length, liveSessions: await liveSessionCount(stack, accountId) };
}

/** The merchant's session as the integration routes pass it on: account and session. */
async function writerOf(merchant: Merchant): Promise<{ accountId: string; sessionId: string }> {
  const session = await stack.database.db
    .selectFrom('sessions')
    .select('id')
    .where('token_hash', '=', hashToken(merchant.token))
    .executeTakeFirstOrThrow();
  return { accountId: merchant.accountId, sessionId: session.id };
}

function serviceDeps(): ServiceDeps {
  return {
    config: stack.config,
    db: stack.serviceDb,
    temporal: stack.temporal,
    logger: stack.logger,
    passwords: createPasswordHasher(stack.config),
    rateLimits: createRateLimits(stack.serviceDb, stack.config),
  };
}

describe('a closure takes effect before its 202', () => {
  it('when the session keeps writing integrations while it closes the account, then nothing it sends after the 202 is done and no integration is left on, before or after a reactivation', async () => {
    const merchant = await signUp(stack);
    const first = await stack.http.post('/v1/integrations', { marketplace: 'Trendyol', name: 'Main' }, merchant.token);
    expect(first.status).toBe(201);

    // Four writers, as a panel with several tabs open would be, until their session ends.
    let accepted = Number.POSITIVE_INFINITY; // when the 202 arrived
    const sentAfter202: Array<{ status: number }> = [];
    const writer = async (index: number) => {
      for (let round = 0; round < 500; round++) {
        const sentAt = performance.now();
        const response =
          round % 2 === 0
            ? await stack.http.post(
                '/v1/integrations',
                { marketplace: 'Amazon', name: `Tab ${index}.${round}` },
                merchant.token,
              )
            : await stack.http.post(`/v1/integrations/${first.body.id}/activate`, {}, merchant.token);
        if (sentAt > accepted) sentAfter202.push(response);
        if (response.status === 401) return;
        expect(response.status).toBeLessThan(300);
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    const closure = await close(merchant);
    accepted = performance.now();
    expect(closure.status).toBe(202);
    // The very next request of the session, sent once the 202 is in hand.
    const right = await stack.http.post(
      '/v1/integrations',
      { marketplace: 'N11', name: 'Right after' },
      merchant.token,
    );
    expect(right.status).toBe(401);
    expect(await liveLeftovers(merchant.accountId)).toEqual({ activeIntegrations: 0, liveSessions: 0 });
    await Promise.all(writers);

    expect(sentAfter202.map((response) => response.status)).toEqual(sentAfter202.map(() => 401));
    expect(await accountStatus(merchant.accountId)).toBe('closed');
    expect(await liveLeftovers(merchant.accountId)).toEqual({ activeIntegrations: 0, liveSessions: 0 });

    const login = await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password });
    expect(login.body).toMatchObject({ status: 'authenticated', reactivated: true });
    const list = await stack.http.get('/v1/integrations', login.body.token);
    expect(list.body.items.length).toBeGreaterThan(0);
    expect(list.body.items.filter((integration: { active: boolean }) => integration.active)).toEqual([]);
  });

  it('when an integration write waits on a closure in progress, then it is refused once the closure commits; when it went first, the closure turns it off', async () => {
    const merchant = await signUp(stack);
    const writer = await writerOf(merchant);
    // The closure's transaction holds the account; the write arrives meanwhile and must wait.
    const closing = await holdUncommitted(stack.database.db, async (trx) => {
      await closeAccountNow(trx, { accountId: merchant.accountId, purgeAt: new Date(Date.now() + 86_400_000) });
    });
    const write = createIntegration(stack.serviceDb, writer, { marketplace: 'Amazon', name: 'Racing' });
    await untilWaitingOnLock(stack.database.db);
    await closing.commit();
    expect(await write).toBe('account_inactive');
    expect(await liveLeftovers(merchant.accountId)).toEqual({ activeIntegrations: 0, liveSessions: 0 });

    // The other order: the write commits first, then the closure turns it off with the others.
    const other = await signUp(stack);
    const created = await createIntegration(stack.serviceDb, await writerOf(other), {
      marketplace: 'Amazon',
      name: 'First',
    });
    expect(created).toMatchObject({ active: true });
    expect((await close(other)).status).toBe(202);
    expect(await liveLeftovers(other.accountId)).toEqual({ activeIntegrations: 0, liveSessions: 0 });
  });

  it('when a write of a session checked before the closure lands after a login has reactivated the account, then it is refused: no integration of the closed session is on', async () => {
    const merchant = await signUp(stack);
    const existing = await stack.http.post(
      '/v1/integrations',
      { marketplace: 'Trendyol', name: 'Main' },
      merchant.token,
    );
    expect(existing.status).toBe(201);
    // The session as a request holds it once authenticated, before the closure took effect.
    const writer = await writerOf(merchant);
    expect((await close(merchant)).status).toBe(202);
    const login = await stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password });
    expect(login.body).toMatchObject({ status: 'authenticated', reactivated: true });
    expect(await accountStatus(merchant.accountId)).toBe('active');

    // That request's writes reach the database only now, on the just-reactivated account.
    expect(await createIntegration(stack.serviceDb, writer, { marketplace: 'Amazon', name: 'Late' })).toBe(
      'account_inactive',
    );
    expect(await setIntegrationActive(stack.serviceDb, writer, existing.body.id, true)).toBe('account_inactive');
    expect(await liveLeftovers(merchant.accountId)).toEqual({ activeIntegrations: 0, liveSessions: 1 });
    // The merchant's new session turns one back on, as the seed article says they do.
    const activated = await stack.http.post(`/v1/integrations/${existing.body.id}/activate`, {}, login.body.token);
    expect(activated.body).toMatchObject({ active: true });
  });
});

describe('account writes of a session authenticated before the closure', () => {
  it('when a profile update, an email change and a TOTP confirmation reach the database while the closure commits, then each is refused with 401 and none is written', async () => {
    const merchant = await signUp(stack);
    const setup = await stack.http.post('/v1/account/2fa/totp', {}, merchant.token);
    expect(setup.status).toBe(200);
    const app = new Authenticator(setup.body.otpauthUri);
    // The closure and the watch on locks use a pool of their own: the three requests waiting in
    // their transactions take most of the service's.
    const observer = createDb(stack.database.url, 2);
    const closing = await holdUncommitted(observer, async (trx) => {
      await closeAccountNow(trx, { accountId: merchant.accountId, purgeAt: new Date(Date.now() + 86_400_000) });
    });
    // Authenticated against the committed state (the account still active), then held by the closure.
    const writes = [
      stack.http.patch('/v1/account', { fullName: 'Late Writer' }, merchant.token),
      stack.http.post(
        '/v1/account/email',
        { email: `late-${merchant.email}`, password: merchant.password },
        merchant.token,
      ),
      stack.http.post('/v1/account/2fa/totp/confirm', { code: app.code() }, merchant.token),
    ];
    try {
      await untilWaitingOnLock(observer, writes.length);
    } finally {
      await closing.commit();
      await observer.destroy();
    }

    expect((await Promise.all(writes)).map((response) => response.status)).toEqual([401, 401, 401]);
    const account = await stack.database.db
      .selectFrom('accounts')
      .select(['full_name', 'pending_email', 'two_factor_method', 'status'])
      .where('id', '=', merchant.accountId)
      .executeTakeFirstOrThrow();
    expect(account).toEqual({ full_name: null, pending_email: null, two_factor_method: null, status: 'closed' });
  });

  it('when a password change, a support request, a recovery-code replacement and turning the second factor off reach the database while the closure commits, then each is refused with 401 and none is written', async () => {
    const merchant = await signUp(stack, { verify: true });
    expect((await stack.http.patch('/v1/account', COMPLETE_PROFILE, merchant.token)).status).toBe(200);
    const { recoveryCodes } = await enrolTotp(stack, merchant);
    const before = await stack.database.db
      .selectFrom('accounts')
      .select(['password_hash', 'two_factor_method'])
      .where('id', '=', merchant.accountId)
      .executeTakeFirstOrThrow();
    const observer = createDb(stack.database.url, 2);
    const closing = await holdUncommitted(observer, async (trx) => {
      await closeAccountNow(trx, { accountId: merchant.accountId, purgeAt: new Date(Date.now() + 86_400_000) });
    });
    const newPassword = 'Late!Writer9';
    const writes = [
      stack.http.post(
        '/v1/account/password',
        { oldPassword: merchant.password, newPassword, newPasswordConfirm: newPassword },
        merchant.token,
      ),
      stack.http.post(
        '/v1/support-requests',
        { subject: 'Late', message: 'Written after the closure' },
        merchant.token,
      ),
      stack.http.post(
        '/v1/account/2fa/recovery-codes',
        { password: merchant.password, code: recoveryCodes[0] },
        merchant.token,
      ),
      stack.http.delete('/v1/account/2fa', { password: merchant.password, code: recoveryCodes[1] }, merchant.token),
    ];
    try {
      await untilWaitingOnLock(observer, writes.length);
    } finally {
      await closing.commit();
      await observer.destroy();
    }

    expect((await Promise.all(writes)).map((response) => response.status)).toEqual([401, 401, 401, 401]);
    const after = await stack.database.db
      .selectFrom('accounts')
      .select(['password_hash', 'two_factor_method'])
      .where('id', '=', merchant.accountId)
      .executeTakeFirstOrThrow();
    expect(after).toEqual(before);
    const requests = await stack.database.db
      .selectFrom('support_requests')
      .select('id')
      .where('account_id', '=', merchant.accountId)
      .execute();
    expect(requests).toEqual([]);
    const unusedCodes = await stack.database.db
      .selectFrom('recovery_codes')
      .select('id')
      .where('account_id', '=', merchant.accountId)
      .where('used_at', 'is', null)
      .execute();
    // The two codes the writes spent on their step-up are gone; the other eight of the set stand.
    expect(unusedCodes).toHaveLength(8);
  });
});

describe('a login racing a closure', () => {
  it('when the login read the account before the closure took effect, then it reactivates the account instead of handing out a dead token', async () => {
    const merchant = await signUp(stack);
    const readBeforeClosure = (await findAccountByEmail(stack.database.db, merchant.email))!;
    expect(readBeforeClosure.status).toBe('active');
    expect((await close(merchant)).status).toBe(202);
    await until(async () => (await accountStatus(merchant.accountId)) === 'closed');

    const { result: login } = await completeLogin(
      serviceDeps(),
      readBeforeClosure,
      CONTEXT,
      passwordUnchangedSince(readBeforeClosure),
    );
    expect(login).toMatchObject({ status: 'authenticated', reactivated: true });
    const account = await stack.http.get('/v1/account', (login as { token: string }).token);
    expect(account.status).toBe(200);
    expect(account.body.status).toBe('active');
    expect(await stack.temporal.workflow.getHandle(accountClosureWorkflowId(merchant.accountId)).result()).toBe(
      'reactivated',
    );
  });

  it('when several logins with the right password arrive at once in the grace period, then every one signs in with a live token, and the account is reactivated once', async () => {
    const merchant = await signUp(stack);
    expect((await close(merchant)).status).toBe(202);
    const login = () => stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password });
    const logins = await Promise.all([login(), login(), login(), login()]);

    expect(logins.map((response) => [response.status, response.body.status])).toEqual(
      logins.map(() => [200, 'authenticated']),
    );
    expect(logins.some((response) => response.body.reactivated === true)).toBe(true);
    for (const response of logins) expect((await stack.http.get('/v1/account', response.body.token)).status).toBe(200);
    expect(await accountStatus(merchant.accountId)).toBe('active');
    const reactivations = await stack.database.db
      .selectFrom('audit_events')
      .select('id')
      .where('account_id', '=', merchant.accountId)
      .where('type', '=', 'account_reactivated')
      .execute();
    expect(reactivations).toHaveLength(1);
  });

  it('when a login found the account closed but another login reactivated it and the flow ended before it asked, then it signs in with a live token, not invalid_credentials', async () => {
    const merchant = await signUp(stack);
    expect((await close(merchant)).status).toBe(202);
    const readWhileClosed = (await findAccountByEmail(stack.database.db, merchant.email))!;
    expect(readWhileClosed.status).toBe('closed');
    const closure = stack.temporal.workflow.getHandle(accountClosureWorkflowId(merchant.accountId));

    // The real client, with the other login run to its end just before this one's Update is sent.
    const deps = serviceDeps();
    const workflow = deps.temporal.workflow;
    const racing = new Proxy(workflow, {
      get: (target, property) =>
        property !== 'getHandle'
          ? Reflect.get(target, property, target)
          : (workflowId: string) => {
              const handle = target.getHandle(workflowId);
              return new Proxy(handle, {
                get: (real, name) =>
                  name !== 'executeUpdate'
                    ? Reflect.get(real, name, real)
                    : async (...args: Parameters<typeof handle.executeUpdate>) => {
                        const other = await stack.http.post('/v1/auth/login', {
                          email: merchant.email,
                          password: merchant.password,
                        });
                        expect(other.body).toMatchObject({ status: 'authenticated', reactivated: true });
                        expect(await closure.result()).toBe('reactivated');
                        return real.executeUpdate(...args);
                      },
              });
            },
    });
    const temporal = new Proxy(deps.temporal, {
      get: (target, property) => (property === 'workflow' ? racing : Reflect.get(target, property, target)),
    });

    const { result } = await completeLogin(
      { ...deps, temporal },
      readWhileClosed,
      CONTEXT,
      passwordUnchangedSince(readWhileClosed),
    );
    expect(result).toMatchObject({ status: 'authenticated' });
    expect((await stack.http.get('/v1/account', (result as { token: string }).token)).status).toBe(200);
  });

  it('when logins and a closure run at once, then every token handed out works, or was revoked by the closure that came after it', async () => {
    const merchant = await signUp(stack);
    const login = () => stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password });
    const [closure, ...logins] = await Promise.all([close(merchant), login(), login(), login()]);
    expect(closure.status).toBe(202);
    const authenticated = logins.filter((response) => response.status === 200);
    expect(authenticated.length).toBeGreaterThan(0);

    const reactivated = authenticated.some((response) => response.body.reactivated === true);
    expect(await accountStatus(merchant.accountId)).toBe(reactivated ? 'active' : 'closed');
    for (const response of authenticated) {
      const session = await stack.database.db
        .selectFrom('sessions')
        .select('revoked_at')
        .where('token_hash', '=', hashToken(response.body.token))
        .executeTakeFirstOrThrow();
      const works = (await stack.http.get('/v1/account', response.body.token)).status === 200;
      expect(works || session.revoked_at !== null, 'a token that neither works nor was revoked').toBe(true);
    }
    if (!reactivated)
      expect(await liveLeftovers(merchant.accountId)).toEqual({ activeIntegrations: 0, liveSessions: 0 });
  });
});
