import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { type Account, api } from '../api/client';
import { Field } from '../components/Field';
import { ProblemMessage } from '../components/Messages';
import { DataExport } from './DataExport';
import { useFormState } from '../useForm';
import { usePeriods } from '../usePolicies';

type Counts = { integrations: number; products: number; orders: number };

/** The article's four warnings, what will be deleted, and the two boxes that must be ticked. */
export function CloseAccount({ account }: { account: Account }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [counts, setCounts] = useState<Counts>();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [acknowledgeWarnings, setAcknowledge] = useState(false);
  const [deleteAllData, setDeleteAll] = useState(false);
  const form = useFormState();
  const needsCode = account.twoFactor.method !== null;
  const periods = usePeriods();

  useEffect(() => {
    void api.GET('/v1/account/data').then(({ data }) => setCounts(data));
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    form.clear();
    void form.run(async () => {
      const body = { password, acknowledgeWarnings, deleteAllData, ...(needsCode && { code: code.trim() }) };
      const { data, error } = await api.POST('/v1/account/closure', { body: body as never });
      if (error) {
        form.fail(error);
        return;
      }
      // The closed page forgets the account: done here, this page would first send the visitor to Sign in.
      await navigate('/closed', { state: { purgeAt: data.purgeAt } });
    });
  };

  const number = new Intl.NumberFormat(i18n.language);
  return (
    <section className="card danger" aria-labelledby="close-title">
      <h2 id="close-title">{t('closure.title')}</h2>
      {/* The warnings state the configured grace period: shown once the service has said it. */}
      {periods && (
        <ul className="warnings">
          <li>{t('closure.warning1')}</li>
          <li>{t('closure.warning2', { period: periods.closureGracePeriod })}</li>
          <li>{t('closure.warning3', { period: periods.closureGracePeriod })}</li>
          <li>{t('closure.warning4', { period: periods.closureGracePeriod })}</li>
        </ul>
      )}
      {counts && (
        <p>
          {t('closure.counts', {
            integrations: number.format(counts.integrations),
            products: number.format(counts.products),
            orders: number.format(counts.orders),
          })}
        </p>
      )}
      <DataExport />
      <form onSubmit={submit} noValidate>
        <Field
          label={t('closure.password')}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          errors={form.errors.password}
        />
        {needsCode && (
          <Field
            label={t('closure.code')}
            inputMode="numeric"
            autoComplete="one-time-code"
            value={code}
            onChange={(event) => setCode(event.target.value)}
            errors={form.errors.code}
          />
        )}
        <div className="checkbox">
          <input
            id="close-acknowledge"
            type="checkbox"
            checked={acknowledgeWarnings}
            onChange={(event) => setAcknowledge(event.target.checked)}
          />
          <label htmlFor="close-acknowledge">{t('closure.acknowledge')}</label>
        </div>
        <div className="checkbox">
          <input
            id="close-delete-all"
            type="checkbox"
            checked={deleteAllData}
            onChange={(event) => setDeleteAll(event.target.checked)}
          />
          <label htmlFor="close-delete-all">{t('closure.deleteAll')}</label>
        </div>
        <ProblemMessage problem={form.problem} />
        <button type="submit" className="danger" disabled={!acknowledgeWarnings || !deleteAllData || form.busy}>
          {t('closure.submit')}
        </button>
      </form>
    </section>
  );
}
