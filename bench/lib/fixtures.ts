import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/db/database';
import { generateToken, hashToken } from '../../src/domain/codes';

export interface BenchAccount {
  id: string;
  email: string;
}

/**
 * `count` accounts named `<prefix>-<n>@bench.connectprof.test`, all with the same password
 * hash, made in one statement (hashing each would make seeding, not the service, the benchmark).
 */
export async function createAccounts(
  db: Kysely<Database>,
  prefix: string,
  count: number,
  passwordHash: string,
  options: { verified?: boolean; passwordChangedAt?: Date } = {},
): Promise<BenchAccount[]> {
  const { rows } = await sql<BenchAccount>`
    insert into accounts (email, password_hash, password_changed_at, email_verified_at)
    select ${prefix} || '-' || n || '@bench.connectprof.test', ${passwordHash},
           ${options.passwordChangedAt ?? new Date()}, ${options.verified ? sql`now()` : sql`null`}
    from generate_series(1, ${count}::int) as n
    order by n
    returning id, email`.execute(db);
  await sql`
    insert into password_history (account_id, password_hash)
    select id, password_hash from accounts where email like ${`${prefix}-%@bench.connectprof.test`}`.execute(db);
  return rows;
}

/** One live full session per account, as a login would issue it; returns the bearer tokens in order. */
export async function createSessions(
  db: Kysely<Database>,
  accounts: BenchAccount[],
  ttlMs = 12 * 3_600_000,
): Promise<string[]> {
  const tokens = accounts.map(() => generateToken());
  const expiresAt = new Date(Date.now() + ttlMs);
  for (let start = 0; start < accounts.length; start += 1_000) {
    await db
      .insertInto('sessions')
      .values(
        accounts.slice(start, start + 1_000).map((account, index) => ({
          account_id: account.id,
          token_hash: hashToken(tokens[start + index]!),
          scope: 'full' as const,
          expires_at: expiresAt,
          ip: '127.0.0.1',
          user_agent: 'connectprof-bench',
        })),
      )
      .execute();
  }
  return tokens;
}
