import countries from 'i18n-iso-countries';
import countriesEn from 'i18n-iso-countries/langs/en.json';
import countriesTr from 'i18n-iso-countries/langs/tr.json';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type Account, api, type FieldError } from '../api/client';
import { DateField } from '../components/DateField';
import { Field, FieldErrors } from '../components/Field';
import { ProblemMessage, StatusMessage } from '../components/Messages';
import { profilePatchSchema, PROFILE_FIELDS, type ProfileField } from '../../../src/domain/profile';
import { useSession } from '../session';
import { useFormState } from '../useForm';
import { PendingEmail } from './PendingEmail';

countries.registerLocale(countriesEn);
countries.registerLocale(countriesTr);

/** The id of a detail's input: Support links straight to a missing one. */
export const detailFieldId = (field: ProfileField | 'email') => `account-${field}`;

type Draft = Record<ProfileField | 'email', string>;

function draftOf(account: Account): Draft {
  const draft = { email: account.email } as Draft;
  for (const field of PROFILE_FIELDS) draft[field] = account[field] ?? '';
  return draft;
}

/** The same zod schema as PATCH /v1/account: a field the server would refuse is marked before sending. */
function checkDetails(draft: Draft) {
  const patch = Object.fromEntries(
    PROFILE_FIELDS.map((field) => [field, draft[field].trim() === '' ? null : draft[field]]),
  );
  const result = profilePatchSchema().safeParse(patch);
  if (result.success) return { patch: result.data, errors: {} };
  const errors: Record<string, FieldError[]> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '(body)');
    const code = ('params' in issue && (issue.params as { code?: string } | undefined)?.code) || issue.code;
    (errors[field] ??= []).push({ field, code, message: issue.message });
  }
  return { patch: undefined, errors };
}

export function AccountDetails({ account }: { account: Account }) {
  const { t, i18n } = useTranslation();
  const { setAccount } = useSession();
  const [draft, setDraft] = useState(() => draftOf(account));
  const [saved, setSaved] = useState<string>();
  // An email change is confirmed with the current password (a stolen session alone cannot move the account).
  const [emailPassword, setEmailPassword] = useState('');
  const form = useFormState();
  const countryNames = useMemo(
    () =>
      Object.entries(countries.getNames(i18n.language === 'tr' ? 'tr' : 'en', { select: 'official' })).sort(
        ([, a], [, b]) => a.localeCompare(b, i18n.language),
      ),
    [i18n.language],
  );

  const input = (field: keyof Draft) => ({
    id: detailFieldId(field),
    value: draft[field],
    errors: form.errors[field],
    onChange: (event: { target: { value: string } }) => setDraft({ ...draft, [field]: event.target.value }),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    form.clear();
    setSaved(undefined);
    const { patch, errors } = checkDetails(draft);
    if (!patch) {
      form.setErrors(errors);
      return;
    }
    void form.run(async () => {
      const updated = await api.PATCH('/v1/account', { body: patch });
      if (updated.error) {
        form.fail(updated.error);
        return;
      }
      let latest = updated.data;
      if (draft.email.trim() !== account.email) {
        const change = await api.POST('/v1/account/email', {
          body: { email: draft.email.trim(), password: emailPassword },
        });
        if (change.error) {
          setAccount(latest);
          form.fail(change.error);
          return;
        }
        const reread = await api.GET('/v1/account');
        if (reread.data) latest = reread.data;
      }
      setAccount(latest);
      setDraft(draftOf(latest));
      setEmailPassword('');
      setSaved(t('details.saved'));
    });
  };

  const countryErrorsId = `${detailFieldId('country')}-errors`;
  return (
    <section className="card" aria-labelledby="details-title">
      <h2 id="details-title">{t('details.title')}</h2>
      {!account.emailVerified && !account.pendingEmail && (
        <p className="message warning">
          {t('details.unverified')} <Link to="/verify-email">{t('details.verifyNow')}</Link>
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <Field label={t('details.email')} type="email" autoComplete="email" {...input('email')} />
        {draft.email.trim() !== account.email && (
          <Field
            label={t('details.emailPassword')}
            type="password"
            autoComplete="current-password"
            id="account-email-password"
            value={emailPassword}
            errors={form.errors.password}
            onChange={(event: { target: { value: string } }) => setEmailPassword(event.target.value)}
          />
        )}
        {account.pendingEmail && <PendingEmail account={account} />}
        <Field label={t('details.fullName')} autoComplete="name" {...input('fullName')} />
        <Field label={t('details.tradeName')} autoComplete="organization" {...input('tradeName')} />
        <div className="field">
          <label htmlFor={detailFieldId('country')}>{t('details.country')}</label>
          <select
            id={detailFieldId('country')}
            value={draft.country}
            aria-invalid={(form.errors.country ?? []).length > 0}
            aria-describedby={form.errors.country ? countryErrorsId : undefined}
            onChange={(event) => setDraft({ ...draft, country: event.target.value })}
          >
            <option value="">{t('details.chooseCountry')}</option>
            {countryNames.map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </select>
          <FieldErrors id={countryErrorsId} errors={form.errors.country ?? []} />
        </div>
        <Field label={t('details.city')} autoComplete="address-level2" {...input('city')} />
        <DateField
          id={detailFieldId('dateOfBirth')}
          label={t('details.dateOfBirth')}
          autoComplete="bday"
          value={draft.dateOfBirth}
          errors={form.errors.dateOfBirth}
          onChange={(dateOfBirth) => setDraft({ ...draft, dateOfBirth })}
        />
        <Field label={t('details.phone')} type="tel" autoComplete="tel" {...input('phone')} />
        <ProblemMessage problem={form.problem} />
        <StatusMessage text={saved} />
        <button type="submit" disabled={form.busy}>
          {t('details.save')}
        </button>
      </form>
    </section>
  );
}
