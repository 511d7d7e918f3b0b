import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** A 6-digit one-time code, uniformly drawn (randomInt is unbiased). */
export function generateNumericCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

/**
 * What the service stores and sends to workflows instead of a code: an HMAC bound to the flow,
 * so a code for one flow is worthless in another, and history or a table dump reveals nothing
 * without the server's key (a bare hash of 6 digits would be reversed in a millisecond).
 */
export function hashCode(secretKey: Buffer, flowId: string, code: string): string {
  return createHmac('sha256', secretKey).update(`${flowId}\u0000${code}`).digest('hex');
}

/**
 * What a code is bound to: its flow and its purpose. A code mailed to turn 2FA off is worthless
 * for confirming a closure, even though both flows share the mail-authentication workflow ID.
 */
export function codeScope(workflowId: string, purpose: string): string {
  return `${workflowId}#${purpose}`;
}

/** Constant-time comparison of two hex digests. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A bearer token: 256 random bits, URL-safe. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are high-entropy, so a plain SHA-256 is the right storage form (no salt or stretching needed). */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
