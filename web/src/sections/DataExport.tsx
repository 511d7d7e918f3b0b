import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { Field } from '../components/Field';
import { ProblemMessage, StatusMessage } from '../components/Messages';
import { attachmentName, downloadFile } from '../download';
import { useFormState } from '../useForm';

/** The merchant's own data as one JSON file (GDPR Art. 20), offered before the closure's boxes. */
export function DataExport() {
  const { t } = useTranslation();
  const titleId = useId();
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const form = useFormState();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    form.clear();
    setDone(false);
    void form.run(async () => {
      const { data, error, response } = await api.POST('/v1/account/export', {
        body: { password },
        parseAs: 'blob',
      });
      if (error) {
        form.fail(error);
        return;
      }
      downloadFile(data, attachmentName(response, 'connectprof-export.json'));
      setPassword('');
      setDone(true);
    });
  };

  return (
    <div role="group" aria-labelledby={titleId} className="data-export">
      <h3 id={titleId}>{t('export.title')}</h3>
      <p>{t('export.intro')}</p>
      <form onSubmit={submit} noValidate>
        <Field
          label={t('export.password')}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          errors={form.errors.password}
        />
        <ProblemMessage problem={form.problem} />
        <StatusMessage text={done ? t('export.done') : undefined} />
        <button type="submit" className="secondary" disabled={form.busy}>
          {form.busy ? t('export.preparing') : t('export.submit')}
        </button>
      </form>
    </div>
  );
}
