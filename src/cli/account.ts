import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { createDb } from '../db/connection';
import { findAccountByEmail, grantRole } from '../db/repositories/accounts';
import { migrateToLatest } from '../db/migrate';
import { seedDemoData } from '../db/repositories/demo-data';

const USAGE = `Usage: npm run account -- <command>
  grant-support <email>
      Gives an existing account the support role.
  seed-demo-data <email> [--integrations N] [--products N] [--orders N]
      Fills an account with demo integrations, products and orders.`;

/** Operator commands against DATABASE_URL. */
export async function runAccountCommand(
  argv: string[],
  out: (line: string) => void,
  env: Record<string, string | undefined> = process.env,
): Promise<void> {
  const config = loadConfig(env);
  if (config.databaseUrl === undefined) throw new Error('DATABASE_URL is required');
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      integrations: { type: 'string', default: '2' },
      products: { type: 'string', default: '20' },
      orders: { type: 'string', default: '20' },
    },
  });
  const [command, email] = positionals;
  if (!command || !email) throw new UsageError(USAGE);

  const db = createDb(config.databaseUrl, 2);
  try {
    await migrateToLatest(db);
    const account = await findAccountByEmail(db, email);
    if (!account) throw new UsageError(`No account with the email ${email}`);
    switch (command) {
      case 'grant-support':
        await grantRole(db, account.id, 'support');
        out(`${email} now has the support role`);
        return;
      case 'seed-demo-data': {
        const counts = {
          integrations: count(values.integrations, '--integrations'),
          products: count(values.products, '--products'),
          orders: count(values.orders, '--orders'),
        };
        await seedDemoData(db, account.id, counts);
        out(
          `Seeded ${counts.integrations} integrations, ${counts.products} products and ${counts.orders} orders for ${email}`,
        );
        return;
      }
      default:
        throw new UsageError(USAGE);
    }
  } finally {
    await db.destroy();
  }
}

export class UsageError extends Error {}

function count(value: string | undefined, flag: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new UsageError(`${flag} must be a whole number`);
  return parsed;
}

if (require.main === module) {
  runAccountCommand(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`)).catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  });
}
