import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPasswordPolicyWithList, isCommonPassword, loadCommonPasswords } from '../../src/domain/common-passwords';
import {
  checkPasswordPolicy,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  passwordLength,
} from '../../src/domain/password-policy';

const codes = (password: string, confirmation?: string) =>
  checkPasswordPolicy(password, confirmation).map((violation) => violation.code);

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
    expect(codes('weak', 'other')).toEqual([
      'too_short',
      'missing_uppercase',
      'missing_digit',
      'missing_special',
      'mismatch',
    ]);
    expect(codes('Str0ng!Pass', 'Str0ng!Pass')).toEqual([]);
  });

  it('when both new password fields are empty, then they do not count as the same password', () => {
    expect(codes('', '')).toContain('mismatch');
    expect(codes('Str0ng!Pass', '')).toContain('mismatch');
    expect(codes('', 'Str0ng!Pass')).toContain('mismatch');
  });

  it('when letters are not ASCII, then they still count by their Unicode case', () => {
    expect(codes('Ğüzel1!şifre')).toEqual([]);
    expect(codes('ÇALIŞMA1!')).toEqual(['missing_lowercase']);
    expect(codes('Пароль12!')).toEqual([]);
    expect(codes('Abcdefg١!')).toEqual([]); // Arabic-Indic digit one
  });

  it('when the length is counted, then it is user-perceived characters after NFC, not code points or UTF-16 units', () => {
    // "é" typed as e + combining acute is one character after NFC.
    const decomposed = 'Cafe\u0301123!';
    expect(codes(decomposed)).toEqual([]);
    expect(passwordLength(decomposed)).toBe(8);
    // An emoji is one character (two UTF-16 units): 20 are allowed.
    expect(codes(`Aa1${'😀'.repeat(17)}`)).toEqual([]);
    expect(codes(`Aa1${'😀'.repeat(18)}`)).toEqual(['too_long']);
    // A flag is two code points and one character.
    expect(passwordLength('🇹🇷')).toBe(1);
    // ASCII too: a carriage return and line feed are one grapheme.
    expect(passwordLength('ab\r\ncd')).toBe(5);
  });

  it('when combining accents pad a short password, then it is still too short', () => {
    // Five letters and three stacked accents: eight code points, five characters.
    expect(codes('Abc1!\u0301\u0301\u0301')).toEqual(['too_short']);
    expect(codes('Ab1!x\u0308\u0308\u0308\u0308\u0308\u0308')).toEqual(['too_short']);
  });

  it.each([
    ['zero-width spaces', 'Ab1!\u200B\u200B\u200B\u200B'],
    ['a zero-width joiner', 'Str0ng!\u200DPass'],
    ['a byte-order mark', '\uFEFFStr0ng!Pass'],
    ['a right-to-left override', 'Str0ng!\u202EPass'],
    ['a tab', 'Str0ng!\tPass'],
    ['a line feed', 'Str0ng!Pass\n1'],
    ['a soft hyphen', 'Str0ng!\u00ADPass'],
    ['Hangul fillers', 'Ab1!x\u3164\u3164\u3164'],
    ['trailing spaces', 'Ab1!    '],
    ['a leading space', ' Str0ng!Pass'],
  ])('when the password holds %s, then invalid_characters is reported', (_what, password) => {
    expect(codes(password)).toContain('invalid_characters');
  });

  it('when spaces are inside the password or an emoji carries its variation selector, then they are allowed', () => {
    expect(codes('Str0ng Pass phrase!')).toEqual([]);
    expect(codes('Aa1!\u2764\uFE0F\u2764\uFE0F\u2764\uFE0F\u2764\uFE0F')).toEqual([]);
  });

  it('property: any password within the length bounds with one of each class passes', () => {
    const filler = fc.string({
      unit: fc.constantFrom(...'abcXYZ019#$ '),
      minLength: 4,
      maxLength: PASSWORD_MAX_LENGTH - 4,
    });
    fc.assert(
      fc.property(filler, (middle) => {
        expect(codes(`A${middle}z7!`)).toEqual([]);
      }),
    );
  });

  it('property: the verdict on length matches the count of grapheme clusters', () => {
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite', maxLength: 30 }), (password) => {
        const length = [...segmenter.segment(password.normalize('NFC'))].length;
        const found = codes(password);
        expect(found.includes('too_short')).toBe(length < PASSWORD_MIN_LENGTH);
        expect(found.includes('too_long')).toBe(length > PASSWORD_MAX_LENGTH);
      }),
    );
  });

  it('property: passwordLength equals the count of grapheme clusters, ASCII (counted without a segmenter) or not', () => {
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    const ascii = fc.string({
      unit: fc.integer({ min: 0, max: 0x7f }).map((code) => String.fromCharCode(code)),
      maxLength: 30,
    });
    fc.assert(
      fc.property(fc.oneof(ascii, fc.string({ unit: 'grapheme-composite', maxLength: 30 })), (password) => {
        expect(passwordLength(password)).toBe([...segmenter.segment(password.normalize('NFC'))].length);
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

describe('common passwords', () => {
  it('when the list is loaded, then it holds at least 100,000 passwords', () => {
    expect(loadCommonPasswords().length).toBeGreaterThanOrEqual(100_000);
  });

  it.each(['P@ssw0rd', '1qaz!QAZ', '!QAZ2wsx', 'g00dPa$$w0rD'])(
    'when the password %j is on the list and meets every composition rule, then only common_password is reported',
    (password) => {
      expect(codes(password)).toEqual([]);
      expect(checkPasswordPolicyWithList(password).map((violation) => violation.code)).toEqual(['common_password']);
    },
  );

  it('when a listed password differs only in case, then it is still refused', () => {
    expect(isCommonPassword('p@SSW0RD')).toBe(true);
    expect(isCommonPassword('G00DpA$$W0Rd')).toBe(true);
  });

  it('when the password is weak and listed, then the composition rules are reported with common_password', () => {
    expect(checkPasswordPolicyWithList('password').map((violation) => violation.code)).toEqual([
      'missing_uppercase',
      'missing_digit',
      'missing_special',
      'common_password',
    ]);
  });

  it('when the password is not on the list, then common_password is not reported', () => {
    expect(checkPasswordPolicyWithList('Str0ng!Pass')).toEqual([]);
    expect(isCommonPassword('Kx7!vQ2#mLp9')).toBe(false);
  });

  it('when the pure policy module is read, then it imports neither Node nor the list (the web panel bundles it)', async () => {
    const { readFile } = await import('node:fs/promises');
    const source = await readFile(`${__dirname}/../../src/domain/password-policy.ts`, 'utf8');
    expect(source).not.toMatch(/from ['"](node:|\.\/common-passwords)/);
  });
});
