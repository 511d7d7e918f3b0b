import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAccountCommand, UsageError } from '../../src/cli/account';
import { signUp } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const run = (...argv: string[]) => {
  const lines: string[] = [];
  return runAccountCommand(argv, (line) => lines.push(line), {
    DATABASE_URL: stack.database.url,
    LOG_LEVEL: 'silent',
  }).then(() => lines);
};

describe('operator commands', () => {
  it('when grant-support names an account, then it gets the support role', async () => {
    const merchant = await signUp(stack);
    expect(await run('grant-support', merchant.email)).toEqual([`${merchant.email} now has the support role`]);
    expect((await stack.http.get('/v1/account', merchant.token)).body.roles).toEqual(['support']);
    // Granting twice is harmless.
    await run('grant-support', merchant.email);
  });

  it('when seed-demo-data runs, then the account has the asked numbers of rows', async () => {
    const merchant = await signUp(stack);
    await run('seed-demo-data', merchant.email, '--integrations', '3', '--products', '250', '--orders', '40');
    const count = async (table: 'integrations' | 'products' | 'orders') =>
      Number(
        (
          await stack.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .where('account_id', '=', merchant.accountId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect([await count('integrations'), await count('products'), await count('orders')]).toEqual([3, 250, 40]);
  });

  it('when the email is unknown or the command wrong, then a usage error', async () => {
    await expect(run('grant-support', 'nobody@shop.example')).rejects.toBeInstanceOf(UsageError);
    await expect(run('frobnicate', 'x@y.z')).rejects.toBeInstanceOf(UsageError);
  });
});
