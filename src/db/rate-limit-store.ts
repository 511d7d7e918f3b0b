import type { Kysely } from 'kysely';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import { poolOf } from './connection';
import type { Database } from './database';

/**
 * A counter of `points` per `durationMs` in the rate_limits table, so every API and worker
 * process shares the counts (rate-limiter-flexible's PostgreSQL store; the table comes from a
 * migration, not from the library at run time).
 */
export function postgresLimiter(
  db: Kysely<Database>,
  keyPrefix: string,
  points: number,
  durationMs: number,
): RateLimiterPostgres {
  return new RateLimiterPostgres({
    storeClient: poolOf(db),
    storeType: 'pool',
    tableName: 'rate_limits',
    tableCreated: true,
    keyPrefix,
    points,
    duration: Math.ceil(durationMs / 1000),
  });
}
