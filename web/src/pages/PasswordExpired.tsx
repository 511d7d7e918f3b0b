import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { PasswordChangeForm } from '../components/PasswordChangeForm';
import { usePeriods } from '../usePolicies';
import { useTitle } from '../useTitle';

/** Reached from a login that answered password_expired: its session may only change the password. */
export function PasswordExpired() {
  const { t } = useTranslation();
  useTitle(t('passwordExpired.title'));
  const navigate = useNavigate();
  const periods = usePeriods();
  return (
    <section className="card narrow" aria-labelledby="expired-title">
      <h1 id="expired-title">{t('passwordExpired.title')}</h1>
      {periods && <p>{t('passwordExpired.why', { period: periods.passwordMaxAge })}</p>}
      {/* The change ends the restricted session too: sign in again with the new password. */}
      <PasswordChangeForm onChanged={() => navigate('/sign-in', { state: { notice: 'signIn.passwordChanged' } })} />
    </section>
  );
}
