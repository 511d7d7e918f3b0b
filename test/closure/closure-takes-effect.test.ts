import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimits } from '../../src/services/rate-limits';
import { findAccountByEmail } from '../../src/db/repositories/accounts';
import { closeAccountNow } from '../../src/db/repositories/closure';
import { createIntegration } from '../../src/db/repositories/integrations';
import { hashToken } from '../../src/domain/codes';
import { completeLogin } from '../../src/services/login-session';
import type { ServiceDeps } from '../../src/services/deps';
import { createPasswordHasher } from '../../src/services/passwords';
import { accountClosureWorkflowId } from '../../src/shared/workflow-ids';
import { type Merchant, signUp } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';
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
  const sessions = await stack.database.db
    .selectFrom('sessions')
    .select('id')
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .execute();
  return { activeIntegrations: integrations.length, liveSessions: sessions.length };
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
    const db = stack.database.db;
    // The closure's transaction holds the account; the write arrives meanwhile and must wait.
    let release!: () => void;
    let locked!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const holding = new Promise<void>((resolve) => (locked = resolve));
    const closing = db.transaction().execute(async (trx) => {
      await closeAccountNow(trx, { accountId: merchant.accountId, purgeAt: new Date(Date.now() + 86_400_000) });
      locked();
      await released;
    });
    await holding;
    const write = createIntegration(stack.serviceDb, merchant.accountId, { marketplace: 'Amazon', name: 'Racing' });
    await until(async () => {
      const { rows } = await sql<{
        n: string;
      }>`select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(
        db,
      );
      return Number(rows[0]!.n) > 0;
    });
    release();
    await closing;
    expect(await write).toBe('account_inactive');
    expect(await liveLeftovers(merchant.accountId)).toEqual({ activeIntegrations: 0, liveSessions: 0 });

    // The other order: the write commits first, then the closure turns it off with the others.
    const other = await signUp(stack);
    const created = await createIntegration(stack.serviceDb, other.accountId, { marketplace: 'Amazon', name: 'First' });
    expect(created).toMatchObject({ active: true });
    expect((await close(other)).status).toBe(202);
    expect(await liveLeftovers(other.accountId)).toEqual({ activeIntegrations: 0, liveSessions: 0 });
  });
});

describe('a login racing a closure', () => {
  it('when the login read the account before the closure took effect, then it reactivates the account instead of handing out a dead token', async () => {
    const merchant = await signUp(stack);
    const readBeforeClosure = (await findAccountByEmail(stack.database.db, merchant.email))!;
    expect(readBeforeClosure.status).toBe('active');
    expect((await close(merchant)).status).toBe(202);
    await until(async () => (await accountStatus(merchant.accountId)) === 'closed');

    const { result: login } = await completeLogin(serviceDeps(), readBeforeClosure, CONTEXT);
    expect(login).toMatchObject({ status: 'authenticated', reactivated: true });
    const account = await stack.http.get('/v1/account', (login as { token: string }).token);
    expect(account.status).toBe(200);
    expect(account.body.status).toBe('active');
    expect(await stack.temporal.workflow.getHandle(accountClosureWorkflowId(merchant.accountId)).result()).toBe(
      'reactivated',
    );
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
