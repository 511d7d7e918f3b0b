import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config';
import { poolOf } from '../db/connection';
import type { Database } from '../db/database';
import { ProblemError } from './errors';

export interface RateLimits {
  /** Refuses a login when the email or the address has failed too often lately. */
  assertLoginAllowed(email: string, ip: string | null): Promise<void>;
  recordLoginFailure(email: string, ip: string | null): Promise<void>;
  /** Counts one code entry (right or wrong) for the account and the address; refuses past the limit. */
  consumeCodeAttempt(accountId: string, ip: string | null): Promise<void>;
}

/** Keys never hold an email in clear: the table is shared and outlives accounts. */
const keyOf = (value: string) => createHash('sha256').update(value.trim().toLowerCase()).digest('base64url');

export function createRateLimits(db: Kysely<Database>, config: Config): RateLimits {
  const { windowMs } = config.rateLimits;
  const limiter = (keyPrefix: string, points: number) =>
    new RateLimiterPostgres({
      storeClient: poolOf(db),
      storeType: 'pool',
      tableName: 'rate_limits',
      tableCreated: true,
      keyPrefix,
      points,
      duration: Math.ceil(windowMs / 1000),
    });
  const loginByAccount = limiter('login-account', config.rateLimits.loginFailuresPerAccount);
  const loginByIp = limiter('login-ip', config.rateLimits.loginFailuresPerIp);
  const codeByAccount = limiter('code-account', config.rateLimits.codeAttemptsPerAccount);
  const codeByIp = limiter('code-ip', config.rateLimits.codeAttemptsPerIp);

  const refuse = (res: RateLimiterRes): never => {
    const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    throw new ProblemError('rate_limited', `Too many attempts; try again in ${seconds} s`, { retryAfterSeconds: seconds });
  };
  const consume = async (target: RateLimiterPostgres, key: string) => {
    try {
      await target.consume(key);
    } catch (error) {
      if (error instanceof RateLimiterRes) refuse(error);
      throw error;
    }
  };

  return {
    async assertLoginAllowed(email, ip) {
      const [byAccount, byIp] = await Promise.all([loginByAccount.get(keyOf(email)), ip ? loginByIp.get(ip) : null]);
      for (const [res, limit] of [
        [byAccount, config.rateLimits.loginFailuresPerAccount],
        [byIp, config.rateLimits.loginFailuresPerIp],
      ] as const) {
        if (res && res.consumedPoints >= limit) refuse(res);
      }
    },
    async recordLoginFailure(email, ip) {
      await Promise.all([
        loginByAccount.penalty(keyOf(email)),
        ip ? loginByIp.penalty(ip) : undefined,
      ]);
    },
    async consumeCodeAttempt(accountId, ip) {
      await consume(codeByAccount, accountId);
      if (ip) await consume(codeByIp, ip);
    },
  };
}
