import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 Safari/604.1';

async function loginFrom(email: string, password: string, userAgent: string): Promise<string> {
  const login = await stack.http.request('POST', '/v1/auth/login', {
    body: { email, password },
    headers: { 'user-agent': userAgent },
  });
  expect(login.status).toBe(200);
  return login.body.token as string;
}

describe('sessions', () => {
  it('when the merchant lists sessions, then each live one is shown with its device, the current one marked, and no token in the answer', async () => {
    const merchant = await signUp(stack);
    const phone = await loginFrom(merchant.email, merchant.password, PHONE);
    const response = await stack.http.get('/v1/account/sessions', merchant.token);
    expect(response.status).toBe(200);
    expect(response.body.items).toHaveLength(2);
    const current = response.body.items.find((item: { current: boolean }) => item.current);
    const other = response.body.items.find((item: { current: boolean }) => !item.current);
    expect(Object.keys(current).sort()).toEqual(['createdAt', 'current', 'id', 'ip', 'lastSeenAt', 'userAgent']);
    expect(other).toMatchObject({
      userAgent: PHONE,
      ip: '127.0.0.1',
      createdAt: expect.any(String),
      lastSeenAt: expect.any(String),
    });
    const raw = JSON.stringify(response.body);
    expect(raw).not.toContain(phone);
    expect(raw).not.toContain(merchant.token);
    const hashes = await stack.database.db
      .selectFrom('sessions')
      .select('token_hash')
      .where('account_id', '=', merchant.accountId)
      .execute();
    for (const { token_hash: hash } of hashes) {
      expect(raw).not.toContain(hash.toString('hex'));
      expect(raw).not.toContain(hash.toString('base64'));
    }
  });

  it('when the merchant ends another of their sessions, then that token stops working, this one keeps working, and ending it again is 404', async () => {
    const merchant = await signUp(stack);
    const phone = await loginFrom(merchant.email, merchant.password, PHONE);
    const list = await stack.http.get('/v1/account/sessions', merchant.token);
    const phoneId = list.body.items.find((item: { current: boolean }) => !item.current).id as string;

    expect((await stack.http.delete(`/v1/account/sessions/${phoneId}`, undefined, merchant.token)).status).toBe(204);
    expect((await stack.http.get('/v1/account', phone)).status).toBe(401);
    expect((await stack.http.get('/v1/account', merchant.token)).status).toBe(200);
    const again = await stack.http.delete(`/v1/account/sessions/${phoneId}`, undefined, merchant.token);
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('not_found');
    const events = await stack.http.get('/v1/account/events', merchant.token);
    expect(events.body.items.map((event: { type: string }) => event.type)).toContain('session_revoked');
  });

  it('when the merchant ends all other sessions, then 204, every other token stops working and the current one stays', async () => {
    const merchant = await signUp(stack);
    const others = [
      await loginFrom(merchant.email, merchant.password, PHONE),
      await loginFrom(merchant.email, merchant.password, 'curl/8.0'),
    ];
    expect((await stack.http.delete('/v1/account/sessions', undefined, merchant.token)).status).toBe(204);
    for (const token of others) expect((await stack.http.get('/v1/account', token)).status).toBe(401);
    const list = await stack.http.get('/v1/account/sessions', merchant.token);
    expect(list.body.items).toEqual([expect.objectContaining({ current: true })]);
  });

  it('when the id is malformed, unknown, or another account’s session, then 404 and the other account’s session lives on', async () => {
    const merchant = await signUp(stack);
    const stranger = await signUp(stack);
    const strangerSession = (await stack.http.get('/v1/account/sessions', stranger.token)).body.items[0].id as string;
    for (const id of ['not-a-uuid', '00000000-0000-4000-8000-000000000000', strangerSession, '%00']) {
      const response = await stack.http.delete(`/v1/account/sessions/${id}`, undefined, merchant.token);
      expect(response.status, id).toBe(404);
      expect(response.body.code).toBe('not_found');
    }
    expect((await stack.http.get('/v1/account', stranger.token)).status).toBe(200);
  });

  it('when requests come within a minute of the last recorded use, then lastSeenAt is not rewritten; after a minute, the next request records it', async () => {
    const merchant = await signUp(stack);
    const seen = (offsetMs: number) => new Date(Date.now() - offsetMs);
    const setLastSeen = (at: Date) =>
      stack.database.db
        .updateTable('sessions')
        .set({ last_seen_at: at })
        .where('account_id', '=', merchant.accountId)
        .execute();
    const lastSeen = async () =>
      (
        await stack.database.db
          .selectFrom('sessions')
          .select('last_seen_at')
          .where('account_id', '=', merchant.accountId)
          .executeTakeFirstOrThrow()
      ).last_seen_at!;

    const recent = seen(30_000);
    await setLastSeen(recent);
    for (let index = 0; index < 3; index++)
      expect((await stack.http.get('/v1/account', merchant.token)).status).toBe(200);
    expect(await lastSeen()).toEqual(recent);

    const stale = seen(120_000);
    await setLastSeen(stale);
    const before = Date.now();
    expect((await stack.http.get('/v1/account', merchant.token)).status).toBe(200);
    expect((await lastSeen()).getTime()).toBeGreaterThanOrEqual(before - 1000);
    const listed = await stack.http.get('/v1/account/sessions', merchant.token);
    expect(new Date(listed.body.items[0].lastSeenAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
  });
});
