// The password policy of the help article, as one pure module used by sign-up and change.
// Length is counted in Unicode code points after NFC normalisation, and the character classes
// are Unicode-aware, so "Ünïcödé1!" is judged like "Unicode1!".

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 20;
/** The new password must differ from this many previous ones. */
export const PASSWORD_HISTORY_DEPTH = 5;

export type PasswordViolationCode =
  | 'too_short'
  | 'too_long'
  | 'missing_uppercase'
  | 'missing_lowercase'
  | 'missing_digit'
  | 'missing_special'
  | 'mismatch'
  | 'reused';

export interface PasswordViolation {
  code: PasswordViolationCode;
  message: string;
}

const UPPERCASE = /\p{Lu}/u;
const LOWERCASE = /\p{Ll}/u;
const DIGIT = /\p{Nd}/u;
/** Anything that is neither a letter nor a number counts as special (punctuation, symbols, spaces). */
const SPECIAL = /[^\p{L}\p{N}]/u;

export function normalizePassword(password: string): string {
  return password.normalize('NFC');
}

/**
 * Every violation at once, in a stable order. `confirmation` is checked when given (a change
 * repeats the new password; sign-up does not). `reused` needs the stored hashes, so the caller
 * adds it.
 */
export function checkPasswordPolicy(password: string, confirmation?: string): PasswordViolation[] {
  const normalized = normalizePassword(password);
  const length = [...normalized].length;
  const violations: PasswordViolation[] = [];
  if (length < PASSWORD_MIN_LENGTH) {
    violations.push({ code: 'too_short', message: `must be at least ${PASSWORD_MIN_LENGTH} characters` });
  }
  if (length > PASSWORD_MAX_LENGTH) {
    violations.push({ code: 'too_long', message: `must be at most ${PASSWORD_MAX_LENGTH} characters` });
  }
  if (!UPPERCASE.test(normalized)) violations.push({ code: 'missing_uppercase', message: 'must contain an upper-case letter' });
  if (!LOWERCASE.test(normalized)) violations.push({ code: 'missing_lowercase', message: 'must contain a lower-case letter' });
  if (!DIGIT.test(normalized)) violations.push({ code: 'missing_digit', message: 'must contain a digit' });
  if (!SPECIAL.test(normalized)) violations.push({ code: 'missing_special', message: 'must contain a special character' });
  if (confirmation !== undefined && normalizePassword(confirmation) !== normalized) {
    violations.push({ code: 'mismatch', message: 'the repetition does not match the new password' });
  }
  return violations;
}
