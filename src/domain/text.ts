import { z } from 'zod';

// Free text that the merchant types on one line: names, trade names, cities, subjects.

// C0 and C1 controls (CR, LF, tab, escape…), Unicode line and paragraph separators, and the bidi
// embeddings, overrides and isolates (the marks LRM and RLM stay: mixed-direction names need them):
// a name is one line of plain text, shown in mails, invoices and the support desk, where a CR/LF
// forges a header line and a right-to-left override makes `Ltd.exe` read `Ltd.gpj`.
const CONTROL_OR_BIDI = /[\p{Cc}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069]/u;

/** A single line of visible text, trimmed, up to `max` characters. */
export const lineOfText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !CONTROL_OR_BIDI.test(value), {
      message: 'must not contain control characters, line breaks or direction overrides',
      params: { code: 'invalid_characters' },
    });
