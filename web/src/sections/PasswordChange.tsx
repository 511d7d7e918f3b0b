import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../api/client';
import { StatusMessage } from '../components/Messages';
import { PasswordChangeForm } from '../components/PasswordChangeForm';
import { useSession } from '../session';
import { usePeriods } from '../usePolicies';
import { dateLocale } from '../i18n';

export function PasswordChange({ account }: { account: Account }) {
  const { t, i18n } = useTranslation();
  const { refresh } = useSession();
  const [changed, setChanged] = useState(false);
  const periods = usePeriods();
  const renewBy = new Intl.DateTimeFormat(dateLocale(i18n.language), { dateStyle: 'long' }).format(
    new Date(account.passwordExpiresAt),
  );
  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title">{t('password.title')}</h2>
      {periods && <p>{t('password.renewBy', { date: renewBy, period: periods.passwordMaxAge })}</p>}
      <StatusMessage text={changed ? t('password.changed') : undefined} />
      <PasswordChangeForm
        onChanged={async () => {
          setChanged(true);
          await refresh();
        }}
      />
    </section>
  );
}
