import { z } from 'zod';

/** The languages of the panel and of every mail; an account has one (`language`). */
export const LANGUAGES = ['en', 'tr'] as const;
export type Language = (typeof LANGUAGES)[number];

/** What an account gets when nothing says otherwise. */
export const DEFAULT_LANGUAGE: Language = 'en';

export const languageSchema = z.enum(LANGUAGES);
