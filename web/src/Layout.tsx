import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { api } from './api/client';
import { LanguageSwitch } from './components/LanguageSwitch';
import { Loading } from './components/Messages';
import { isSupportAgent, useSession } from './session';

export function Layout() {
  const { t } = useTranslation();
  const { account, setAccount } = useSession();
  const navigate = useNavigate();

  const signOut = async () => {
    await api.POST('/v1/auth/logout');
    setAccount(null);
    await navigate('/sign-in');
  };

  // The bar shows what the account may open: drawn before the account is known, it would grow
  // when the links arrive and push the page down under the reader (a layout shift).
  if (account === undefined) return <LayoutLoading />;

  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="top-bar">
        <Link to="/" className="brand">
          {t('app.name')}
        </Link>
        {account && (
          <nav aria-label={t('app.mainNav')}>
            <NavLink to="/settings/account">{t('app.nav.settings')}</NavLink>
            <NavLink to="/integrations">{t('app.nav.integrations')}</NavLink>
            <NavLink to="/support">{t('app.nav.support')}</NavLink>
            <NavLink to="/activity">{t('app.nav.activity')}</NavLink>
            {isSupportAgent(account) && <NavLink to="/support-desk">{t('app.nav.supportDesk')}</NavLink>}
          </nav>
        )}
        <div className="top-bar-end">
          <LanguageSwitch />
          {account && (
            <button type="button" className="secondary" onClick={() => void signOut()}>
              {t('app.signOut')}
            </button>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}

/**
 * While the account or the page's code is on its way: the bar with the name alone, as
 * web/index.html draws it before any script has run (the first paint), and a status that screen
 * readers hear.
 */
export function LayoutLoading() {
  const { t } = useTranslation();
  return (
    <>
      <header className="top-bar">
        <span className="brand">{t('app.name')}</span>
      </header>
      <main id="main" tabIndex={-1}>
        <Loading />
      </main>
    </>
  );
}
