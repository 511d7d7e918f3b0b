// The password policy of the help article, as one pure module used by sign-up, change and the
// web panel (so it must stay importable by a browser: no Node API, no big data). Length is
// counted in user-perceived characters (grapheme clusters) after NFC normalisation, and the
// character classes are Unicode-aware, so "Ünïcödé1!" is judged like "Unicode1!". The list of
// common passwords is too big for a browser: the server adds that check
// (`src/domain/common-passwords.ts`) to the same report.

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
  | 'invalid_characters'
  | 'mismatch'
  | 'reused'
  | 'common_password';

export interface PasswordViolation {
  code: PasswordViolationCode;
  message: string;
}

const UPPERCASE = /\p{Lu}/u;
const LOWERCASE = /\p{Ll}/u;
const DIGIT = /\p{Nd}/u;
/** Anything that is neither a letter nor a number counts as special (punctuation, symbols, spaces). */
const SPECIAL = /[^\p{L}\p{N}]/u;
/**
 * Characters nobody can see or type on purpose: controls (tab, newline, escape…), format
 * characters (zero-width space and joiners, bidi controls, soft hyphen, BOM), line separators,
 * and the other default-ignorable code points (Hangul fillers…), which would pad a password to
 * length invisibly or make it impossible to type again. Variation selectors stay (emoji use them).
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|(?![\uFE00-\uFE0F\u{E0100}-\u{E01EF}])\p{Default_Ignorable_Code_Point}/u;
/** A space at either end is a copy-and-paste accident more often than a choice, and pads invisibly. */
const OUTER_WHITESPACE = /^\s|\s$/u;

// Made on first use: a segmenter loads the ICU break rules, ~20 ms of a page load on a phone, and
// printable ASCII (one character, one grapheme) never needs it.
let graphemes: Intl.Segmenter | undefined;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export function normalizePassword(password: string): string {
  return password.normalize('NFC');
}

/** User-perceived characters: "é" is one whether typed as one code point or e + accent. */
export function passwordLength(password: string): number {
  const normalized = normalizePassword(password);
  if (PRINTABLE_ASCII.test(normalized)) return normalized.length;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let count = 0;
  for (const _segment of graphemes.segment(normalized)) count++;
  return count;
}

/**
 * Every violation at once, in a stable order. `confirmation` is checked when given (a change
 * repeats the new password; sign-up does not): it must equal a non-empty password. `reused`
 * needs the stored hashes and `common_password` the server's list, so the server adds them.
 */
export function checkPasswordPolicy(password: string, confirmation?: string): PasswordViolation[] {
  const normalized = normalizePassword(password);
  const length = passwordLength(normalized);
  const violations: PasswordViolation[] = [];
  if (length < PASSWORD_MIN_LENGTH) {
    violations.push({ code: 'too_short', message: `must be at least ${PASSWORD_MIN_LENGTH} characters` });
  }
  if (length > PASSWORD_MAX_LENGTH) {
    violations.push({ code: 'too_long', message: `must be at most ${PASSWORD_MAX_LENGTH} characters` });
  }
  if (!UPPERCASE.test(normalized))
    violations.push({ code: 'missing_uppercase', message: 'must contain an upper-case letter' });
  if (!LOWERCASE.test(normalized))
    violations.push({ code: 'missing_lowercase', message: 'must contain a lower-case letter' });
  if (!DIGIT.test(normalized)) violations.push({ code: 'missing_digit', message: 'must contain a digit' });
  if (!SPECIAL.test(normalized))
    violations.push({ code: 'missing_special', message: 'must contain a special character' });
  if (INVISIBLE.test(normalized) || OUTER_WHITESPACE.test(normalized)) {
    violations.push({
      code: 'invalid_characters',
      message: 'must not contain control or invisible characters, nor start or end with a space',
    });
  }
  // Two empty fields are not "the same password": the rule is met once both hold the same one.
  if (confirmation !== undefined && (normalized === '' || normalizePassword(confirmation) !== normalized)) {
    violations.push({ code: 'mismatch', message: 'the repetition does not match the new password' });
  }
  return violations;
}
