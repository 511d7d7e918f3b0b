import { z } from 'zod';

// Free text that people type: on one line (names, trade names, cities, subjects), or in a box
// (support messages and replies, hold reasons).

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

// In a box, line breaks and tabs are the writer's; the other controls and the bidi embeddings,
// overrides and isolates are not: the text is mailed and shown to someone else (the merchant's
// trail, the support desk), where an escape sequence or an override would disguise it.
const CONTROL_OR_BIDI_BUT_LAYOUT = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;
const LAYOUT = /[\t\n\r]/gu;

/** Text of several lines, trimmed, from `min` to `max` characters. */
export const blockOfText = (max: number, min = 1) =>
  z
    .string()
    .trim()
    .min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !CONTROL_OR_BIDI_BUT_LAYOUT.test(value.replace(LAYOUT, '')), {
      message: 'must not contain control characters or direction overrides',
      params: { code: 'invalid_characters' },
    });
