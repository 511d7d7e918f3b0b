import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { components } from '../api/schema';
import { Field } from '../components/Field';
import { ProblemMessage } from '../components/Messages';
import { useFormState } from '../useForm';
import { MerchantSummary } from './MerchantSummary';

type Summary = components['schemas']['SupportSummary'];

/** Finds a merchant by the whole e-mail address (the API has no partial search, on purpose). */
export function FindMerchant() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [found, setFound] = useState<Summary[] | undefined>();
  const form = useFormState();

  const lookUp = async (address: string) => {
    const { data, error } = await api.GET('/v1/support/accounts', { params: { query: { email: address } } });
    if (error) form.fail(error);
    else setFound(data.items);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    form.clear();
    setFound(undefined);
    void form.run(() => lookUp(email));
  };

  return (
    <section className="card" aria-labelledby="desk-find-title">
      <h2 id="desk-find-title">{t('desk.find.title')}</h2>
      <form onSubmit={submit} noValidate role="search" aria-labelledby="desk-find-title">
        <Field
          label={t('desk.find.email')}
          type="email"
          autoComplete="off"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          errors={form.errors.email}
        />
        <ProblemMessage problem={form.problem} />
        <button type="submit" disabled={form.busy}>
          {t('desk.find.submit')}
        </button>
      </form>
      <div role="status">{found?.length === 0 && <p>{t('desk.find.none')}</p>}</div>
      {found?.map((summary) => (
        <MerchantSummary key={summary.id} summary={summary} onChanged={() => lookUp(summary.email)} />
      ))}
    </section>
  );
}
