import type { Kysely } from 'kysely';
import { type RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { postgresLimiter } from '../db/rate-limit-store';
import { DomainError } from '../domain/errors';
import { emailRateLimitKey as keyOf } from '../domain/rate-limit-keys';

/**
 * Who is typing a password, for the lockout (OWASP's "device cookies"): a client that has
 * signed in to the account before (a known device) or holds a session of it is counted on its
 * own budget, apart from the account's and the address's. An attacker's failed guesses then lock
 * out strangers only, never the owner's own browser, and an attacker holding one stolen device
 * cookie or session gets one budget, not more.
 */
export type PasswordClient = { knownDeviceId: string } | { sessionId: string } | undefined;

export interface RateLimits {
  /**
   * Counts a password attempt before the password is checked (so a burst of parallel guesses is
   * counted in full), refusing past the limit: against the email and the address for an unknown
   * client, against its own budget for a known one.
   */
  beginPasswordAttempt(email: string, ip: string | null, client?: PasswordClient): Promise<void>;
  /** The password was right: the attempt does not count as a failure. */
  passwordAccepted(email: string, ip: string | null, client?: PasswordClient): Promise<void>;
  /** Counts one code entry (right or wrong) for the account and the address; refuses past the limit. */
  consumeCodeAttempt(accountId: string, ip: string | null): Promise<void>;
  /** Counts a sign-up for the address and for the whole service; refuses past either limit. */
  beginSignup(ip: string | null): Promise<void>;
}

export function createRateLimits(db: Kysely<Database>, config: Config): RateLimits {
  const { windowMs } = config.rateLimits;
  const limiter = (keyPrefix: string, points: number) => postgresLimiter(db, keyPrefix, points, windowMs);
  const loginByAccount = limiter('login-account', config.rateLimits.loginFailuresPerAccount);
  const loginByIp = limiter('login-ip', config.rateLimits.loginFailuresPerIp);
  // A known client gets the account's budget for itself.
  const loginByKnownClient = limiter('login-known-client', config.rateLimits.loginFailuresPerAccount);
  const codeByAccount = limiter('code-account', config.rateLimits.codeAttemptsPerAccount);
  const codeByIp = limiter('code-ip', config.rateLimits.codeAttemptsPerIp);
  const signupByIp = limiter('signup-ip', config.rateLimits.signupsPerIp);
  const signupTotal = limiter('signup-total', config.rateLimits.signupsTotal);

  const refuse = (res: RateLimiterRes): never => {
    const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    throw new DomainError('rate_limited', `Too many attempts; try again in ${seconds} s`, {
      retryAfterSeconds: seconds,
    });
  };
  const consume = async (target: RateLimiterPostgres, key: string) => {
    try {
      await target.consume(key);
    } catch (error) {
      if (error instanceof RateLimiterRes) refuse(error);
      throw error;
    }
  };
  const knownClientKey = (client: NonNullable<PasswordClient>) =>
    'knownDeviceId' in client ? `device:${client.knownDeviceId}` : `session:${client.sessionId}`;

  return {
    async beginPasswordAttempt(email, ip, client) {
      if (client) return consume(loginByKnownClient, knownClientKey(client));
      await consume(loginByAccount, keyOf(email));
      if (ip) await consume(loginByIp, ip);
    },
    async passwordAccepted(email, ip, client) {
      if (client) {
        await loginByKnownClient.reward(knownClientKey(client));
        return;
      }
      await Promise.all([loginByAccount.reward(keyOf(email)), ip ? loginByIp.reward(ip) : undefined]);
    },
    async consumeCodeAttempt(accountId, ip) {
      await consume(codeByAccount, accountId);
      if (ip) await consume(codeByIp, ip);
    },
    async beginSignup(ip) {
      // The address first: one noisy address must not spend the service-wide budget past its own.
      if (ip) await consume(signupByIp, ip);
      await consume(signupTotal, 'all');
    },
  };
}
