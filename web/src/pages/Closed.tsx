import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useSession } from '../session';
import { useTitle } from '../useTitle';
import { dateLocale } from '../i18n';

/** After a closure: when the data goes, and that signing in before then brings the account back. */
export function Closed() {
  const { t, i18n } = useTranslation();
  useTitle(t('closed.title'));
  const { setAccount } = useSession();
  // Every session of the account ended with the closure.
  useEffect(() => setAccount(null), [setAccount]);
  const purgeAt = (useLocation().state as { purgeAt?: string } | null)?.purgeAt;
  const date = purgeAt
    ? new Intl.DateTimeFormat(dateLocale(i18n.language), { dateStyle: 'long' }).format(new Date(purgeAt))
    : undefined;
  return (
    <section className="card narrow" aria-labelledby="closed-title">
      <h1 id="closed-title">{t('closed.title')}</h1>
      {date && <p>{t('closed.purge', { date })}</p>}
      <p>{t('closed.reactivate')}</p>
      <p>
        <Link to="/sign-in">{t('closed.signIn')}</Link>
      </p>
    </section>
  );
}
