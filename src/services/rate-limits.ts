import type { Kysely } from 'kysely';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config';
import { poolOf } from '../db/connection';
import type { Database } from '../db/database';
import { DomainError } from '../domain/errors';
import { emailRateLimitKey as keyOf } from '../domain/rate-limit-keys';

export interface RateLimits {
  /**
   * Counts a password attempt against the email and the address before the password is checked
   * (so a burst of parallel guesses is counted in full), refusing past the limit.
   */
  beginPasswordAttempt(email: string, ip: string | null): Promise<void>;
  /** The password was right: the attempt does not count as a failure. */
  passwordAccepted(email: string, ip: string | null): Promise<void>;
  /** Counts one code entry (right or wrong) for the account and the address; refuses past the limit. */
  consumeCodeAttempt(accountId: string, ip: string | null): Promise<void>;
}

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
    throw new DomainError('rate_limited', `Too many attempts; try again in ${seconds} s`, { retryAfterSeconds: seconds });
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
    async beginPasswordAttempt(email, ip) {
      await consume(loginByAccount, keyOf(email));
      if (ip) await consume(loginByIp, ip);
    },
    async passwordAccepted(email, ip) {
      await Promise.all([loginByAccount.reward(keyOf(email)), ip ? loginByIp.reward(ip) : undefined]);
    },
    async consumeCodeAttempt(accountId, ip) {
      await consume(codeByAccount, accountId);
      if (ip) await consume(codeByIp, ip);
    },
  };
}
