import { createHash } from 'node:crypto';

/**
 * The rate-limit key of an email address. Keys never hold an email in clear: the table is
 * shared and outlives accounts (a purge deletes the account's keys; the rest expire).
 */
export function emailRateLimitKey(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('base64url');
}
