import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api/client';
import { ProblemMessage, StatusMessage } from '../components/Messages';
import { useSession } from '../session';
import { useFormState } from '../useForm';
import { usePeriods } from '../usePolicies';
import { useTitle } from '../useTitle';

/**
 * "This wasn't me": the link in every security mail. Mail scanners open links to check them, so
 * the page only explains; the account is locked when a person presses the button.
 */
export function Lock() {
  const { t } = useTranslation();
  useTitle(t('lock.title'));
  const token = useSearchParams()[0].get('token') ?? '';
  const { setAccount } = useSession();
  const [locked, setLocked] = useState(false);
  const form = useFormState();
  const periods = usePeriods();

  const lock = () => {
    form.clear();
    void form.run(async () => {
      const { error } = await api.POST('/v1/auth/lock', { body: { token } });
      if (error) {
        // A token cut short or mangled on its way from the mail is no token: say so, not "fields below".
        form.fail(error.code === 'validation_failed' ? t('lock.invalid') : error);
        return;
      }
      setLocked(true);
      // Every session is gone, this browser's too.
      setAccount(null);
    });
  };

  const resetLink = (
    <p>
      <Link to="/password-reset">{t('lock.reset')}</Link>
    </p>
  );
  return (
    <section className="card narrow" aria-labelledby="lock-title">
      <h1 id="lock-title">{t('lock.title')}</h1>
      <StatusMessage text={locked ? t('lock.locked') : undefined} />
      {locked && resetLink}
      {!locked && token === '' && <p>{t('lock.noToken')}</p>}
      {!locked && token !== '' && (
        <>
          <p>{t('lock.intro')}</p>
          {periods && (
            <ul className="warnings">
              <li>{t('lock.signsOut')}</li>
              <li>{t('lock.revertsEmail', { period: periods.lockLinkValid })}</li>
              <li>{t('lock.needsReset')}</li>
            </ul>
          )}
          <ProblemMessage problem={form.problem} />
          {form.problem ? (
            resetLink
          ) : (
            <button type="button" className="danger" onClick={lock} disabled={form.busy}>
              {t('lock.submit')}
            </button>
          )}
        </>
      )}
    </section>
  );
}
