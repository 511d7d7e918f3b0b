import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../src/domain/password-policy';

const codes = (password: string, confirmation?: string) => checkPasswordPolicy(password, confirmation).map((violation) => violation.code);

describe('password policy', () => {
  it.each([
    ['Ab1!', ['too_short']],
    ['Abcdefgh1!abcdefghijk', ['too_long']],
    ['abcdefg1!', ['missing_uppercase']],
    ['ABCDEFG1!', ['missing_lowercase']],
    ['Abcdefgh!', ['missing_digit']],
    ['Abcdefgh1', ['missing_special']],
    ['abc', ['too_short', 'missing_uppercase', 'missing_digit', 'missing_special']],
    ['', ['too_short', 'missing_uppercase', 'missing_lowercase', 'missing_digit', 'missing_special']],
    ['Str0ng!Pass', []],
  ])('when the password is %j, then the violations are %j', (password, expected) => {
    expect(codes(password)).toEqual(expected);
  });

  it('when the repetition differs, then mismatch is reported with the rest', () => {
    expect(codes('weak', 'other')).toEqual(['too_short', 'missing_uppercase', 'missing_digit', 'missing_special', 'mismatch']);
    expect(codes('Str0ng!Pass', 'Str0ng!Pass')).toEqual([]);
  });

  it('when letters are not ASCII, then they still count by their Unicode case', () => {
    expect(codes('Ğüzel1!şifre')).toEqual([]);
    expect(codes('ÇALIŞMA1!')).toEqual(['missing_lowercase']);
    expect(codes('Пароль12!')).toEqual([]);
    expect(codes('Abcdefg١!')).toEqual([]); // Arabic-Indic digit one
  });

  it('when the length is counted, then it is code points after NFC, not UTF-16 units', () => {
    // "é" typed as e + combining acute is one character after NFC.
    const decomposed = 'Cafe\u0301123!';
    expect(codes(decomposed)).toEqual([]);
    expect([...decomposed.normalize('NFC')]).toHaveLength(8);
    // An emoji is one code point (two UTF-16 units): 20 code points are allowed.
    expect(codes(`Aa1${'😀'.repeat(17)}`)).toEqual([]);
    expect(codes(`Aa1${'😀'.repeat(18)}`)).toEqual(['too_long']);
  });

  it('property: any password within the length bounds with one of each class passes', () => {
    const filler = fc.string({ unit: fc.constantFrom(...'abcXYZ019#$ '), minLength: 4, maxLength: PASSWORD_MAX_LENGTH - 4 });
    fc.assert(
      fc.property(filler, (middle) => {
        expect(codes(`A${middle}z7!`)).toEqual([]);
      }),
    );
  });

  it('property: the verdict on length matches the code-point count', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite', maxLength: 30 }), (password) => {
        const length = [...password.normalize('NFC')].length;
        const found = codes(password);
        expect(found.includes('too_short')).toBe(length < PASSWORD_MIN_LENGTH);
        expect(found.includes('too_long')).toBe(length > PASSWORD_MAX_LENGTH);
      }),
    );
  });

  it('property: removing every character of a class reports exactly that class missing', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'abcdefXYZ'), minLength: 8, maxLength: 16 }), (letters) => {
        const found = codes(letters);
        expect(found).toContain('missing_digit');
        expect(found).toContain('missing_special');
        expect(found.includes('missing_uppercase')).toBe(!/[A-Z]/.test(letters));
        expect(found.includes('missing_lowercase')).toBe(!/[a-z]/.test(letters));
      }),
    );
  });
});
