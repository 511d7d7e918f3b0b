import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';

// RFC 6238 as Google Authenticator speaks it: SHA-1, 6 digits, 30-second steps.
export const TOTP_ISSUER = 'ConnectProf';
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;

export function newTotpSecret(): string {
  // 20 bytes, the RFC's HMAC-SHA1 key size; base32 for the authenticator app.
  return generateSecret({ length: 20 });
}

export function totpUri(secret: string, accountEmail: string): string {
  return generateURI({
    strategy: 'totp',
    issuer: TOTP_ISSUER,
    label: accountEmail,
    secret,
    period: TOTP_PERIOD_SECONDS,
    digits: TOTP_DIGITS,
  });
}

/** The code for `epochSeconds`; exported for tests against the RFC 6238 vectors. */
export function totpAt(secret: string, epochSeconds: number, digits: 6 | 8 = TOTP_DIGITS): string {
  return generateSync({
    strategy: 'totp',
    secret,
    epoch: epochSeconds,
    digits,
    period: TOTP_PERIOD_SECONDS,
    algorithm: 'sha1',
  });
}

/**
 * Checks a code with one step of tolerance either side (clock drift between phone and server).
 * Returns the time step it matched, which the caller records so that step is never accepted
 * again (no replay), or undefined.
 */
export function matchTotp(
  secret: string,
  code: string,
  options: { afterStep?: number; now?: number } = {},
): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const result = verifySync({
    strategy: 'totp',
    secret,
    token: code,
    epoch: Math.floor((options.now ?? Date.now()) / 1000),
    period: TOTP_PERIOD_SECONDS,
    epochTolerance: TOTP_PERIOD_SECONDS,
    ...(options.afterStep !== undefined && { afterTimeStep: options.afterStep }),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}
