import { DomainError } from '../domain/errors';

// How long a client should wait before trying again after an outage: long enough for a
// restart or a failover, short enough that nobody gives up.
const RETRY_AFTER_OUTAGE_SECONDS = 5;

// Connection-level failures of PostgreSQL (node errno and SQLSTATE class 08, admin shutdown):
// the request may succeed later.
const DATABASE_DOWN_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

/** True when the error (or one of its causes) says PostgreSQL is out of reach. */
export function isDatabaseDown(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const { code } = current as { code?: unknown };
    if (typeof code === 'string' && DATABASE_DOWN_CODES.has(code)) return true;
    // node-postgres reports a lost or slow connection only in words.
    if (/Connection terminated|connection timeout|timeout exceeded when trying to connect/i.test(current.message))
      return true;
    if (current instanceof AggregateError && current.errors.some(isDatabaseDown)) return true;
  }
  return false;
}

/** The answer for a dependency out of reach: 503 with Retry-After; the cause is kept for the log. */
export function dependencyDown(cause: unknown): DomainError {
  return new DomainError(
    'service_unavailable',
    'A service this request needs is unreachable; try again shortly',
    { retryAfterSeconds: RETRY_AFTER_OUTAGE_SECONDS },
    { cause },
  );
}
