import { describe, expect, it } from 'vitest';
import { matchTotp, newTotpSecret, totpAt } from '../../src/domain/totp';
import { hotp } from '../helpers/authenticator';

// RFC 6238 Appendix B, SHA-1: the ASCII key "12345678901234567890", 8 digits.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: Array<[number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP', () => {
  it.each(RFC_VECTORS)('when the time is %i s, then the RFC 6238 code is %s', (epoch, expected) => {
    expect(totpAt(RFC_SECRET, epoch, 8)).toBe(expected);
    // The test authenticator agrees, independently.
    expect(hotp(Buffer.from('12345678901234567890'), Math.floor(epoch / 30), 8)).toBe(expected);
  });

  it('when a code is one step early or late, then it matches; two steps off, it does not', () => {
    const secret = newTotpSecret();
    const now = 1_800_000_000_000;
    const at = (steps: number) => totpAt(secret, now / 1000 + steps * 30);
    const step = Math.floor(now / 1000 / 30);
    expect(matchTotp(secret, at(0), { now })).toBe(step);
    expect(matchTotp(secret, at(-1), { now })).toBe(step - 1);
    expect(matchTotp(secret, at(1), { now })).toBe(step + 1);
    expect(matchTotp(secret, at(-2), { now })).toBeUndefined();
    expect(matchTotp(secret, at(2), { now })).toBeUndefined();
  });

  it('when a step was already used, then its code and older ones are refused', () => {
    const secret = newTotpSecret();
    const now = 1_800_000_000_000;
    const step = Math.floor(now / 1000 / 30);
    expect(matchTotp(secret, totpAt(secret, now / 1000), { now, afterStep: step })).toBeUndefined();
    expect(matchTotp(secret, totpAt(secret, now / 1000 + 30), { now, afterStep: step })).toBe(step + 1);
  });
});
