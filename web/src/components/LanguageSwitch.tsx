import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { isLanguage, LANGUAGES, setLanguage } from '../i18n';
import { useSession } from '../session';

const NAMES: Record<string, string> = { en: 'English', tr: 'Türkçe' };

/** On every page. Signed in, the choice is saved to the account (mails follow it too). */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const { account, setAccount } = useSession();

  const choose = async (language: string) => {
    if (!isLanguage(language)) return;
    await setLanguage(language);
    if (account && account.language !== language) {
      const { data } = await api.PATCH('/v1/account', { body: { language } });
      if (data) setAccount(data);
    }
  };

  return (
    <div className="language-switch">
      <label htmlFor="language-switch">{t('app.language')}</label>
      <select id="language-switch" value={i18n.language} onChange={(event) => void choose(event.target.value)}>
        {LANGUAGES.map((language) => (
          <option key={language} value={language} lang={language}>
            {NAMES[language]}
          </option>
        ))}
      </select>
    </div>
  );
}
