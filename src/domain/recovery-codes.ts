import { createHmac, randomInt } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;
// Crockford-style alphabet without look-alikes (0/O, 1/I/L): easy to read off paper.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const RECOVERY_CODE = /^[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}$/;

/** `ABCDE-FGHJK`: 10 characters from 30, about 49 bits each. */
export function generateRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

export function normalizeRecoveryCode(input: string): string | undefined {
  const upper = input.trim().toUpperCase();
  const formatted = upper.includes('-') ? upper : `${upper.slice(0, 5)}-${upper.slice(5)}`;
  return RECOVERY_CODE.test(formatted) ? formatted : undefined;
}

/** Recovery codes carry enough entropy that a keyed hash is the right storage (no stretching needed). */
export function hashRecoveryCode(secretKey: Buffer, code: string): string {
  return createHmac('sha256', secretKey).update(`recovery\u0000${code}`).digest('hex');
}
