import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';

export const LANGUAGES = ['en', 'tr'] as const;
export type Language = (typeof LANGUAGES)[number];

// The choice made with the switch before signing in; after sign-in the account's own wins.
const STORED_CHOICE = 'language';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

function initialLanguage(): Language {
  const stored = localStorage.getItem(STORED_CHOICE);
  if (isLanguage(stored)) return stored;
  const browser = navigator.languages.map((tag) => tag.slice(0, 2).toLowerCase()).find(isLanguage);
  return browser ?? 'en';
}

/**
 * The locale dates and times are written in: the page's language, in the browser's own regional
 * variant of it when the browser has one. An English page writes 23/04/1985 in a British browser
 * and 04/23/1985 in an American one; a Turkish page, 23.04.1985 whatever the browser.
 */
export function dateLocale(language: string): string {
  for (const tag of navigator.languages) {
    try {
      const locale = new Intl.Locale(tag);
      // baseName drops extensions: a browser's -u-ca-buddhist must not change the calendar shown.
      if (locale.language === language) return locale.baseName;
    } catch {
      // Not a valid language tag: the next one.
    }
  }
  return language;
}

type Translations = typeof en;

// English, the fallback, comes with the panel's first script; every other language's texts are a
// chunk of their own, fetched when it is first chosen: the first load carries one language.
const OTHER_LANGUAGES: Record<Exclude<Language, 'en'>, () => Promise<{ default: Translations }>> = {
  tr: () => import('./tr.json'),
};

async function translations(language: Language): Promise<Translations> {
  return language === 'en' ? en : (await OTHER_LANGUAGES[language]()).default;
}

export async function setLanguage(language: Language): Promise<void> {
  if (!i18next.hasResourceBundle(language, 'translation'))
    i18next.addResourceBundle(language, 'translation', await translations(language));
  localStorage.setItem(STORED_CHOICE, language);
  document.documentElement.lang = language;
  // Changing to the language in use would still re-render every translated component.
  if (i18next.language !== language) await i18next.changeLanguage(language);
}

export async function initI18n(): Promise<void> {
  const language = initialLanguage();
  document.documentElement.lang = language;
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, [language]: { translation: await translations(language) } },
    lng: language,
    fallbackLng: 'en',
    // React escapes what it renders.
    interpolation: { escapeValue: false },
  });
}
