import { z } from 'zod';
import { blockOfText, lineOfText } from '../domain/text';

// Request bodies, at module level: parsed at the edge, passed down typed.

export const email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'must be an email address' }));
/** The policy is checked apart (all violations at once, with their codes); here only the shape. */
export const password = z.string().min(1, 'is required').max(1024, 'is too long');
/** Six digits for mailed and TOTP codes; recovery codes are longer, so allow those through too. */
export const code = z
  .string()
  .trim()
  .min(6)
  .max(32)
  .regex(/^[0-9A-Za-z-]+$/, 'must be the code as shown');

export const registerBody = z.strictObject({ email, password });
export const loginBody = z.strictObject({ email, password });
export const loginVerifyBody = z.strictObject({ challengeId: z.uuid(), code });
/** The current password confirms the change: a stolen session alone cannot move the account. */
export const emailChangeBody = z.strictObject({ email, password });
export const codeBody = z.strictObject({ code });

export const supportRequestBody = z.strictObject({
  subject: lineOfText(200),
  message: blockOfText(5000),
});

// PostgreSQL's bigint: an id past it cannot exist, and comparing one with a bigint column fails.
const BIGINT_MAX = 9_223_372_036_854_775_807n;
/** A bigint id as text (audit events, keyset cursors): digits, within PostgreSQL's bigint. */
export const bigintId = z
  .string()
  .regex(/^\d{1,19}$/, 'must be an id as returned by the API')
  .refine((value) => !/^\d{1,19}$/.test(value) || BigInt(value) <= BIGINT_MAX, {
    message: 'must be an id as returned by the API',
    params: { code: 'out_of_range' },
  });

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: bigintId.optional(),
});
