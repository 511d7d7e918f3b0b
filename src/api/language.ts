import type { Request } from 'express';
import { DEFAULT_LANGUAGE, type Language, LANGUAGES } from '../domain/language';

/**
 * The language a new account starts with: of the languages we write, the one the client's
 * Accept-Language prefers (Express's negotiation, q-values and `tr-TR` → `tr` included); English
 * when the header is absent or names none of them.
 */
export function preferredLanguage(req: Request): Language {
  const best = req.acceptsLanguages(...LANGUAGES);
  return LANGUAGES.find((language) => language === best) ?? DEFAULT_LANGUAGE;
}
