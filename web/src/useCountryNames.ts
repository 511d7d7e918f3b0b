import countries, { type LocaleData } from 'i18n-iso-countries';
import { startTransition, useEffect, useState } from 'react';
import { type Language } from './i18n';

// Each language's country names are a chunk of their own, fetched the first time a country
// list is shown in that language: the other language's names never reach the browser unasked.
const LOCALES: Record<Language, () => Promise<{ default: LocaleData }>> = {
  en: () => import('i18n-iso-countries/langs/en.json'),
  tr: () => import('i18n-iso-countries/langs/tr.json'),
};

const registered = new Map<Language, Promise<void>>();

function registerNames(language: Language): Promise<void> {
  let done = registered.get(language);
  if (!done) {
    done = LOCALES[language]().then((locale) => countries.registerLocale(locale.default));
    // A failed fetch (a new deploy removed the chunk, the network dropped) is tried again next time.
    done.catch(() => registered.delete(language));
    registered.set(language, done);
  }
  return done;
}

/** Country codes with their official names in `language`, sorted by name; undefined while the names load. */
export function useCountryNames(language: Language): Array<[code: string, name: string]> | undefined {
  // Until a new language's names arrive, the old ones stay listed rather than none.
  const [names, setNames] = useState<Array<[string, string]>>();
  useEffect(() => {
    let current = true;
    registerNames(language).then(
      () => {
        if (!current) return;
        // One collator for the whole sort: localeCompare with a locale builds one per comparison.
        const { compare } = new Intl.Collator(language);
        const list = Object.entries(countries.getNames(language, { select: 'official' }));
        // 250 options: rendered as a transition, in slices that leave the main thread free for input.
        startTransition(() => setNames(list.sort(([, a], [, b]) => compare(a, b))));
      },
      // Without names the list offers only "choose a country"; the account's country is kept.
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [language]);
  return names;
}
