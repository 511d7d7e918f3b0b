import type { Language } from '../../domain/language';
import { en } from './en';
import { tr } from './tr';
import type { MailCopy } from './types';

export type { MailContent, MailCopy } from './types';

// Every mail's words live in one file per language (en.ts, tr.ts); nothing else writes mail text.
const COPY: Record<Language, MailCopy> = { en, tr };

/** The mails in the account's language. */
export function mailsIn(language: Language): MailCopy {
  return COPY[language];
}
