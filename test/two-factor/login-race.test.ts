import { afterAll, beforeAll, expect, it } from 'vitest';
import { signUp } from '../helpers/merchant';
import { holdUncommitted, liveSessionCount, untilWaitingOnLock } from '../helpers/row-locks';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

it('when a second factor is turned on while a password login is about to write its session, then the login asks for the factor instead of signing in', async () => {
  const merchant = await signUp(stack, { verify: true });
  const sessionsBefore = await liveSessionCount(stack, merchant.accountId);
  // Mail authentication turned on, as its confirmation commits it, held open: the login reads the
  // account without it, checks the password, then meets the lock when it goes to write its session.
  const turnedOn = await holdUncommitted(stack.database.db, async (trx) => {
    await trx
      .updateTable('accounts')
      .set({ two_factor_method: 'email' })
      .where('id', '=', merchant.accountId)
      .execute();
  });
  const login = stack.http.post('/v1/auth/login', { email: merchant.email, password: merchant.password });
  await untilWaitingOnLock(stack.database.db);
  await turnedOn.commit();

  const response = await login;
  expect(response.status).toBe(200);
  expect(response.body).toMatchObject({ status: 'mfa_required', method: 'email' });
  expect(response.body.token).toBeUndefined();
  expect(await liveSessionCount(stack, merchant.accountId)).toBe(sessionsBefore);
});
