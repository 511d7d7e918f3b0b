import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api/client';
import type { paths } from '../api/schema';
import { Field, FieldErrors } from '../components/Field';
import { ProblemMessage, StatusMessage } from '../components/Messages';
import { Replies } from '../components/Replies';
import { missingForSupport } from '../../../src/domain/profile-fields';
import { detailFieldId } from '../sections/AccountDetails';
import { useAccount } from '../session';
import { useFormState } from '../useForm';
import { useTitle } from '../useTitle';
import { dateLocale } from '../i18n';

type SupportRequest =
  paths['/v1/support-requests']['get']['responses'][200]['content']['application/json']['items'][number];

/** Where each missing item is filled in. */
function linkFor(missing: string): string {
  return missing === 'emailVerified'
    ? '/verify-email'
    : `/settings/account#${detailFieldId(missing as Parameters<typeof detailFieldId>[0])}`;
}

export function Support() {
  const { t, i18n } = useTranslation();
  useTitle(t('support.title'));
  const account = useAccount();
  const messageId = useId();
  const [subject, setSubject] = useState('');
  const [message, setMessage] = useState('');
  const [opened, setOpened] = useState(false);
  const [requests, setRequests] = useState<SupportRequest[]>([]);
  const form = useFormState();
  // The server's own rule, so the list matches what a 409 would say.
  const missing = missingForSupport(account);

  const load = () => api.GET('/v1/support-requests').then(({ data }) => setRequests(data?.items ?? []));
  useEffect(() => {
    void load();
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    form.clear();
    setOpened(false);
    void form.run(async () => {
      const { error } = await api.POST('/v1/support-requests', { body: { subject, message } });
      if (error) {
        form.fail(error);
        return;
      }
      setOpened(true);
      setSubject('');
      setMessage('');
      await load();
    });
  };

  const dateTime = new Intl.DateTimeFormat(dateLocale(i18n.language), { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <>
      <h1>{t('support.title')}</h1>
      <section className="card" aria-labelledby="support-form-title">
        <h2 id="support-form-title">{t('support.submit')}</h2>
        {missing.length > 0 && (
          <div className="message warning" id="support-missing">
            <p>{t('support.incomplete')}</p>
            <ul aria-label={t('support.incomplete')}>
              {missing.map((item) => (
                <li key={item}>
                  <Link to={linkFor(item)}>{t(`support.missing.${item}`)}</Link>
                </li>
              ))}
            </ul>
          </div>
        )}
        <form onSubmit={submit} noValidate aria-describedby={missing.length > 0 ? 'support-missing' : undefined}>
          <Field
            label={t('support.subject')}
            value={subject}
            onChange={(event) => setSubject(event.target.value)}
            errors={form.errors.subject}
            maxLength={200}
          />
          <div className="field">
            <label htmlFor={messageId}>{t('support.message')}</label>
            <textarea
              id={messageId}
              rows={5}
              value={message}
              maxLength={5000}
              onChange={(event) => setMessage(event.target.value)}
              aria-invalid={(form.errors.message ?? []).length > 0}
            />
            <FieldErrors id={`${messageId}-errors`} errors={form.errors.message ?? []} />
          </div>
          <ProblemMessage problem={form.problem} />
          <StatusMessage text={opened ? t('support.opened') : undefined} />
          <button type="submit" disabled={form.busy}>
            {t('support.submit')}
          </button>
        </form>
      </section>
      <section className="card" aria-labelledby="support-list-title">
        <h2 id="support-list-title">{t('support.yourRequests')}</h2>
        {requests.length === 0 ? (
          <p>{t('support.none')}</p>
        ) : (
          <ul className="requests">
            {requests.map((request) => (
              <li key={request.id} aria-labelledby={`request-${request.id}`}>
                <strong id={`request-${request.id}`}>{request.subject}</strong> ·{' '}
                {t(`support.status.${request.status}`, { defaultValue: request.status })} ·{' '}
                {dateTime.format(new Date(request.createdAt))}
                <Replies replies={request.replies} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
